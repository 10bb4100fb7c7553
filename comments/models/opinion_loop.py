"""Closing the loop on residents' opinions: handling offices, residents' ratings, 重点督办.

An `Office` is one entry of a jurisdiction's directory of handling offices (承办单位), with the
handling types it takes; triage picks from it so the report can count by office. A resident
rates each reply once (`OpinionRating`); 不满意 reopens the opinion. A `Supervision` puts a
suggestion or an opinion under key supervision with a supervisor and follow-up dates.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comments.models.proposals import Proposal
from drafting.db import Base, utcnow
from drafting.models import User


def _(message: str) -> str:
    """Mark a name for the catalogue; it is translated where it is shown (gettext_noop)."""
    return message


# 街道/乡镇, 市级部门, 区县政府, 一府一委两院, 联络站, 人大常委会工作机构, 其他
OFFICE_KINDS = ("street", "department", "district", "organ", "station", "congress", "other")
OFFICE_KIND_NAMES = {
    "street": _("街道/乡镇"),
    "department": _("市级部门"),
    "district": _("区县"),
    "organ": _("一府一委两院"),
    "station": _("代表联络站"),
    "congress": _("人大常委会工作机构"),
    "other": _("其他"),
}
RATINGS = ("satisfied", "basically_satisfied", "unsatisfied")
RATING_NAMES = {
    "satisfied": _("满意"),
    "basically_satisfied": _("基本满意"),
    "unsatisfied": _("不满意"),
}


class Office(Base):
    """A handling office (承办单位) in a jurisdiction's directory, and what it takes."""

    __tablename__ = "handling_office"
    __table_args__ = (UniqueConstraint("jurisdiction_code", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdiction.code"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16), default="department")
    # The handling types (直办/交办/转办/报办/督办 as direct, assign …) it takes; empty: any.
    handlings: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OpinionRating(Base):
    """A resident's verdict on one reply: 满意, 基本满意 or 不满意, with an optional remark."""

    __tablename__ = "opinion_rating"
    __table_args__ = (
        Index("ix_opinion_rating_proposal", "proposal_id"),
        Index("ix_opinion_rating_client", "client_hash", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("opinion_intake.proposal_id", ondelete="CASCADE")
    )
    rating: Mapped[str] = mapped_column(String(24))
    remark: Mapped[str] = mapped_column(Text, default="")
    # A keyed hash of the sender's address, kept only to throttle.
    client_hash: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Supervision(Base):
    """重点督办: a suggestion or opinion followed by a named supervisor on set dates."""

    __tablename__ = "key_supervision"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), unique=True
    )
    supervisor: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    proposal: Mapped[Proposal] = relationship()
    started_by: Mapped[User | None] = relationship()
    follow_ups: Mapped[list[FollowUp]] = relationship(
        cascade="all, delete-orphan", order_by="FollowUp.due"
    )


class FollowUp(Base):
    """One follow-up date of a supervision; done once the supervisor has checked."""

    __tablename__ = "supervision_follow_up"
    __table_args__ = (Index("ix_supervision_follow_up_due", "due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supervision_id: Mapped[int] = mapped_column(
        ForeignKey("key_supervision.id", ondelete="CASCADE")
    )
    due: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
