"""Consultation rounds (征求意见), anchored comments with replies, and their dispositions."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concord.db import Base, utcnow

if TYPE_CHECKING:
    from concord.accounts.models import User
    from drafting.models import Draft, Jurisdiction, Provision, Version

VISIBILITIES = ("shared", "lead_only")
KINDS = ("amend", "delete", "add", "general")
CHANNELS = ("online", "paper", "email", "meeting")
DECISIONS = ("adopted", "partly_adopted", "not_adopted", "covered_elsewhere")
# What a comment's proposed text replaces: the quoted words, the paragraph commented on
# (an article's first paragraph, a clause or an item), or the whole article.
SCOPES = ("quote", "clause", "provision")
# Their names, in Chinese; pages and exports show them through `_()` in the user's language.
KIND_NAMES = {"amend": "修改意见", "delete": "删除", "add": "新增条款", "general": "一般意见"}
CHANNEL_NAMES = {"online": "网上提交", "paper": "书面", "email": "电子邮件", "meeting": "座谈会"}
DECISION_NAMES = {
    "adopted": "采纳",
    "partly_adopted": "部分采纳",
    "not_adopted": "未采纳",
    "covered_elsewhere": "已在其他条款体现",
}
SCOPE_NAMES = {"quote": "引用的文字", "clause": "整款（项）", "provision": "整条"}


class Round(Base):
    """A consultation round on a named version of a draft, open to invited jurisdictions."""

    __tablename__ = "consultation_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("version.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    opens: Mapped[date] = mapped_column(Date)
    closes: Mapped[date] = mapped_column(Date)
    # shared: invited cities read each other's comments; lead_only: only the drafting city does.
    visibility: Mapped[str] = mapped_column(String(12), default="shared")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set when the drafting city closed the round before `closes`; cleared when it reopens.
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    draft: Mapped[Draft] = relationship()
    version: Mapped[Version | None] = relationship()
    invitations: Mapped[list[RoundInvitation]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundInvitation.id"
    )

    def invited_codes(self) -> set[str]:
        return {i.jurisdiction_code for i in self.invitations}

    def is_open(self, today: date) -> bool:
        return self.closed_at is None and self.opens <= today <= self.closes


class RoundInvitation(Base):
    """A jurisdiction invited to comment in a round."""

    __tablename__ = "round_invitation"
    __table_args__ = (UniqueConstraint("round_id", "jurisdiction_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("consultation_round.id", ondelete="CASCADE"))
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdiction.code"))

    round: Mapped[Round] = relationship(back_populates="invitations")
    jurisdiction: Mapped[Jurisdiction] = relationship()


class Comment(Base):
    """A comment on a provision, or a reply to one; anchored by provision id, revision and quote."""

    __tablename__ = "consultation_comment"
    __table_args__ = (
        Index("ix_consultation_comment_round_provision", "round_id", "provision_id"),
        Index("ix_consultation_comment_parent", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("consultation_round.id", ondelete="CASCADE"))
    provision_id: Mapped[int] = mapped_column(ForeignKey("provision.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_comment.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The jurisdiction the comment is sent as, and the unit (市司法局, 座谈会 …) when recorded.
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdiction.code"))
    unit: Mapped[str] = mapped_column(String(120), default="")
    channel: Mapped[str] = mapped_column(String(12), default="online")
    received_on: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12), default="general")
    body: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    proposed_text: Mapped[str | None] = mapped_column(Text)
    # What the proposed text replaces (SCOPES); decided from the text when the commenter left it.
    replaces: Mapped[str | None] = mapped_column(String(10))
    # Set when its author withdrew it (before any decision); the comment stays, marked.
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # What the commenter saw: the provision's revision, its text, where the quote was, its label.
    revision_id: Mapped[int | None] = mapped_column(Integer)
    seen_text: Mapped[str] = mapped_column(Text, default="")
    quote_start: Mapped[int | None] = mapped_column(Integer)
    seen_label: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    round: Mapped[Round] = relationship()
    provision: Mapped[Provision] = relationship()
    author: Mapped[User | None] = relationship()
    jurisdiction: Mapped[Jurisdiction] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id], back_populates="replies")
    replies: Mapped[list[Comment]] = relationship(back_populates="parent", order_by="Comment.id")
    disposition: Mapped[Disposition | None] = relationship(
        back_populates="comment", uselist=False, cascade="all, delete-orphan"
    )
    edits: Mapped[list[CommentEdit]] = relationship(
        back_populates="comment", cascade="all, delete-orphan", order_by="CommentEdit.id"
    )


class Disposition(Base):
    """The drafting city's decision on a comment (采纳 / 部分采纳 / 未采纳 / 已在其他条款体现)."""

    __tablename__ = "disposition"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_comment.id", ondelete="CASCADE"), unique=True
    )
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    # The revision that applied the comment's proposed text, when "apply" was chosen.
    applied_revision_id: Mapped[int | None] = mapped_column(Integer)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="disposition")
    decided_by: Mapped[User | None] = relationship()


class CommentEdit(Base):
    """An earlier wording of a comment, kept when its author edits or withdraws it."""

    __tablename__ = "comment_edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_comment.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(10))  # edit | withdraw
    body: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    proposed_text: Mapped[str | None] = mapped_column(Text)
    replaces: Mapped[str | None] = mapped_column(String(10))
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    edited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="edits")
