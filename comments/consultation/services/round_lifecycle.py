"""A round's life after it opens: closed early, extended, reopened; each change audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from comments.consultation.models import Round
from concord.accounts.models import User
from concord.db import utcnow
from concord.i18n import gettext as _
from concord.permissions import consultation as rules
from drafting.errors import BadInput, Conflict, NotPermitted
from drafting.services import audit


def _state(round_: Round) -> str:
    closed = _("（已提前截止）") if round_.closed_at is not None else ""
    return f"{round_.opens.isoformat()} — {round_.closes.isoformat()}{closed}"


def change_round(
    session: Session,
    user: User,
    round_: Round,
    *,
    open: bool | None = None,
    closes: date | None = None,
    today: date,
) -> Round:
    """Close a round now (`open=False`), move its closing date, or reopen it; one audited change."""
    rules.require_sees(user, round_.draft)
    if not rules.may_change_round(user, round_):
        raise NotPermitted(_("只有起草该文本的地区的起草人员可以截止、延期或重新开放征求意见。"))
    if open is None and closes is None:
        raise BadInput(_("请说明要截止、延期还是重新开放。"), field="action")
    before = _state(round_)
    was_open = round_.is_open(today)
    if open is False:
        if not was_open:
            raise Conflict(_("本轮征求意见已经截止。"))
        round_.closed_at = utcnow()
        action, summary = "round.close", _("提前截止征求意见“{name}”", name=round_.title)
    else:
        if closes is not None:
            if closes < round_.opens:
                raise BadInput(_("截止日期不能早于开始日期。"), field="closes")
            if closes < today:
                raise BadInput(_("新的截止日期不能早于今天。"), field="closes")
            round_.closes = closes
        if open is True:
            if was_open:
                raise Conflict(_("本轮征求意见仍在进行中。"))
            if round_.closes < today:
                raise BadInput(_("重新开放须给出新的截止日期。"), field="closes")
            round_.closed_at = None
            action, summary = "round.reopen", _("重新开放征求意见“{name}”", name=round_.title)
        else:
            new = round_.closes.isoformat()
            action = "round.extend"
            summary = _("征求意见“{name}”截止日期改为 {d}", name=round_.title, d=new)
    session.flush()
    audit.record(
        session,
        user,
        action,
        project=round_.draft.project_id,
        obj=round_,
        summary=summary,
        before=before,
        after=_state(round_),
    )
    session.commit()
    return round_
