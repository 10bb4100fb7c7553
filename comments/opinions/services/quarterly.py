"""The quarterly 民情民意专报: what residents raised, how it was handled, and what it became."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from comments.opinions.core.quarters import parse_quarter, quarter_label, quarter_of
from comments.opinions.models import HANDLING_NAMES, STATUS_NAMES, OpinionIntake, Station
from comments.opinions.services.concerns import Concern, recurring_concerns
from comments.opinions.services.office_report import OfficeRow, OfficeTally
from comments.opinions.services.opinion_scope import received_between
from comments.opinions.services.satisfaction import Satisfaction, count_ratings, latest_ratings
from comments.opinions.services.supervision import LateFollowUp, overdue_follow_ups
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
    closed: int = 0
    reopened: int = 0
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    offices: list[OfficeRow] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)
    late_follow_ups: list[LateFollowUp] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"民情民意专报-{self.jurisdiction_name}-{self.quarter}"


def quarterly_report(
    session: Session, user: User, jurisdiction: str, quarter: str, *, today: date | None = None
) -> QuarterlyReport:
    """Gather the figures of a jurisdiction's quarter of residents' opinions, every channel."""
    span = parse_quarter(quarter)
    if span is None:
        raise BadInput(_("请选择季度（如 2026Q4）。"), field="quarter")
    place = session.get(Jurisdiction, jurisdiction or "")
    if place is None:
        raise NotFound(_("找不到该意见或联络站。"))
    require_sees(user, jurisdiction)
    first, last = span
    today = today or beijing_today()
    as_of = min(today, last)
    report = QuarterlyReport(
        jurisdiction, place.name, quarter_of(first), quarter_label(quarter_of(first)), first, last
    )
    rows = session.execute(
        select(
            Proposal.id,
            OpinionIntake.tracking_number,
            OpinionIntake.category,
            OpinionIntake.district,
            OpinionIntake.handling,
            OpinionIntake.submitted_at,
            OpinionIntake.office_id,
            OpinionIntake.reopened,
            Proposal.received_on,
            Proposal.created_at,
            Proposal.channel,
            Proposal.status,
            Proposal.deadline,
            Proposal.replied_at,
            Proposal.fed_into_id,
            Proposal.office,
            Station.name,
        )
        .select_from(Proposal)
        .outerjoin(OpinionIntake, OpinionIntake.proposal_id == Proposal.id)
        .outerjoin(Station, Station.id == OpinionIntake.station_id)
        .where(
            Proposal.jurisdiction_code == jurisdiction,
            Proposal.kind == "opinion",
            received_between(first, last),
        )
    ).all()
    ratings = latest_ratings(session, [r.id for r in rows if r.tracking_number])
    offices = OfficeTally(session, jurisdiction)
    # Count raw values, translate the few distinct ones afterwards: 10,000 rows, not 50,000 calls.
    categories: Counter[str] = Counter()
    districts: Counter[str | None] = Counter()
    channels: Counter[str | None] = Counter()
    handlings: Counter[str | None] = Counter()
    statuses: Counter[str] = Counter()
    fed: Counter[int] = Counter()
    days: list[float] = []
    for r in rows:
        category = r.category or "其他"
        submitted = r.submitted_at or (day_starts(r.received_on) if r.received_on else r.created_at)
        categories[category] += 1
        districts[r.district] += 1
        channels[r.channel] += 1
        handlings[r.handling] += 1
        statuses[r.status] += 1
        report.reopened += (r.reopened or 0) > 0
        if r.fed_into_id is not None:
            fed[r.fed_into_id] += 1
        took = None
        if r.replied_at is not None:
            took = max(0.0, (_aware(r.replied_at) - _aware(submitted)).total_seconds() / 86400)
            days.append(took)
        late = _late(r, as_of)
        rating = ratings.get(r.id)
        offices.add(
            office_id=r.office_id,
            office_text=r.office,
            status=r.status,
            late=late is not None,
            days=took,
            reopened=r.reopened or 0,
            rating=rating.rating if rating else None,
        )
        if late is None:
            if r.deadline is not None and r.replied_at is not None:
                report.replied_in_time += 1
            continue
        number = r.tracking_number or f"#{r.id}"
        report.late.append(Late(number, category, r.name or "", r.deadline, late, r.status))
    report.total = len(rows)
    report.closed = statuses["closed"]
    report.satisfaction = count_ratings(ratings.values())
    report.offices = offices.table()
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
    report.concerns = recurring_concerns(session, jurisdiction, first, last)
    report.late_follow_ups = overdue_follow_ups(session, jurisdiction, today, until=last)
    return report


def _late(row, as_of: date) -> int | None:
    """Return the days an opinion was answered late or is still open past its deadline."""
    if row.deadline is None:
        return None
    answered_on = beijing(row.replied_at).date() if row.replied_at is not None else None
    if answered_on is not None and answered_on <= row.deadline:
        return None
    # Reopened opinions count as late again only once past their new deadline.
    late_until = as_of if row.status in ("received", "handling") else answered_on or as_of
    return (late_until - row.deadline).days if late_until > row.deadline else None


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


def report_json(report: QuarterlyReport) -> dict:
    """Return the report's figures as the API gives them; concerns list opinions by id."""
    return {
        "jurisdiction": report.jurisdiction,
        "quarter": report.quarter,
        "received": report.total,
        "replied": report.replied,
        "closed": report.closed,
        "reopened": report.reopened,
        "median_days_to_reply": report.median_days_to_reply,
        "overdue": len(report.late),
        "satisfaction": report.satisfaction.as_json(),
        "by_category": dict(report.by_category),
        "by_channel": dict(report.by_channel),
        "offices": [row.as_json() for row in report.offices],
        "concerns": [c.as_json() for c in report.concerns],
        "late_follow_ups": [
            {"id": x.proposal_id, "title": x.title, "due": x.due.isoformat(), "days": x.days_late}
            for x in report.late_follow_ups
        ],
    }


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
