"""A resident on a phone: scan, write, attach a photo, get a number, follow it."""

from tests.browser.helpers import sign_in
from tests.intake_helpers import jpeg_with_gps


def test_resident_submits_with_photo_and_follows_by_number(page, app, tmp_path):
    app.config["INTAKE_LIMITS"] = {"min_fill_seconds": 0.2}
    photo = tmp_path / "streetlight.jpg"
    photo.write_bytes(jpeg_with_gps((3000, 2000)))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/intake/klmyslj1")
    assert page.get_by_role("heading", name="克拉玛依区胜利路街道人大代表联络站").is_visible()
    page.get_by_label("类别").select_option("城市建设与管理")
    page.get_by_label("意见或建议").fill("银河路小区北门的路灯不亮了，晚上出行不安全。")
    page.get_by_label("联系方式").fill("13899520000")
    page.get_by_label("照片").set_input_files(str(photo))
    # The form fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="提交").click()
    number = page.locator("#tracking-number").inner_text().strip()
    assert len(number) == 14
    page.get_by_role("link", name="查看办理进度").click()
    tracked = page.locator("#tracked")
    tracked.wait_for()
    assert "银河路小区北门" in tracked.inner_text() and "已受理" in tracked.inner_text()
    assert "已附照片" in tracked.inner_text()
    assert "13899520000" not in page.content()
    # The station staff see it at the top of their queue, photo and contact included.
    staff = page.context.browser.new_context(base_url=page.url.split("/intake")[0])
    desk = staff.new_page()
    sign_in(desk, "klmy_drafter")
    desk.goto("/opinions")
    desk.get_by_role("link", name=number).click()
    assert "13899520000" in desk.locator("#contact").inner_text()
    desk.wait_for_function("document.querySelector('main img').naturalWidth > 0")
    width = desk.evaluate("document.querySelector('main img').naturalWidth")
    assert width == 1600
    staff.close()
