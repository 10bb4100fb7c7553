"""Comments as their readers see them: views, filters, JSON."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from comments.consultation.core.anchors import Anchor, anchor
from comments.consultation.models import Comment, Round
from concord.accounts.models import User
from concord.permissions import consultation as rules
from drafting.models import Draft, Provision
from drafting.services.drafts import DraftTree, load_tree


@dataclass
class CommentView:
    """A comment with where it stands now: its current label, article and anchor."""

    comment: Comment
    label: str
    article_id: int | None
    article_label: str
    anchor: Anchor

    @property
    def decision(self) -> str | None:
        d = self.comment.disposition
        return d.decision if d else None


@dataclass
class Filters:
    """Narrowing of a comment list: by city, status (decided/undecided/decision), article, kind."""

    jurisdiction: str | None = None
    status: str | None = None
    article: int | None = None
    kind: str | None = None
    round_id: int | None = None


def comments_of_draft(
    session: Session,
    user: User,
    draft: Draft,
    filters: Filters | None = None,
    *,
    tree: DraftTree | None = None,
    with_anchors: bool = True,
) -> list[CommentView]:
    """Return the draft's comments (not replies) the user may read, in reading order."""
    rules.require_sees(user, draft)
    filters = filters or Filters()
    tree = tree or load_tree(session, draft)
    query = (
        select(Comment)
        .join(Round, Comment.round_id == Round.id)
        .where(Round.draft_id == draft.id, Comment.parent_id.is_(None))
        .options(
            selectinload(Comment.disposition),
            selectinload(Comment.round).selectinload(Round.invitations),
        )
        .order_by(Comment.id)
    )
    if with_anchors:  # a page or the API, which show the thread; the tables do not
        query = query.options(selectinload(Comment.replies))
    if filters.jurisdiction:
        query = query.where(Comment.jurisdiction_code == filters.jurisdiction)
    if filters.kind:
        query = query.where(Comment.kind == filters.kind)
    if filters.round_id:
        query = query.where(Comment.round_id == filters.round_id)
    rows = list(session.scalars(query))
    provisions = (
        {
            p.id: p
            for p in session.scalars(
                select(Provision).where(Provision.id.in_({c.provision_id for c in rows}))
            )
        }
        if rows
        else {}
    )
    order = {node.id: i for i, node in enumerate(tree.walk())}
    views = []
    for c in rows:
        if not rules.reads_comment(user, c):
            continue
        views.append(view_of(c, provisions.get(c.provision_id), tree, with_anchor=with_anchors))
    views = [v for v in views if _passes(v, filters)]
    views.sort(key=lambda v: (order.get(v.comment.provision_id, len(order)), v.comment.id))
    return views


def _passes(view: CommentView, f: Filters) -> bool:
    if f.article and view.article_id != f.article:
        return False
    if f.status == "undecided":
        return view.decision is None
    if f.status == "decided":
        return view.decision is not None
    if f.status:
        return view.decision == f.status
    return True


def view_of(
    comment: Comment, provision: Provision | None, tree: DraftTree, *, with_anchor: bool = True
) -> CommentView:
    """Return a comment's view against the draft as it is now."""
    pid = comment.provision_id
    live = pid in tree.nodes
    article = tree.article_of(pid) if live else None
    if not live and provision is not None and provision.parent_id in tree.nodes:
        # A deleted clause or item of an article that is still there: show it with the article.
        article = tree.article_of(provision.parent_id)
    label = tree.full_label(pid) if live else comment.seen_label
    if with_anchor:
        where = anchor(
            quote=comment.quote,
            seen_text=comment.seen_text,
            seen_revision=comment.revision_id,
            current_text=provision.text if provision is not None and live else None,
            current_revision=provision.revision_id if provision is not None else None,
            deleted=not live,
            quote_start=comment.quote_start,
        )
    else:
        where = Anchor("current" if live else "deleted")
    return CommentView(
        comment=comment,
        label=label,
        article_id=article.id if article else None,
        article_label=article.label if article else comment.seen_label,
        anchor=where,
    )


def comment_json(view: CommentView) -> dict:
    """Return a comment as the API shows it."""
    c = view.comment
    d = c.disposition
    return {
        "id": c.id,
        "round": c.round_id,
        "provision": c.provision_id,
        "label": view.label,
        "article": view.article_label,
        "author": c.author.name if c.author else None,
        "jurisdiction": c.jurisdiction_code,
        "jurisdiction_name": c.jurisdiction.name,
        "unit": c.unit,
        "channel": c.channel,
        "received_on": c.received_on.isoformat() if c.received_on else None,
        "kind": c.kind,
        "body": c.body,
        "quote": c.quote,
        "proposed_text": c.proposed_text,
        "replaces": c.replaces,
        "withdrawn": c.withdrawn_at is not None,
        "anchor": {
            "state": view.anchor.state,
            "found": view.anchor.found or None,
            "earlier_text": c.seen_text if view.anchor.state in ("earlier", "deleted") else None,
        },
        "disposition": d.decision if d else None,
        "reason": d.reason if d else None,
        "applied_revision": d.applied_revision_id if d else None,
        "replies": [
            {
                "id": r.id,
                "author": r.author.name if r.author else None,
                "body": r.body,
                "created_at": r.created_at.isoformat(),
            }
            for r in c.replies
        ],
        "created_at": c.created_at.isoformat(),
    }


def view_one(session: Session, comment: Comment) -> CommentView:
    """Return one comment's view against its draft as it is now."""
    return view_of(comment, comment.provision, load_tree(session, comment.provision.draft))
