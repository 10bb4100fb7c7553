"""Adopting a comment's proposal: the resulting paragraphs shown first, then written as confirmed.

`plan_adoption` computes, against the current text, what the proposal's scope (quote, clause
or whole article) would make of each paragraph; the page shows it as a diff in editable boxes.
`write_adoption` writes what the drafter confirmed through `editing.apply_edit` (the merge of
any edit), flushing only: `dispositions.build_disposition` adds it with the decision, in the
caller's unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from comments.consultation.core.adoption import (
    SCOPES,
    duplication,
    infer_scope,
    proposal_lines,
    replace_span,
    strip_label,
)
from comments.consultation.core.anchors import locate
from comments.consultation.models import Comment
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions import consultation as rules
from drafting.errors import BadInput, Conflict, NotFound
from drafting.models import Revision
from drafting.services.drafts import DraftTree, load_tree
from drafting.services.editing import apply_edit, clean_text


@dataclass
class Change:
    """One paragraph as the adoption would leave it."""

    provision_id: int
    label: str
    prefix: str  # an item's label, printed before its text
    base_revision: int | None
    current: str
    result: str


@dataclass
class Plan:
    """What adopting a comment would write: its scope, each paragraph, and any problem with it."""

    comment: Comment
    scope: str
    inferred: bool
    changes: list[Change]
    problem: str | None = None

    def to_json(self) -> dict:
        return {
            "comment": self.comment.id,
            "replaces": self.scope,
            "inferred": self.inferred,
            "problem": self.problem,
            "paragraphs": [
                {
                    "provision": c.provision_id,
                    "label": c.label,
                    "base_revision": c.base_revision,
                    "current": c.current,
                    "text": c.result,
                }
                for c in self.changes
            ],
        }


def article_paragraphs(tree: DraftTree, provision_id: int) -> list:
    """Return the nodes of the article holding a provision: itself first, then in reading order."""
    article = tree.article_of(provision_id)
    if article is None:
        return []
    out, stack = [], [article]
    while stack:
        node = stack.pop(0)
        out.append(node)
        stack[0:0] = node.children
    return out


def scope_of(comment: Comment, paragraphs: int = 1) -> tuple[str, bool]:
    """Return what the comment's proposal replaces, and whether that was inferred from the text."""
    if comment.replaces in SCOPES:
        return comment.replaces, False
    scope = infer_scope(
        comment.seen_text, comment.quote, comment.proposed_text or "", paragraphs=paragraphs
    )
    return scope, True


def check_adoptable(user: User, comment: Comment) -> None:
    """Refuse unless the user decides here and the comment carries proposed text to write."""
    if not rules.sees_comment(user, comment):
        raise NotFound(_("找不到该意见。"))
    rules.require_may_decide(user, comment.round.draft)
    if comment.parent_id is not None or comment.kind != "amend" or not comment.proposed_text:
        raise BadInput(_("只有附建议条文的修改意见可以直接应用；其他意见请在条文中手工修改。"))
    if comment.withdrawn_at is not None:
        raise Conflict(_("该意见已被撤回。"))
    if comment.disposition is not None and comment.disposition.applied_revision_id:
        raise Conflict(
            _("该意见已应用到条文（修订 {rev}）。", rev=comment.disposition.applied_revision_id)
        )
    if comment.provision.deleted:
        raise Conflict(_("该条款已被删除，不能应用意见。"))


def plan_adoption(
    session: Session,
    user: User,
    comment: Comment,
    scope: str | None = None,
    *,
    tree: DraftTree | None = None,
) -> Plan:
    """Return the paragraphs the comment's proposal would change, computed on the current text."""
    check_adoptable(user, comment)
    if scope is not None and scope not in SCOPES:
        raise BadInput(_("请选择建议条文替换的范围。"), field="replaces")
    tree = tree or load_tree(session, comment.round.draft)
    paragraphs = article_paragraphs(tree, comment.provision_id)
    if scope is None:
        scope, inferred = scope_of(comment, len(paragraphs))
    else:
        inferred = False
    target = tree.nodes.get(comment.provision_id)
    if target is None or not paragraphs:
        raise Conflict(_("该条款已被删除，不能应用意见。"))
    lines = proposal_lines(comment.proposed_text or "")
    problem = None

    def change(node, result: str) -> Change:
        prefix = node.label if node.kind in ("item", "subitem") else ""
        return Change(
            node.id, tree.full_label(node.id), prefix, node.revision, node.text or "", result
        )

    if scope == "quote":
        current = target.text or ""
        span = locate(comment.quote or "", current, near=comment.quote_start or 0)
        if not comment.quote:
            problem = _("该意见没有引用文字，请选择替换整款或整条。")
            changes = [change(target, current)]
        elif span is None:
            problem = _("引用的文字已不在当前条文中，请在下面直接修改。")
            changes = [change(target, current)]
        else:
            proposed = "".join(lines)
            changes = [change(target, replace_span(current, span[0], span[1], proposed))]
    elif scope == "clause" or len(paragraphs) == 1:
        target = target if scope == "clause" else paragraphs[0]
        prefix = target.label if target.kind in ("item", "subitem") else ""
        changes = [change(target, strip_label("".join(lines), prefix))]
        if len(lines) > 1:
            problem = _("建议条文有 {n} 段，这里只替换一段：请核对后修改。", n=len(lines))
    else:
        if len(lines) != len(paragraphs):
            problem = _(
                "建议条文有 {n} 段，该条有 {m} 段：请逐段核对；增删款项请在文本中编辑。",
                n=len(lines),
                m=len(paragraphs),
            )
        changes = []
        for i, node in enumerate(paragraphs):
            prefix = node.label if node.kind in ("item", "subitem") else ""
            result = strip_label(lines[i], prefix) if i < len(lines) else node.text or ""
            changes.append(change(node, result))
    if problem is None:
        for c in changes:
            repeated = duplication(c.current, c.result)
            if repeated:
                problem = _(
                    "按此范围应用会重复“{words}”：请改选替换范围，或在下面修改。", words=repeated
                )
                break
    return Plan(comment=comment, scope=scope, inferred=inferred, changes=changes, problem=problem)


def write_adoption(
    session: Session,
    user: User,
    comment: Comment,
    *,
    scope: str | None = None,
    texts: dict[int, str] | None = None,
    bases: dict[int, int | None] | None = None,
) -> Revision:
    """Write the confirmed paragraphs (or, without `texts`, the computed ones); flush only.

    Returns the revision of the first paragraph changed; refuses duplicated words and an
    adoption that changes nothing.
    """
    plan = plan_adoption(session, user, comment, scope)
    by_id = {c.provision_id: c for c in plan.changes}
    if texts is None:
        seen = comment.revision_id or by_id[comment.provision_id].base_revision
        if plan.scope == "quote" and comment.quote and comment.quote_start is not None:
            # Read on the text the commenter saw and merged from there, like any edit (or 409).
            end = comment.quote_start + len(comment.quote)
            proposed = "".join(proposal_lines(comment.proposed_text or ""))
            texts = {
                comment.provision_id: replace_span(
                    comment.seen_text, comment.quote_start, end, proposed
                )
            }
            bases = {comment.provision_id: seen}
        elif plan.problem:
            raise BadInput(plan.problem, field="replaces")
        else:
            texts = {c.provision_id: c.result for c in plan.changes}
            bases = {c.provision_id: c.base_revision for c in plan.changes}
            bases[comment.provision_id] = seen
    bases = bases or {}
    first: Revision | None = None
    for pid, text in texts.items():
        current = by_id.get(pid)
        if current is None:
            raise BadInput(_("该段不在本意见针对的条文中。"), field=f"text-{pid}")
        cleaned = clean_text(text, kind="clause")
        if cleaned == current.current.strip():
            continue
        repeated = duplication(current.current, cleaned)
        if repeated:
            raise BadInput(
                _("应用后的条文会重复“{words}”，请修改后再确认。", words=repeated),
                field=f"text-{pid}",
            )
        result = apply_edit(
            session,
            user,
            pid,
            text=cleaned,
            base_revision=bases.get(pid, current.base_revision),
            reason=_("采纳意见 #{id}", id=comment.id),
        )
        revision = session.get(Revision, result.revision)
        revision.action = "apply"
        first = first or revision
    if first is None:
        raise BadInput(_("确认的条文与现行条文相同，没有可应用的修改。"), field="text")
    return first
