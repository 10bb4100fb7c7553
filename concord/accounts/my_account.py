"""My account: my password, display name, e-mail, language, mail settings and my sessions."""

from __future__ import annotations

import hashlib

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from concord.accounts.models import User, UserSession
from concord.accounts.passwords import hash_password, password_matches
from concord.accounts.users import clean_email
from concord.db import utcnow
from concord.i18n import LANGUAGES
from concord.i18n import gettext as _
from drafting.errors import BadInput, NotFound
from drafting.services import audit


def change_password(
    session: Session, user: User, *, current: str, new: str, keep_key: str | None = None
) -> int:
    """Change my password (the current one required); end my other sessions; return how many."""
    if not password_matches(user.password_hash, current or ""):
        raise BadInput(_("当前密码不正确。"), field="current")
    if len(new or "") < 8:
        raise BadInput(_("密码至少需要 8 个字符。"), field="new")
    user.password_hash = hash_password(new)
    query = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep_key:
        query = query.where(UserSession.key_hash != hashlib.sha256(keep_key.encode()).hexdigest())
    ended = session.execute(query.values(ended_at=utcnow())).rowcount or 0
    audit.record(session, user, "account.password", obj=user, summary=user.username)
    session.commit()
    return ended


def update_profile(
    session: Session,
    user: User,
    *,
    display_name: str,
    email: str,
    language: str,
    mail_notifications: bool,
) -> User:
    """Save my display name, e-mail address, language and whether notifications come by e-mail."""
    if len(display_name) > 120:
        raise BadInput(_("显示名称不能超过 120 个字符。"), field="display_name")
    if language and language not in LANGUAGES:
        raise BadInput(_("未知的界面语言。"), field="language")
    user.display_name = display_name.strip()
    user.email = clean_email(email)
    user.language = language
    user.mail_notifications = mail_notifications
    audit.record(session, user, "account.update", obj=user, summary=user.username)
    session.commit()
    return user


def my_sessions(session: Session, user: User) -> list[UserSession]:
    """Return my sessions that have not ended, newest first."""
    query = (
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc())
    )
    return list(session.scalars(query))


def end_my_session(session: Session, user: User, session_id: int) -> None:
    """End one of my sessions (a browser left signed in elsewhere)."""
    row = session.get(UserSession, session_id)
    if row is None or row.user_id != user.id:
        raise NotFound(_("找不到该会话。"))
    if row.ended_at is None:
        row.ended_at = utcnow()
        session.commit()


def session_key_hash(raw: str) -> str:
    """Return the stored form of a session key (to mark the current session in the list)."""
    return hashlib.sha256((raw or "").encode()).hexdigest()
