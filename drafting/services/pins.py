"""Hand corrections of the reconciliation: pin a city's article to a common-text article or none."""

from __future__ import annotations

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions import workspace as permissions
from concord.permissions.workspace import require
from drafting.errors import BadInput, NotFound
from drafting.models import AlignmentPin, Draft, Project, Provision
from drafting.services import audit
from drafting.services.drafts import load_tree
from drafting.services.matrix import Matrix, ordered_drafts


def _article_of(session: Session, provision_id: int, draft: Draft, what: str) -> Provision:
    prov = session.get(Provision, provision_id)
    if prov is None or prov.draft_id != draft.id or prov.deleted or prov.kind != "article":
        raise BadInput(
            _(
                "{what} {id} 不是《{title}》的现行条文。",
                what=what,
                id=provision_id,
                title=draft.title,
            )
        )
    return prov


def pin_alignment(
    session: Session,
    user: User,
    project: Project,
    *,
    draft: int,
    common: int | None = None,
    city: int | None = None,
) -> AlignmentPin:
    """Pin a city's article to a common-text article, or either of them to "no counterpart"."""
    drafts, _has_common = ordered_drafts(project)
    city_draft = next((d for d in drafts[1:] if d.id == draft), None)
    if city_draft is None:
        raise BadInput(_("draft 应为本项目中一个地区文本的编号。"))
    require(permissions.may_pin(user, project, city_draft), user, project)
    if common is None and city is None:
        raise BadInput(_("请至少指定一方的条文（common 或 city）。"))
    common_prov = _article_of(session, common, drafts[0], "common") if common else None
    city_prov = _article_of(session, city, city_draft, "city") if city else None
    # A new pin replaces the ones it contradicts: the city article's earlier pairing, and
    # a "no counterpart in this city" for the common article (or a pairing, for the reverse).
    stale = [AlignmentPin.draft_id == city_draft.id]
    if city_prov is not None:
        clash = AlignmentPin.city_provision_id == city_prov.id
        if common_prov is not None:
            clash = or_(
                clash,
                (AlignmentPin.common_provision_id == common_prov.id)
                & AlignmentPin.city_provision_id.is_(None),
            )
    else:
        clash = AlignmentPin.common_provision_id == common_prov.id
    session.execute(delete(AlignmentPin).where(*stale, clash))
    pin = AlignmentPin(
        project_id=project.id,
        draft_id=city_draft.id,
        common_provision_id=common_prov.id if common_prov else None,
        city_provision_id=city_prov.id if city_prov else None,
        created_by_id=user.id,
    )
    session.add(pin)
    session.flush()
    audit.record(
        session,
        user,
        "alignment.pin",
        project=project,
        obj=pin,
        summary=_describe_pin(session, pin, city_draft),
    )
    session.commit()
    return pin


def _describe_pin(session: Session, pin: AlignmentPin, city_draft: Draft) -> str:
    def label(pid):
        if pid is None:
            return _("无对应条文")
        prov = session.get(Provision, pid)
        node = load_tree(session, prov.draft).nodes.get(pid)
        return node.label if node else _("已删除的条文")

    return _(
        "{city}：固定对应 协同文本{common} ↔ {own}",
        city=city_draft.jurisdiction.name,
        common=label(pin.common_provision_id),
        own=label(pin.city_provision_id),
    )


def unpin_alignment(session: Session, user: User, pin_id: int) -> AlignmentPin:
    """Remove a pin; the alignment goes back to what the content suggests."""
    pin = session.get(AlignmentPin, pin_id)
    if pin is None:
        raise NotFound(_("找不到该对应关系。"))
    project = session.get(Project, pin.project_id)
    city_draft = session.get(Draft, pin.draft_id)
    require(permissions.may_pin(user, project, city_draft), user, project)
    summary = _("取消固定：") + _describe_pin(session, pin, city_draft)
    session.delete(pin)
    audit.record(session, user, "alignment.unpin", project=project, obj=pin, summary=summary)
    session.commit()
    return pin


def may_pin(user: User, matrix: Matrix) -> dict[int, bool]:
    """Return, per city draft id, whether the user may pin that city's alignments."""
    return {c.draft.id: permissions.may_pin(user, matrix.project, c.draft) for c in matrix.cities}
