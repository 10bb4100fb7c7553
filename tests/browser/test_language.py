"""The interface in English."""

from tests.browser.helpers import sign_in


def test_english_switch_translates_the_dashboard(page):
    sign_in(page, "xz_drafter")
    page.get_by_role("link", name="English").click()
    page.get_by_role("link", name="淮海战役红色资源保护协同立法").click()
    assert page.get_by_role("heading", name="Progress by city").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"
