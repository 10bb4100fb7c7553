"""Reconciliation pages: the matrix, a row's versions side by side, pins, propagation."""

from __future__ import annotations

from html import escape

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup

from concord.db import request_session
from concord.i18n import gettext as _
from concord.web import fields
from concord.web.auth import login_required
from drafting.core.placenames import jurisdiction_diff
from drafting.errors import NotFound
from drafting.files.matrix_docx import matrix_docx, status_names
from drafting.services import matrix as reconciliation
from drafting.services import pins as alignment_pins
from drafting.services import projects, propagation, propagation_decisions
from drafting.web import responses as drafts_io
from drafting.web.html_diffs import side_html

bp = Blueprint("reconciliation", __name__)


def _html(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def place_diff_html(common: str, city: str, names) -> Markup:
    """Return the city's text marked against the common text; name-only changes marked apart."""
    out = []
    for op, a, b in jurisdiction_diff(common, city, names):
        if op == "equal":
            out.append(_html(b))
        elif op == "jurisdiction":
            title = escape(_("协同文本：{a}", a=a))
            out.append(f'<mark class="place" title="{title}">{_html(b)}</mark>')
        else:
            if a:
                out.append(f"<del>{_html(a)}</del>")
            if b:
                out.append(f"<ins>{_html(b)}</ins>")
    return Markup("".join(out))


@bp.get("/projects/<int:project_id>/reconciliation")
@login_required
def matrix(project_id: int):
    """Show the article-by-article matrix of the common text and every city's draft."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    result = reconciliation.project_reconciliation(s, g.user, project)
    if request.args.get("format") == "docx":
        return drafts_io.download(
            matrix_docx(result), f"{project.title}逐条比对表.docx", drafts_io.DOCX
        )
    return render_template(
        "drafting/reconciliation.html",
        project=project,
        matrix=result,
        statuses=status_names(),
        cell_statuses=reconciliation.CELL_STATUSES,
    )


@bp.get("/projects/<int:project_id>/reconciliation/rows/<int:provision_id>")
@login_required
def row(project_id: int, provision_id: int):
    """Show one aligned row's versions side by side, with place-name differences marked."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    result = reconciliation.project_reconciliation(s, g.user, project)
    found = result.row_of(provision_id)
    if found is None:
        raise NotFound(_("该条文不在逐条比对表中（可能已被删除）。"))
    pivot_text = result.pivot.text(found.cells[0].keys)
    sides = []
    for v, (column, cell) in enumerate(zip(result.columns, found.cells, strict=True)):
        text = column.text(cell.keys)
        if v == 0 or not cell.keys:
            html = Markup(_html(text))
        elif not found.cells[0].keys:
            html = Markup(_html(text))
        else:
            html = place_diff_html(pivot_text, text, result.names)
        sides.append({"column": column, "cell": cell, "html": html, "index": v})
    index = result.rows.index(found)
    return render_template(
        "drafting/reconciliation_row.html",
        project=project,
        matrix=result,
        row=found,
        sides=sides,
        statuses=status_names(),
        pins=result.pins_of(found),
        may_pin=alignment_pins.may_pin(g.user, result),
        previous=result.rows[index - 1] if index else None,
        following=result.rows[index + 1] if index + 1 < len(result.rows) else None,
    )


@bp.post("/projects/<int:project_id>/reconciliation/pins")
@login_required
def pin(project_id: int):
    """Pin a city's article to a common-text article, or to no counterpart."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    pinned = alignment_pins.pin_alignment(
        s,
        g.user,
        project,
        draft=fields.required_id(
            request.form.get("draft"), "draft", _("draft 应为本项目中一个地区文本的编号。")
        ),
        common=fields.optional_id(request.form.get("common"), "common"),
        city=fields.optional_id(request.form.get("city"), "city"),
    )
    flash(_("已固定对应关系。"))
    back = pinned.city_provision_id or pinned.common_provision_id
    return redirect(url_for("reconciliation.row", project_id=project.id, provision_id=back))


@bp.post("/projects/<int:project_id>/reconciliation/pins/<int:pin_id>/delete")
@login_required
def unpin(project_id: int, pin_id: int):
    """Remove a pin."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    removed = alignment_pins.unpin_alignment(s, g.user, pin_id)
    flash(_("已取消固定，对应关系按内容重新比对。"))
    back = request.form.get("back", type=int) or removed.common_provision_id
    if back:
        return redirect(url_for("reconciliation.row", project_id=project.id, provision_id=back))
    return redirect(url_for("reconciliation.matrix", project_id=project.id))


@bp.get("/projects/<int:project_id>/propagation")
@login_required
def propagation_page(project_id: int):
    """List the common-text changes each city has yet to accept or decline."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    draft_id = request.args.get("draft", type=int)
    draft = next((d for d in project.drafts if d.id == draft_id and not d.is_common), None)
    result = reconciliation.project_reconciliation(s, g.user, project)
    changes = propagation.pending_changes(s, g.user, project, draft=draft, matrix=result)
    for change in changes:
        change.common_diff = side_html(change.old_text, change.new_text)[1]
        change.city_diff = (
            side_html(change.city_text, change.proposed)[1] if change.proposed else None
        )
    return render_template(
        "drafting/propagation.html",
        project=project,
        matrix=result,
        draft=draft,
        changes=changes,
        may_decide=propagation_decisions.may_decide(g.user, project),
        log=propagation_decisions.decision_log(s, project),
    )


@bp.post("/projects/<int:project_id>/propagation/<decision>")
@login_required
def propagation_decide(project_id: int, decision: str):
    """Accept (apply) or decline a common-text change for a city's draft."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    args = {
        "draft": fields.required_id(request.form.get("draft"), "draft"),
        "common": fields.required_id(request.form.get("common"), "common"),
        "reason": request.form.get("reason", ""),
    }
    if decision == "accept":
        propagation_decisions.accept_change(
            s,
            g.user,
            project,
            city_revision=fields.optional_id(request.form.get("city_revision"), "city_revision"),
            **args,
        )
        flash(_("已同步到本市文本。"))
    elif decision == "decline":
        propagation_decisions.decline_change(s, g.user, project, **args)
        flash(_("已记录不同步的决定和理由。"))
    else:
        raise NotFound(_("未知的操作。"))
    return redirect(
        url_for(
            "reconciliation.propagation_page",
            project_id=project.id,
            draft=request.form.get("filter") or None,
        )
    )


def draft_links(draft) -> list[dict]:
    """Link each draft to the project's matrix, and a city's draft to its pending changes."""
    project = draft.project
    if len(project.drafts) < 2:
        return []
    links = [
        {
            "url": url_for("reconciliation.matrix", project_id=project.id),
            "label": _("逐条比对"),
        }
    ]
    if not draft.is_common and any(d.is_common for d in project.drafts):
        links.append(
            {
                "url": url_for(
                    "reconciliation.propagation_page", project_id=project.id, draft=draft.id
                ),
                "label": _("同步协同文本"),
            }
        )
    return links
