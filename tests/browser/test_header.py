"""The top bar fits one row in English at 1366 px, as a lead admin (the longest menu) sees it."""

from __future__ import annotations

import os

from tests.browser.helpers import sign_in


def test_the_english_header_fits_one_row_at_1366_px(page):
    page.set_viewport_size({"width": 1366, "height": 800})
    sign_in(page, "xz_admin", "demo-xz-admin")
    page.goto("/?lang=en")
    page.context.add_cookies([{"name": "lang", "value": "en", "url": page.url}])
    page.goto("/")
    tops = page.eval_on_selector_all(
        ".topbar .brand, .topbar nav li, .topbar .session > *",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return Math.round(r.top + r.height / 2); })",
    )
    if os.environ.get("CONCORD_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["CONCORD_SCREENSHOTS"], "home-en-1366.png"))
    assert len(tops) > 8
    assert max(tops) - min(tops) < 12, tops  # one row: every item on the same line
    if os.environ.get("CONCORD_SCREENSHOTS"):
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=os.path.join(os.environ["CONCORD_SCREENSHOTS"], "home-en-390.png"))
