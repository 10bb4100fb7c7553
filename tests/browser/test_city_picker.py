"""Choosing cities: grouped by province, filtered by name or code, several at once."""

from __future__ import annotations

from tests.browser.helpers import sign_in


def test_a_drafter_picks_two_partner_cities_by_name_and_by_code(page):
    sign_in(page, "xz_drafter")
    page.goto("/projects/new")
    page.get_by_label("项目名称").fill("大运河文化保护协同立法")
    picker = page.locator("#participants")
    assert (
        picker.locator("fieldset", has_text="江苏省").locator("label", has_text="宿迁市").count()
        == 1
    )
    page.locator("#participants-filter").fill("宿迁")
    assert page.locator("#participants label.city:visible").count() == 1
    page.locator("#participants label.city", has_text="宿迁市").locator("input").check()
    page.locator("#participants-filter").fill("3713")
    page.locator("#participants label.city", has_text="临沂市").locator("input").check()
    visible = page.locator("#participants label.city:visible").all_inner_texts()
    assert any("宿迁市" in t for t in visible)  # a chosen city stays in view while filtering
    assert page.locator("#participants fieldset:visible legend").all_inner_texts() == [
        "江苏省",
        "山东省",
    ]
    page.get_by_role("button", name="创建").click()
    stages = page.locator("table.stages").inner_text()
    assert "宿迁市" in stages and "临沂市" in stages and "徐州市" in stages
