"""The durable outbox of workspace-index work, and the lease that lets one worker apply it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from concord.db import Base, utcnow


class IndexJob(Base):
    """Index work recorded in the transaction of the edit that caused it; deleted once applied."""

    __tablename__ = "index_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: a deleted draft's job still has to remove its documents.
    draft_id: Mapped[int] = mapped_column(Integer, index=True)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    provisions: Mapped[list[int]] = mapped_column(JSON, default=list)
    versions: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")


class WorkerLease(Base):
    """Who applies the outbox now; a lease that lapses when its holder dies."""

    __tablename__ = "worker_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(80), default="")
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
