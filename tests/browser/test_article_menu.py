"""The article menu: delete an article with a reason, then restore it from its history."""

from tests.browser.helpers import sign_in


def test_drafter_deletes_an_article_with_a_reason_and_restores_it(page):
    sign_in(page, "xz_drafter")
    page.get_by_role("link", name="淮海战役红色资源保护协同立法").click()
    page.get_by_role("link", name="淮海战役红色资源保护条例（协同文本）").click()
    third = page.locator("article.provision").nth(2)
    label = third.locator(".label").inner_text()
    text = third.locator(".para").first.inner_text()
    count = page.locator("article.provision").count()
    third.locator(".article-menu > summary").click()
    menu = third.locator(".delete-article")
    # Without the confirmation ticked the browser does not send the form.
    menu.get_by_label("删除理由（保存在修订历史中）").fill("与第二条重复，予以删除")
    menu.get_by_role("button", name="删除").click()
    assert page.locator("article.provision").count() == count
    menu.get_by_label(f"确认删除{label}").check()
    menu.get_by_role("button", name="删除").click()
    page.wait_for_url("**changed=*")
    assert page.locator("article.provision").count() == count - 1
    # The message sits on the article that took its place, highlighted.
    changed = page.locator("article.provision.changed")
    assert changed.locator(".label").inner_text() == label
    assert "已删除" in changed.locator(".inline-flash").inner_text()
    assert text not in page.locator(".reg-body").inner_text()
    deleted = page.locator("#deleted li").first
    assert "与第二条重复，予以删除" in deleted.inner_text()
    deleted.get_by_role("link", name="修订历史").click()
    notice = page.locator(".deleted-notice")
    assert "与第二条重复，予以删除" in notice.inner_text()
    notice.get_by_role("button", name="恢复此条（连同其意见和关联）").click()
    page.wait_for_url("**changed=*")
    restored = page.locator("article.provision.changed")
    assert restored.locator(".label").inner_text() == label
    assert restored.locator(".para").first.inner_text() == text
    assert page.locator("article.provision").count() == count
    assert "已恢复" in restored.locator(".inline-flash").inner_text()
    restored.get_by_role("link", name="历史").click()
    history = page.locator(".history").inner_text()
    assert "恢复" in history and "与第二条重复，予以删除" in history
