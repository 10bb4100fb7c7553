"""My account (password, profile, sessions), the one-time set-password page, my notifications."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, session, url_for

from concord.accounts import management as users
from concord.accounts import my_account
from concord.db import request_session, unit_of_work
from concord.i18n import LANGUAGES
from concord.i18n import gettext as _
from concord.notifications import events as notifications
from concord.web import account_pages, fields
from concord.web.auth import login_required, sign_in
from concord.web.inputs import safe_next
from drafting.errors import ConcordError

bp = account_pages.bp  # the shell's account blueprint: sign-in, language, tokens, and these


def init_unread(app) -> None:
    """Give every page the signed-in user's unread notification count for the top bar."""

    @app.context_processor
    def _unread():
        user = g.get("user")
        if user is None:
            return {"unread_count": 0}
        return {"unread_count": notifications.unread_count(request_session(), user)}


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """My display name, e-mail, language, notification e-mail, password and sessions."""
    s = request_session()
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = request.form
        try:
            with unit_of_work(s):
                if form.get("action") == "password":
                    ended = my_account.change_password(
                        s,
                        g.user,
                        current=form.get("current", ""),
                        new=form.get("new", ""),
                        keep_key=session.get("sid"),
                    )
                    flash(_("密码已更改，其他 {n} 个会话已结束。", n=ended))
                elif form.get("action") == "end_session":
                    my_account.end_my_session(
                        s, g.user, fields.required_id(form.get("session"), "session")
                    )
                    flash(_("会话已结束。"))
                else:
                    my_account.update_profile(
                        s,
                        g.user,
                        display_name=form.get("display_name", ""),
                        email=form.get("email", ""),
                        language=form.get("language", ""),
                        mail_notifications=fields.flag(form.get("mail_notifications")),
                    )
                    flash(_("账户设置已保存。"))
        except ConcordError as err:
            errors[form.get("action") or "profile"] = err.message
        else:
            response = redirect(url_for("account.account"))
            if g.user.language:
                response.set_cookie(
                    "lang", g.user.language, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
                )
            return response
    return render_template(
        "account/account.html",
        errors=errors,
        languages=LANGUAGES,
        sessions=my_account.my_sessions(s, g.user),
        current_hash=my_account.session_key_hash(session.get("sid") or ""),
    ), (422 if errors else 200)


@bp.route("/set-password/<key>", methods=["GET", "POST"])
def set_password(key: str):
    """Set my password through the one-time link my admin gave me, and sign in."""
    s = request_session()
    user = users.link_user(s, key)
    error = None
    if request.method == "POST":
        if request.form.get("password", "") != request.form.get("repeat", ""):
            error = _("两次输入的密码不一致。")
        else:
            try:
                with unit_of_work(s):
                    user = users.set_password_with_link(s, key, request.form.get("password", ""))
            except ConcordError as err:
                error = err.message
            else:
                sign_in(user)
                flash(_("密码已设置，欢迎使用 Concord。"))
                return redirect(url_for("workspace.index"))
    return render_template("account/set_password.html", user=user, error=error), (
        422 if error else 200
    )


@bp.get("/notifications")
@login_required
def inbox():
    """My notifications, newest first."""
    s = request_session()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    items = notifications.inbox(s, g.user, limit=50, offset=(page - 1) * 50)
    return render_template(
        "account/notifications.html", items=items, page=page, message=notifications.message
    )


@bp.get("/notifications/<int:note_id>")
@login_required
def open_note(note_id: int):
    """Mark a notification read and go where it points."""
    note = notifications.open_notification(request_session(), g.user, note_id)
    target = safe_next(note.url) if note is not None else None
    return redirect(target or url_for("account.inbox"))


@bp.post("/notifications/read")
@login_required
def read_all():
    """Mark all my notifications read."""
    notifications.mark_read(request_session(), g.user)
    return redirect(url_for("account.inbox"))
