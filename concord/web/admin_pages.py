"""Admin pages: a jurisdiction's users for its admin, jurisdictions for the platform admin."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from concord.accounts import management as users
from concord.accounts.models import ROLES
from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.permissions.users import is_platform_admin
from concord.web.auth import login_required
from concord.web.public_address import public_url
from drafting.errors import ConcordError
from drafting.models import LEVELS
from drafting.services import projects

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _link(key: str) -> str:
    return public_url(url_for("account.set_password", key=key))


@bp.route("/users", methods=["GET", "POST"])
@login_required
def user_list():
    """List and create the users of a jurisdiction (the admin's own unless platform admin)."""
    s = request_session()
    code = request.values.get("jurisdiction") or g.user.jurisdiction_code
    error = None
    new_link = None
    if request.method == "POST":
        form = request.form
        try:
            with unit_of_work(s):
                user, key = users.create_user(
                    s,
                    g.user,
                    username=form.get("username", ""),
                    jurisdiction=code,
                    role=form.get("role", ""),
                    email=form.get("email", ""),
                    display_name=form.get("display_name", ""),
                    password=form.get("password") or None,
                    platform=form.get("platform") == "1",
                )
        except ConcordError as err:
            if err.status in (403, 404):
                raise
            error = err.message
        else:
            flash(_("用户 {name} 已创建。", name=user.username))
            new_link = _link(key) if key else None
    items = users.users_of(s, g.user, code)
    platform = is_platform_admin(g.user)
    return render_template(
        "admin/users.html",
        users=items,
        code=code,
        error=error,
        new_link=new_link,
        # Only admins get here, and an admin may hand out every role (management checks each).
        roles=ROLES,
        platform=platform,
        cities=projects.jurisdictions(s, exclude_level="county") if platform else [],
        form=request.form if error else {},
    ), (422 if error else 200)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def user_edit(user_id: int):
    """Change one user: role, activity, name, e-mail; reset the password; end the sessions."""
    s = request_session()
    user = users.get_user(s, g.user, user_id)
    error = None
    new_link = None
    if request.method == "POST":
        form = request.form
        action = form.get("action", "save")
        try:
            with unit_of_work(s):
                if action == "reset":
                    new_link = _link(users.reset_password(s, g.user, user.id))
                    flash(_("已重置密码；请把一次性链接交给本人。"))
                elif action == "sign_out":
                    n = users.end_sessions(s, g.user, user.id)
                    flash(_("已结束 {n} 个会话。", n=n))
                elif action in ("deactivate", "reactivate"):
                    users.change_user(s, g.user, user.id, active=action == "reactivate")
                    flash(_("已停用该用户。") if action == "deactivate" else _("已恢复该用户。"))
                else:
                    users.change_user(
                        s,
                        g.user,
                        user.id,
                        role=form.get("role") or None,
                        display_name=form.get("display_name", ""),
                        email=form.get("email", ""),
                    )
                    flash(_("已保存。"))
        except ConcordError as err:
            if err.status == 404:
                raise
            error = err.message
        else:
            if new_link is None:
                return redirect(url_for("admin.user_edit", user_id=user.id))
        user = users.get_user(s, g.user, user_id)
    return render_template(
        "admin/user.html",
        user=user,
        error=error,
        new_link=new_link,
        roles=ROLES,
    ), (422 if error else 200)


@bp.route("/jurisdictions", methods=["GET", "POST"])
@login_required
def jurisdictions():
    """The platform admin adds jurisdictions (counties and districts beyond the shipped list)."""
    s = request_session()
    error = None
    if request.method == "POST":
        try:
            with unit_of_work(s):
                j = users.add_jurisdiction(
                    s,
                    g.user,
                    code=request.form.get("code", ""),
                    name=request.form.get("name", ""),
                    level=request.form.get("level", "county"),
                    parent=request.form.get("parent") or None,
                )
        except ConcordError as err:
            if err.status == 403:
                raise
            error = err.message
        else:
            flash(_("已添加行政区划 {code} {name}。", code=j.code, name=j.name))
            return redirect(url_for("admin.jurisdictions"))
    elif not is_platform_admin(g.user):
        users.require_platform_admin(g.user)
    return render_template(
        "admin/jurisdictions.html",
        error=error,
        levels=LEVELS,
        cities=projects.jurisdictions(s, exclude_level="county"),
    ), (422 if error else 200)
