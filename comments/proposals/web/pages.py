"""Proposal pages: the list, the record form, a proposal with its chain and clauses, imports."""

from __future__ import annotations

import base64
import binascii

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from comments.opinions.services import supervision
from comments.proposals.models import CHANNELS, KINDS, is_overdue
from comments.proposals.services import links, proposals, traceability
from comments.proposals.services import spreadsheet_import as proposal_import
from comments.proposals.services.fields import kind_names, read_fields, status_names
from concord.clock import today as beijing_today
from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.permissions import proposals as rules
from concord.permissions.contacts import sees_contact
from concord.permissions.opinions import may_supervise
from concord.web.auth import login_required
from concord.web.downloads import DOCX, download
from drafting.errors import BadInput, ConcordError
from drafting.services import projects

bp = Blueprint("proposals", __name__)


def _names() -> dict:
    return {
        "kind_names": kind_names(),
        "status_names": status_names(),
        "is_overdue": is_overdue,
        "display_name": proposals.display_name,
    }


@bp.get("/proposals")
@login_required
def proposal_list():
    """List the proposals the user may see, filtered by kind or project."""
    s = request_session()
    project = None
    if request.args.get("project"):
        project = projects.get_project(s, g.user, request.args["project"])
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else None
    items = proposals.visible_proposals(s, g.user, project=project, kind=kind)
    return render_template(
        "proposals/list.html", items=items, project=project, kind=kind, kinds=KINDS, **_names()
    )


def _form(error: str | None = None, errors=None, status: int = 200):
    s = request_session()
    return render_template(
        "proposals/new.html",
        form=request.form,
        error=error,
        errors={e.field: e.message for e in errors or []},
        kinds=KINDS,
        channels=CHANNELS,
        projects=proposals.projects_for(s, g.user),
        **_names(),
    ), status


@bp.get("/proposals/new")
@login_required
def proposal_new():
    """Show the form that records a proposal or opinion."""
    return _form()


@bp.post("/proposals/new")
@login_required
def proposal_create():
    """Record a proposal; a form with errors comes back with each field's message."""
    s = request_session()
    data = request.form.to_dict()
    data["between_sessions"] = "1" if request.form.get("between_sessions") else ""
    fields, errors = read_fields(data)
    if errors:
        return _form(_("请改正标出的字段。"), errors, 400)
    try:
        with unit_of_work(s):
            proposal = proposals.add_proposal(s, g.user, fields)
    except ConcordError as err:
        return _form(err.message, None, err.status)
    flash(_("已登记{name}。", name=proposals.display_name(proposal)))
    return redirect(url_for("proposals.proposal_page", proposal_id=proposal.id))


@bp.get("/proposals/<int:proposal_id>")
@login_required
def proposal_page(proposal_id: int):
    """Show a proposal with its chain, the clauses it produced, and suggested clauses."""
    s = request_session()
    proposal = proposals.get_proposal(s, g.user, proposal_id)
    up, down = proposals.chain_of(g.user, proposal)
    views = links.links_of(s, g.user, proposal)
    by_draft: dict = {}
    for v in views:
        by_draft.setdefault(v.draft, []).append(v)
    choices = links.link_choices(s, g.user, proposal, request.args.get("draft"))
    return render_template(
        "proposals/proposal.html",
        proposal=proposal,
        up=up,
        down=down,
        by_draft=by_draft,
        choices=choices,
        suggestions=links.suggest_provisions(s, g.user, proposal),
        sees_contact=sees_contact(g.user, proposal.jurisdiction_code),
        may_answer=rules.may_answer(g.user, proposal),
        may_link=bool(choices.drafts),
        # The same rule the unlink service applies, per draft, so no button leads to a 403.
        may_unlink={d.id for d in by_draft if rules.may_link(g.user, proposal, d)},
        targets=[
            p
            for p in proposals.visible_proposals(s, g.user)
            if p.kind in ("suggestion", "motion") and p.id != proposal.id
        ],
        supervision=supervision.supervision_of(s, proposal.id)
        if proposal.kind in supervision.SUPERVISED_KINDS
        else None,
        supervised_id=proposal.id,
        can_supervise=proposal.kind in supervision.SUPERVISED_KINDS
        and may_supervise(g.user, proposal.jurisdiction_code),
        today=beijing_today(),
        **_names(),
    )


@bp.post("/proposals/<int:proposal_id>/links")
@login_required
def link_create(proposal_id: int):
    """Link the proposal to a provision chosen in the form or among the suggestions."""
    s = request_session()
    proposal = proposals.get_proposal(s, g.user, proposal_id)
    if not request.form.get("provision"):
        raise BadInput(_("请选择要关联的条款。"))
    with unit_of_work(s):
        view = links.add_link(
            s, g.user, proposal, request.form["provision"], note=request.form.get("note", "")
        )
    flash(_("已关联《{title}》{label}。", title=view.draft.title, label=view.label))
    return redirect(url_for("proposals.proposal_page", proposal_id=proposal.id) + "#links")


@bp.post("/proposals/<int:proposal_id>/links/<int:link_id>/delete")
@login_required
def link_delete(proposal_id: int, link_id: int):
    """Remove a link."""
    s = request_session()
    proposal = proposals.get_proposal(s, g.user, proposal_id)
    links.unlink(s, g.user, proposal, link_id)
    flash(_("已取消关联。"))
    return redirect(url_for("proposals.proposal_page", proposal_id=proposal.id) + "#links")


@bp.post("/proposals/<int:proposal_id>/answer")
@login_required
def proposal_answer(proposal_id: int):
    """Change status, office, deadline, reply and what the proposal fed into."""
    s = request_session()
    proposal = proposals.get_proposal(s, g.user, proposal_id)
    data = {
        "kind": proposal.kind,
        "title": proposal.title,
        "status": request.form.get("status", ""),
        "deadline": request.form.get("deadline", ""),
        "fed_into": request.form.get("fed_into", ""),
    }
    fields, errors = read_fields(data)
    if errors:
        raise BadInput("；".join(e.message for e in errors))
    proposals.answer_proposal(
        s,
        g.user,
        proposal,
        status=fields.status,
        office=request.form.get("office", "").strip()[:120],
        deadline=fields.deadline,
        reply=request.form.get("reply", "").strip(),
        fed_into=fields.fed_into,
    )
    flash(_("已保存办理情况。"))
    return redirect(url_for("proposals.proposal_page", proposal_id=proposal.id))


@bp.get("/projects/<int:project_id>/traceability")
@login_required
def traceability_report(project_id: int):
    """Show the project's traceability report, or download it as .docx or CSV."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    report = traceability.build_report(s, g.user, project)
    fmt = request.args.get("format", "html")
    name = _("{title}建议意见落实情况表", title=project.title)
    if fmt == "csv":
        return download(traceability.report_csv(report), f"{name}.csv", "text/csv")
    if fmt == "docx":
        return download(traceability.report_docx(report), f"{name}.docx", DOCX)
    if fmt != "html":
        raise BadInput(_("不支持的格式“{f}”：可选 html、docx、csv。", f=fmt))
    return render_template(
        "proposals/traceability.html", report=report, link_state=traceability.link_state, **_names()
    )


@bp.get("/proposals/import")
@login_required
def import_form():
    """Show the import form."""
    return render_template("proposals/import.html", preview=None, payload=None, error=None)


@bp.post("/proposals/import")
@login_required
def import_upload():
    """Preview an uploaded file, or, on confirmation, record all its rows or none."""
    s = request_session()
    if request.form.get("confirm"):
        try:
            data = base64.b64decode(request.form.get("payload", ""), validate=True)
        except (binascii.Error, ValueError):
            raise BadInput(_("导入内容已损坏，请重新上传。")) from None
        filename = request.form.get("filename", "")
        try:
            with unit_of_work(s):
                count = proposal_import.confirm_import(s, g.user, filename, data)
        except ConcordError as err:
            preview = proposal_import.preview_import(s, g.user, filename, data) if data else None
            return render_template(
                "proposals/import.html", preview=preview, payload=None, error=err.message
            ), err.status
        flash(_("已导入 {n} 件。", n=count))
        return redirect(url_for("proposals.proposal_list"))
    file = request.files.get("file")
    if file is None or not file.filename:
        return render_template(
            "proposals/import.html",
            preview=None,
            payload=None,
            error=_("请选择 .csv 或 .xlsx 文件。"),
        ), 400
    data = file.read()
    try:
        preview = proposal_import.preview_import(s, g.user, file.filename, data)
    except ConcordError as err:
        return render_template(
            "proposals/import.html", preview=None, payload=None, error=err.message
        ), err.status
    return render_template(
        "proposals/import.html",
        preview=preview,
        payload=base64.b64encode(data).decode() if preview.ok else None,
        error=None,
        **_names(),
    ), (200 if preview.ok else 422)
