"""The quarterly 民情民意专报: what residents raised, how it was handled, and what it became."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from comments.opinions.core.quarters import parse_quarter, quarter_label
from comments.opinions.models import HANDLING_NAMES, STATUS_NAMES, OpinionIntake, Station
from comments.proposals.models import Proposal, ProposalLink
from concord.accounts.models import User
from concord.clock import beijing, day_starts
from concord.clock import today as beijing_today
from concord.db import utcnow
from concord.i18n import gettext as _
from concord.permissions.opinions import require_sees
from drafting.errors import BadInput, NotFound
from drafting.models import Jurisdiction


@dataclass
class Late:
    """An opinion answered after its deadline, or still open past it."""

    number: str
    category: str
    station: str
    deadline: date
    days_late: int
    status: str


@dataclass
class Reached:
    """A suggestion or motion that residents' opinions fed, and the clauses it is linked to."""

    id: int
    kind: str
    title: str
    opinions: int
    clauses: list[str] = field(default_factory=list)


@dataclass
class QuarterlyReport:
    """Every figure of one jurisdiction's quarter."""

    jurisdiction: str
    jurisdiction_name: str
    quarter: str
    label: str
    first: date
    last: date
    total: int = 0
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_district: list[tuple[str, int]] = field(default_factory=list)
    by_channel: list[tuple[str, int]] = field(default_factory=list)
    by_handling: list[tuple[str, int]] = field(default_factory=list)
    by_status: list[tuple[str, int]] = field(default_factory=list)
    replied: int = 0
    mean_days_to_reply: float | None = None
    median_days_to_reply: float | None = None
    replied_in_time: int = 0
    late: list[Late] = field(default_factory=list)
    reached: list[Reached] = field(default_factory=list)
    clauses_reached: int = 0

    @property
    def filename(self) -> str:
        return f"民情民意专报-{self.jurisdiction_name}-{self.quarter}"


def quarterly_report(
    session: Session, user: User, jurisdiction: str, quarter: str, *, today: date | None = None
) -> QuarterlyReport:
    """Gather the figures of a jurisdiction's quarter of residents' opinions."""
    span = parse_quarter(quarter)
    if span is None:
        raise BadInput(_("quarter 应写作 2026Q4 这样的年份加季度。"), field="quarter")
    place = session.get(Jurisdiction, jurisdiction or "")
    if place is None:
        raise NotFound(_("找不到该意见或联络站。"))
    require_sees(user, jurisdiction)
    first, last = span
    today = today or beijing_today()
    as_of = min(today, last)
    report = QuarterlyReport(
        jurisdiction, place.name, quarter.upper().strip(), quarter_label(quarter), first, last
    )
    start, end = day_starts(first), day_starts(last + timedelta(days=1))
    rows = session.execute(
        select(
            OpinionIntake.tracking_number,
            OpinionIntake.category,
            OpinionIntake.district,
            OpinionIntake.handling,
            OpinionIntake.submitted_at,
            Proposal.channel,
            Proposal.status,
            Proposal.deadline,
            Proposal.replied_at,
            Proposal.fed_into_id,
            Station.name,
        )
        .join(Proposal, Proposal.id == OpinionIntake.proposal_id)
        .outerjoin(Station, Station.id == OpinionIntake.station_id)
        .where(
            Proposal.jurisdiction_code == jurisdiction,
            Proposal.kind == "opinion",
            OpinionIntake.submitted_at >= start,
            OpinionIntake.submitted_at < end,
        )
    ).all()
    # Count raw values, translate the few distinct ones afterwards: 10,000 rows, not 50,000 calls.
    categories: Counter[str] = Counter()
    districts: Counter[str | None] = Counter()
    channels: Counter[str | None] = Counter()
    handlings: Counter[str | None] = Counter()
    statuses: Counter[str] = Counter()
    fed: Counter[int] = Counter()
    days: list[float] = []
    for (
        number,
        category,
        district,
        handling,
        submitted,
        channel,
        status,
        deadline,
        replied,
        fed_into,
        station,
    ) in rows:
        categories[category] += 1
        districts[district] += 1
        channels[channel] += 1
        handlings[handling] += 1
        statuses[status] += 1
        if fed_into is not None:
            fed[fed_into] += 1
        if replied is not None:
            days.append((_aware(replied) - _aware(submitted)).total_seconds() / 86400)
        if deadline is None:
            continue
        answered_on = beijing(replied).date() if replied is not None else None
        if answered_on is not None and answered_on <= deadline:
            report.replied_in_time += 1
            continue
        late_until = answered_on if answered_on is not None else as_of
        if late_until > deadline:
            overdue_by = (late_until - deadline).days
            report.late.append(Late(number, category, station or "", deadline, overdue_by, status))
    report.total = len(rows)
    report.by_category = categories.most_common()
    report.by_district = _named(districts, lambda d: d or _("未注明"))
    report.by_channel = _named(channels, lambda c: c or _("其他"))
    report.by_handling = _named(handlings, lambda h: _(HANDLING_NAMES[h]) if h else _("待分办"))
    report.by_status = _named(statuses, lambda st: _(STATUS_NAMES.get(st, st)))
    report.replied = len(days)
    if days:
        report.mean_days_to_reply = round(statistics.fmean(days), 1)
        report.median_days_to_reply = round(statistics.median(days), 1)
    report.late.sort(key=lambda x: -x.days_late)
    report.reached = _reached(session, fed)
    report.clauses_reached = sum(len(r.clauses) for r in report.reached)
    return report


def _named(counts: Counter, name) -> list[tuple[str, int]]:
    named: Counter[str] = Counter()
    for key, n in counts.items():
        named[name(key)] += n
    return named.most_common()


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they are UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def _reached(session: Session, fed: Counter[int]) -> list[Reached]:
    if not fed:
        return []
    targets = session.scalars(select(Proposal).where(Proposal.id.in_(fed))).all()
    # A suggestion may itself have grown into a motion: its clauses count too.
    ids = {p.id for p in targets} | {p.fed_into_id for p in targets if p.fed_into_id}
    motion = aliased(Proposal)
    links = session.execute(
        select(ProposalLink.proposal_id, ProposalLink.label_at_link, motion.title)
        .join(motion, motion.id == ProposalLink.proposal_id)
        .where(ProposalLink.proposal_id.in_(ids))
    ).all()
    clauses: dict[int, list[str]] = {}
    for proposal_id, label, _title in links:
        clauses.setdefault(proposal_id, []).append(label)
    out = []
    for p in targets:
        found = clauses.get(p.id, []) + clauses.get(p.fed_into_id or -1, [])
        out.append(Reached(p.id, p.kind, p.title, fed[p.id], found))
    out.sort(key=lambda r: (-r.opinions, r.id))
    return out


def report_charts(report: QuarterlyReport) -> dict[str, bytes]:
    """Return the report's bar charts as PNGs, by what they count."""
    from comments.opinions.files.charts import bar_chart

    return {
        "category": bar_chart(_("按类别统计"), [(_(k), n) for k, n in report.by_category]),
        "district": bar_chart(_("按区县统计"), report.by_district[:12], colour="#1f4e8c"),
        "handling": bar_chart(_("按办理方式统计"), report.by_handling, colour="#1f6f43"),
    }


def report_docx(report: QuarterlyReport) -> bytes:
    """Return the report as a Word document."""
    from comments.opinions.files.quarterly_docx import quarterly_docx

    return quarterly_docx(report, report_charts(report))
