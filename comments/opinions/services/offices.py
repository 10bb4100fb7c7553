"""Each jurisdiction's directory of handling offices (承办单位), which triage picks from."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from comments.opinions.models import HANDLINGS, OFFICE_KINDS, Office
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions.opinions import manages_offices, require_sees
from drafting.errors import BadInput, Conflict, NotPermitted
from drafting.models import Jurisdiction
from drafting.services import audit


def offices_of(
    session: Session, user: User, jurisdiction: str, *, active_only: bool = False
) -> list[Office]:
    """Return a jurisdiction's handling offices, by kind and name."""
    require_sees(user, jurisdiction)
    query = select(Office).where(Office.jurisdiction_code == jurisdiction)
    if active_only:
        query = query.where(Office.active.is_(True))
    rows = session.scalars(query.order_by(Office.name)).all()
    return sorted(rows, key=lambda o: (OFFICE_KINDS.index(o.kind), o.name))


def add_office(
    session: Session,
    user: User,
    jurisdiction: str,
    *,
    name: str,
    kind: str,
    handlings: list[str],
) -> Office:
    """Add a handling office to the jurisdiction's directory."""
    require_sees(user, jurisdiction)
    if not manages_offices(user, jurisdiction):
        raise NotPermitted(_("只有本地区的起草人员或管理员可以维护承办单位名录。"))
    if session.get(Jurisdiction, jurisdiction) is None:
        raise BadInput(_("找不到该行政区划。"), field="jurisdiction")
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise BadInput(_("请填写承办单位名称（不超过 120 字）。"), field="name")
    if kind not in OFFICE_KINDS:
        raise BadInput(_("kind 应为 {k} 之一。", k="、".join(OFFICE_KINDS)), field="kind")
    if not isinstance(handlings, list) or any(h not in HANDLINGS for h in handlings):
        raise BadInput(
            _("handlings 应为 direct、assign、transfer、report、supervise 的列表。"),
            field="handlings",
        )
    taken = session.scalar(
        select(Office.id).where(Office.jurisdiction_code == jurisdiction, Office.name == name)
    )
    if taken is not None:
        raise Conflict(_("名录中已有该承办单位：{n}", n=name))
    office = Office(
        jurisdiction_code=jurisdiction,
        name=name,
        kind=kind,
        handlings=[h for h in HANDLINGS if h in handlings],
    )
    session.add(office)
    session.flush()
    audit.record(session, user, "office.add", obj=office, summary=name)
    session.commit()
    return office


def set_office_active(session: Session, user: User, office_id: int, active: bool) -> Office:
    """Take an office off the list offered at triage, or put it back; its history stays."""
    office = session.get(Office, office_id)
    if office is None:
        raise BadInput(_("找不到该承办单位。"), field="office")
    require_sees(user, office.jurisdiction_code)
    if not manages_offices(user, office.jurisdiction_code):
        raise NotPermitted(_("只有本地区的起草人员或管理员可以维护承办单位名录。"))
    office.active = active
    audit.record(session, user, "office.active", obj=office, summary=f"{office.name}: {active}")
    session.commit()
    return office


def office_json(office: Office) -> dict:
    """Return the API form of an office."""
    return {
        "id": office.id,
        "name": office.name,
        "jurisdiction": office.jurisdiction_code,
        "kind": office.kind,
        "handlings": list(office.handlings or []),
        "active": office.active,
    }
