"""规律性关键问题: a quarter's opinions grouped into recurring concerns, turned into suggestions.

Every opinion of the quarter counts, whatever its channel. The previous quarter's opinions are
grouped together with this quarter's, so a concern's trend is the count of its look-alikes a
quarter earlier. A concern has no identity of its own: it is its opinions (by id), which is what
「转为代表建议」 sends back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from comments.opinions.core.grouping import group_texts, top_terms
from comments.opinions.core.quarters import parse_quarter
from comments.opinions.models import OpinionEvent, OpinionIntake
from comments.opinions.services.concern_terms import concern_terms, display_terms
from comments.opinions.services.opinion_scope import received_between
from comments.proposals.models import Proposal
from concord.accounts.models import User
from concord.clock import today as beijing_today
from concord.i18n import gettext as _
from concord.permissions.opinions import require_handles
from drafting.errors import BadInput
from drafting.services import audit

THRESHOLD = 0.12  # measured in bench/concerns.py: purity and recall both ≥ 0.9 at 0.10–0.12
MIN_COUNT = 3  # a concern recurs: three opinions of the quarter at least
MAX_OPINIONS = 3000  # grouping is quadratic in the worst case; a quarter rarely has more
MAX_DRAFT = 500


@dataclass
class Concern:
    """A recurring concern: its name, opinions (ids), districts, trend and examples."""

    title: str
    opinions: list[int]
    previous: int
    districts: list[tuple[str, int]]
    examples: list[str]
    suggestion_id: int | None = None
    suggestion_title: str = ""
    keywords: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Return how many opinions of the quarter raise it."""
        return len(self.opinions)

    @property
    def trend(self) -> int:
        """Return the change against the previous quarter."""
        return self.count - self.previous

    def as_json(self) -> dict:
        """Return the API form of the concern."""
        return {
            "title": self.title,
            "count": self.count,
            "previous": self.previous,
            "trend": self.trend,
            "opinions": self.opinions,
            "districts": [d for d, _n in self.districts],
            "examples": self.examples,
            "suggestion": self.suggestion_id,
        }


def previous_quarter(first: date) -> tuple[date, date]:
    """Return the first and last day of the quarter before the one starting on `first`."""
    last = first - timedelta(days=1)
    return date(last.year, last.month - 2, 1), last


def recurring_concerns(
    session: Session, jurisdiction: str, first: date, last: date, *, min_count: int = MIN_COUNT
) -> list[Concern]:
    """Group a quarter's opinions (and the previous quarter's, for the trend) into concerns."""
    before = previous_quarter(first)
    rows = session.execute(
        select(
            Proposal.id,
            Proposal.text,
            Proposal.fed_into_id,
            OpinionIntake.district,
            OpinionIntake.proposal_id,
        )
        .outerjoin(OpinionIntake, OpinionIntake.proposal_id == Proposal.id)
        .where(
            Proposal.jurisdiction_code == jurisdiction,
            Proposal.kind == "opinion",
            received_between(before[0], last),
        )
        .order_by(Proposal.id.desc())
        .limit(2 * MAX_OPINIONS)
    ).all()
    current_ids = set(
        session.scalars(
            select(Proposal.id)
            .outerjoin(OpinionIntake, OpinionIntake.proposal_id == Proposal.id)
            .where(
                Proposal.jurisdiction_code == jurisdiction,
                Proposal.kind == "opinion",
                received_between(first, last),
            )
        )
    )
    rows = list(reversed(rows))
    terms = [concern_terms(r.text or "") for r in rows]
    words = [display_terms(t) for t in terms]
    fed_titles = _titles(session, {r.fed_into_id for r in rows if r.fed_into_id})
    out = []
    for group in group_texts(terms, threshold=THRESHOLD):
        now = [i for i in group if rows[i].id in current_ids]
        if len(now) < min_count:
            continue
        keywords = top_terms(words, now, k=3)
        fed = Counter(rows[i].fed_into_id for i in now if rows[i].fed_into_id)
        target, shared = fed.most_common(1)[0] if fed else (None, 0)
        districts = Counter(rows[i].district or _("未注明") for i in now)
        out.append(
            Concern(
                title="、".join(keywords) or _("其他"),
                opinions=[rows[i].id for i in now],
                previous=len(group) - len(now),
                districts=districts.most_common(),
                examples=[rows[i].text for i in now[:3]],
                # Shown as turned into a suggestion once most of its opinions feed one.
                suggestion_id=target if shared * 2 > len(now) else None,
                suggestion_title=fed_titles.get(target, "") if shared * 2 > len(now) else "",
                keywords=keywords,
            )
        )
    out.sort(key=lambda c: (-c.count, -c.trend, c.opinions[0]))
    return out


def _titles(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Proposal.id, Proposal.title).where(Proposal.id.in_(ids)))
    return {pid: title for pid, title in rows}


def draft_suggestion(
    session: Session,
    user: User,
    jurisdiction: str,
    opinion_ids: list[int],
    title: str,
    *,
    today: date | None = None,
) -> tuple[Proposal, int]:
    """Draft a deputy's suggestion from a concern, fed by all its opinions not yet feeding one.

    Returns the suggestion and how many opinions now feed it.
    """
    require_handles(user, jurisdiction)
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise BadInput(_("请填写建议标题（不超过 300 字）。"), field="title")
    if not opinion_ids or len(opinion_ids) > MAX_DRAFT:
        raise BadInput(_("请选择一个规律性问题。"), field="opinions")
    opinions = session.scalars(
        select(Proposal).where(Proposal.id.in_(opinion_ids)).order_by(Proposal.id)
    ).all()
    if len(opinions) != len(set(opinion_ids)) or any(
        p.kind != "opinion" or p.jurisdiction_code != jurisdiction for p in opinions
    ):
        raise BadInput(_("只能汇集本地区的群众意见。"), field="opinions")
    lines = [_("群众反映（{n} 件）：", n=len(opinions))]
    lines += [f"{i}. {p.text}" for i, p in enumerate(opinions[:20], start=1)]
    suggestion = Proposal(
        kind="suggestion",
        title=title,
        text="\n".join(lines),
        submitters=[],
        jurisdiction_code=jurisdiction,
        between_sessions=True,
        received_on=today or beijing_today(),
        channel="代表联络站",
        status="received",
        recorded_by_id=user.id,
    )
    session.add(suggestion)
    session.flush()
    fed = 0
    for p in opinions:
        if p.fed_into_id is not None:
            continue  # an opinion feeds one suggestion; the one it already feeds stays
        p.fed_into_id = suggestion.id
        fed += 1
        intake = session.get(OpinionIntake, p.id)
        if intake is not None:
            intake.events.append(
                OpinionEvent(
                    user_id=user.id,
                    action="suggestion",
                    summary=_("已转为代表建议：{t}", t=title),
                    public=True,
                )
            )
    audit.record(
        session, user, "concern.suggestion", obj=suggestion, summary=f"{title} ({fed})"[:500]
    )
    session.commit()
    return suggestion, fed


def quarter_span(quarter: str) -> tuple[date, date]:
    """Return the first and last day of a quarter, BadInput naming the field when malformed."""
    span = parse_quarter(quarter)
    if span is None:
        raise BadInput(_("请选择季度（如 2026Q4）。"), field="quarter")
    return span
