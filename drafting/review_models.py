"""An adviser's decision on a legality review (合法性审查) finding: confirmed or dismissed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concord.accounts.models import User
from concord.db import Base, utcnow

DECISIONS = ("confirmed", "dismissed")


class ReviewDecision(Base):
    """A finding confirmed or dismissed, with a note; found again by provision and fingerprint."""

    __tablename__ = "review_decision"
    __table_args__ = (UniqueConstraint("draft_id", "provision_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    # The article's stable id (0 for a finding on the document as a whole).
    provision_id: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(400))
    label: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[str] = mapped_column(String(40))
    decision: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    decided_by: Mapped[User | None] = relationship()


class ReviewMark(Base):
    """The last review of a draft's current text, article by article, for the draft page's marks."""

    __tablename__ = "review_mark"

    draft_id: Mapped[int] = mapped_column(
        ForeignKey("draft.id", ondelete="CASCADE"), primary_key=True
    )
    # {provision id: the most severe finding's severity}
    marks: Mapped[dict] = mapped_column(JSON, default=dict)
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
