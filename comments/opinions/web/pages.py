"""Staff pages: stations and their posters, the opinion queue, triage, the quarterly report."""

from __future__ import annotations

import base64

from flask import (
    Blueprint,
    Response,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from comments.opinions.core.quarters import quarter_choices, quarter_label, quarter_of
from comments.opinions.models import (
    DIFFICULTIES,
    DIFFICULTY_NAMES,
    HANDLING_NAMES,
    HANDLINGS,
    OFFICE_KIND_NAMES,
    RATING_NAMES,
    STATUS_NAMES,
)
from comments.opinions.services import (
    offices,
    quarterly,
    queue_marks,
    satisfaction,
    stations,
    supervision,
    triage,
)
from comments.proposals.models import is_overdue
from concord.clock import today as beijing_today
from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.permissions.contacts import sees_contact
from concord.permissions.opinions import (
    handles_opinions,
    may_supervise,
)
from concord.web import fields
from concord.web.auth import login_required
from concord.web.downloads import DOCX, download
from concord.web.public_address import is_loopback, public_base, public_url
from drafting.errors import BadInput, Conflict, NotFound

bp = Blueprint("stations", __name__)


def _public_url(code: str) -> str:
    return public_url(url_for("intake.form", code=code))


@bp.get("/stations")
@login_required
def station_list():
    """List the jurisdiction's stations and deputies' codes, with their posters."""
    s = request_session()
    jurisdiction = request.args.get("jurisdiction") or g.user.jurisdiction_code
    items = stations.stations_of(s, g.user, jurisdiction)
    return render_template(
        "opinions/stations.html",
        stations=items,
        jurisdiction=jurisdiction,
        public_url=_public_url,
        base_url=public_base(),
        loopback=is_loopback(public_base()),
        can_handle=handles_opinions(g.user, jurisdiction),
        days=triage.deadline_days(s, jurisdiction),
        difficulties=DIFFICULTIES,
        difficulty_names=DIFFICULTY_NAMES,
    )


@bp.post("/stations")
@login_required
def station_create():
    """Create a station or a deputy's code from the form."""
    station = stations.create_station(
        request_session(),
        g.user,
        kind=request.form.get("kind", "station"),
        name=request.form.get("name", ""),
        jurisdiction=g.user.jurisdiction_code,
        district=request.form.get("district", ""),
    )
    flash(_("已创建：{name}", name=station.name))
    return redirect(url_for("stations.station_list"))


@bp.post("/stations/deadlines")
@login_required
def deadlines():
    """Set the working days to reply per difficulty."""
    days: dict[str, int] = {}
    for difficulty in DIFFICULTIES:
        raw = request.form.get(difficulty, "").strip()
        if not raw.isdigit():
            raise BadInput(_("办理时限应为 1 到 365 之间的工作日数。"), field=difficulty)
        days[difficulty] = int(raw)
    triage.set_deadline_days(request_session(), g.user, g.user.jurisdiction_code, days)
    flash(_("办理时限已保存。"))
    return redirect(url_for("stations.station_list"))


@bp.get("/stations/<int:station_id>/poster.<fmt>")
@login_required
def poster(station_id: int, fmt: str):
    """Download the printable poster (PNG or PDF)."""
    station = stations.get_station(request_session(), g.user, station_id)
    data, mimetype = stations.poster_file(station, _public_url(station.code), fmt)
    return download(data, f"{station.name}-二维码海报.{fmt}", mimetype)


@bp.get("/stations/<int:station_id>/qr.<fmt>")
@login_required
def qr(station_id: int, fmt: str):
    """Show the bare QR code (PNG or SVG)."""
    station = stations.get_station(request_session(), g.user, station_id)
    data, mimetype = stations.qr(_public_url(station.code), fmt)
    return Response(data, mimetype=mimetype)


@bp.get("/opinions")
@login_required
def queue():
    """The queue of residents' opinions, open and overdue first."""
    s = request_session()
    jurisdiction = request.args.get("jurisdiction") or g.user.jurisdiction_code
    status = request.args.get("status") or None
    today = beijing_today()
    overdue = request.args.get("overdue") == "1"
    station = request.args.get("station", "")
    items = triage.list_opinions(
        s,
        g.user,
        jurisdiction,
        status=status,
        station_id=int(station) if station.isdigit() else None,
        overdue_on=today if overdue else None,
    )
    marks = queue_marks.queue_marks(s, g.user, jurisdiction, [i.proposal_id for i in items], today)
    return render_template(
        "opinions/queue.html",
        items=items,
        marks=marks,
        rating_names=RATING_NAMES,
        jurisdiction=jurisdiction,
        status=status,
        overdue=overdue,
        today=today,
        statuses=STATUS_NAMES,
        handling_names=HANDLING_NAMES,
        is_overdue=is_overdue,
        stations=stations.stations_of(s, g.user, jurisdiction),
        quarter=quarter_of(today),
    )


def opinion_page(intake, *, values=None, error=None, field=None, confirm=False, status=200):
    """Render one opinion with its history, ratings, supervision and the triage form."""
    s = request_session()
    jurisdiction = intake.proposal.jurisdiction_code
    html = render_template(
        "opinions/opinion.html",
        item=intake,
        p=intake.proposal,
        today=beijing_today(),
        statuses=STATUS_NAMES,
        handlings=HANDLINGS,
        handling_names=HANDLING_NAMES,
        difficulties=DIFFICULTIES,
        difficulty_names=DIFFICULTY_NAMES,
        is_overdue=is_overdue,
        show_contact=sees_contact(g.user, jurisdiction),
        suggestions=triage.suggestions_of(s, g.user, jurisdiction),
        can_handle=handles_opinions(g.user, jurisdiction),
        offices=offices.offices_of(s, g.user, jurisdiction, active_only=True),
        office_kind_names=OFFICE_KIND_NAMES,
        ratings=satisfaction.ratings_of(s, intake.proposal_id),
        rating_names=RATING_NAMES,
        read_only=satisfaction.is_read_only(intake.proposal.status),
        supervision=supervision.supervision_of(s, intake.proposal_id),
        supervised_id=intake.proposal_id,
        can_supervise=may_supervise(g.user, jurisdiction),
        values=values or {},
        error=error,
        field=field,
        confirm_close=confirm,
    )
    return html, status


@bp.get("/opinions/<int:opinion_id>")
@login_required
def opinion(opinion_id: int):
    """One opinion with its history, the triage form and the suggestion it fed."""
    return opinion_page(triage.get_opinion(request_session(), g.user, opinion_id))


@bp.get("/opinions/<int:opinion_id>/photo")
@login_required
def photo(opinion_id: int):
    """The resident's photo, as re-encoded on arrival."""
    intake = triage.get_opinion(request_session(), g.user, opinion_id)
    if intake.photo is None:
        raise NotFound(_("这条意见没有照片。"))
    return Response(intake.photo.data, mimetype=intake.photo.content_type)


TRIAGE_FIELDS = ("handling", "office", "difficulty", "deadline", "reply", "note")


@bp.post("/opinions/<int:opinion_id>/triage")
@login_required
def triage_form(opinion_id: int):
    """Record one triage step; 办结 asks to confirm; on a problem the form keeps what was typed."""
    s = request_session()
    form = request.form
    values = {k: form.get(k, "") for k in TRIAGE_FIELDS}
    intake = triage.get_opinion(s, g.user, opinion_id)
    closing = form.get("close") == "1"
    if closing:
        values["close"] = "1"
    try:
        with unit_of_work(s):
            office = values["office"].strip()
            if office and not office.isdigit():
                raise BadInput(
                    _("请从本地区的承办单位名录中选择承办此类事项的单位。"), field="office"
                )
            step = triage.Triage(
                handling=values["handling"] or None,
                office_id=int(office) if office else None,
                difficulty=values["difficulty"] or None,
                deadline=fields.optional_date(
                    request.form.get("deadline"), _("答复期限"), "deadline"
                ),
                reply=values["reply"] or None,
                note=values["note"],
                close=closing,
            )
            if closing and form.get("confirmed") != "1":
                values.pop("close")
                return opinion_page(intake, values=values, confirm=True)
            triage.triage_opinion(s, g.user, opinion_id, step)
    except (BadInput, Conflict) as err:
        intake = triage.get_opinion(s, g.user, opinion_id)
        return opinion_page(
            intake,
            values=values,
            error=err.message,
            field=err.details.get("field"),
            status=err.status,
        )
    flash(_("已记录。"))
    return redirect(url_for("stations.opinion", opinion_id=opinion_id))


@bp.post("/opinions/<int:opinion_id>/suggestion")
@login_required
def suggestion_form(opinion_id: int):
    """Turn the opinion into a deputy's suggestion, or feed it into an existing one."""
    raw = request.form.get("suggestion", "").strip()
    if raw and not raw.isdigit():
        raise BadInput(_("suggestion 应为代表建议的编号。"), field="suggestion")
    target = triage.feed_suggestion(
        request_session(), g.user, opinion_id, suggestion_id=int(raw) if raw else None
    )
    flash(_("已转为代表建议：{t}", t=target.title))
    return redirect(url_for("stations.opinion", opinion_id=opinion_id))


def report_response(jurisdiction: str, quarter: str, fmt: str, *, page: bool = False):
    """Return the quarterly report as a page, JSON or a .docx download."""
    if fmt not in ("html", "docx", "json"):
        raise BadInput(_("format 应为 html、docx 或 json。"), field="format")
    s = request_session()
    try:
        report = quarterly.quarterly_report(s, g.user, jurisdiction, quarter)
    except BadInput as err:
        if not page or err.details.get("field") != "quarter":
            raise
        # The page answers a bad quarter beside the field, with the list to choose from.
        html = render_template(
            "opinions/report.html",
            report=None,
            jurisdiction=jurisdiction,
            quarter=quarter,
            quarters=quarter_choices(beijing_today()),
            quarter_label=quarter_label,
            error=err.message,
        )
        return html, 400
    if fmt == "docx":
        return download(quarterly.report_docx(report), f"{report.filename}.docx", DOCX)
    if fmt == "json":
        return jsonify(quarterly.report_json(report))
    charts = {
        name: base64.b64encode(png).decode()
        for name, png in quarterly.report_charts(report).items()
    }
    return render_template(
        "opinions/report.html",
        report=report,
        charts=charts,
        jurisdiction=jurisdiction,
        quarter=report.quarter,
        quarters=quarter_choices(beijing_today(), report.quarter),
        quarter_label=quarter_label,
        can_handle=handles_opinions(g.user, jurisdiction),
        error=None,
    )


@bp.get("/reports/quarterly")
@login_required
def report_page():
    """The 民情民意专报 of a jurisdiction and quarter."""
    return report_response(
        request.args.get("jurisdiction") or g.user.jurisdiction_code,
        request.args.get("quarter") or quarter_of(beijing_today()),
        request.args.get("format", "html"),
        page=True,
    )
