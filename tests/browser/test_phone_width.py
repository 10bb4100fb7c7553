"""The draft page, an article's comments and the proposals pages fit a 390 px phone screen."""

import os

import pytest

from tests.browser.helpers import sign_in

SHOTS = os.environ.get("CONCORD_SCREENSHOTS")


def _fits(page, name: str) -> None:
    """Assert the page does not scroll sideways at phone width (and keep a screenshot if asked)."""
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=False)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} is {overflow}px wider than the screen"


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_draft_comments_and_proposals_fit_a_phone(phone):
    page = phone
    sign_in(page, "xz_drafter")
    page.get_by_role("link", name="淮海战役红色资源保护协同立法").click()
    page.get_by_role("link", name="淮海战役红色资源保护条例（协同文本）").click()
    _fits(page, "draft")
    first = page.locator("article.provision").first
    first.locator(".article-menu > summary").click()
    _fits(page, "draft-menu")
    draft_url = page.url
    article = first.get_attribute("data-id")
    page.goto(draft_url.split("?")[0].rstrip("/") + f"/provisions/{article}/comments")
    _fits(page, "comments")
    page.goto("/proposals")
    _fits(page, "proposals")
    first_proposal = page.evaluate(
        "() => [...document.querySelectorAll('main a')].map(a => a.getAttribute('href'))"
        ".find(h => /^\\/proposals\\/\\d+$/.test(h))"
    )
    page.goto(first_proposal)
    _fits(page, "proposal")
