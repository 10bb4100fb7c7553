"""A notification in a user's inbox, with the state of its e-mail (an outbox sent after commit)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concord.accounts.models import User
from concord.db import Base, utcnow

# none: no e-mail wanted; pending: to send (mail_after says from when); sending: claimed by a
# sender; sent; failed: given up after the last retry.
MAIL_STATES = ("none", "pending", "sending", "sent", "failed")


class Notification(Base):
    """Something that asks for the user's action or reports an outcome, with where to see it."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        Index("ix_notification_user_read", "user_id", "read_at"),
        Index("ix_notification_mail", "mail_state", "mail_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    # The name of what it is about (a round's or draft's title, a comment's article): user data.
    subject: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    # Reminders (closing soon, overdue) carry a key so that a second sweep adds nothing.
    key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    mail_state: Mapped[str] = mapped_column(String(10), default="none")
    mail_attempts: Mapped[int] = mapped_column(Integer, default=0)
    mail_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
