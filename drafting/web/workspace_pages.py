"""Workspace pages: projects, project dashboard, stages, audit log."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from concord.db import request_session
from concord.i18n import gettext as _
from concord.permissions.workspace import (
    may_create_draft,
    may_create_project,
    may_manage_project,
    may_record_stage,
    require,
)
from concord.web import fields, home
from concord.web.auth import login_required
from concord.web.downloads import download
from drafting.core.spreadsheets import csv_bytes
from drafting.errors import ConcordError
from drafting.models import STAGES
from drafting.services import audit, audit_log, projects

bp = Blueprint("workspace", __name__)


@bp.get("/")
def index():
    """The home page: the user's tasks with counts."""
    return home.render_home()


@bp.get("/projects")
@login_required
def project_list():
    """List the projects the user's jurisdiction takes part in."""
    items = projects.visible_projects(request_session(), g.user)
    return render_template(
        "drafting/projects.html", projects=items, may_create=may_create_project(g.user)
    )


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required
def project_new():
    """Create a coordinated legislation project."""
    require(may_create_project(g.user), g.user)
    s = request_session()
    cities = projects.jurisdictions(s, exclude_level="county")
    error = None
    if request.method == "POST":
        try:
            project = projects.create_project(
                s,
                g.user,
                title=request.form.get("title", ""),
                subject=request.form.get("subject", ""),
                lead=request.form.get("lead") or g.user.jurisdiction_code,
                participants=request.form.getlist("participants"),
            )
        except ConcordError as err:
            error = err.message
        else:
            flash(_("项目已创建。"))
            return redirect(url_for("workspace.dashboard", project_id=project.id))
    return render_template(
        "drafting/project_new.html", cities=list(cities), error=error, form=request.form
    ), (422 if error else 200)


@bp.get("/projects/<int:project_id>")
@login_required
def dashboard(project_id: int):
    """Show every city's stage, the drafts and recent activity of a project."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    activity = audit.entries(s, project, limit=15)
    may_manage = may_manage_project(g.user, project)
    others = []
    if may_manage:
        taken = project.participant_codes()
        others = [
            j for j in projects.jurisdictions(s, exclude_level="province") if j.code not in taken
        ]
    return render_template(
        "drafting/dashboard.html",
        project=project,
        stages=STAGES,
        activity=activity,
        may_manage=may_manage,
        others=others,
        may_audit=may_manage,
        may_add_draft=any(
            may_create_draft(g.user, project, p.jurisdiction_code, False)
            for p in project.participants
        )
        or may_create_draft(g.user, project, project.lead_code, True),
        stage_editable={
            p.jurisdiction_code: may_record_stage(g.user, project, p.jurisdiction_code)
            for p in project.participants
        },
    )


@bp.post("/projects/<int:project_id>/stages")
@login_required
def record_stage(project_id: int):
    """Record that a participating city reached a stage."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    projects.record_stage(
        s,
        g.user,
        project,
        jurisdiction=request.form.get("jurisdiction", ""),
        stage=request.form.get("stage", ""),
        on=fields.optional_date(request.form.get("on"), "on"),
        note=request.form.get("note", ""),
    )
    flash(_("阶段已更新。"))
    return redirect(url_for("workspace.dashboard", project_id=project.id) + "#stages")


@bp.post("/projects/<int:project_id>/participants")
@login_required
def add_participant(project_id: int):
    """Add a participating jurisdiction to a project (the lead's drafters)."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    part = projects.add_participant(s, g.user, project, request.form.get("jurisdiction", ""))
    flash(_("已添加参与地区：{name}", name=part.jurisdiction.name))
    return redirect(url_for("workspace.dashboard", project_id=project.id) + "#stages")


def _audit_filter() -> audit_log.AuditFilter:
    """Read the audit log's filters from the query string."""
    args = request.args
    return audit_log.AuditFilter(
        who=fields.optional_id(args.get("who") or None, "who"),
        action=args.get("action", "")[:40],
        since=fields.optional_date(args.get("since"), "since"),
        until=fields.optional_date(args.get("until"), "until"),
        draft=fields.optional_id(args.get("draft") or None, "draft"),
    )


@bp.get("/projects/<int:project_id>/audit", endpoint="audit_log")
@login_required
def audit_log_page(project_id: int):
    """Show the project's audit log (who changed what, when) to the lead, filtered and paged."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    per_page = 50
    f = _audit_filter()
    entries, total = audit_log.audit_page(s, g.user, project, f, page=page, per_page=per_page)
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "drafting/audit.html",
        project=project,
        entries=entries,
        page=page,
        pages=max(1, -(-total // per_page)),
        total=total,
        filters=f,
        query=query,
        people=audit_log.people_in(s, project),
        actions=audit_log.actions_in(s, project),
        action_name=audit_log.action_name,
    )


@bp.get("/projects/<int:project_id>/audit.csv")
@login_required
def audit_csv(project_id: int):
    """Download the filtered audit log as CSV (UTF-8 with BOM; formula cells neutralised)."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    rows = audit_log.audit_rows(s, g.user, project, _audit_filter())
    return download(csv_bytes(rows[0], rows[1:]), f"audit-{project.id}.csv", "text/csv")
