"""Link a citizen's opinion to an article and see the "inspired by" badge on the draft page."""

from tests.browser.helpers import sign_in


def test_drafter_links_an_opinion_to_an_article_and_sees_the_badge(page):
    sign_in(page, "xz_drafter")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="建议意见").click()
    page.get_by_role("link", name="关于红色资源数字化展示的意见").click()
    assert "尚未形成条款" in page.locator("#links").inner_text()

    option = page.locator("#provision option", has_text="第二十九条").first
    page.locator("#provision").select_option(option.get_attribute("value"))
    page.get_by_label("如何影响了条文").fill("数字化展示写入传承利用")
    page.get_by_role("button", name="关联条款").click()

    links = page.locator("#links")
    assert "第二十九条" in links.inner_text()
    assert "数字化展示写入传承利用" in links.inner_text()
    links.get_by_role("link", name="第二十九条").click()
    article = page.locator("article.provision", has_text="第二十九条").first
    badge = article.get_by_role("link", name="源自民情民意第2025-120号")
    badge.wait_for()
    badge.click()
    page.wait_for_url("**/proposals/*")
    assert "数字化展示" in page.locator("h1").inner_text()
