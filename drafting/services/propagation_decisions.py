"""A city's decisions on common-text changes: accept (apply as revisions) or decline, and the log.

What is offered, and how it would apply, is computed in `propagation`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions.workspace import may_edit_draft, require
from drafting.errors import BadInput, Conflict, NotFound
from drafting.models import Draft, Project, PropagationDecision
from drafting.services import audit
from drafting.services.drafts import load_tree
from drafting.services.editing import write_text
from drafting.services.propagation import Change, pending_changes, write_back


def _find(
    session: Session, user: User, project: Project, draft_id: int, common_id: int
) -> tuple[Draft, Change]:
    draft = session.get(Draft, draft_id)
    if draft is None or draft.project_id != project.id or draft.is_common:
        raise NotFound(_("找不到该地区文本。"))
    require(may_edit_draft(user, draft), user, draft.project)
    change = next(
        (
            c
            for c in pending_changes(session, user, project, draft=draft)
            if c.common_id == common_id
        ),
        None,
    )
    if change is None:
        raise Conflict(_("该条文没有待处理的协同文本修改（可能已被处理）。"))
    return draft, change


def accept_change(
    session: Session,
    user: User,
    project: Project,
    *,
    draft: int,
    common: int,
    city_revision: int | None = None,
    reason: str = "",
) -> PropagationDecision:
    """Apply a common-text change to the city's article as 'propagate' revisions, and record it."""
    city_draft, change = _find(session, user, project, draft, common)
    if city_revision is not None and change.city_revision != city_revision:
        raise Conflict(_("本市条文在您查看后已被修改，请重新查看后再同步。"))
    if not change.applicable:
        raise Conflict(
            _(
                "{label}的修改无法自动同步到{city}文本，请手工修改或拒绝。",
                label=change.common_label,
                city=city_draft.jurisdiction.name,
            )
        )
    tree = load_tree(session, city_draft)
    reason = reason.strip() or _("同步协同文本{label}的修改", label=change.common_label)
    last = None
    for node, line in write_back(tree, change.city_ids, change.proposed) or []:
        current = node.text or ""
        if line == current:
            continue
        last = write_text(session, user, node.id, text=line, action="propagate", reason=reason)
    return _decide(
        session,
        user,
        project,
        city_draft,
        change,
        "accepted",
        reason,
        city_revision_id=last.id if last else None,
        summary=_(
            "{city}接受协同文本{label}的修改（{status}），同步至本市{own}",
            city=city_draft.jurisdiction.name,
            label=change.common_label,
            status=change.status,
            own=change.city_label,
        ),
        before=change.city_text,
        after=change.proposed,
    )


def decline_change(
    session: Session,
    user: User,
    project: Project,
    *,
    draft: int,
    common: int,
    reason: str,
) -> PropagationDecision:
    """Record that the city keeps its text despite a common-text change, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(_("请说明不同步的理由。"))
    city_draft, change = _find(session, user, project, draft, common)
    return _decide(
        session,
        user,
        project,
        city_draft,
        change,
        "declined",
        reason,
        summary=_(
            "{city}不同步协同文本{label}的修改：{reason}",
            city=city_draft.jurisdiction.name,
            label=change.common_label,
            reason=reason,
        ),
        before=change.old_text,
        after=change.new_text,
    )


def _decide(
    session: Session,
    user: User,
    project: Project,
    city_draft: Draft,
    change: Change,
    decision: str,
    reason: str,
    *,
    summary: str,
    before: str,
    after: str,
    city_revision_id: int | None = None,
) -> PropagationDecision:
    """Record a city's decision on a common-text change, with its audit entry, and commit."""
    record = PropagationDecision(
        draft_id=city_draft.id,
        common_provision_id=change.common_id,
        common_revision_id=change.common_revision,
        common_text=change.new_text,
        decision=decision,
        status=change.status,
        city_revision_id=city_revision_id,
        reason=reason[:2000],
        decided_by_id=user.id,
    )
    session.add(record)
    session.flush()
    action = "propagation.accept" if decision == "accepted" else "propagation.decline"
    audit.record(
        session,
        user,
        action,
        project=project,
        obj=record,
        summary=summary,
        before=before,
        after=after,
    )
    session.commit()
    return record


def decision_log(
    session: Session, project: Project, *, limit: int = 100
) -> list[PropagationDecision]:
    """Return the project's propagation decisions, newest first."""
    ids = [d.id for d in project.drafts]
    if not ids:
        return []
    return list(
        session.scalars(
            select(PropagationDecision)
            .where(PropagationDecision.draft_id.in_(ids))
            .order_by(PropagationDecision.id.desc())
            .limit(limit)
        )
    )


def may_decide(user: User, project: Project) -> dict[int, bool]:
    """Return, per city draft id, whether the user may accept or decline its changes."""
    return {d.id: may_edit_draft(user, d) for d in project.drafts if not d.is_common}
