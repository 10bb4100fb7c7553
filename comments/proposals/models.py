"""Deputy motions and suggestions, citizens' opinions, expert opinions, and their clause links.

A proposal (议案, 代表建议, 民情民意, 专家意见) is recorded by one jurisdiction. Opinions feed
suggestions and suggestions grow into motions through `fed_into_id` (many to one). Any of them
links to provisions of a project's drafts through `ProposalLink`, which holds the stable provision
id plus the revision and text seen at link time, so that the link survives renumbering and can say
what changed since.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concord import clock
from concord.accounts.models import User
from concord.db import Base, utcnow
from drafting.models import Jurisdiction, Project, Provision

# 议案, 代表建议, 民情民意, 专家意见
KINDS = ("motion", "suggestion", "opinion", "expert")
# What a kind may feed into (opinion → suggestion → motion); experts feed either.
FEEDS = {
    "opinion": ("suggestion", "motion"),
    "suggestion": ("motion",),
    "expert": ("suggestion", "motion"),
}
CHANNELS = ("代表联络站", "扫码", "基层立法联系点", "座谈会", "来信", "网上", "大会", "其他")
STATUSES = ("received", "handling", "replied", "closed")
# Still waiting for a reply: a deadline passed in one of these is overdue.
OPEN_STATUSES = ("received", "handling")


class Proposal(Base):
    """A motion, a deputy's suggestion, a citizen's opinion or an expert opinion."""

    __tablename__ = "proposal"
    __table_args__ = (
        # Numbers are unique within one jurisdiction, kind and session (第0123号); unnumbered
        # records keep number NULL, which never clashes.
        UniqueConstraint("jurisdiction_code", "kind", "session", "number"),
        Index("ix_proposal_project", "project_id", "kind"),
        Index("ix_proposal_fed_into", "fed_into_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    number: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    # [{"name": "王某", "delegation": "广州代表团"}, …]; deputies or a citizen's (public) name.
    submitters: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    delegation: Mapped[str] = mapped_column(String(120), default="")
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdiction.code"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="SET NULL"))
    session: Mapped[str] = mapped_column(String(120), default="")
    between_sessions: Mapped[bool] = mapped_column(Boolean, default=False)
    received_on: Mapped[date | None] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(20), default="received")
    office: Mapped[str] = mapped_column(String(120), default="")
    deadline: Mapped[date | None] = mapped_column(Date)
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A citizen's private contact details: visible only to the recording jurisdiction.
    contact: Mapped[str] = mapped_column(Text, default="")
    fed_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    jurisdiction: Mapped[Jurisdiction] = relationship()
    project: Mapped[Project | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    fed_into: Mapped[Proposal | None] = relationship(
        remote_side=[id], back_populates="fed_by", foreign_keys=[fed_into_id]
    )
    fed_by: Mapped[list[Proposal]] = relationship(
        back_populates="fed_into", foreign_keys=[fed_into_id], order_by="Proposal.id"
    )
    links: Mapped[list[ProposalLink]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalLink.id"
    )


class ProposalLink(Base):
    """A proposal that shaped a provision, with the provision as it was when linked."""

    __tablename__ = "proposal_link"
    __table_args__ = (
        UniqueConstraint("proposal_id", "provision_id"),
        Index("ix_proposal_link_provision", "provision_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    provision_id: Mapped[int] = mapped_column(ForeignKey("provision.id", ondelete="CASCADE"))
    # The provision's current revision, label and text when the link was made.
    revision_id: Mapped[int | None] = mapped_column(Integer)
    label_at_link: Mapped[str] = mapped_column(String(80), default="")
    text_at_link: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="links")
    provision: Mapped[Provision] = relationship()
    created_by: Mapped[User | None] = relationship()


def is_overdue(proposal: Proposal, today: date | None = None) -> bool:
    """A proposal or opinion still open after its reply deadline (today: Beijing's) is overdue."""
    today = today or clock.today()
    return (
        proposal.status in OPEN_STATUSES
        and proposal.deadline is not None
        and proposal.deadline < today
    )
