"""An adviser confirms or dismisses a finding of the legality review, with a note; audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.db import utcnow
from concord.i18n import gettext as _
from concord.limits import MAX_NOTE
from concord.permissions.workspace import may_decide_review, require
from drafting.core.review.model import KINDS
from drafting.errors import BadInput
from drafting.models import Provision
from drafting.review_models import DECISIONS, ReviewDecision
from drafting.services import audit
from drafting.services.drafts import get_draft


def decide(
    session: Session,
    user: User,
    draft_id: int,
    *,
    provision_id: int,
    fingerprint: str,
    label: str,
    kind: str,
    decision: str,
    note: str = "",
) -> ReviewDecision:
    """Record (or change) the decision on one finding of a draft; one transaction."""
    draft = get_draft(session, user, draft_id)
    require(
        may_decide_review(user, draft),
        user,
        draft.project,
        _("只有法律顾问和本文本的起草人员可以处理审查意见。"),
    )
    if decision not in DECISIONS:
        raise BadInput(_("处理结果应为 confirmed 或 dismissed。"))
    if kind not in KINDS:
        raise BadInput(_("未知的审查意见类型“{kind}”。", kind=kind))
    fingerprint, note = (fingerprint or "").strip(), (note or "").strip()
    if not fingerprint or len(fingerprint) > 400:
        raise BadInput(_("缺少审查意见的标识。"))
    if len(note) > MAX_NOTE:
        raise BadInput(_("说明不能超过 {n} 个字符。", n=MAX_NOTE))
    if decision == "dismissed" and not note:
        raise BadInput(_("不予采纳审查意见时请写明理由。"))
    if provision_id:
        prov = session.get(Provision, provision_id)
        if prov is None or prov.draft_id != draft.id:
            raise BadInput(_("该条款不属于本文本。"))
    row = session.scalar(
        select(ReviewDecision).where(
            ReviewDecision.draft_id == draft.id,
            ReviewDecision.provision_id == provision_id,
            ReviewDecision.fingerprint == fingerprint,
        )
    )
    before = f"{row.decision}: {row.note}" if row is not None else None
    if row is None:
        row = ReviewDecision(
            draft_id=draft.id, provision_id=provision_id, fingerprint=fingerprint, kind=kind
        )
        session.add(row)
    row.label, row.decision, row.note, row.decided_by_id = label[:40], decision, note, user.id
    row.decided_at = utcnow()
    session.flush()
    audit.record(
        session,
        user,
        f"review.{'confirm' if decision == 'confirmed' else 'dismiss'}",
        project=draft.project_id,
        obj=row,
        summary=_(
            "《{title}》{label}的审查意见（{kind}）：{decision}",
            title=draft.title,
            label=label,
            kind=kind,
            decision=_("确认") if decision == "confirmed" else _("不予采纳"),
        ),
        before=before,
        after=f"{decision}: {note}",
    )
    session.commit()
    return row
