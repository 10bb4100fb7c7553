"""Notifications: the one call domains make (`notify`), the inbox, and what each event says.

A domain service calls `notify(session, event, recipients, subject=…, url=…)` beside its audit
entry, before its commit: the notifications land with the change or not at all. Recipients whose
account wants e-mail get their notification marked for the mail outbox (`mail.py` here), which
the app sends after the commit, never inside the request.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.db import utcnow
from concord.i18n import gettext as _
from concord.notifications.models import Notification

# What each event says, in Chinese source strings (translated when shown); {subject} is user data.
EVENTS = {
    "round_opened": "“{subject}”向本地区征求意见",
    "round_closing": "“{subject}”征求意见将于 3 日内截止",
    "comment_decided": "您的意见已有处理结果：{subject}",
    "comment_replied": "您的意见有新回复：{subject}",
    "comment_awaiting": "有意见待您处理：{subject}",
    "opinion_assigned": "有群众意见交由本单位办理：{subject}",
    "opinion_overdue": "群众意见已逾期：{subject}",
    "proposal_reply_due": "建议意见即将到答复期限：{subject}",
}
# Session.info flag that tells the app's after-commit hook to wake the mail sender.
PENDING_MAIL = "concord_mail_pending"


def message(note: Notification) -> str:
    """Return what a notification says, in the current language."""
    return _(EVENTS.get(note.event, "{subject}"), subject=note.subject)


def notify(
    session: Session,
    event: str,
    recipients: Iterable[int] | Select,
    *,
    subject: str,
    url: str,
    actor: User | None = None,
    key: str | None = None,
) -> int:
    """Add a notification of `event` for each active recipient but the actor; return how many."""
    if event not in EVENTS:
        raise ValueError(f"unknown notification event {event!r}")
    ids = session.scalars(recipients) if isinstance(recipients, Select) else recipients
    wanted = {i for i in ids if i is not None and (actor is None or i != actor.id)}
    if not wanted:
        return 0
    users = session.scalars(select(User).where(User.id.in_(wanted), User.active.is_(True)))
    taken: set[int] = set()
    if key is not None:
        taken = set(
            session.scalars(
                select(Notification.user_id).where(
                    Notification.key == key, Notification.user_id.in_(wanted)
                )
            )
        )
    added = 0
    for user in users:
        if user.id in taken:
            continue
        mail = "pending" if user.email and user.mail_notifications else "none"
        session.add(
            Notification(
                user_id=user.id,
                event=event,
                subject=subject[:300],
                url=url[:500],
                key=key,
                mail_state=mail,
                mail_after=utcnow() if mail == "pending" else None,
            )
        )
        added += 1
        if mail == "pending":
            session.info[PENDING_MAIL] = True
    session.flush()
    return added


def users_of(*codes: str, roles: Iterable[str] | None = None) -> Select:
    """Return the query of active users' ids in these jurisdictions (optionally of these roles)."""
    query = select(User.id).where(User.jurisdiction_code.in_(codes), User.active.is_(True))
    if roles is not None:
        query = query.where(User.role.in_(list(roles)))
    return query


def unread_count(session: Session, user: User) -> int:
    """Return how many of the user's notifications are unread."""
    query = select(func.count()).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return session.scalar(query) or 0


def inbox(session: Session, user: User, *, limit: int = 50, offset: int = 0) -> list[Notification]:
    """Return the user's notifications, newest first."""
    query = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(query))


def mark_read(session: Session, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when `ids` is None); return how many."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)))
    count = session.execute(query.values(read_at=utcnow())).rowcount or 0
    session.commit()
    return count


def open_notification(session: Session, user: User, note_id: int) -> Notification | None:
    """Mark one of the user's notifications read and return it (None when it is not theirs)."""
    note = session.get(Notification, note_id)
    if note is None or note.user_id != user.id:
        return None
    if note.read_at is None:
        note.read_at = utcnow()
        session.commit()
    return note


def as_json(note: Notification) -> dict:
    """Return a notification as the API shows it."""
    created: datetime = note.created_at
    return {
        "id": note.id,
        "event": note.event,
        "message": message(note),
        "url": note.url,
        "read": note.read_at is not None,
        "created_at": created.isoformat(),
    }
