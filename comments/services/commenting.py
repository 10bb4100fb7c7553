"""Commenting: a partner city's comment, one recorded from paper, replies, and reading them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from comments.core.anchors import Anchor, anchor
from comments.models import Comment, Round
from comments.models.consultation import CHANNELS, KINDS
from comments.services import permissions as rules
from comments.services.rounds import rounds_of
from drafting.errors import BadInput, NotFound, NotPermitted
from drafting.i18n import gettext as _
from drafting.models import Draft, Jurisdiction, Provision, User
from drafting.services import audit
from drafting.services.drafts import DraftTree, load_tree

MAX_BODY = 5000
TEXT_KINDS = ("article", "clause", "item", "subitem")


def _clean(value: str | None, field: str, *, required: bool = False, limit: int = MAX_BODY) -> str:
    value = (value or "").replace("\r\n", "\n").strip(" \n\t\u3000")
    if required and not value:
        raise BadInput(_("{field}不能为空。", field=field))
    if len(value) > limit:
        raise BadInput(_("{field}过长（上限 {n} 字）。", field=field, n=limit))
    return value


def _target(session: Session, provision: Provision, quote: str) -> tuple[str, int | None, str]:
    """Return the provision's text, where the quote is in it, and its label; refuse a bad quote."""
    if provision.deleted:
        raise BadInput(_("该条款已被删除，不能再提意见。"))
    if provision.kind not in TEXT_KINDS:
        raise BadInput(_("意见应针对条、款或项。"))
    text = provision.text or ""
    start = None
    if quote:
        start = text.find(quote)
        if start < 0:
            raise BadInput(_("引用的文字（quote）不在该条款中，请从条文中复制。"))
    tree = load_tree(session, provision.draft)
    label = tree.full_label(provision.id) if provision.id in tree.nodes else ""
    return text, start, label


def _check_content(kind: str, body: str, proposed: str) -> None:
    if kind not in KINDS:
        raise BadInput(_("意见类型（kind）应为 amend、delete、add 或 general。"))
    if kind in ("amend", "add") and not proposed:
        raise BadInput(_("修改意见和新增条款须写明建议的条文（proposed_text）。"))


def open_round_for(session: Session, user: User, draft: Draft, today: date) -> Round:
    """Return the draft's round in which the user may comment today, or refuse with the reason."""
    rounds = rounds_of(session, draft)
    if not rounds:
        raise NotPermitted(_("该文本尚未发起征求意见。"))
    reasons = []
    for round_ in rounds:
        reason = rules.comment_refusal(user, round_, today)
        if reason is None:
            return round_
        reasons.append(reason)
    raise NotPermitted(reasons[0])


def add_comment(
    session: Session,
    user: User,
    provision: Provision,
    *,
    body: str,
    kind: str = "general",
    quote: str | None = None,
    proposed_text: str | None = None,
    round_: Round | None = None,
    today: date,
) -> Comment:
    """Comment on a provision as the user's jurisdiction, in a round open to it."""
    draft = provision.draft
    rules.require_sees(user, draft)
    if round_ is None:
        round_ = open_round_for(session, user, draft, today)
    elif round_.draft_id != draft.id:
        raise BadInput(_("该条款不属于本轮征求意见的文本。"))
    rules.require_may_comment(user, round_, today)
    comment = build_comment(
        session,
        user,
        provision,
        round_,
        body=body,
        kind=kind,
        quote=quote,
        proposed_text=proposed_text,
        jurisdiction=user.jurisdiction_code,
    )
    audit.record(
        session,
        user,
        "comment.add",
        project=draft.project_id,
        obj=comment,
        summary=_("{city}对{label}提出意见", city=user.jurisdiction.name, label=comment.seen_label),
        after=comment.body,
    )
    session.commit()
    return comment


def build_comment(
    session: Session,
    user: User,
    provision: Provision,
    round_: Round,
    *,
    body: str,
    kind: str,
    quote: str | None,
    proposed_text: str | None,
    jurisdiction: str,
    unit: str = "",
    channel: str = "online",
    received_on: date | None = None,
    seen: tuple[str, int | None, str] | None = None,
) -> Comment:
    """Check a comment's content and anchor and add it to the session; the caller commits.

    `seen` (text, revision, label) is the provision as an earlier version showed it, for
    comments made on that version (the demo's past rounds); by default, the current text.
    """
    body = _clean(body, _("意见内容"), required=True)
    quote = _clean(quote, _("引用的文字"), limit=2000)
    proposed = _clean(proposed_text, _("建议条文"), limit=20_000)
    _check_content(kind, body, proposed)
    if seen is None:
        text, start, label = _target(session, provision, quote)
        revision = provision.revision_id
    else:
        text, revision, label = seen
        start = text.find(quote) if quote else None
        if quote and start < 0:
            raise BadInput(_("引用的文字（quote）不在该条款中，请从条文中复制。"))
    comment = Comment(
        round=round_,
        provision_id=provision.id,
        author_id=user.id,
        jurisdiction_code=jurisdiction,
        unit=unit,
        channel=channel,
        received_on=received_on,
        kind=kind,
        body=body,
        quote=quote or None,
        proposed_text=proposed or None,
        revision_id=revision,
        seen_text=text,
        quote_start=start,
        seen_label=label,
    )
    session.add(comment)
    session.flush()
    return comment


def record_comment(
    session: Session,
    user: User,
    provision: Provision,
    round_: Round,
    *,
    jurisdiction: str,
    unit: str,
    channel: str,
    received_on: date,
    body: str,
    kind: str = "general",
    quote: str | None = None,
    proposed_text: str | None = None,
    today: date,
) -> Comment:
    """Record, for the drafting city, a comment that arrived on paper, by e-mail or at a 座谈会."""
    draft = provision.draft
    rules.require_sees(user, draft)
    if not rules.may_record(user, draft):
        raise NotPermitted(_("只有起草该文本的地区的起草人员可以代为录入意见。"))
    if round_.draft_id != draft.id:
        raise BadInput(_("该条款不属于本轮征求意见的文本。"))
    if channel not in CHANNELS or channel == "online":
        raise BadInput(_("来源（channel）应为 paper、email 或 meeting。"))
    unit = _clean(unit, _("提出单位"), required=True, limit=120)
    if session.get(Jurisdiction, jurisdiction or "") is None:
        raise BadInput(_("找不到地区 {code}。", code=jurisdiction))
    if received_on > today:
        raise BadInput(_("收到日期（received_on）不能晚于今天。"))
    comment = build_comment(
        session,
        user,
        provision,
        round_,
        body=body,
        kind=kind,
        quote=quote,
        proposed_text=proposed_text,
        jurisdiction=jurisdiction,
        unit=unit,
        channel=channel,
        received_on=received_on,
    )
    audit.record(
        session,
        user,
        "comment.record",
        project=draft.project_id,
        obj=comment,
        summary=_("代{unit}录入对{label}的意见", unit=unit, label=comment.seen_label),
        after=comment.body,
    )
    session.commit()
    return comment


def reply(session: Session, user: User, comment: Comment, *, body: str, today: date) -> Comment:
    """Reply in a comment's thread: the drafting city any time, invited cities while it is open."""
    root = comment
    while root.parent is not None:
        root = root.parent
    draft = root.round.draft
    if not rules.sees_comment(user, root):
        raise NotFound(_("找不到该意见。"))
    if not rules.may_decide(user, draft):
        rules.require_may_comment(user, root.round, today)
    body = _clean(body, _("回复内容"), required=True)
    answer = Comment(
        round_id=root.round_id,
        provision_id=root.provision_id,
        parent_id=root.id,
        author_id=user.id,
        jurisdiction_code=user.jurisdiction_code,
        kind="general",
        body=body,
        revision_id=root.provision.revision_id,
        seen_text=root.provision.text or "",
        seen_label=root.seen_label,
    )
    session.add(answer)
    session.flush()
    audit.record(
        session,
        user,
        "comment.reply",
        project=draft.project_id,
        obj=answer,
        summary=_("回复意见 #{id}", id=root.id),
        after=body,
    )
    session.commit()
    return answer


def get_comment(session: Session, user: User, comment_id: int | str) -> Comment:
    """Return a comment the user may read; 404 otherwise."""
    try:
        comment = session.get(Comment, int(comment_id))
    except (TypeError, ValueError):
        comment = None
    if comment is None or not rules.sees_comment(user, comment):
        raise NotFound(_("找不到该意见。"))
    return comment


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
        if not (
            rules.sees_all_comments(user, c.round) or c.jurisdiction_code == user.jurisdiction_code
        ):
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


CHANNEL_NAMES = {"online": "网上提交", "paper": "书面", "email": "电子邮件", "meeting": "座谈会"}
KIND_NAMES = {"amend": "修改意见", "delete": "删除", "add": "新增条款", "general": "一般意见"}


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
        "anchor": {
            "state": view.anchor.state,
            "found": view.anchor.found or None,
            "earlier_text": c.seen_text if view.anchor.state in ("earlier", "deleted") else None,
        },
        "disposition": d.decision if d else None,
        "reason": d.reason if d else None,
        "applied_revision": d.applied_revision_id if d else None,
        "replies": [
            {"id": r.id, "author": r.author.name if r.author else None, "body": r.body}
            for r in c.replies
        ],
        "created_at": c.created_at.isoformat(),
    }


def view_one(session: Session, comment: Comment) -> CommentView:
    """Return one comment's view against its draft as it is now."""
    return view_of(comment, comment.provision, load_tree(session, comment.provision.draft))
