"""The reconciliation matrix: every city's status per article, and a row's side-by-side diff."""

from tests.browser.helpers import sign_in


def test_matrix_shows_statuses_and_a_row_opens_the_side_by_side_diff(page):
    sign_in(page, "sq_drafter")
    page.get_by_role("link", name="淮海战役红色资源保护协同立法").click()
    page.get_by_role("link", name="逐条比对").click()
    matrix = page.locator("table#reconciliation")
    matrix.wait_for()
    headers = matrix.locator("thead th[scope=col]").all_inner_texts()
    assert headers[0] == "协同文本" and "宿迁市" in headers and "临沂市" in headers
    summary = page.locator("table#reconciliation-summary tr[data-draft]")
    assert summary.count() == 6
    # 第二条 differs from the common text only in the jurisdiction's name for 徐州.
    row = matrix.locator("tr.group", has=page.locator("th.pivot-cell", has_text="第二条")).first
    assert "仅地名不同" in row.inner_text()
    row.locator("th.pivot-cell a").click()
    side = page.locator("table#reconciliation-row")
    side.wait_for()
    assert side.locator("td.article-text").count() >= 6
    assert page.locator("mark.place").count() >= 1
    assert "地名差异" in page.locator("#diff-legend").inner_text()
