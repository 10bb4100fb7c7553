"""Draft pages: creating, reading, importing a revised file, versions, comparison, export.

Editing pages (an article's form, structure changes, history) are in `editing_pages`, on the
same blueprint.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.permissions.workspace import (
    may_create_draft,
    may_edit_draft,
    require,
)
from concord.web import fields
from concord.web.auth import login_required
from drafting.errors import ConcordError
from drafting.services import article_tools, drafts, editing, projects, versions
from drafting.web import responses as drafts_io
from drafting.web.draft_parts import draft_parts, part_to_show
from drafting.web.html_diffs import diff_html

bp = Blueprint("drafts", __name__)

# Other packages add links to each article (comments, proposals) and to each draft
# (reconciliation) without this package importing them.
ARTICLE_LINKS: list = []
DRAFT_LINKS: list = []
# Short badges beside an article in the table of contents (comment counts).
ARTICLE_BADGES: list = []
# Notices above a draft's text (an open consultation round for the reader's city).
DRAFT_NOTICES: list = []


@bp.app_context_processor
def _link_providers():
    def article_links(draft, article):
        return [link for provider in ARTICLE_LINKS for link in provider(draft, article)]

    def draft_links(draft):
        return [link for provider in DRAFT_LINKS for link in provider(draft)]

    def article_badges(draft, article):
        return [badge for provider in ARTICLE_BADGES for badge in provider(draft, article)]

    def draft_notices(draft):
        return [notice for provider in DRAFT_NOTICES for notice in provider(draft)]

    return {
        "article_links": article_links,
        "draft_links": draft_links,
        "article_badges": article_badges,
        "draft_notices": draft_notices,
    }


def _draft_context(s, draft, tree):
    return {
        "draft": draft,
        "project": draft.project,
        "tree": tree,
        "may_edit": may_edit_draft(g.user, draft),
        "siblings": [d for d in draft.project.drafts if d.id != draft.id],
    }


def require_edit(draft) -> None:
    """Refuse, with the reason, a change to a draft the user may read but not edit."""
    require(
        may_edit_draft(g.user, draft),
        g.user,
        draft.project,
        _("只有本地区的起草人员可以修改此文本。"),
    )


@bp.get("/projects/<int:project_id>/drafts/new")
@login_required
def draft_new(project_id: int):
    """Show the form that creates a draft from text, a file or the common text."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    return _new_form(project)


def _new_form(project, error: str | None = None, status: int = 200):
    choices = [
        p
        for p in project.participants
        if may_create_draft(g.user, project, p.jurisdiction_code, False)
    ]
    has_common = any(d.is_common for d in project.drafts)
    may_common = may_create_draft(g.user, project, project.lead_code, True) and not has_common
    return render_template(
        "drafting/draft_new.html",
        project=project,
        choices=choices,
        may_common=may_common,
        has_common=has_common,
        error=error,
        form=request.form,
    ), status


@bp.post("/projects/<int:project_id>/drafts/new")
@login_required
def draft_create(project_id: int):
    """Create a draft; a file that cannot be read is reported and nothing is stored."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    source = request.form.get("source", "text")
    jurisdiction = request.form.get("jurisdiction") or g.user.jurisdiction_code
    try:
        with unit_of_work(s):
            if source == "common":
                draft = drafts.derive_from_common(s, g.user, project, jurisdiction=jurisdiction)
            else:
                upload = None
                file = request.files.get("file")
                if source == "file" and file is not None and file.filename:
                    upload = (file.filename, file.read())
                document = drafts_io.document_from_request(
                    request.form.get("text") if source == "text" else None, upload
                )
                draft = drafts.add_draft(
                    s,
                    g.user,
                    project,
                    jurisdiction=jurisdiction,
                    document=document,
                    title=request.form.get("title") or None,
                    common=fields.flag(request.form.get("common")),
                )
    except ConcordError as err:
        return _new_form(project, err.message, err.status)
    flash(_("已创建文本《{title}》。", title=draft.title))
    if source != "common":
        flash_warnings(document)
    return redirect(url_for("drafts.draft_page", draft_id=draft.id))


def flash_warnings(document) -> None:
    """Tell the user about skipped or repeated numbers the parser noticed, with their lines."""
    for warning in document.warnings[:10]:
        flash(_("第 {line} 行：{text}", line=warning.line, text=warning.message))
    if len(document.warnings) > 10:
        flash(_("另有 {n} 条提示未显示。", n=len(document.warnings) - 10))


@bp.post("/drafts/<int:draft_id>/import")
@login_required
def import_revision(draft_id: int):
    """Bring a revised file (a new round's Word document) into the draft as tracked edits."""
    from drafting.services.revision_import import update_from_document

    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    require_edit(draft)
    file = request.files.get("file")
    upload = (file.filename, file.read()) if file is not None and file.filename else None
    document = drafts_io.document_from_request(None, upload)
    summary = update_from_document(
        s, g.user, draft, document, reason=request.form.get("reason", "") or _("导入修改稿")
    )
    flash(_("已导入修改稿：{s}", s=summary.describe()))
    flash_warnings(document)
    return redirect(url_for("drafts.draft_page", draft_id=draft.id))


@bp.get("/drafts/<int:draft_id>")
@login_required
def draft_page(draft_id: int):
    """Read a draft article by article, with its table of contents."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    tree = drafts.load_tree(s, draft)
    edited = None
    changed = request.args.get("changed", type=int)
    edited_id = request.args.get("edited", type=int)
    if edited_id and edited_id in tree.nodes:
        edited = recent_change(s, tree, edited_id)
    parts = draft_parts(tree.roots)
    current = part_to_show(
        parts, request.args.get("part", type=int), edited_id or request.args.get("at", type=int)
    )
    return render_template(
        "drafting/draft.html",
        edited=edited,
        parts=parts,
        part=current,
        shown_roots=parts[current - 1] if parts else [],
        changed=changed or edited_id,
        messages_inline=bool((changed or edited_id) in tree.nodes),
        deleted=article_tools.deleted_articles(s, draft) if may_edit_draft(g.user, draft) else [],
        version_state=versions.version_state(draft),
        neighbours=_neighbours(tree),
        **_draft_context(s, draft, tree),
    )


def _neighbours(tree) -> dict[int, int]:
    """Return, per article, the article to show after deleting it: the next, else the previous."""
    ids = [a.id for a in tree.articles()]
    out = {}
    for i, pid in enumerate(ids):
        if i + 1 < len(ids):
            out[pid] = ids[i + 1]
        elif i > 0:
            out[pid] = ids[i - 1]
    return out


def recent_change(s, tree, article_id: int) -> dict:
    """Return the latest revision in an article with its diff, for the 'just saved' notice."""
    found = editing.latest_change(s, tree, article_id)
    if found is None:
        return {}
    latest, old, new = found
    return {"article": tree.nodes[article_id], "revision": latest, "diff": diff_html(old, new)}


@bp.post("/drafts/<int:draft_id>/versions")
@login_required
def version_create(draft_id: int):
    """Save the draft as a named version."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    v = versions.create_version(
        s, g.user, draft, name=request.form.get("name", ""), note=request.form.get("note", "")
    )
    flash(_("已保存版本“{name}”。", name=v.name))
    return redirect(url_for("drafts.draft_page", draft_id=draft.id) + "#versions")


@bp.get("/drafts/<int:draft_id>/compare")
@login_required
def compare_page(draft_id: int):
    """Show the 修改对照表 of two versions or two drafts, with a .docx download."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    # By default the last two named versions, else the last one against the current text.
    named = [f"v{v.id}" for v in draft.versions[-2:]]
    chosen = request.args.get("against")
    against = chosen or (named[0] if named else "current")
    new = request.args.get("with") or (named[1] if len(named) == 2 and not chosen else "current")
    include_unchanged = request.args.get("all") == "1"
    left, right, rows = versions.comparison(s, g.user, draft, old=against, new=new)
    fmt = request.args.get("format", "page")
    if fmt in ("docx", "html"):
        return drafts_io.comparison_response(
            left, right, rows, fmt, include_unchanged=include_unchanged
        )
    from drafting.core.comparison import summary

    return render_template(
        "drafting/compare.html",
        draft=draft,
        project=draft.project,
        left=left,
        right=right,
        rows=rows,
        counts=summary(rows),
        against=against,
        new=new,
        include_unchanged=include_unchanged,
        others=[d for d in draft.project.drafts if d.id != draft.id],
    )


@bp.get("/drafts/<int:draft_id>/export")
@login_required
def export(draft_id: int):
    """Download the draft (or `version`) as .docx, Markdown or Akoma Ntoso XML."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    version_id = fields.optional_id(request.args.get("version"), "version")
    version_doc = (
        versions.version_document(s, draft, version_id) if version_id is not None else None
    )
    return drafts_io.export_response(s, draft, request.args.get("format", "docx"), version_doc)
