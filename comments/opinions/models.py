"""Deputy liaison stations and deputies' codes, and what residents send through them.

A resident's opinion is a `Proposal` of kind `opinion`; `OpinionIntake` adds, one to one, what
the public form and the station's triage need (tracking number, category, handling, difficulty),
so the proposal stays the one record that feeds suggestions and clauses.

Closing the loop: an `Office` is one entry of a jurisdiction's directory of handling offices
(承办单位) with the handling types it takes, which triage picks from so the report counts by
office; a resident rates each reply once (`OpinionRating`), 不满意 reopening the opinion; a
`Supervision` puts a suggestion or opinion under key supervision (重点督办) with follow-up dates.
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
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from comments.proposals.models import Proposal
from concord.accounts.models import User
from concord.db import Base, utcnow
from drafting.models import Jurisdiction


def _(message: str) -> str:
    """Mark a name for the catalogue; it is translated where it is shown (gettext_noop)."""
    return message


STATION_KINDS = ("station", "deputy")
# 直办, 交办, 转办, 报办, 督办
HANDLINGS = ("direct", "assign", "transfer", "report", "supervise")
HANDLING_NAMES = {
    "direct": _("直办"),
    "assign": _("交办"),
    "transfer": _("转办"),
    "report": _("报办"),
    "supervise": _("督办"),
}
DIFFICULTIES = ("simple", "normal", "complex")
DIFFICULTY_NAMES = {"simple": _("简单"), "normal": _("一般"), "complex": _("复杂")}
# Working days to reply unless the jurisdiction sets its own.
DEFAULT_DAYS = {"simple": 5, "normal": 15, "complex": 30}
CATEGORIES = (
    _("城市建设与管理"),
    _("交通出行"),
    _("生态环境"),
    _("教育"),
    _("医疗卫生"),
    _("社会保障与养老"),
    _("就业创业"),
    _("社区治理"),
    _("安全生产"),
    _("立法建议"),
    _("其他"),
)
STATUS_NAMES = {
    "received": _("已受理"),
    "handling": _("办理中"),
    "replied": _("已答复"),
    "closed": _("已办结"),
}


class Station(Base):
    """A deputy liaison station (代表联络站) or one deputy, with the code on its poster."""

    __tablename__ = "station"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), default="station")
    name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(24), unique=True)
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdiction.code"))
    district: Mapped[str] = mapped_column(String(80), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    jurisdiction: Mapped[Jurisdiction] = relationship()


class OpinionIntake(Base):
    """How a resident's opinion came in and how the station handles it."""

    __tablename__ = "opinion_intake"
    __table_args__ = (
        Index("ix_opinion_intake_client", "client_hash", "submitted_at"),
        Index("ix_opinion_intake_station", "station_id", "submitted_at"),
    )

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True
    )
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"))
    tracking_number: Mapped[str] = mapped_column(String(20), unique=True)
    category: Mapped[str] = mapped_column(String(40), default="其他")
    district: Mapped[str] = mapped_column(String(80), default="")
    handling: Mapped[str | None] = mapped_column(String(12))
    difficulty: Mapped[str | None] = mapped_column(String(12))
    # The office picked from the jurisdiction's directory; `Proposal.office` keeps its name.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("handling_office.id"))
    # How many times it went back into the queue (a resident's 不满意, or staff with a reason).
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    # A keyed hash of the sender's address, kept only to throttle floods.
    client_hash: Mapped[str] = mapped_column(String(64), default="")
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    proposal: Mapped[Proposal] = relationship()
    station: Mapped[Station | None] = relationship()
    photo: Mapped[OpinionPhoto | None] = relationship(
        cascade="all, delete-orphan", uselist=False, lazy="select"
    )
    events: Mapped[list[OpinionEvent]] = relationship(
        cascade="all, delete-orphan", order_by="OpinionEvent.id"
    )


class OpinionPhoto(Base):
    """A resident's photo, re-encoded without metadata; stored with the opinion in one commit."""

    __tablename__ = "opinion_photo"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("opinion_intake.proposal_id", ondelete="CASCADE"), primary_key=True
    )
    content_type: Mapped[str] = mapped_column(String(40), default="image/jpeg")
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    # Deferred: lists ask whether there is a photo, only the photo page reads its bytes.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class OpinionEvent(Base):
    """One step in an opinion's handling; `public` steps are shown to the resident."""

    __tablename__ = "opinion_event"
    __table_args__ = (Index("ix_opinion_event_proposal", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("opinion_intake.proposal_id", ondelete="CASCADE")
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(24))
    summary: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User | None] = relationship()


class DeadlineRule(Base):
    """Working days a jurisdiction gives for a reply, by difficulty."""

    __tablename__ = "deadline_rule"

    jurisdiction_code: Mapped[str] = mapped_column(
        ForeignKey("jurisdiction.code"), primary_key=True
    )
    difficulty: Mapped[str] = mapped_column(String(12), primary_key=True)
    days: Mapped[int] = mapped_column(Integer)


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


class IntakeGate(Base):
    """One row per sender (keyed hash of the address) that a submission locks while it counts.

    Concurrent submissions from one sender take turns on this row, so the count of their recent
    opinions and the new one are one step; the station's own row is the gate for its limit.
    """

    __tablename__ = "intake_gate"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    touched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IntakeStamp(Base):
    """A form stamp already used for a submission: each opened form is good for one opinion."""

    __tablename__ = "intake_stamp"

    nonce: Mapped[str] = mapped_column(String(40), primary_key=True)
    used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
