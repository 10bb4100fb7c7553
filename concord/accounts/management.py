"""Users managed in the app by their jurisdiction's admin: create, change, deactivate, reset."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from concord.accounts import users as accounts
from concord.accounts.models import ROLES, PasswordLink, User, UserSession
from concord.accounts.passwords import hash_password
from concord.accounts.users import clean_email
from concord.db import utcnow
from concord.i18n import ROLE_NAMES
from concord.i18n import gettext as _
from concord.permissions.users import (
    is_platform_admin,
    may_grant,
    may_manage_user,
    may_manage_users,
)
from drafting.errors import BadInput, Conflict, NotFound, NotPermitted
from drafting.models import Jurisdiction
from drafting.services import audit

LINK_DAYS = 7


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def users_of(session: Session, actor: User, jurisdiction: str) -> list[User]:
    """Return a jurisdiction's users (active first) for its admin or the platform admin."""
    if not may_manage_users(actor, jurisdiction):
        raise NotPermitted(_("只有本地区的管理员可以管理本地区的用户。"))
    query = (
        select(User)
        .where(User.jurisdiction_code == jurisdiction)
        .order_by(User.active.desc(), User.username)
    )
    return list(session.scalars(query))


def get_user(session: Session, actor: User, user_id: int) -> User:
    """Return a user the actor manages; 404 for users of another jurisdiction."""
    user = session.get(User, user_id)
    if user is None or not may_manage_users(actor, user.jurisdiction_code):
        raise NotFound(_("找不到该用户。"))
    return user


def _link(session: Session, user: User) -> str:
    """Add a one-time set-password link for `user` and return its secret part."""
    raw = secrets.token_urlsafe(32)
    session.execute(
        update(PasswordLink)
        .where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    session.add(
        PasswordLink(
            key_hash=_hash(raw), user_id=user.id, expires_at=utcnow() + timedelta(days=LINK_DAYS)
        )
    )
    return raw


def create_user(
    session: Session,
    actor: User,
    *,
    username: str,
    jurisdiction: str,
    role: str,
    email: str = "",
    display_name: str = "",
    password: str | None = None,
    platform: bool = False,
) -> tuple[User, str | None]:
    """Create a user; without a password, return also the key of a one-time set-password link."""
    if session.get(Jurisdiction, jurisdiction) is None:
        raise BadInput(_("未知的行政区划代码“{code}”。", code=jurisdiction), field="jurisdiction")
    if not may_manage_users(actor, jurisdiction):
        raise NotPermitted(_("只有本地区的管理员可以管理本地区的用户。"))
    if role in ROLES and not may_grant(actor, role, platform):
        raise NotPermitted(_("不能授予高于自己的角色。"))
    if len(display_name) > 120:
        raise BadInput(_("显示名称不能超过 120 个字符。"), field="display_name")
    user = accounts.add_user(
        session,
        username=username,
        jurisdiction=jurisdiction,
        role=role,
        password=password or None,
        display_name=display_name.strip(),
    )
    user.email = clean_email(email)
    user.platform_admin = platform and role == "admin"
    key = None if password else _link(session, user)
    audit.record(
        session,
        actor,
        "user.create",
        obj=user,
        summary=_("创建用户 {name}（{role}）", name=user.username, role=_(ROLE_NAMES[role])),
    )
    session.commit()
    return user, key


def _active_admins(session: Session, code: str) -> int:
    query = select(func.count()).where(
        User.jurisdiction_code == code, User.role == "admin", User.active.is_(True)
    )
    return session.scalar(query) or 0


def change_user(
    session: Session,
    actor: User,
    user_id: int,
    *,
    role: str | None = None,
    active: bool | None = None,
    display_name: str | None = None,
    email: str | None = None,
) -> User:
    """Change a user's role, activity, display name or e-mail; every change audited."""
    user = get_user(session, actor, user_id)
    if not may_manage_user(actor, user):
        raise NotPermitted(_("不能更改角色高于自己的用户。"))
    changes = []
    if role is not None and role != user.role:
        if role not in ROLES:
            raise BadInput(
                _("未知角色“{role}”；可选：{roles}。", role=role, roles=", ".join(ROLES))
            )
        # No rank check here: only admins manage users, and no role a change gives (admin at
        # most; the platform flag is not changed here) ranks above an admin (may_manage_user).
        _keep_an_admin(session, user)
        changes.append(("user.role", f"{user.role} → {role}"))
        user.role = role
    if active is not None and active != user.active:
        if not active:
            _keep_an_admin(session, user)
            session.execute(
                update(UserSession)
                .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
                .values(ended_at=utcnow())
            )
        changes.append(("user.activate" if active else "user.deactivate", ""))
        user.active = active
    if display_name is not None and display_name.strip() != user.display_name:
        if len(display_name) > 120:
            raise BadInput(_("显示名称不能超过 120 个字符。"), field="display_name")
        changes.append(("user.update", display_name.strip()))
        user.display_name = display_name.strip()
    if email is not None and clean_email(email) != user.email:
        changes.append(("user.update", clean_email(email)))
        user.email = clean_email(email)
    for action, summary in changes:
        audit.record(session, actor, action, obj=user, summary=f"{user.username} {summary}".strip())
    session.commit()
    return user


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse to demote or deactivate the last active admin of a jurisdiction."""
    if (
        user.role == "admin"
        and user.active
        and _active_admins(session, user.jurisdiction_code) <= 1
    ):
        raise Conflict(_("不能停用或降级本地区最后一位管理员。"))


def reset_password(session: Session, actor: User, user_id: int) -> str:
    """Void a user's password and sessions; return the key of a one-time set-password link."""
    user = get_user(session, actor, user_id)
    if not may_manage_user(actor, user):
        raise NotPermitted(_("不能更改角色高于自己的用户。"))
    user.password_hash = "!"
    _end_all(session, user)
    key = _link(session, user)
    audit.record(session, actor, "user.reset_password", obj=user, summary=user.username)
    session.commit()
    return key


def end_sessions(session: Session, actor: User, user_id: int) -> int:
    """End every session of a user the actor manages; return how many ended."""
    user = get_user(session, actor, user_id)
    if not may_manage_user(actor, user):
        raise NotPermitted(_("不能更改角色高于自己的用户。"))
    count = _end_all(session, user)
    audit.record(session, actor, "user.sign_out", obj=user, summary=user.username)
    session.commit()
    return count


def _end_all(session: Session, user: User) -> int:
    result = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return result.rowcount or 0


def link_user(session: Session, raw: str) -> User:
    """Return the user of an unused, unexpired set-password link; 404 otherwise."""
    link = session.scalar(select(PasswordLink).where(PasswordLink.key_hash == _hash(raw or "")))
    if link is None or link.used_at is not None or not link.user.active:
        raise NotFound(_("该链接无效或已使用，请联系本地区管理员重新发送。"))
    expires = link.expires_at if link.expires_at.tzinfo else link.expires_at.replace(tzinfo=UTC)
    if expires <= utcnow():
        raise NotFound(_("该链接已过期，请联系本地区管理员重新发送。"))
    return link.user


def set_password_with_link(session: Session, raw: str, password: str) -> User:
    """Set a password through a one-time link, which is then used up."""
    user = link_user(session, raw)
    if len(password) < 8:
        raise BadInput(_("密码至少需要 8 个字符。"), field="password")
    user.password_hash = hash_password(password)
    session.execute(
        update(PasswordLink)
        .where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    audit.record(session, user, "user.set_password", obj=user, summary=user.username)
    session.commit()
    return user


def require_platform_admin(actor: User) -> None:
    """Refuse (403) anyone but the platform admin."""
    if not is_platform_admin(actor):
        raise NotPermitted(_("只有平台管理员可以添加行政区划。"))


def add_jurisdiction(session: Session, actor: User, **fields) -> Jurisdiction:
    """Add a jurisdiction: the platform admin's task."""
    require_platform_admin(actor)
    return accounts.add_jurisdiction(session, **fields)


def user_json(user: User) -> dict:
    """Return a user as the API shows them (never the password hash)."""
    return {
        "id": user.id,
        "name": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "jurisdiction": user.jurisdiction_code,
        "role": user.role,
        "platform_admin": user.platform_admin,
        "active": user.active,
        "last_sign_in_at": user.last_sign_in_at.isoformat() if user.last_sign_in_at else None,
    }
