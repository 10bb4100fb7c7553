"""Server-side sign-in sessions: ended by sign-out, a new password or an admin."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from concord.accounts.models import User, UserSession
from concord.accounts.passwords import hash_password
from concord.db import utcnow
from concord.i18n import gettext as _
from drafting.errors import BadInput, NotFound

# last_seen_at is written at most this often, so that reading pages rarely writes.
TOUCH_EVERY = timedelta(seconds=60)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def start_session(session: Session, user: User, *, address: str = "") -> str:
    """Open a session for `user` and return its random key, the only thing the cookie holds."""
    raw = secrets.token_urlsafe(32)
    session.add(UserSession(key_hash=_hash(raw), user_id=user.id, address=address[:64]))
    user.last_sign_in_at = utcnow()
    session.commit()
    return raw


def session_user(
    session: Session, raw: str, *, idle: timedelta, lifetime: timedelta
) -> User | None:
    """Return the user of a live session, or None when it ended, idled out or grew too old."""
    if not isinstance(raw, str) or not raw or len(raw) > 100:
        return None
    row = session.scalar(select(UserSession).where(UserSession.key_hash == _hash(raw)))
    if row is None or row.ended_at is not None or not row.user.active:
        return None
    now = utcnow()
    seen = _aware(row.last_seen_at)
    if now - seen > idle or now - _aware(row.created_at) > lifetime:
        row.ended_at = now
        session.commit()
        return None
    if now - seen > TOUCH_EVERY:
        user = row.user
        row.last_seen_at = now
        try:
            session.commit()
        except OperationalError:  # busy database: being seen a minute late costs nothing
            session.rollback()
            return session.get(User, user.id)
    return row.user


def end_session(session: Session, raw: str) -> None:
    """End the session whose key the cookie held (sign-out)."""
    if isinstance(raw, str) and raw:
        session.execute(
            update(UserSession)
            .where(UserSession.key_hash == _hash(raw), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
        session.commit()


def _end_all(session: Session, user: User) -> int:
    result = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return result.rowcount or 0


def end_sessions_of(session: Session, username: str) -> int:
    """End every session of a user (an admin's 'sign this person out everywhere')."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(_("找不到用户“{name}”。", name=username))
    n = _end_all(session, user)
    session.commit()
    return n


def change_password(session: Session, username: str, password: str) -> User:
    """Set a new password; every session of the user ends with the old one."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(_("找不到用户“{name}”。", name=username))
    if len(password) < 8:
        raise BadInput(_("密码至少需要 8 个字符。"))
    user.password_hash = hash_password(password)
    _end_all(session, user)
    session.commit()
    return user


def live_sessions(session: Session, user: User) -> list[UserSession]:
    """Return a user's sessions that have not been ended, newest first."""
    return list(
        session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
            .order_by(UserSession.id.desc())
        )
    )
