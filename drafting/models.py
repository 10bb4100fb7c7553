"""Workspace and draft models: jurisdictions, projects, drafts, provisions, revisions."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concord.db import Base, utcnow

if TYPE_CHECKING:
    from concord.accounts.models import User

LEVELS = ("province", "city", "county")
STAGES = (
    "立项论证",
    "调研起草",
    "征求意见",
    "草案修改",
    "审议",
    "表决通过",
    "批准",
    "公布施行",
    "执法检查",
    "立法后评估",
)


class Jurisdiction(Base):
    """An administrative division identified by its GB/T 2260 code."""

    __tablename__ = "jurisdiction"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(12))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("jurisdiction.code"))

    parent: Mapped[Jurisdiction | None] = relationship(remote_side=[code])

    def __repr__(self) -> str:
        return f"<Jurisdiction {self.code} {self.name}>"


class Project(Base):
    """A coordinated legislation project (协同立法项目) led by one jurisdiction."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(Text, default="")
    lead_code: Mapped[str] = mapped_column(ForeignKey("jurisdiction.code"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    lead: Mapped[Jurisdiction] = relationship()
    participants: Mapped[list[Participant]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Participant.id"
    )
    drafts: Mapped[list[Draft]] = relationship(back_populates="project", order_by="Draft.id")

    def participant_codes(self) -> set[str]:
        return {p.jurisdiction_code for p in self.participants}


class Participant(Base):
    """A jurisdiction taking part in a project, with the stage it has reached."""

    __tablename__ = "participant"
    __table_args__ = (UniqueConstraint("project_id", "jurisdiction_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdiction.code"))
    stage: Mapped[str] = mapped_column(String(16), default=STAGES[0])

    project: Mapped[Project] = relationship(back_populates="participants")
    jurisdiction: Mapped[Jurisdiction] = relationship()
    stage_events: Mapped[list[StageEvent]] = relationship(
        back_populates="participant",
        cascade="all, delete-orphan",
        order_by="(StageEvent.on, StageEvent.id)",
    )


class StageEvent(Base):
    """The date a participant reached a stage (立项论证 … 立法后评估)."""

    __tablename__ = "stage_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(16))
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    participant: Mapped[Participant] = relationship(back_populates="stage_events")


class AuditEntry(Base):
    """One change to the workspace: who, when, what, and the text before and after."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_project_at", "project_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(40), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship()


class Draft(Base):
    """A jurisdiction's regulation in a project, or the project's common text (协同文本)."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("jurisdiction.code"))
    title: Mapped[str] = mapped_column(String(200))
    meta: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_common: Mapped[bool] = mapped_column(Boolean, default=False)
    source_draft_id: Mapped[int | None] = mapped_column(ForeignKey("draft.id"))
    # The common text's named version this city draft was adapted from: the starting point for
    # offering it later changes of the common text.
    based_on_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("version.id", use_alter=True, name="fk_draft_based_on_version_id_version")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    project: Mapped[Project] = relationship(back_populates="drafts")
    jurisdiction: Mapped[Jurisdiction] = relationship()
    versions: Mapped[list[Version]] = relationship(
        back_populates="draft",
        order_by="Version.id",
        cascade="all, delete-orphan",
        foreign_keys="Version.draft_id",
    )
    based_on_version: Mapped[Version | None] = relationship(foreign_keys=[based_on_version_id])


class Provision(Base):
    """A node of a draft (编/章/节/条/款/项/目) whose id survives renumbering and moves."""

    __tablename__ = "provision"
    __table_args__ = (Index("ix_provision_draft_parent", "draft_id", "parent_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("provision.id"))
    kind: Mapped[str] = mapped_column(String(12))
    position: Mapped[float] = mapped_column(Float)
    heading: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    # The current revision; a plain column because revision also points at provision.
    revision_id: Mapped[int | None] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    draft: Mapped[Draft] = relationship()
    parent: Mapped[Provision | None] = relationship(remote_side=[id])


class Revision(Base):
    """One accepted change of a provision's text (or its creation, deletion, move, restore)."""

    __tablename__ = "revision"
    __table_args__ = (Index("ix_revision_provision", "provision_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provision_id: Mapped[int] = mapped_column(ForeignKey("provision.id", ondelete="CASCADE"))
    base_id: Mapped[int | None] = mapped_column(ForeignKey("revision.id"))
    action: Mapped[str] = mapped_column(String(16), default="edit")
    text: Mapped[str | None] = mapped_column(Text)
    heading: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    merged: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User | None] = relationship()


class Version(Base):
    """A named snapshot of a whole draft (征求意见稿, 第二稿 …)."""

    __tablename__ = "version"
    __table_args__ = (UniqueConstraint("draft_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    draft: Mapped[Draft] = relationship(back_populates="versions", foreign_keys=[draft_id])


class AlignmentPin(Base):
    """A hand correction of the reconciliation: a city article paired with a common-text article.

    Either side may be empty, meaning "no counterpart": a city article that matches nothing in
    the common text, or a common-text article that has no counterpart in `draft` (the city's).
    Provision ids are stable, so a pin survives later edits and renumbering.
    """

    __tablename__ = "alignment_pin"
    __table_args__ = (Index("ix_alignment_pin_project", "project_id", "draft_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"))
    common_provision_id: Mapped[int | None] = mapped_column(
        ForeignKey("provision.id", ondelete="CASCADE")
    )
    city_provision_id: Mapped[int | None] = mapped_column(
        ForeignKey("provision.id", ondelete="CASCADE")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    created_by: Mapped[User | None] = relationship()


class PropagationDecision(Base):
    """A city's answer to a change of a common-text article: accepted (applied) or declined.

    The latest decision for (city draft, common article) is the point the city last
    synchronised with: `common_text` is the article's text then, `common_revision_id` the
    newest revision in the article at that time.
    """

    __tablename__ = "propagation_decision"
    __table_args__ = (
        Index("ix_propagation_decision_draft", "draft_id", "common_provision_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"))
    common_provision_id: Mapped[int] = mapped_column(ForeignKey("provision.id", ondelete="CASCADE"))
    common_revision_id: Mapped[int | None] = mapped_column(Integer)
    common_text: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(16), default="")
    city_revision_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    decided_by: Mapped[User | None] = relationship()
