"""Staff pages closing the loop: handling offices, reopening, 重点督办, concerns → suggestions."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from comments.opinions.core.quarters import add_working_days
from comments.opinions.models import HANDLING_NAMES, HANDLINGS, OFFICE_KIND_NAMES, OFFICE_KINDS
from comments.opinions.services import concerns, offices, satisfaction, supervision, triage
from comments.opinions.web.pages import opinion_page
from concord.clock import today as beijing_today
from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.permissions.opinions import manages_offices
from concord.web.auth import login_required
from drafting.errors import BadInput, Conflict

bp = Blueprint("loop", __name__)


def _back(default: str) -> str:
    """Return a same-site path posted as `back`, else the default."""
    back = request.form.get("back", "")
    return back if back.startswith("/") and not back.startswith("//") else default


@bp.get("/offices")
@login_required
def office_list():
    """The jurisdiction's directory of handling offices, with the form to add one."""
    jurisdiction = request.args.get("jurisdiction") or g.user.jurisdiction_code
    return _office_page(jurisdiction)


def _office_page(jurisdiction: str, *, values=None, error=None, field=None, status=200):
    items = offices.offices_of(request_session(), g.user, jurisdiction)
    html = render_template(
        "opinions/offices.html",
        offices=items,
        jurisdiction=jurisdiction,
        kinds=OFFICE_KINDS,
        kind_names=OFFICE_KIND_NAMES,
        handlings=HANDLINGS,
        handling_names=HANDLING_NAMES,
        can_manage=manages_offices(g.user, jurisdiction),
        values=values or {},
        error=error,
        field=field,
    )
    return html, status


@bp.post("/offices")
@login_required
def office_add():
    """Add an office to the directory; a problem is shown beside the form, typed values kept."""
    s = request_session()
    values = {"name": request.form.get("name", ""), "kind": request.form.get("kind", "")}
    try:
        with unit_of_work(s):
            office = offices.add_office(
                s,
                g.user,
                g.user.jurisdiction_code,
                name=values["name"],
                kind=values["kind"],
                handlings=request.form.getlist("handlings"),
            )
    except (BadInput, Conflict) as err:
        field = err.details.get("field", "name")
        return _office_page(
            g.user.jurisdiction_code,
            values=values,
            error=err.message,
            field=field,
            status=err.status,
        )
    flash(_("已加入名录：{n}", n=office.name))
    return redirect(url_for("loop.office_list"))


@bp.post("/offices/<int:office_id>/active")
@login_required
def office_active(office_id: int):
    """Take an office off the triage list, or put it back."""
    active = request.form.get("active") == "1"
    offices.set_office_active(request_session(), g.user, office_id, active)
    return redirect(url_for("loop.office_list"))


@bp.post("/opinions/<int:opinion_id>/reopen")
@login_required
def reopen(opinion_id: int):
    """Reopen a replied or closed opinion, with a reason that is kept in its history."""
    s = request_session()
    reason = request.form.get("reason", "")
    intake = triage.get_opinion(s, g.user, opinion_id)
    days = triage.deadline_days(s, intake.proposal.jurisdiction_code)["normal"]
    try:
        with unit_of_work(s):
            satisfaction.reopen_opinion(
                s, g.user, opinion_id, reason, deadline=add_working_days(beijing_today(), days)
            )
    except BadInput as err:
        intake = triage.get_opinion(s, g.user, opinion_id)
        return opinion_page(
            intake, values={"reason": reason}, error=err.message, field="reason", status=400
        )
    flash(_("已重新办理。"))
    return redirect(url_for("stations.opinion", opinion_id=opinion_id))


def _dates(raw: str) -> list[date]:
    """Parse follow-up dates written 2026-12-20, 2027-01-10 (commas, spaces or 、 between)."""
    out = []
    for part in raw.replace("，", ",").replace("、", ",").replace(" ", ",").split(","):
        if part.strip():
            try:
                out.append(date.fromisoformat(part.strip()))
            except ValueError:
                raise BadInput(
                    _("跟进日期应写作 YYYY-MM-DD：{d}", d=part.strip()[:20]), field="follow_ups"
                ) from None
    return out


@bp.post("/proposals/<int:proposal_id>/supervision")
@login_required
def supervise(proposal_id: int):
    """Put a suggestion or opinion under key supervision, or change its supervisor and dates."""
    supervision.supervise(
        request_session(),
        g.user,
        proposal_id,
        supervisor=request.form.get("supervisor", ""),
        follow_ups=_dates(request.form.get("follow_ups", "")),
        note=request.form.get("note", ""),
        today=beijing_today(),
    )
    flash(_("重点督办已保存。"))
    return redirect(_back(url_for("stations.opinion", opinion_id=proposal_id)))


@bp.post("/follow-ups/<int:follow_up_id>/done")
@login_required
def follow_up_done(follow_up_id: int):
    """Record a follow-up as done."""
    supervision.follow_up_done(
        request_session(),
        g.user,
        follow_up_id,
        note=request.form.get("note", ""),
        today=beijing_today(),
    )
    flash(_("已记录跟进情况。"))
    return redirect(_back(url_for("stations.queue")))


@bp.post("/reports/concerns/suggestion")
@login_required
def concern_suggestion():
    """Draft a deputy's suggestion from a recurring concern, fed by all its opinions."""
    raw = request.form.get("opinions", "")
    parts = [x for x in raw.split(",") if x.strip()]
    if not parts or not all(x.strip().isdigit() for x in parts):
        raise BadInput(_("请选择一个规律性问题。"), field="opinions")
    suggestion, fed = concerns.draft_suggestion(
        request_session(),
        g.user,
        g.user.jurisdiction_code,
        [int(x) for x in parts],
        request.form.get("title", ""),
    )
    flash(_("已起草代表建议“{t}”，汇集 {n} 件群众意见。", t=suggestion.title, n=fed))
    return redirect(url_for("proposals.proposal_page", proposal_id=suggestion.id))
