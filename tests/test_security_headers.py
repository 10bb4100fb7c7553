"""Every answer forbids framing, sniffing and inline script; signed-in answers are not cached."""

import re

from tests.helpers import REPO, bearer, make_user


def test_pages_carry_a_strict_policy_and_no_framing(client):
    page = client.get("/login")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_and_the_new_token_are_not_stored(client, session, auth):
    make_user(session, "lin")
    auth.login("lin")
    assert client.get("/projects").headers["Cache-Control"] == "no-store"
    shown = client.post("/account/tokens", data={"name": "ci", "csrf_token": _csrf(client)})
    assert "cc_" in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"] == "no-store"


def test_api_answers_are_not_stored(client, session):
    user = make_user(session, "lin")
    answer = client.get("/api/v1/projects", headers=bearer(session, user))
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in answer.headers


def test_templates_hold_no_inline_script_style_or_handlers():
    offenders = []
    for path in (REPO / "templates").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle=", r"\son[a-z]+=", r"<style"):
            if re.search(pattern, html):
                offenders.append(f"{path.name}: {pattern}")
    assert not offenders, "a strict Content-Security-Policy blocks these: " + ", ".join(offenders)


def _csrf(client):
    page = client.get("/account/tokens").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_sign_in_page_with_its_form_token_is_not_stored(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
