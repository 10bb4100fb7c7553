"""Who is asking: session sign-in for pages, bearer tokens for the API, CSRF for forms."""

from __future__ import annotations

import functools
import hmac
import secrets
from datetime import timedelta

from flask import Flask, g, redirect, request, session, url_for

from concord import db
from concord.accounts import sign_in_sessions
from concord.accounts import users as accounts
from drafting.errors import NotAuthenticated

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def csrf_token() -> str:
    """Return this session's CSRF token, creating it on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _check_csrf() -> None:
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf") or ""
    if not expected or not hmac.compare_digest(sent, expected):
        err = _bad_request("缺少或无效的表单令牌（CSRF），请刷新页面后重试。")
        raise err


def _bad_request(message: str):
    from werkzeug.exceptions import BadRequest

    from concord.i18n import gettext

    err = BadRequest()
    err.concord_message = gettext(message)
    return err


def init_app(app: Flask) -> None:
    """Load the signed-in user before each request and protect forms against CSRF."""

    @app.before_request
    def _load_user():
        g.user = None
        s = db.request_session()
        if request.path.startswith("/api/"):
            header = request.headers.get("Authorization", "")
            if header.startswith("Bearer "):
                g.user = accounts.user_for_token(s, header[7:].strip())
            return
        if request.method not in SAFE_METHODS:
            _check_csrf()
        key = session.get("sid")
        if key is not None:
            g.user = sign_in_sessions.session_user(
                s,
                key,
                idle=timedelta(minutes=app.config["SESSION_IDLE_MINUTES"]),
                lifetime=timedelta(hours=app.config["SESSION_MAX_HOURS"]),
            )
            if g.user is None:
                session.clear()

    app.jinja_env.globals["csrf_token"] = csrf_token


def login_required(view):
    """Redirect anonymous visitors of a page to the sign-in form."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.user is None:
            return redirect(url_for("account.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def token_required(view):
    """Refuse API calls without a valid, unrevoked bearer token."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.user is None:
            raise NotAuthenticated("缺少或无效的 API 令牌。")
        return view(*args, **kwargs)

    return wrapped


def sign_in(user) -> None:
    """Start a fresh server-side session for `user`; the cookie holds only its random key."""
    old = session.get("sid")
    session.clear()
    if old:
        sign_in_sessions.end_session(db.request_session(), old)
    session["sid"] = sign_in_sessions.start_session(
        db.request_session(), user, address=request.remote_addr or ""
    )
    session.permanent = True
    csrf_token()


def sign_out() -> None:
    """End the session on the server, so that a copy of the cookie no longer works."""
    key = session.get("sid")
    session.clear()
    if key:
        sign_in_sessions.end_session(db.request_session(), key)
