"""Edit an article in place and see the new revision with its diff."""

from tests.browser.helpers import sign_in


def test_drafter_edits_an_article_and_sees_the_revision_and_diff(page):
    sign_in(page, "xz_drafter")
    page.get_by_role("link", name="淮海战役红色资源保护协同立法").click()
    page.get_by_role("link", name="淮海战役红色资源保护条例（协同文本）").click()
    first = page.locator("article.provision").first
    label = first.locator(".label").inner_text()
    first.get_by_role("link", name="编辑").click()
    box = page.locator(".inline-editor textarea").first
    box.wait_for()
    original = box.input_value()
    box.fill(original.replace("制定本条例", "结合本地实际，制定本条例"))
    page.locator(".inline-editor").get_by_role("button", name="保存").click()
    notice = page.locator(".just-saved")
    notice.wait_for()
    assert label in notice.inner_text() and "修订" in notice.inner_text()
    assert notice.locator("ins").inner_text() == "结合本地实际，"
    notice.get_by_role("link", name="查看该条全部修订").click()
    assert page.locator(".history li").count() >= 2
    assert "结合本地实际" in page.locator(".history li").first.locator("ins").inner_text()
