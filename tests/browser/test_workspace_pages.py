"""Sign in and reach the dashboard, as a lead drafter and as a partner city's commenter."""

from tests.browser.helpers import sign_in


def test_lead_drafter_signs_in_and_sees_the_dashboard_with_audit_log(page):
    sign_in(page, "xz_drafter")
    page.get_by_role("link", name="淮海战役红色资源保护协同立法").click()
    assert page.get_by_role("heading", name="各市立法进度").is_visible()
    rows = page.locator("table.stages tbody tr")
    assert rows.count() == 6
    assert page.get_by_role("link", name="审计日志").is_visible()
    page.get_by_role("link", name="审计日志").click()
    assert page.get_by_role("heading", name="审计日志").is_visible()


def test_partner_commenter_sees_its_projects_but_no_audit_log(page):
    sign_in(page, "sq_commenter")
    titles = page.locator(".project-list h2").all_inner_texts()
    assert "淮海战役红色资源保护协同立法" in titles
    assert "黄河故道生态保护协同立法" not in titles  # 宿迁 does not take part
    page.get_by_role("link", name="淮海战役红色资源保护协同立法").click()
    assert page.get_by_role("heading", name="各市立法进度").is_visible()
    assert page.get_by_role("link", name="审计日志").count() == 0
    assert page.locator("details summary", has_text="登记阶段变化").count() == 0
