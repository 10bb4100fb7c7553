"""The public side: a resident sends an opinion by a station's code and follows it by number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comments.opinions.core import tracking
from comments.opinions.core.quarters import add_working_days
from comments.opinions.files.photos import clean_photo
from comments.opinions.models import CATEGORIES, OpinionEvent, OpinionIntake, OpinionPhoto
from comments.opinions.services import intake_guards as guards
from comments.opinions.services.intake_guards import STAMP_LIFETIME, Limits, Replayed, Throttled
from comments.opinions.services.stations import station_by_code
from comments.opinions.services.triage import deadline_days
from comments.proposals.models import Proposal
from concord.clock import beijing
from concord.db import utcnow
from concord.i18n import gettext as _
from concord.limits import MAX_CONTACT, MAX_OPINION_TEXT
from drafting.errors import BadInput, NotFound

DEFAULT_LIMITS = Limits()
__all__ = [
    "STAMP_LIFETIME",
    "Limits",
    "Replayed",
    "Submission",
    "Throttled",
    "submit_opinion",
    "track",
]


@dataclass
class Submission:
    """What the resident typed, parsed by the web layer."""

    category: str
    text: str
    contact: str = ""
    photo: bytes | None = None
    trap: str = ""  # the hidden field people never see and bots fill in
    seconds_on_form: float | None = None  # None when the form's timestamp is missing or forged
    stamp: str = ""  # the opened form's one-time nonce, from its signed stamp


def submit_opinion(
    session: Session,
    code: str,
    form: Submission,
    *,
    client_hash: str,
    limits: Limits = DEFAULT_LIMITS,
    now: datetime | None = None,
) -> OpinionIntake:
    """Check, throttle and store a resident's opinion with its photo in one commit."""
    now = now or utcnow()
    station = station_by_code(session, code)
    text = (form.text or "").strip()
    if not text:
        raise BadInput(_("请写下您的意见或建议。"), field="text")
    if len(text) > MAX_OPINION_TEXT:
        raise BadInput(_("意见不能超过 {n} 字。", n=MAX_OPINION_TEXT), field="text")
    if form.category not in CATEGORIES:
        raise BadInput(_("请选择意见类别。"), field="category")
    contact = (form.contact or "").strip()
    if len(contact) > MAX_CONTACT:
        raise BadInput(_("联系方式不能超过 {n} 字。", n=MAX_CONTACT), field="contact")
    if (
        form.trap
        or not form.stamp
        or form.seconds_on_form is None
        or form.seconds_on_form < limits.min_fill_seconds
    ):
        # Said plainly, with the form kept: a person who was merely quick sends it again.
        raise BadInput(_("提交太快了，请核对内容后再点一次“提交”。"), field="form")
    # The photo is cleaned before the gates are taken: others wait only for the counting.
    photo = clean_photo(form.photo) if form.photo else None
    guards.use_stamp(session, form.stamp, now)
    guards.throttle(session, station.id, client_hash, limits, now)

    opinion = Proposal(
        kind="opinion",
        title=_title(text),
        text=text,
        submitters=[],
        jurisdiction_code=station.jurisdiction_code,
        received_on=beijing(now).date(),
        channel="代表联络站" if station.kind == "station" else "扫码",
        status="received",
        contact=contact,
        created_at=now,
        updated_at=now,
    )
    session.add(opinion)
    session.flush()
    intake = OpinionIntake(
        proposal_id=opinion.id,
        station_id=station.id,
        tracking_number=tracking.new_number(),
        category=form.category,
        district=station.district,
        client_hash=client_hash,
        submitted_at=now,
    )
    session.add(intake)
    if photo is not None:
        intake.photo = OpinionPhoto(
            content_type=photo.content_type, width=photo.width, height=photo.height, data=photo.data
        )
    intake.events.append(
        OpinionEvent(at=now, action="received", summary=_("已收到，等待联络站分办。"), public=True)
    )
    try:
        session.commit()
    except IntegrityError:  # a tracking number drawn twice in 2^60: draw again, once
        session.rollback()
        return submit_opinion(session, code, form, client_hash=client_hash, limits=limits, now=now)
    guards.prune_now_and_then(session, now)
    return intake


def _title(text: str) -> str:
    first = text.splitlines()[0].strip()
    return first if len(first) <= 40 else first[:39] + "…"


@dataclass
class Tracked:
    """What a resident may see of their own submission: never contact details or internal notes."""

    number: str
    station: str
    category: str
    text: str
    status: str
    submitted_at: datetime
    deadline: object
    reply: str
    replied_at: datetime | None
    steps: list[tuple[datetime, str]]
    has_photo: bool


def track(session: Session, typed_number: str) -> Tracked:
    """Return the public view of one submission; any wrong number is simply not found."""
    number = tracking.normalise(typed_number)
    intake = None
    if number is not None:
        intake = session.scalar(
            select(OpinionIntake).where(OpinionIntake.tracking_number == number)
        )
    if intake is None:
        raise NotFound(_("没有找到这个受理编号，请核对后重新输入。"))
    opinion = intake.proposal
    return Tracked(
        number=intake.tracking_number,
        station=intake.station.name if intake.station else "",
        category=intake.category,
        text=opinion.text,
        status=opinion.status,
        submitted_at=intake.submitted_at,
        deadline=opinion.deadline,
        reply=opinion.reply,
        replied_at=opinion.replied_at,
        steps=[(e.at, e.summary) for e in intake.events if e.public],
        has_photo=intake.photo is not None,
    )


def expected_reply_by(session: Session, intake: OpinionIntake) -> date:
    """Return the day a reply is due: one working day to sort plus a normal case's days."""
    days = deadline_days(session, intake.proposal.jurisdiction_code)["normal"]
    return add_working_days(beijing(intake.submitted_at).date(), days + 1)
