"""An adviser runs the legality review on a demo draft, confirms one finding, dismisses another."""

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.review_helpers import import_statutes


def test_an_adviser_confirms_one_finding_and_dismisses_another(page, demo_app, tmp_path):
    import_statutes(demo_app, tmp_path / "statutes")
    sign_in(page, "adviser")
    page.get_by_role("link", name="淮海战役红色资源保护协同立法").click()
    page.get_by_role("link", name="徐州市淮海战役红色资源保护条例").click()
    page.locator(".draft-head").get_by_role("link", name="合法性审查").click()
    assert "需修改" in page.locator(".review-summary").inner_text()

    penalty = page.locator("li.finding[data-kind=penalty_not_allowed]").first
    assert "吊销营业执照" in penalty.locator(".finding-message").inner_text()
    # The upper provision is quoted beside the article.
    assert "行政处罚法" in penalty.locator(".upper").inner_text()
    penalty.get_by_label("说明").fill("删去吊销营业执照，改为依照有关法律、行政法规处理")
    penalty.get_by_role("button", name="确认").click()
    assert "已记录" in page.locator(".flash").inner_text()

    licence = page.locator("li.finding[data-kind=license_review]").first
    licence.get_by_role("button", name="不予采纳").click()
    assert "请写明理由" in page.locator(".flash").inner_text()
    licence = page.locator("li.finding[data-kind=license_review]").first
    licence.get_by_label("说明").fill("属于备案管理，不是行政许可")
    licence.get_by_role("button", name="不予采纳").click()
    # The dismissal is saved before the page is reloaded (the click only starts the form's post).
    expect(page.locator(".flash")).to_contain_text("已记录")

    # Shown next time the review is run, and on the draft page the articles are marked.
    page.reload()
    confirmed = page.locator("li.finding.decided-confirmed")
    assert "删去吊销营业执照" in confirmed.first.locator(".decision").inner_text()
    dismissed = page.locator("li.finding.decided-dismissed")
    assert "属于备案管理" in dismissed.first.locator(".decision").inner_text()
    page.get_by_role("navigation", name="位置").get_by_role(
        "link", name="徐州市淮海战役红色资源保护条例"
    ).click()
    assert page.locator("a.review-mark.review-violation").count() >= 1
