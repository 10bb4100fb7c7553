"""Who hears of what in consultation: each function is the one-line hook a service calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from concord.notifications.events import notify, users_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from comments.consultation.models import Comment, Round
    from concord.accounts.models import User

COMMENTERS = ("admin", "drafter", "commenter")


def _comment_url(comment: Comment) -> str:
    return f"/drafts/{comment.round.draft_id}/provisions/{comment.provision_id}/comments"


def _about(comment: Comment) -> str:
    return f"{comment.round.draft.title} {comment.seen_label}"


def round_opened(session: Session, user: User, round_: Round) -> None:
    """Tell the invited cities' users that a round is open to them."""
    codes = [i.jurisdiction_code for i in round_.invitations]
    subject = f"{round_.draft.title}·{round_.title}"
    url = f"/drafts/{round_.draft_id}"
    notify(
        session,
        "round_opened",
        users_of(*codes, roles=COMMENTERS),
        subject=subject,
        url=url,
        actor=user,
    )


def comment_added(session: Session, user: User, comment: Comment) -> None:
    """Tell the drafting city's drafters that a comment awaits their decision."""
    drafters = users_of(comment.round.draft.jurisdiction_code, roles=("drafter",))
    notify(
        session,
        "comment_awaiting",
        drafters,
        subject=_about(comment),
        url=_comment_url(comment),
        actor=user,
    )


def comment_decided(session: Session, user: User, comment: Comment) -> None:
    """Tell a comment's author that it was decided."""
    notify(
        session,
        "comment_decided",
        [comment.author_id],
        subject=_about(comment),
        url=_comment_url(comment),
        actor=user,
    )


def comment_replied(session: Session, user: User, root: Comment) -> None:
    """Tell a comment's author that someone replied in its thread."""
    notify(
        session,
        "comment_replied",
        [root.author_id],
        subject=_about(root),
        url=_comment_url(root),
        actor=user,
    )
