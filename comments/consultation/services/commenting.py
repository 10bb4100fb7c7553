"""Commenting: a partner city's comment, one recorded from paper, replies, and reading them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from comments.consultation.models import CHANNELS, KINDS, Comment, Round
from comments.consultation.services import notices
from comments.consultation.services.rounds import rounds_of
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions import consultation as rules
from drafting.errors import BadInput, NotFound, NotPermitted
from drafting.models import Draft, Jurisdiction, Provision
from drafting.services import audit
from drafting.services.drafts import load_tree

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
    notices.comment_added(session, user, comment)
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
    notices.comment_replied(session, user, root)
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
