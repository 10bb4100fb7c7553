"""The users, account and notifications API under /api/v1 (CONTRACT.md): admins and the caller."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request, url_for

from concord.accounts import management as users
from concord.accounts import my_account
from concord.db import request_session
from concord.i18n import gettext as _
from concord.notifications import events as notifications
from concord.web.auth import token_required
from concord.web.openapi import ID, Operation, body, register_operations, text
from concord.web.public_address import public_url
from drafting.errors import BadInput
from drafting.web.api import json_body

bp = Blueprint("users_api", __name__, url_prefix="/api/v1")

ROLE = {"type": "string", "enum": ["admin", "drafter", "commenter", "adviser"]}
JURISDICTION_OR_EMPTY = {"type": "string", "pattern": "^([0-9]{6})?$", "maxLength": 6}
OPERATIONS = [
    Operation(
        "get",
        "/users",
        "List the users of a jurisdiction (its admin, or the platform admin)",
        query={"jurisdiction": JURISDICTION_OR_EMPTY},
        answers=(200, 403),
    ),
    Operation(
        "post",
        "/users",
        "Create a user; without `password` the answer holds a one-time `set_password_url`",
        json=body(
            ("name", "role"),
            name=text(80, minLength=1),
            jurisdiction=JURISDICTION_OR_EMPTY,
            role=ROLE,
            email=text(254),
            display_name=text(120),
            password=text(200),
            platform_admin={"type": "boolean"},
        ),
        answers=(201, 400, 403, 409),
    ),
    Operation(
        "patch",
        "/users/<int:user_id>",
        "Change a user's role, activity (`active`: false ends sign-in and tokens), name, e-mail",
        json=body(
            role=ROLE,
            active={"type": "boolean"},
            display_name=text(120),
            email=text(254),
        ),
        answers=(200, 400, 403, 404, 409),
    ),
    Operation(
        "post",
        "/users/<int:user_id>/sessions/end",
        "End every session of a user",
        answers=(200, 403, 404),
    ),
    Operation(
        "post",
        "/account/password",
        "Change the caller's password (`current`, `new`); their sessions end",
        json=body(("current", "new"), current=text(200), new=text(200)),
        answers=(200, 400),
    ),
    Operation("get", "/notifications", "The caller's notifications, newest first, with `unread`"),
    Operation(
        "post",
        "/notifications/read",
        "Mark notifications read: `ids`, or `all`: true",
        json=body(
            ids={"type": "array", "items": ID, "maxItems": 1000},
            all={"type": "boolean"},
        ),
    ),
]
register_operations(OPERATIONS)


@bp.before_request
@token_required
def _authenticated():
    """Require a bearer token on every API call."""


def _text(data: dict, name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInput(_("{f} 应为字符串。", f=name), field=name)
    return value


@bp.get("/users")
def user_list():
    """List a jurisdiction's users."""
    code = request.args.get("jurisdiction") or g.user.jurisdiction_code
    items = users.users_of(request_session(), g.user, code)
    return jsonify({"users": [users.user_json(u) for u in items]})


@bp.post("/users")
def user_create():
    """Create a user of a jurisdiction."""
    data = json_body()
    user, key = users.create_user(
        request_session(),
        g.user,
        username=_text(data, "name") or "",
        jurisdiction=_text(data, "jurisdiction") or g.user.jurisdiction_code,
        role=_text(data, "role") or "",
        email=_text(data, "email") or "",
        display_name=_text(data, "display_name") or "",
        password=_text(data, "password") or None,
        platform=data.get("platform_admin") is True,
    )
    answer = users.user_json(user)
    if key:
        answer["set_password_url"] = public_url(url_for("account.set_password", key=key))
    return jsonify(answer), 201


@bp.patch("/users/<int:user_id>")
def user_change(user_id: int):
    """Change a user's role, activity, display name or e-mail."""
    data = json_body()
    active = data.get("active")
    if active is not None and not isinstance(active, bool):
        raise BadInput(_("active 应为 true 或 false。"), field="active")
    user = users.change_user(
        request_session(),
        g.user,
        user_id,
        role=_text(data, "role"),
        active=active,
        display_name=_text(data, "display_name"),
        email=_text(data, "email"),
    )
    return jsonify(users.user_json(user))


@bp.post("/users/<int:user_id>/sessions/end")
def user_sessions_end(user_id: int):
    """End every session of a user."""
    ended = users.end_sessions(request_session(), g.user, user_id)
    return jsonify({"ended": ended})


@bp.post("/account/password")
def account_password():
    """Change the caller's own password."""
    data = json_body()
    ended = my_account.change_password(
        request_session(),
        g.user,
        current=_text(data, "current") or "",
        new=_text(data, "new") or "",
    )
    return jsonify({"ended_sessions": ended})


@bp.get("/notifications")
def notification_list():
    """The caller's notifications with the unread count."""
    s = request_session()
    items = notifications.inbox(s, g.user, limit=100)
    return jsonify(
        {
            "unread": notifications.unread_count(s, g.user),
            "items": [notifications.as_json(n) for n in items],
        }
    )


@bp.post("/notifications/read")
def notification_read():
    """Mark the caller's notifications read."""
    data = json_body()
    ids = data.get("ids")
    if data.get("all") is True:
        ids = None
    elif not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise BadInput(_("请给出 ids（通知编号的列表）或 all: true。"), field="ids")
    count = notifications.mark_read(request_session(), g.user, ids)
    return jsonify({"marked": count})
