"""Comments waiting for a decision, where the work is: 待我处理 and a round's overview."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from comments.consultation.models import Comment, Disposition, Round
from comments.consultation.services.adoption import Plan, plan_adoption
from comments.consultation.services.comment_views import CommentView, view_of
from concord.accounts.models import User
from concord.permissions import consultation as rules
from drafting.errors import ConcordError
from drafting.models import Draft
from drafting.services.drafts import DraftTree, load_tree

LIMIT = 50


@dataclass
class Pending:
    """An undecided comment with the text it is about now and, for a proposal, what it writes."""

    view: CommentView
    current: str  # the provision's current text
    plan: Plan | None  # None: no proposed text to apply, or it cannot be applied any more


def pending(
    session: Session, user: User, *, round_: Round | None = None, limit: int = LIMIT
) -> list[Pending]:
    """Return undecided comments the user decides (one round's or all), newest round first."""
    query = (
        select(Comment)
        .join(Round, Comment.round_id == Round.id)
        .join(Draft, Round.draft_id == Draft.id)
        .outerjoin(Disposition, Disposition.comment_id == Comment.id)
        .where(
            Comment.parent_id.is_(None),
            Comment.withdrawn_at.is_(None),
            Disposition.id.is_(None),
            Draft.jurisdiction_code == user.jurisdiction_code,
        )
        .options(selectinload(Comment.replies), selectinload(Comment.provision))
        # The newest round first (the one being run now), each in the order comments came.
        .order_by(Comment.round_id.desc(), Comment.id)
        .limit(limit)
    )
    if round_ is not None:
        query = query.where(Comment.round_id == round_.id)
    trees: dict[int, DraftTree] = {}
    out = []
    for comment in session.scalars(query):
        draft = comment.round.draft
        if not rules.may_decide(user, draft):
            continue
        if draft.id not in trees:
            trees[draft.id] = load_tree(session, draft)
        tree = trees[draft.id]
        view = view_of(comment, comment.provision, tree)
        plan = None
        if comment.kind == "amend" and comment.proposed_text and view.anchor.state != "deleted":
            try:
                plan = plan_adoption(session, user, comment, tree=tree)
            except ConcordError:
                plan = None
        current = comment.provision.text or "" if not comment.provision.deleted else ""
        out.append(Pending(view=view, current=current, plan=plan))
    return out
