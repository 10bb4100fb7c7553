"""What keeps the public form honest under concurrency: throttle gates and used form stamps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from drafting.db import Base, utcnow


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
