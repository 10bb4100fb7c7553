"""The 专报's table by handling office: received, closed, overdue, days to reply, satisfaction."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from comments.opinions.models import OFFICE_KIND_NAMES, Office
from concord.i18n import gettext as _


@dataclass
class OfficeRow:
    """One office's quarter."""

    name: str
    kind: str = ""
    received: int = 0
    closed: int = 0
    overdue: int = 0
    reopened: int = 0
    days: list[float] = field(default_factory=list)
    rated: int = 0
    satisfied: int = 0  # 满意 and 基本满意

    @property
    def median_days(self) -> float | None:
        """Return the median days from receipt to reply, or None when nothing was answered."""
        return round(statistics.median(self.days), 1) if self.days else None

    @property
    def satisfaction(self) -> str:
        """Return 满意率 as shown, or — when no resident rated a reply."""
        return f"{round(100 * self.satisfied / self.rated)}%" if self.rated else "—"

    def as_json(self) -> dict:
        """Return the API form of the row."""
        return {
            "office": self.name,
            "kind": self.kind,
            "received": self.received,
            "closed": self.closed,
            "overdue": self.overdue,
            "reopened": self.reopened,
            "median_days_to_reply": self.median_days,
            "rated": self.rated,
            "satisfaction_rate": round(self.satisfied / self.rated, 4) if self.rated else None,
        }


class OfficeTally:
    """Counts opinions per office as the report's rows go by."""

    def __init__(self, session: Session, jurisdiction: str) -> None:
        offices = session.execute(
            select(Office.id, Office.name, Office.kind).where(
                Office.jurisdiction_code == jurisdiction
            )
        ).all()
        self.names = {oid: (name, kind) for oid, name, kind in offices}
        self.kinds = {name: kind for _oid, name, kind in offices}
        self.rows: dict[str, OfficeRow] = {}

    def add(
        self,
        *,
        office_id: int | None,
        office_text: str,
        status: str,
        late: bool,
        days: float | None,
        reopened: int,
        rating: str | None,
    ) -> None:
        """Count one opinion for its office (the directory's, else the name typed before it)."""
        if office_id in self.names:
            name, kind = self.names[office_id]
        else:
            name = office_text or ""
            kind = self.kinds.get(name, "")
        row = self.rows.setdefault(name, OfficeRow(name, kind))
        row.received += 1
        row.closed += status == "closed"
        row.overdue += late
        row.reopened += reopened > 0
        if days is not None:
            row.days.append(days)
        if rating is not None:
            row.rated += 1
            row.satisfied += rating in ("satisfied", "basically_satisfied")

    def table(self) -> list[OfficeRow]:
        """Return the rows, busiest office first; opinions not yet assigned last."""
        rows = sorted(self.rows.values(), key=lambda r: (not r.name, -r.received, r.name))
        for r in rows:
            if not r.name:
                r.name = _("未分办")
            r.kind = _(OFFICE_KIND_NAMES[r.kind]) if r.kind in OFFICE_KIND_NAMES else ""
        return rows
