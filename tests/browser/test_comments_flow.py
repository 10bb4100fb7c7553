"""A partner comments with proposed text; the lead adopts and applies it; the partner sees why."""

from datetime import date, timedelta

from tests.browser.helpers import sign_in


def _open_common_text(page):
    page.goto("/projects")
    page.get_by_role("link", name="淮海战役红色资源保护协同立法").click()
    page.get_by_role("link", name="淮海战役红色资源保护条例（协同文本）").click()


def _article(page, label):
    return page.locator("article.provision").filter(has=page.locator(".label", has_text=label))


def test_partner_comment_is_adopted_into_the_draft_and_the_partner_sees_the_reason(
    browser, live_server
):
    lead = browser.new_context(base_url=live_server, locale="zh-CN").new_page()
    partner = browser.new_context(base_url=live_server, locale="zh-CN").new_page()
    for p in (lead, partner):
        p.set_default_timeout(15_000)

    # The lead city opens a round on the common text, inviting the partner cities.
    sign_in(lead, "xz_drafter")
    _open_common_text(lead)
    lead.locator(".draft-head").get_by_role("link", name="征求意见").click()
    lead.get_by_label("名称").fill("协同文本第三轮征求意见")
    lead.get_by_label("截止日期").fill((date.today() + timedelta(days=14)).isoformat())
    lead.get_by_role("button", name="发起").click()
    assert "已发起征求意见" in lead.locator(".flash").inner_text()

    # 宿迁 comments on 第五十二条 with a quote and proposed text.
    sign_in(partner, "sq_commenter")
    _open_common_text(partner)
    _article(partner, "第五十二条").get_by_role("link", name="意见").click()
    partner.get_by_label("意见类型").select_option(label="修改意见")
    partner.get_by_label("引用的文字", exact=False).fill("2026年1月10日")
    partner.get_by_label("意见内容").fill(
        "各市批准程序需要时间，建议推迟施行日期。<script>alert(1)</script>"
    )
    partner.get_by_label("建议条文（修改意见、新增条款必填）").fill("2026年3月1日")
    partner.get_by_role("button", name="提交意见").click()
    mine = partner.locator("article.comment").filter(has_text="推迟施行日期")
    assert "宿迁市" in mine.inner_text() and "待处理" in mine.inner_text()
    assert "<script>" in mine.locator(".comment-body").inner_text()  # shown as text

    # The lead adopts it and applies the proposed text to the draft.
    lead.goto(partner.url)
    card = lead.locator("article.comment").filter(has_text="推迟施行日期")
    card.get_by_label("采纳", exact=True).check()
    card.get_by_label("理由（采纳以外必填）").fill("采纳。六市统一推迟至2026年3月1日施行。")
    card.get_by_label("应用到条文（先预览修改，确认后才写入）").check()
    card.get_by_role("button", name="保存处理意见").click()
    lead.get_by_role("button", name="确认应用").click()  # after the diff against the current text
    assert "已记录处理意见" in lead.locator(".flash").inner_text()
    assert "本条例自2026年3月1日起施行。" in lead.locator(".comment-article").inner_text()
    assert (
        "已应用到条文"
        in lead.locator("article.comment").filter(has_text="推迟施行日期").inner_text()
    )

    # The partner sees the outcome and the reason.
    partner.get_by_role("link", name="待我处理").click()
    partner.get_by_role("link", name="本地区意见的处理结果").click()
    row = partner.locator("tr").filter(has_text="推迟施行日期")
    assert "采纳" in row.inner_text()
    assert "六市统一推迟至2026年3月1日施行" in row.inner_text()
