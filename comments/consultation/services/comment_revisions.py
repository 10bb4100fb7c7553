"""A commenter's second thoughts: editing or withdrawing a comment until it is decided."""

from __future__ import annotations

from sqlalchemy.orm import Session

from comments.consultation.models import Comment, CommentEdit
from comments.consultation.services.commenting import (
    MAX_BODY,
    check_content,
    clean_field,
    quote_refusal,
)
from concord.accounts.models import User
from concord.db import utcnow
from concord.i18n import gettext as _
from concord.permissions import consultation as rules
from drafting.errors import Conflict, NotFound, NotPermitted
from drafting.services import audit
from drafting.services.drafts import load_tree


def _require_revisable(user: User, comment: Comment) -> None:
    if not rules.sees_comment(user, comment):
        raise NotFound(_("找不到该意见。"))
    if rules.may_revise_comment(user, comment):
        return
    if comment.author_id == user.id and comment.parent_id is None:
        if comment.withdrawn_at is not None:
            raise Conflict(_("该意见已撤回。"))
        raise Conflict(_("该意见已处理，不能再修改或撤回。"))
    raise NotPermitted(_("只有提出意见的人可以在处理前修改或撤回意见。"))


def _keep(session: Session, user: User, comment: Comment, action: str) -> None:
    """Keep the comment's present wording in its history before it changes."""
    session.add(
        CommentEdit(
            comment=comment,
            action=action,
            body=comment.body,
            quote=comment.quote,
            proposed_text=comment.proposed_text,
            replaces=comment.replaces,
            edited_by_id=user.id,
        )
    )


def revise_comment(
    session: Session,
    user: User,
    comment: Comment,
    *,
    body: str | None = None,
    quote: str | None = None,
    proposed_text: str | None = None,
    replaces: str | None = None,
) -> Comment:
    """Change a comment's wording (None: unchanged); the earlier wording stays in its history."""
    _require_revisable(user, comment)
    new_body = clean_field(
        comment.body if body is None else body, _("意见内容"), name="body", required=True
    )
    new_quote = clean_field(
        comment.quote if quote is None else quote, _("引用的文字"), name="quote", limit=2000
    )
    new_proposed = clean_field(
        comment.proposed_text if proposed_text is None else proposed_text,
        _("建议条文"),
        name="proposed_text",
        limit=20_000,
    )
    new_replaces = (comment.replaces if replaces is None else replaces) or None
    check_content(comment.kind, new_proposed, new_quote, new_replaces)
    provision = comment.provision
    text = provision.text or ""
    start = None
    if new_quote:
        start = text.find(new_quote)
        if start < 0:
            raise quote_refusal(text, new_quote)
    _keep(session, user, comment, "edit")
    before = comment.body
    comment.body = new_body[:MAX_BODY]
    comment.quote = new_quote or None
    comment.proposed_text = new_proposed or None
    comment.replaces = new_replaces if new_proposed else None
    # The comment now speaks of the text as it is: anchor it there.
    comment.revision_id = provision.revision_id
    comment.seen_text = text
    comment.quote_start = start
    tree = load_tree(session, provision.draft)
    if provision.id in tree.nodes:
        comment.seen_label = tree.full_label(provision.id)
    session.flush()
    audit.record(
        session,
        user,
        "comment.edit",
        project=comment.round.draft.project_id,
        obj=comment,
        summary=_("修改意见 #{id}", id=comment.id),
        before=before,
        after=comment.body,
    )
    session.commit()
    return comment


def withdraw_comment(session: Session, user: User, comment: Comment) -> Comment:
    """Withdraw a comment before it is decided; it stays listed as withdrawn, with its history."""
    _require_revisable(user, comment)
    _keep(session, user, comment, "withdraw")
    comment.withdrawn_at = utcnow()
    session.flush()
    audit.record(
        session,
        user,
        "comment.withdraw",
        project=comment.round.draft.project_id,
        obj=comment,
        summary=_("撤回意见 #{id}", id=comment.id),
        before=comment.body,
    )
    session.commit()
    return comment
