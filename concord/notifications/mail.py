"""E-mail of notifications: sent after the commit by a background sender, retried, as a digest.

Settings come from the environment: CONCORD_SMTP_URL (`smtp://user:pw@host:587?starttls=1`,
`smtps://…` for TLS from the start; unset: no e-mail) and CONCORD_MAIL_FROM. Notifications
marked `pending` are an outbox: a sender claims them row by row (so two processes never send one
twice), sends one message per user (a digest when several wait), and on failure tries again later,
up to MAX_ATTEMPTS times.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from concord.accounts.models import User
from concord.db import utcnow
from concord.i18n import gettext as _
from concord.i18n import reset_language, set_language
from concord.notifications.events import PENDING_MAIL, message
from concord.notifications.models import Notification

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(seconds=30)
# A claim older than this belonged to a sender that stopped; its notifications are sent again.
STALE_CLAIM = timedelta(minutes=10)
# Notifications older than this are not mailed (a server that had no SMTP for a month).
MAX_AGE = timedelta(days=2)


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send: host, port, credentials, TLS, the sender's address."""

    host: str
    port: int
    username: str = ""
    password: str = ""
    ssl: bool = False
    starttls: bool = False
    sender: str = "concord@localhost"


def smtp_settings(url: str | None, sender: str | None = None) -> SmtpSettings | None:
    """Parse CONCORD_SMTP_URL; None when it is unset (no e-mail)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("CONCORD_SMTP_URL should look like smtp://user:pw@host:587?starttls=1")
    query = parse_qs(parts.query)
    ssl = parts.scheme == "smtps"
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or (465 if ssl else 25),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        ssl=ssl,
        starttls=query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
        sender=sender or "concord@localhost",
    )


def compose(user: User, notes: list[Notification], public_url: str, sender: str) -> EmailMessage:
    """Return the e-mail for a user's waiting notifications: one, or a digest of several."""
    token = set_language(user.language or None)
    try:
        lines = [f"{message(n)}\n{public_url.rstrip('/')}{n.url}" for n in notes]
        if len(notes) == 1:
            subject = message(notes[0])
        else:
            subject = _("Concord：您有 {n} 条新通知", n=len(notes))
        footer = _("在“我的账户”中可以关闭邮件通知。")
    finally:
        reset_language(token)
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = user.email
    mail["Subject"] = subject[:200]
    mail["Message-ID"] = make_msgid(domain="concord")
    mail.set_content("\n\n".join(lines) + "\n\n-- \n" + footer + "\n")
    return mail


def _claim(session: Session) -> list[Notification]:
    """Claim the notifications due for mailing, each only if no other sender took it first."""
    now = utcnow()
    due = session.scalars(
        select(Notification.id).where(
            Notification.created_at >= now - MAX_AGE,
            or_(
                (Notification.mail_state == "pending") & (Notification.mail_after <= now),
                (Notification.mail_state == "sending")
                & (Notification.mail_after <= now - STALE_CLAIM),
            ),
        )
    ).all()
    mine = []
    for note_id in due:
        taken = session.execute(
            update(Notification)
            .where(Notification.id == note_id, Notification.mail_state.in_(("pending", "sending")))
            .where(
                or_(
                    Notification.mail_state == "pending",
                    Notification.mail_after <= now - STALE_CLAIM,
                )
            )
            .values(mail_state="sending", mail_after=now)
        ).rowcount
        if taken:
            mine.append(note_id)
    session.commit()
    if not mine:
        return []
    return list(session.scalars(select(Notification).where(Notification.id.in_(mine))))


def deliver(settings: SmtpSettings, mails: list[EmailMessage]) -> None:
    """Send messages over one SMTP connection."""
    client = (smtplib.SMTP_SSL if settings.ssl else smtplib.SMTP)(
        settings.host, settings.port, timeout=30
    )
    try:
        if settings.starttls:
            client.starttls()
        if settings.username:
            client.login(settings.username, settings.password)
        for mail in mails:
            client.send_message(mail)
    finally:
        try:
            client.quit()
        except smtplib.SMTPException:
            client.close()


def send_pending(sessions: sessionmaker, settings: SmtpSettings, public_url: str) -> int:
    """Send every due notification by e-mail, one message per user; return messages sent."""
    sent = 0
    with sessions() as session:
        notes = _claim(session)
        by_user: dict[int, list[Notification]] = {}
        for note in notes:
            by_user.setdefault(note.user_id, []).append(note)
        for user_id, group in by_user.items():
            user = session.get(User, user_id)
            ok = False
            if user is not None and user.active and user.email:
                try:
                    deliver(settings, [compose(user, group, public_url, settings.sender)])
                    ok = True
                    sent += 1
                except (OSError, smtplib.SMTPException) as err:
                    log.warning("mail to user %s failed: %s", user_id, err)
            now = utcnow()
            for note in group:
                if ok or user is None or not user.email:
                    note.mail_state = "sent" if ok else "none"
                    continue
                note.mail_attempts += 1
                if note.mail_attempts >= MAX_ATTEMPTS:
                    note.mail_state = "failed"
                else:
                    note.mail_state = "pending"
                    note.mail_after = now + RETRY_BASE * 2 ** (note.mail_attempts - 1)
            session.commit()
    return sent


class MailSender:
    """A daemon thread that sends the outbox when woken after a commit, and polls for retries."""

    def __init__(
        self,
        sessions: sessionmaker,
        settings: SmtpSettings,
        public_url: str,
        *,
        poll_seconds: float = 30,
        gather_seconds: float = 1,
    ):
        self.sessions = sessions
        self.settings = settings
        self.public_url = public_url
        self.poll_seconds = poll_seconds
        self.gather_seconds = gather_seconds
        self.woken = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, name="concord-mail", daemon=True)

    def start(self) -> None:
        """Start sending in the background."""
        self.thread.start()

    def wake(self) -> None:
        """Ask for a send soon (called after a commit that added mail)."""
        self.woken.set()

    def stop(self) -> None:
        """Stop the thread (tests)."""
        self.stopping.set()
        self.woken.set()
        self.thread.join(5)

    def run(self) -> None:
        """Send whenever woken or every poll interval, until stopped."""
        while not self.stopping.is_set():
            if self.woken.wait(self.poll_seconds):
                # Events that arrive together (a round invites many, a sweep) make one digest.
                self.stopping.wait(self.gather_seconds)
            self.woken.clear()
            if self.stopping.is_set():
                break
            try:
                send_pending(self.sessions, self.settings, self.public_url)
            except Exception:  # a database hiccup must not kill the sender; it polls again
                log.exception("sending notification mail failed")


def wake_after_commits(sessions: sessionmaker, sender: MailSender) -> None:
    """Wake the sender after each commit that added mail; forget the flag on rollback."""

    @event.listens_for(sessions, "after_commit")
    def _after_commit(session: Session):
        if session.info.pop(PENDING_MAIL, False):
            sender.wake()

    @event.listens_for(sessions, "after_rollback")
    def _after_rollback(session: Session):
        session.info.pop(PENDING_MAIL, None)
