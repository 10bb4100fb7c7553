"""Account pages: sign-in and sign-out, the interface language, API tokens."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from concord.accounts import users as accounts
from concord.db import request_session
from concord.i18n import LANGUAGES
from concord.i18n import gettext as _
from concord.web.auth import login_required, sign_in, sign_out
from concord.web.inputs import safe_next
from drafting.errors import BadInput, NotAuthenticated

bp = Blueprint("account", __name__)


def _safe_next(target: str | None) -> str:
    """Return a same-site path to go to after signing in, never another host."""
    return safe_next(target) or url_for("workspace.project_list")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a user name and password."""
    error = None
    status = 200
    if request.method == "POST":
        s = request_session()
        try:
            user = accounts.authenticate(
                s,
                request.form.get("username", ""),
                request.form.get("password", ""),
                address=request.remote_addr or "",
            )
        except NotAuthenticated as err:
            # A pause on every failure slows guessing down further than the lock-out alone.
            time.sleep(current_app.config["LOGIN_DELAY_SECONDS"])
            error, status = err.message, 401 if "retry_after" not in err.details else 429
        else:
            sign_in(user)
            response = redirect(_safe_next(request.args.get("next")))
            if user.language in LANGUAGES:  # the language chosen under 「我的账户」
                response.set_cookie(
                    "lang", user.language, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
                )
            return response
    return render_template("account/login.html", error=error), status


@bp.post("/logout")
def logout():
    """Sign out."""
    sign_out()
    return redirect(url_for("account.login"))


@bp.get("/lang/<code>")
def set_language(code: str):
    """Switch the interface language and go back to the page the user was on."""
    response = make_response(redirect(_safe_next(request.args.get("next"))))
    if code in LANGUAGES:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """Create and revoke API tokens; a new token is shown once."""
    s = request_session()
    new_token = None
    if request.method == "POST":
        if request.form.get("revoke"):
            accounts.revoke_token(s, g.user, request.form.get("revoke", type=int) or 0)
            flash(_("令牌已撤销。"))
            return redirect(url_for("account.tokens"))
        days = request.form.get("days", "")
        if days not in ("", "30", "90", "365"):
            raise BadInput(_("令牌有效期应为 30、90、365 天或长期有效。"))
        new_token = accounts.issue_token(
            s, g.user, name=request.form.get("name", ""), days=int(days) if days else None
        )
    items = accounts.tokens_of(s, g.user)
    return render_template(
        "account/tokens.html",
        tokens=items,
        new_token=new_token,
        expired={t.id for t in items if accounts.token_expired(t)},
    )
