"""A station's queue: sort each opinion, hand it on with a deadline, reply, and feed suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, select
from sqlalchemy.orm import Session, joinedload, selectinload

from comments.opinions.core.quarters import add_working_days
from comments.opinions.models import (
    DEFAULT_DAYS,
    DIFFICULTIES,
    DIFFICULTY_NAMES,
    HANDLING_NAMES,
    HANDLINGS,
    STATUS_NAMES,
    DeadlineRule,
    Office,
    OpinionEvent,
    OpinionIntake,
)
from comments.proposals.models import OPEN_STATUSES, Proposal, is_overdue
from concord.accounts.models import User
from concord.clock import today as beijing_today
from concord.db import utcnow
from concord.i18n import gettext as _
from concord.permissions.contacts import sees_contact
from concord.permissions.lookup import find_visible
from concord.permissions.opinions import (
    may_change_opinion,
    office_takes,
    require_handles,
    require_sees,
)
from drafting.errors import BadInput, Conflict
from drafting.services import audit


def list_opinions(
    session: Session,
    user: User,
    jurisdiction: str,
    *,
    status: str | None = None,
    station_id: int | None = None,
    overdue_on: date | None = None,
    limit: int = 500,
) -> list[OpinionIntake]:
    """Return a jurisdiction's opinions, oldest open first; `overdue_on` keeps only late ones."""
    require_sees(user, jurisdiction)
    if status is not None and status not in STATUS_NAMES:
        raise BadInput(_("status 应为 received、handling、replied 或 closed。"), field="status")
    query = (
        select(OpinionIntake)
        .join(OpinionIntake.proposal)
        .options(
            joinedload(OpinionIntake.proposal),
            joinedload(OpinionIntake.station),
            selectinload(OpinionIntake.photo),
        )
        .where(Proposal.jurisdiction_code == jurisdiction, Proposal.kind == "opinion")
    )
    if status:
        query = query.where(Proposal.status == status)
    if station_id is not None:
        query = query.where(OpinionIntake.station_id == station_id)
    if overdue_on is not None:
        query = query.where(Proposal.status.in_(OPEN_STATUSES), Proposal.deadline < overdue_on)
    # Waiting to be sorted first, then open items by deadline, then answered ones, newest first.
    stage = case((Proposal.status == "received", 0), (Proposal.status == "handling", 1), else_=2)
    query = query.order_by(
        stage,
        case((stage == 2, None), else_=Proposal.deadline),
        OpinionIntake.submitted_at.desc(),
    )
    return list(session.scalars(query.limit(limit)).unique())


def get_opinion(session: Session, user: User, opinion_id: int) -> OpinionIntake:
    """Return one opinion the user may see; 404 otherwise."""
    return find_visible(
        session,
        OpinionIntake,
        opinion_id,
        _("找不到该意见或联络站。"),
        lambda i: require_sees(user, i.proposal.jurisdiction_code),
    )


def opinion_json(intake: OpinionIntake, user: User, today: date) -> dict:
    """Return the API form of an opinion; the contact only for the recording jurisdiction."""
    p = intake.proposal
    data = {
        "id": intake.proposal_id,
        "tracking_number": intake.tracking_number,
        "station": intake.station.name if intake.station else None,
        "station_id": intake.station_id,
        "jurisdiction": p.jurisdiction_code,
        "district": intake.district,
        "category": intake.category,
        "text": p.text,
        "status": p.status,
        "handling": intake.handling,
        "difficulty": intake.difficulty,
        "assignee": p.office,
        "deadline": p.deadline.isoformat() if p.deadline else None,
        "overdue": is_overdue(p, today),
        "reply": p.reply,
        "submitted_at": intake.submitted_at.isoformat(),
        "has_photo": intake.photo is not None,
        "fed_into": p.fed_into_id,
        "office": intake.office_id,
        "reopened": intake.reopened or 0,
    }
    if sees_contact(user, p.jurisdiction_code):
        data["contact"] = p.contact
    return data


def deadline_days(session: Session, jurisdiction: str) -> dict[str, int]:
    """Return the working days to reply per difficulty for a jurisdiction."""
    days = dict(DEFAULT_DAYS)
    rules = session.scalars(
        select(DeadlineRule).where(DeadlineRule.jurisdiction_code == jurisdiction)
    )
    days.update({r.difficulty: r.days for r in rules})
    return days


def set_deadline_days(
    session: Session, user: User, jurisdiction: str, days: dict[str, int]
) -> None:
    """Set the working days to reply per difficulty for the user's jurisdiction."""
    require_handles(user, jurisdiction)
    for difficulty, n in days.items():
        if difficulty not in DIFFICULTIES or not isinstance(n, int) or not 1 <= n <= 365:
            raise BadInput(_("办理时限应为 1 到 365 之间的工作日数。"), field=difficulty)
    for difficulty, n in days.items():
        rule = session.get(DeadlineRule, (jurisdiction, difficulty))
        if rule is None:
            session.add(DeadlineRule(jurisdiction_code=jurisdiction, difficulty=difficulty, days=n))
        else:
            rule.days = n
    audit.record(session, user, "opinion.deadlines", summary=str(days))
    session.commit()


@dataclass
class Triage:
    """One triage step: any field left None stays as it was."""

    handling: str | None = None
    assignee: str | None = None
    difficulty: str | None = None
    deadline: date | None = None
    reply: str | None = None
    note: str = ""
    close: bool = False
    office_id: int | None = None


def triage_opinion(
    session: Session, user: User, opinion_id: int, step: Triage, *, today: date | None = None
) -> OpinionIntake:
    """Record a handling type, office, deadline, reply or closing of an opinion, as one step."""
    today = today or beijing_today()
    intake = get_opinion(session, user, opinion_id)
    p = intake.proposal
    require_handles(user, p.jurisdiction_code)
    if step.handling is not None and step.handling not in HANDLINGS:
        raise BadInput(
            _("handling 应为 direct、assign、transfer、report 或 supervise。"), field="handling"
        )
    if step.difficulty is not None and step.difficulty not in DIFFICULTIES:
        raise BadInput(_("difficulty 应为 simple、normal 或 complex。"), field="difficulty")
    if step.assignee is not None and len(step.assignee) > 120:
        raise BadInput(_("承办单位不能超过 120 字。"), field="assignee")
    if step.deadline is not None and step.deadline < intake.submitted_at.date():
        raise BadInput(_("办理期限不能早于收到意见的日期。"), field="deadline")
    reply = (step.reply or "").strip()
    if not may_change_opinion(p.status):
        raise Conflict(_("该意见已办结，如需继续办理，请先“重新办理”并说明理由。"))
    if step.close and not (reply or p.reply):
        raise BadInput(_("办结前请先填写答复。"), field="reply")
    if (
        step.handling is None
        and intake.handling is None
        and (reply or step.assignee or step.office_id)
    ):
        raise BadInput(_("请先选择办理方式。"), field="handling")

    public: list[str] = []
    internal: list[str] = []
    if step.office_id is not None and step.office_id != intake.office_id:
        office = session.get(Office, step.office_id)
        handling = step.handling or intake.handling
        if office is None or not office_takes(
            office.jurisdiction_code, office.active, office.handlings, p.jurisdiction_code, handling
        ):
            raise BadInput(_("请从本地区的承办单位名录中选择承办此类事项的单位。"), field="office")
        intake.office_id = office.id
        step.assignee = office.name
    if step.handling is not None and step.handling != intake.handling:
        intake.handling = step.handling
        public.append(_("办理方式：{h}", h=_(HANDLING_NAMES[step.handling])))
    if step.assignee is not None and step.assignee.strip() != p.office:
        p.office = step.assignee.strip()
        public.append(_("承办单位：{o}", o=p.office))
    if step.difficulty is not None and step.difficulty != intake.difficulty:
        intake.difficulty = step.difficulty
        internal.append(_("难易程度：{d}", d=_(DIFFICULTY_NAMES[step.difficulty])))
        if step.deadline is None:
            days = deadline_days(session, p.jurisdiction_code)[step.difficulty]
            p.deadline = add_working_days(today, days)
            public.append(_("答复期限：{d}", d=p.deadline.isoformat()))
    if step.deadline is not None and step.deadline != p.deadline:
        p.deadline = step.deadline
        public.append(_("答复期限：{d}", d=p.deadline.isoformat()))
    if intake.handling is not None and p.status == "received":
        p.status = "handling"
    if reply and reply != p.reply:
        p.reply = reply
        p.replied_at = utcnow()
        p.status = "replied"
        public.append(_("已答复"))
    if step.close:
        p.status = "closed"
        public.append(_("已办结"))
    if step.note.strip():
        internal.append(step.note.strip())
    if not public and not internal:
        raise BadInput(_("没有需要记录的变化。"), field="handling")
    p.updated_at = utcnow()
    if public:
        intake.events.append(
            OpinionEvent(user_id=user.id, action="triage", summary="；".join(public), public=True)
        )
    if internal:
        intake.events.append(
            OpinionEvent(user_id=user.id, action="note", summary="；".join(internal), public=False)
        )
    audit.record(session, user, "opinion.triage", obj=p, summary="；".join(public + internal)[:500])
    session.commit()
    return intake


def feed_suggestion(
    session: Session, user: User, opinion_id: int, *, suggestion_id: int | None = None
) -> Proposal:
    """Turn an opinion into a deputy's suggestion, or feed it into an existing one, as it is."""
    intake = get_opinion(session, user, opinion_id)
    p = intake.proposal
    require_handles(user, p.jurisdiction_code)
    if suggestion_id is not None:
        target = session.get(Proposal, suggestion_id)
        if (
            target is None
            or target.jurisdiction_code != p.jurisdiction_code
            or target.kind not in ("suggestion", "motion")
        ):
            raise BadInput(_("请选择本地区的一件代表建议或议案。"), field="suggestion")
    else:
        target = Proposal(
            kind="suggestion",
            title=p.title,
            text=p.text,
            submitters=[],
            jurisdiction_code=p.jurisdiction_code,
            between_sessions=True,
            received_on=beijing_today(),
            channel=p.channel,
            status="received",
            recorded_by_id=user.id,
        )
        session.add(target)
        session.flush()
    p.fed_into_id = target.id
    intake.events.append(
        OpinionEvent(
            user_id=user.id,
            action="suggestion",
            summary=_("已转为代表建议：{t}", t=target.title),
            public=True,
        )
    )
    audit.record(session, user, "opinion.suggestion", obj=p, summary=target.title)
    session.commit()
    return target


def suggestions_of(session: Session, user: User, jurisdiction: str) -> list[Proposal]:
    """Return the jurisdiction's suggestions and motions an opinion may join, newest first."""
    require_sees(user, jurisdiction)
    query = select(Proposal).where(
        Proposal.jurisdiction_code == jurisdiction, Proposal.kind.in_(("suggestion", "motion"))
    )
    return list(session.scalars(query.order_by(Proposal.id.desc()).limit(200)))
