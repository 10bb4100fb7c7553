"""Consultation as people run it every day: quoting by selection, exact adoption from 待我处理
after seeing the diff, errors beside their fields, and a round's life by role."""

from datetime import timedelta

from concord.clock import today
from tests.browser.helpers import sign_in


def _common_text(page):
    page.goto("/projects")
    page.get_by_role("link", name="淮海战役红色资源保护协同立法").click()
    page.get_by_role("link", name="淮海战役红色资源保护条例（协同文本）").click()


def _article(page, label):
    return page.locator("article.provision").filter(has=page.locator(".label", has_text=label))


def _open_round(lead):
    sign_in(lead, "xz_drafter")
    _common_text(lead)
    lead.locator(".draft-head").get_by_role("link", name="征求意见").click()
    lead.get_by_label("名称").fill("协同文本第三轮征求意见")
    lead.get_by_label("截止日期").fill((today() + timedelta(days=14)).isoformat())
    lead.get_by_role("button", name="发起").click()
    assert "已发起征求意见" in lead.locator(".flash").inner_text()
    return lead.url


def _panel(partner, label):
    _common_text(partner)
    _article(partner, label).get_by_role("link", name="意见").click()
    partner.wait_for_url("**/comments")


def _select(page, words):
    """Select `words` in the article as a reader would with the mouse."""
    page.evaluate(
        """words => {
          for (const span of document.querySelectorAll('.reg-body p.para .text')) {
            const node = span.firstChild, at = node.textContent.indexOf(words);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + words.length);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
            return;
          }
          throw new Error('not in the article: ' + words);
        }""",
        words,
    )
    page.get_by_role("button", name="引用并提意见").click()


def _paragraphs(page):
    return page.locator(".comment-article .reg-body p.para .text").all_inner_texts()


def _pages(browser, live_server):
    pages = []
    for _ in range(2):
        p = browser.new_context(base_url=live_server, locale="zh-CN").new_page()
        p.set_default_timeout(20_000)
        pages.append(p)
    return pages


def test_a_whole_article_proposal_quoted_by_selection_is_adopted_exactly_from_attention(
    browser, live_server
):
    lead, partner = _pages(browser, live_server)
    _open_round(lead)

    sign_in(partner, "sq_commenter")
    _common_text(partner)
    assert "正在向宿迁市征求意见" in partner.locator(".round-notice").inner_text()
    _article(partner, "第六条").get_by_role("link", name="意见").click()
    partner.wait_for_url("**/comments")
    before = _paragraphs(partner)
    _select(partner, "综合协调和监督指导")
    assert partner.get_by_label("引用的文字", exact=False).input_value() == "综合协调和监督指导"
    partner.get_by_label("建议条文替换").select_option(label="整条")
    proposed = partner.get_by_label("建议条文（修改意见、新增条款必填）")
    assert proposed.input_value().split("\n") == before  # starts as the whole article's text
    wanted = [before[0].replace("综合协调和监督指导", "综合协调、监督指导和考核评价"), *before[1:]]
    proposed.fill("\n".join(wanted))
    partner.get_by_label("意见内容").fill("建议增加考核评价职责。")
    partner.get_by_role("button", name="提交意见").click()
    assert "意见已提交" in partner.locator(".flash").inner_text()

    lead.get_by_role("link", name="待我处理").click()
    card = lead.locator("article.pending-item").filter(has_text="建议增加考核评价职责")
    assert card.locator("mark").inner_text() == "综合协调和监督指导"  # the quote, highlighted
    assert "考核评价" in "".join(card.locator(".proposal-diff ins").all_inner_texts())
    card.get_by_label("采纳", exact=True).check()
    card.get_by_label("应用到条文（先预览修改，确认后才写入）").check()
    card.get_by_role("button", name="保存处理意见").click()
    # The preview: the resulting article as a diff against the current text, nothing written.
    assert "考核评价" in "".join(lead.locator(".adopt-paragraph .diff ins").all_inner_texts())
    assert lead.get_by_role("radio", name="整条").is_checked()
    lead.get_by_role("button", name="确认应用").click()
    assert "已应用到条文" in lead.locator(".flash").inner_text()

    partner.reload()
    assert _paragraphs(partner) == wanted  # exactly as proposed: nothing doubled or dropped


def test_a_quote_adoption_changes_only_those_words_and_a_reasonless_refusal_keeps_the_choice(
    browser, live_server
):
    lead, partner = _pages(browser, live_server)
    round_url = _open_round(lead)

    sign_in(partner, "sq_commenter")
    _panel(partner, "第五十二条")
    _select(partner, "2026年1月10日")
    partner.get_by_label("建议条文替换").select_option(label="引用的文字")
    proposed = partner.get_by_label("建议条文（修改意见、新增条款必填）")
    assert proposed.input_value() == "2026年1月10日"
    proposed.fill("2026年3月1日")
    partner.get_by_label("意见内容").fill("建议推迟施行日期。")
    partner.get_by_role("button", name="提交意见").click()
    assert "意见已提交" in partner.locator(".flash").inner_text()  # the new page is there
    partner.get_by_label("意见类型").select_option(label="一般意见")
    partner.get_by_label("意见内容").fill("建议与各市批准时间衔接。")
    partner.get_by_role("button", name="提交意见").click()
    assert "意见已提交" in partner.locator(".flash").inner_text()

    lead.goto(round_url)
    other = lead.locator("article.pending-item").filter(has_text="建议与各市批准时间衔接")
    other.get_by_label("未采纳").check()
    other.get_by_role("button", name="保存处理意见").click()
    other = lead.locator("article.pending-item").filter(has_text="建议与各市批准时间衔接")
    reason = other.get_by_label("理由（采纳以外必填）")
    error = other.locator(".field-error")
    assert error.inner_text() == "除“采纳”外，处理意见须说明理由。"
    assert reason.get_attribute("aria-describedby") == error.get_attribute("id")
    assert other.get_by_label("未采纳").is_checked()  # the choice is kept
    assert "reason" not in error.inner_text()

    card = lead.locator("article.pending-item").filter(has_text="建议推迟施行日期")
    card.get_by_label("采纳", exact=True).check()
    card.get_by_label("应用到条文（先预览修改，确认后才写入）").check()
    card.get_by_role("button", name="保存处理意见").click()
    diff = lead.locator(".adopt-paragraph .diff")
    assert diff.locator("del").count() and diff.locator("ins").count()
    assert lead.get_by_label("第五十二条应用后").input_value() == "本条例自2026年3月1日起施行。"
    lead.get_by_role("button", name="确认应用").click()
    assert "已应用到条文" in lead.locator(".flash").inner_text()

    partner.reload()
    assert _paragraphs(partner) == ["本条例自2026年3月1日起施行。"]


def test_the_drafting_city_closes_extends_and_reopens_a_round_and_partners_cannot(
    browser, live_server
):
    lead, partner = _pages(browser, live_server)
    round_url = _open_round(lead)
    sign_in(partner, "sq_commenter")
    partner.goto(round_url)
    assert partner.get_by_text("截止、延期或重新开放").count() == 0
    assert "宿迁市" in partner.locator(".invited").inner_text()
    partner.get_by_role("link", name="去提意见").click()
    partner.locator(".round-notice").wait_for()  # the draft, with the banner for 宿迁市

    lead.get_by_text("截止、延期或重新开放").click()
    lead.get_by_role("button", name="立即截止").click()
    assert "已截止本轮征求意见" in lead.locator(".flash").inner_text()
    assert "已提前截止" in lead.locator("main").inner_text()
    _panel(partner, "第五十二条")
    assert "提前截止" in partner.locator(".closed").inner_text()

    lead.get_by_text("截止、延期或重新开放").click()
    later = (today() + timedelta(days=30)).isoformat()
    lead.get_by_label("新的截止日期").fill(later)
    lead.get_by_role("button", name="重新开放").click()
    assert "已重新开放" in lead.locator(".flash").inner_text()
    assert later in lead.locator("main").inner_text()

    lead.get_by_text("截止、延期或重新开放").click()
    lead.get_by_label("新的截止日期").fill((today() - timedelta(days=1)).isoformat())
    lead.get_by_role("button", name="修改截止日期").click()
    assert lead.locator("#round-closes-error").inner_text() == "截止日期不能早于开始日期。"
    assert lead.get_by_label("新的截止日期").get_attribute("aria-invalid") == "true"

    partner.reload()
    assert partner.get_by_role("button", name="提交意见").count() == 1
