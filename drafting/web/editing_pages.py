"""Editing pages of a draft: an article's form, structure changes, history and restore.

The routes sit on the draft pages' blueprint (`drafts.*`), so their addresses and names stay.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.permissions.workspace import may_edit_draft
from concord.web import fields
from concord.web.auth import login_required
from drafting.errors import BadInput, ConcordError, NotFound, StaleRevision
from drafting.services import article_tools, drafts, editing
from drafting.services.structure import add_provision, relocate_provision, remove_provision
from drafting.web.article_menu import flash_citations
from drafting.web.draft_pages import bp, require_edit
from drafting.web.html_diffs import diff_html


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
    """Edit an article's paragraphs (or a heading) in place: all saved, or none.

    On a conflict the form comes back with base, theirs and yours for each clashing paragraph
    and the user's other changes still in their boxes.
    """
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    tree = drafts.load_tree(s, draft)
    if provision_id not in tree.nodes:
        raise NotFound(_("该条款不存在或已被删除。"))
    require_edit(draft)
    paragraphs = _paragraphs(tree, provision_id)
    conflicts: list[dict] = []
    error = None
    submitted: dict[int, str] = {}
    bases: dict[int, int | None] = {}
    if request.method == "POST":
        for node, _depth in paragraphs:
            if f"text-{node.id}" in request.form:
                submitted[node.id] = request.form[f"text-{node.id}"]
                bases[node.id] = fields.optional_id(
                    request.form.get(f"base-{node.id}"), "base_revision"
                )
        edits = [editing.ParagraphEdit(pid, text, bases[pid]) for pid, text in submitted.items()]
        try:
            changed = editing.edit_article(
                s,
                g.user,
                draft,
                edits,
                reason=request.form.get("reason", ""),
                labels={pid: tree.full_label(pid) for pid in submitted},
            )
        except StaleRevision as err:
            by_id = {c["provision"]: c for c in err.details.get("conflicts", [])}
            tree = drafts.load_tree(s, draft)
            conflicts = [
                {"node": tree.nodes[pid], **c} for pid, c in by_id.items() if pid in tree.nodes
            ]
            for pid in by_id:
                bases.pop(pid, None)
        except ConcordError as err:
            error = err.message
            tree = drafts.load_tree(s, draft)
        else:
            if changed:
                flash(_("已保存 {n} 处修改。", n=changed))
            article = tree.article_of(provision_id)
            anchor = f"#p{article.id if article else provision_id}"
            return redirect(
                url_for("drafts.draft_page", draft_id=draft.id, edited=provision_id) + anchor
            )
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
        submitted=submitted,
        bases=bases,
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
        after = fields.optional_id(request.form.get("after"), "after")
        parent = fields.optional_id(request.form.get("parent"), "parent")
        if request.form.get("after_article") and kind == "article":
            after = fields.optional_id(request.form["after_article"], "after_article")
        anchor_id = fields.optional_id(request.form.get("anchor"), "anchor")
        if anchor_id is not None:
            # The article's own form: a new article follows it, a clause or item goes inside it.
            after, parent = (anchor_id, None) if kind == "article" else (None, anchor_id)
        with unit_of_work(s):
            prov, changes = add_provision(
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
        with unit_of_work(s):
            changes = remove_provision(s, g.user, target, reason=request.form.get("reason", ""))
        flash(_("已删除。"))
    elif action == "move" and target:
        with unit_of_work(s):
            changes = relocate_provision(
                s,
                g.user,
                target,
                after=fields.optional_id(request.form.get("after"), "after"),
                parent=fields.optional_id(request.form.get("parent"), "parent"),
            )
        anchor = f"#p{target}"
        flash(_("已移动。"))
    else:
        raise BadInput(_("未知的操作。"))
    flash_citations(changes)
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
    bases = editing.revisions_by_id(s, [r.base_id for r in revs if r.base_id])
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
        may_edit=may_edit_draft(g.user, draft),
        deletion_reason=article_tools.deletion_reason(s, prov.id) if prov.deleted else "",
        label=tree.full_label(provision_id) if provision_id in tree.nodes else _("已删除的条款"),
    )


@bp.post("/drafts/<int:draft_id>/provisions/<int:provision_id>/restore")
@login_required
def restore(draft_id: int, provision_id: int):
    """Make an earlier revision current again."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    revision = fields.required_id(
        request.form.get("revision"), "revision", _("缺少要恢复的修订号（revision）。")
    )
    target = editing.provision_of_revision(s, revision) or provision_id
    editing.restore_revision(s, g.user, target, revision)
    flash(_("已恢复修订 {r}。", r=revision))
    return redirect(url_for("drafts.history", draft_id=draft.id, provision_id=provision_id))
