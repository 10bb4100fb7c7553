"""On a phone: a resident rates a reply 不满意, it is handled again, then rated 满意; the 专报."""

from comments.opinions.demo import demo_number
from tests.browser.helpers import sign_in

PHONE = {"width": 390, "height": 844}


def test_unsatisfied_reopens_and_the_report_closes_the_loop(page, tmp_path):
    number = demo_number(20)  # the demo's 高校毕业生返乡就业 opinion, answered, not yet rated
    page.set_viewport_size(PHONE)
    page.goto(f"/intake/track?number={number}")
    page.get_by_role("group", name="评价").get_by_text("不满意").click()
    page.get_by_label("补充说明（选填）").fill("联络站没有张贴，我去看过两次。")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "rate-390.png"), full_page=True)
    page.get_by_role("button", name="提交评价").click()
    assert page.get_by_role("status").inner_text() == "感谢您的评价。"
    assert page.locator("#my-rating").inner_text() == "不满意"
    assert "群众不满意，已重新办理。" in page.locator("#tracked").inner_text()

    staff = page.context.browser.new_context(base_url=page.url.split("/intake")[0])
    desk = staff.new_page()
    desk.set_viewport_size(PHONE)
    sign_in(desk, "klmy_drafter")
    desk.goto("/opinions")
    row = desk.locator("#queue tr", has=desk.get_by_role("link", name=number))
    assert "重新办理" in row.inner_text() and "不满意" in row.inner_text()
    row.get_by_role("link", name=number).click()
    assert "联络站没有张贴，我去看过两次。" in desk.locator("#ratings").inner_text()
    desk.get_by_label("答复", exact=True).fill(
        "政策解读已张贴在联络站门口公告栏，并发到社区微信群。"
    )
    desk.get_by_text("办结（提交后需确认）").click()
    desk.get_by_role("button", name="记录").click()
    desk.get_by_role("button", name="确认办结").click()
    assert "已办结" in desk.locator(".page-head").inner_text()

    page.reload()
    page.get_by_role("group", name="评价").get_by_text("满意", exact=True).click()
    page.get_by_role("button", name="提交评价").click()
    assert page.locator("#my-rating").inner_text() == "满意"
    assert "公告栏" in page.locator("#reply").inner_text()

    desk.goto("/reports/quarterly?quarter=2026Q4")
    assert desk.evaluate("document.documentElement.scrollWidth") <= 390
    assert desk.locator("#report-satisfaction").inner_text().endswith("%")
    assert desk.locator("#office-table tbody tr").count() >= 5
    concerns = desk.locator("#concerns section")
    assert concerns.count() >= 3
    turned = desk.locator("#concerns section", has_text="已转为代表建议").count()
    # One click drafts a suggestion from a concern not yet turned into one.
    concerns.filter(has=desk.get_by_role("button", name="起草代表建议")).first.get_by_role(
        "button", name="起草代表建议"
    ).click()
    desk.wait_for_url("**/proposals/*")
    assert "群众反映" in desk.locator("main").inner_text()
    desk.goto("/reports/quarterly?quarter=2026Q4")
    assert desk.locator("#concerns section", has_text="已转为代表建议").count() == turned + 1
    desk.screenshot(path=str(tmp_path / "report-390.png"), full_page=True)
    desk.set_viewport_size({"width": 1366, "height": 900})
    desk.screenshot(path=str(tmp_path / "report-1366.png"), full_page=True)
    staff.close()
