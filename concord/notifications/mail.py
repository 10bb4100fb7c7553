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
from sqlalchemy.orm import Session, joinedload, sessionmaker

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
    """Claim the notifications due for mailing; the claim's instant marks the rows taken here."""
    now = utcnow()
    due = or_(
        (Notification.mail_state == "pending") & (Notification.mail_after <= now),
        (Notification.mail_state == "sending") & (Notification.mail_after <= now - STALE_CLAIM),
    )
    recent = Notification.created_at >= now - MAX_AGE
    # One conditional UPDATE: a row another sender took meanwhile no longer matches `due`.
    session.execute(
        update(Notification).where(due, recent).values(mail_state="sending", mail_after=now)
    )
    session.commit()
    query = (
        select(Notification)
        .where(Notification.mail_state == "sending", Notification.mail_after == now)
        .options(joinedload(Notification.user))
        .order_by(Notification.user_id, Notification.id)
    )
    return list(session.scalars(query))


def deliver(settings: SmtpSettings, mails: list[EmailMessage]) -> list[bool]:
    """Send messages over one SMTP connection; return which went (a refused one fails alone)."""
    went = [False] * len(mails)
    try:
        client = (smtplib.SMTP_SSL if settings.ssl else smtplib.SMTP)(
            settings.host, settings.port, timeout=30
        )
    except (OSError, smtplib.SMTPException) as err:
        log.warning("SMTP server %s:%s unreachable: %s", settings.host, settings.port, err)
        return went
    try:
        if settings.starttls:
            client.starttls()
        if settings.username:
            client.login(settings.username, settings.password)
        for n, mail in enumerate(mails):
            try:
                client.send_message(mail)
                went[n] = True
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as err:
                log.warning("mail to %s refused: %s", mail["To"], err)
    except (OSError, smtplib.SMTPException) as err:  # the connection broke: the rest wait
        log.warning("SMTP session with %s failed: %s", settings.host, err)
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
    return went


def send_pending(sessions: sessionmaker, settings: SmtpSettings, public_url: str) -> int:
    """Send every due notification by e-mail, one message per user; return messages sent."""
    with sessions() as session:
        by_user: dict[int, list[Notification]] = {}
        for note in _claim(session):
            by_user.setdefault(note.user_id, []).append(note)
        batch: list[tuple[list[Notification], EmailMessage]] = []
        for group in by_user.values():
            user = group[0].user
            if user is None or not user.active or not user.email:
                for note in group:
                    note.mail_state = "none"
                continue
            batch.append((group, compose(user, group, public_url, settings.sender)))
        went = deliver(settings, [m for _g, m in batch]) if batch else []
        now = utcnow()
        for (group, _mail), ok in zip(batch, went, strict=True):
            for note in group:
                if ok:
                    note.mail_state = "sent"
                    continue
                note.mail_attempts += 1
                if note.mail_attempts >= MAX_ATTEMPTS:
                    note.mail_state = "failed"
                else:
                    note.mail_state = "pending"
                    note.mail_after = now + RETRY_BASE * 2 ** (note.mail_attempts - 1)
        session.commit()
    return sum(went)


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
