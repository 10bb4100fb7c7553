"""Stations and deputies' codes: create one, find it by its code, print its poster."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from comments.opinions.files import poster
from comments.opinions.models import STATION_KINDS, Station
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions.lookup import find_visible
from concord.permissions.opinions import require_handles, require_sees
from drafting.errors import BadInput, NotFound
from drafting.models import Jurisdiction
from drafting.services import audit

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_code() -> str:
    """Return a short random code for a public intake address (no 0/o, 1/l/i)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def create_station(
    session: Session,
    user: User,
    *,
    kind: str,
    name: str,
    jurisdiction: str,
    district: str = "",
    commit: bool = True,
) -> Station:
    """Create a station or a deputy's code in the user's jurisdiction."""
    name = (name or "").strip()
    if kind not in STATION_KINDS:
        raise BadInput(_("kind 应为 station（联络站）或 deputy（代表）。"), field="kind")
    if not name or len(name) > 120:
        raise BadInput(_("请填写名称（不超过 120 字）。"), field="name")
    if session.get(Jurisdiction, jurisdiction or "") is None:
        raise BadInput(_("未知的行政区划代码：{code}。", code=jurisdiction), field="jurisdiction")
    require_handles(user, jurisdiction)
    station = Station(
        kind=kind,
        name=name,
        code=new_code(),
        jurisdiction_code=jurisdiction,
        district=(district or "").strip()[:80],
        created_by_id=user.id,
    )
    session.add(station)
    session.flush()
    audit.record(session, user, "station.create", obj=station, summary=name)
    if commit:
        session.commit()
    return station


def station_by_code(session: Session, code: str) -> Station:
    """Return the active station behind a public code, or NotFound."""
    station = session.scalar(select(Station).where(Station.code == (code or "").lower()))
    if station is None or not station.active:
        raise NotFound(_("这个二维码已失效或不存在。"))
    return station


def get_station(session: Session, user: User, station_id: int) -> Station:
    """Return a station the user may see; 404 otherwise."""
    return find_visible(
        session,
        Station,
        station_id,
        _("找不到该意见或联络站。"),
        lambda st: require_sees(user, st.jurisdiction_code),
    )


def stations_of(session: Session, user: User, jurisdiction: str) -> list[Station]:
    """Return a jurisdiction's stations and deputies, stations first."""
    require_sees(user, jurisdiction)
    query = select(Station).where(Station.jurisdiction_code == jurisdiction)
    return list(session.scalars(query.order_by(Station.kind.desc(), Station.id)))


def station_json(station: Station, url: str) -> dict:
    """Return the API form of a station."""
    return {
        "id": station.id,
        "kind": station.kind,
        "name": station.name,
        "jurisdiction": station.jurisdiction_code,
        "district": station.district,
        "code": station.code,
        "url": url,
    }


def qr(url: str, fmt: str) -> tuple[bytes, str]:
    """Return the QR code of a public address as PNG or SVG, with its media type."""
    if fmt == "svg":
        return poster.qr_svg(url), "image/svg+xml"
    if fmt == "png":
        return poster.qr_png(url), "image/png"
    raise BadInput(_("format 应为 png 或 svg。"), field="format")


def poster_file(station: Station, url: str, fmt: str) -> tuple[bytes, str]:
    """Return the printable poster as PNG or PDF, with its media type."""
    heading = _("民情民意 扫码直达") if station.kind == "station" else _("人大代表 扫码联系")
    fields = {
        "name": station.name,
        "heading": heading,
        "instructions": "\n".join(
            [
                _("用手机扫描二维码，说说身边的问题和建议"),
                _("提交后凭受理编号随时查看办理进度和答复"),
            ]
        ),
        "url": url,
    }
    if fmt == "pdf":
        return poster.poster_pdf(**fields), "application/pdf"
    if fmt == "png":
        return poster.poster_png(**fields), "image/png"
    raise BadInput(_("format 应为 png 或 pdf。"), field="format")
