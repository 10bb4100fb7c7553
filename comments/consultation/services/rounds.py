"""Opening consultation rounds (征求意见) and finding them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from comments.consultation.models import VISIBILITIES, Round, RoundInvitation
from comments.consultation.services import notices
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions.consultation import may_run_rounds, require_sees
from concord.permissions.lookup import find_visible
from drafting.errors import BadInput, NotPermitted
from drafting.models import Draft, Jurisdiction, Version
from drafting.services import audit


def build_round(
    session: Session,
    user: User,
    draft: Draft,
    *,
    title: str,
    opens: date,
    closes: date,
    invited: list[str],
    visibility: str = "shared",
    version_id: int | None = None,
) -> Round:
    """Check and add a round to the session, with its audit entry; the caller commits it."""
    require_sees(user, draft)
    if not may_run_rounds(user, draft):
        raise NotPermitted(_("只有起草该文本的地区的起草人员可以发起征求意见。"))
    title = (title or "").strip()
    if not title:
        raise BadInput(_("请填写征求意见的名称。"), field="title")
    if len(title) > 200:
        raise BadInput(_("名称不能超过 200 个字符。"), field="title")
    if closes < opens:
        raise BadInput(_("截止日期不能早于开始日期。"), field="closes")
    if visibility not in VISIBILITIES:
        raise BadInput(_("请选择意见可见范围。"), field="visibility")
    codes = list(dict.fromkeys(c.strip() for c in invited if c and c.strip()))
    if not codes:
        raise BadInput(_("请至少邀请一个地区。"), field="invited")
    participants = draft.project.participant_codes()
    for code in codes:
        if code not in participants or session.get(Jurisdiction, code) is None:
            raise BadInput(_("{code} 不是本项目的参与地区。", code=code), field="invited")
    version = None
    if version_id is not None:
        version = session.get(Version, version_id)
        if version is None or version.draft_id != draft.id:
            raise BadInput(_("版本 {id} 不是该文本的版本。", id=version_id), field="version")
    elif draft.versions:
        version = draft.versions[-1]
    round_ = Round(
        draft=draft,
        version=version,
        title=title,
        opens=opens,
        closes=closes,
        visibility=visibility,
        created_by_id=user.id,
    )
    round_.invitations = [RoundInvitation(jurisdiction_code=c) for c in codes]
    session.add(round_)
    session.flush()
    audit.record(
        session,
        user,
        "round.open",
        project=draft.project_id,
        obj=round_,
        summary=_(
            "就《{title}》发起征求意见“{name}”（{opens} 至 {closes}）",
            title=draft.title,
            name=title,
            opens=opens.isoformat(),
            closes=closes.isoformat(),
        ),
    )
    notices.round_opened(session, user, round_)
    return round_


def get_round(session: Session, user: User, round_id: int | str) -> Round:
    """Return a round the user may see; 404 otherwise."""
    return find_visible(
        session, Round, round_id, _("找不到该轮征求意见。"), lambda r: require_sees(user, r.draft)
    )


def rounds_of(session: Session, draft: Draft) -> list[Round]:
    """Return a draft's rounds, newest first."""
    return list(
        session.scalars(
            select(Round)
            .where(Round.draft_id == draft.id)
            .order_by(Round.opens.desc(), Round.id.desc())
        )
    )


def round_json(round_: Round, today: date | None = None) -> dict:
    """Return a round as the API shows it."""
    return {
        "id": round_.id,
        "draft": round_.draft_id,
        "version": round_.version.name if round_.version else None,
        "title": round_.title,
        "opens": round_.opens.isoformat(),
        "closes": round_.closes.isoformat(),
        "invited": sorted(round_.invited_codes()),
        "visibility": round_.visibility,
        "open": round_.is_open(today) if today else None,
        "closed_early": round_.closed_at is not None,
    }
