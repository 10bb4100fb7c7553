"""Draft pages: reading, editing in place, history, versions, structure changes, comparison."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from drafting.db import request_session
from drafting.errors import BadInput, ConcordError, NotFound, NotPermitted, StaleRevision
from drafting.i18n import gettext as _
from drafting.models import Revision
from drafting.services import drafts, editing, projects, versions
from drafting.services.permissions import can
from drafting.web import responses as drafts_io
from drafting.web.auth import login_required
from drafting.web.html_diffs import diff_html

bp = Blueprint("drafts", __name__)

# Other packages add links to each article (comments, proposals) and to each draft
# (reconciliation) without this package importing them.
ARTICLE_LINKS: list = []
DRAFT_LINKS: list = []
# Short badges beside an article in the table of contents (comment counts).
ARTICLE_BADGES: list = []


@bp.app_context_processor
def _link_providers():
    def article_links(draft, article):
        return [link for provider in ARTICLE_LINKS for link in provider(draft, article)]

    def draft_links(draft):
        return [link for provider in DRAFT_LINKS for link in provider(draft)]

    def article_badges(draft, article):
        return [badge for provider in ARTICLE_BADGES for badge in provider(draft, article)]

    return {
        "article_links": article_links,
        "draft_links": draft_links,
        "article_badges": article_badges,
    }


def _draft_context(s, draft, tree):
    return {
        "draft": draft,
        "project": draft.project,
        "tree": tree,
        "may_edit": can(g.user, "draft.edit", draft),
        "may_comment": can(g.user, "draft.comment", draft),
        "siblings": [d for d in draft.project.drafts if d.id != draft.id],
    }


def _require_edit(draft) -> None:
    """Refuse, with the reason, a change to a draft the user may read but not edit."""
    if not can(g.user, "draft.edit", draft):
        raise NotPermitted(_("只有本地区的起草人员可以修改此文本。"))


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
        if can(g.user, "draft.create", (project, p.jurisdiction_code, False))
    ]
    may_common = can(g.user, "draft.create", (project, project.lead_code, True)) and not any(
        d.is_common for d in project.drafts
    )
    has_common = any(d.is_common for d in project.drafts)
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
            draft = drafts.create_draft(
                s,
                g.user,
                project,
                jurisdiction=jurisdiction,
                document=document,
                title=request.form.get("title") or None,
                common=request.form.get("common") == "1",
            )
    except ConcordError as err:
        s.rollback()
        return _new_form(project, err.message, err.status)
    flash(_("已创建文本《{title}》。", title=draft.title))
    if source != "common":
        _flash_warnings(document)
    return redirect(url_for("drafts.draft_page", draft_id=draft.id))


def _flash_warnings(document) -> None:
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
    _require_edit(draft)
    file = request.files.get("file")
    upload = (file.filename, file.read()) if file is not None and file.filename else None
    document = drafts_io.document_from_request(None, upload)
    summary = update_from_document(
        s, g.user, draft, document, reason=request.form.get("reason", "") or _("导入修改稿")
    )
    flash(_("已导入修改稿：{s}", s=summary.describe()))
    _flash_warnings(document)
    return redirect(url_for("drafts.draft_page", draft_id=draft.id))


@bp.get("/drafts/<int:draft_id>")
@login_required
def draft_page(draft_id: int):
    """Read a draft article by article, with its table of contents."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    tree = drafts.load_tree(s, draft)
    edited = None
    edited_id = request.args.get("edited", type=int)
    if edited_id and edited_id in tree.nodes:
        edited = _recent_change(s, tree, edited_id)
    return render_template("drafting/draft.html", edited=edited, **_draft_context(s, draft, tree))


def _recent_change(s, tree, article_id: int) -> dict:
    """Return the latest revision in an article with its diff, for the 'just saved' notice."""
    revs = editing.article_history(s, tree, article_id)
    if not revs:
        return {}
    latest = revs[0]
    base = s.get(Revision, latest.base_id) if latest.base_id else None
    old = (base.heading if base and base.heading is not None else base.text) if base else ""
    new = latest.heading if latest.heading is not None else latest.text
    return {
        "article": tree.nodes[article_id],
        "revision": latest,
        "diff": diff_html(old or "", new or ""),
    }


def _paragraphs(tree, article_id: int) -> list:
    """Return an article's editable nodes: itself, then its clauses, items and sub-items."""
    out = []

    def walk(node, depth):
        out.append((node, depth))
        for child in node.children:
            walk(child, depth + 1)

    walk(tree.nodes[article_id], 0)
    return out


@bp.route("/drafts/<int:draft_id>/provisions/<int:provision_id>/edit", methods=["GET", "POST"])
@login_required
def edit_article(draft_id: int, provision_id: int):
    """Edit an article's paragraphs (or a heading) in place; conflicts show base, theirs, yours."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    tree = drafts.load_tree(s, draft)
    if provision_id not in tree.nodes:
        raise NotFound(_("该条款不存在或已被删除。"))
    _require_edit(draft)
    paragraphs = _paragraphs(tree, provision_id)
    conflicts: list[dict] = []
    error = None
    if request.method == "POST":
        reason = request.form.get("reason", "")
        changed = 0
        for node, _depth in paragraphs:
            field = f"text-{node.id}"
            if field not in request.form:
                continue
            submitted = request.form[field]
            current = node.heading if node.heading is not None else node.text
            base = request.form.get(f"base-{node.id}", type=int)
            if submitted.strip() == (current or "").strip() and base == node.revision:
                continue
            try:
                editing.edit_provision(
                    s, g.user, node.id, text=submitted, base_revision=base, reason=reason
                )
                changed += 1
            except StaleRevision as err:
                s.rollback()
                conflicts.append({"node": node, **err.details})
            except ConcordError as err:
                s.rollback()
                error = f"{tree.full_label(node.id)}：{err.message}"
        if not conflicts and not error:
            if changed:
                flash(_("已保存 {n} 处修改。", n=changed))
            article = tree.article_of(provision_id)
            anchor = f"#p{article.id if article else provision_id}"
            return redirect(
                url_for("drafts.draft_page", draft_id=draft.id, edited=provision_id) + anchor
            )
        tree = drafts.load_tree(s, draft)
        paragraphs = _paragraphs(tree, provision_id)
    template = (
        "drafting/edit_fragment.html" if request.args.get("fragment") else "drafting/edit.html"
    )
    status = 409 if conflicts else (400 if error else 200)
    return render_template(
        template,
        draft=draft,
        tree=tree,
        target=tree.nodes[provision_id],
        paragraphs=paragraphs,
        conflicts=conflicts,
        error=error,
        project=draft.project,
    ), status


@bp.post("/drafts/<int:draft_id>/structure")
@login_required
def structure(draft_id: int):
    """Insert, delete or move a provision from the draft page's forms."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    action = request.form.get("action")
    target = request.form.get("provision", type=int)
    anchor = ""
    if action == "insert":
        kind = request.form.get("kind", "article")
        after = request.form.get("after") or None
        parent = request.form.get("parent") or None
        if request.form.get("after_article") and kind == "article":
            after = request.form["after_article"]
        if request.form.get("anchor"):
            # The article's own form: a new article follows it, a clause or item goes inside it.
            after, parent = (
                (request.form["anchor"], None)
                if kind == "article"
                else (None, request.form["anchor"])
            )
        prov, changes = editing.insert_provision(
            s,
            g.user,
            draft,
            kind=kind,
            text=request.form.get("text", ""),
            after=after,
            parent=parent,
            reason=request.form.get("reason", ""),
        )
        anchor = f"#p{prov.id}"
        flash(_("已插入。"))
    elif action == "delete" and target:
        changes = editing.delete_provision(s, g.user, target, reason=request.form.get("reason", ""))
        flash(_("已删除。"))
    elif action == "move" and target:
        changes = editing.move_provision(
            s,
            g.user,
            target,
            after=request.form.get("after") or None,
            parent=request.form.get("parent") or None,
        )
        anchor = f"#p{target}"
        flash(_("已移动。"))
    else:
        raise BadInput(_("未知的操作。"))
    for change in changes:
        if change["broken"]:
            flash(
                _(
                    "{where}引用的“{old}”已被删除，请检查。",
                    where=change["where"],
                    old=change["old"],
                )
            )
        else:
            flash(
                _(
                    "{where}：引用“{old}”已改为“{new}”。",
                    where=change["where"],
                    old=change["old"],
                    new=change["new"],
                )
            )
    return redirect(url_for("drafts.draft_page", draft_id=draft.id) + anchor)


@bp.get("/drafts/<int:draft_id>/provisions/<int:provision_id>/history")
@login_required
def history(draft_id: int, provision_id: int):
    """Show an article's revisions with inline diffs, each restorable."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    prov = drafts.get_provision(s, g.user, provision_id)
    if prov.draft_id != draft.id:
        raise NotFound(_("找不到该条款。"))
    tree = drafts.load_tree(s, draft)
    revs = (
        editing.article_history(s, tree, provision_id)
        if provision_id in tree.nodes
        else list(reversed(editing.history(s, prov)))
    )
    bases = (
        {
            r.id: r
            for r in s.query(Revision)
            .filter(Revision.id.in_([r.base_id for r in revs if r.base_id]))
            .all()
        }
        if revs
        else {}
    )
    entries = []
    for r in revs:
        base = bases.get(r.base_id)
        old = (base.heading if base.heading is not None else base.text) if base else ""
        new = r.heading if r.heading is not None else r.text
        node = tree.nodes.get(r.provision_id)
        current = (node.heading if node.heading is not None else node.text) if node else None
        entries.append(
            {
                "rev": r,
                # A first revision is the text as it was brought in, not an insertion to mark.
                "diff": diff_html(new or "", new or "")
                if r.action == "create"
                else diff_html(old or "", new or ""),
                # Only a live provision whose text has changed since can go back to this one.
                "restorable": node is not None and (new or "") != (current or ""),
                "where": (
                    tree.full_label(r.provision_id)
                    if r.provision_id in tree.nodes
                    else _("已删除的条款")
                ),
            }
        )
    return render_template(
        "drafting/history.html",
        draft=draft,
        project=draft.project,
        tree=tree,
        prov=prov,
        entries=entries,
        may_edit=can(g.user, "draft.edit", draft),
        label=tree.full_label(provision_id) if provision_id in tree.nodes else _("已删除的条款"),
    )


@bp.post("/drafts/<int:draft_id>/provisions/<int:provision_id>/restore")
@login_required
def restore(draft_id: int, provision_id: int):
    """Make an earlier revision current again."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    revision = request.form.get("revision", type=int) or 0
    rev = s.get(Revision, revision)
    target = rev.provision_id if rev else provision_id
    editing.restore_revision(s, g.user, target, revision)
    flash(_("已恢复修订 {r}。", r=revision))
    return redirect(url_for("drafts.history", draft_id=draft.id, provision_id=provision_id))


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
    against = request.args.get("against") or (
        f"v{draft.versions[-1].id}" if draft.versions else "current"
    )
    new = request.args.get("with", "current")
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
    """Download the draft as .docx or Markdown."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    return drafts_io.export_response(s, draft, request.args.get("format", "docx"))


# The reconciliation pages live in reconciliation_views; each draft links to them.
from drafting.web.reconciliation_pages import draft_links as _reconciliation_links  # noqa: E402

DRAFT_LINKS.append(_reconciliation_links)
