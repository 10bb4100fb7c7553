"""Commenting: a partner city's comment, one recorded from paper, replies, and reading them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from comments.consultation.core.anchors import locate
from comments.consultation.models import CHANNELS, KINDS, SCOPES, Comment, Round
from comments.consultation.services import notices
from comments.consultation.services.rounds import rounds_of
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.limits import MAX_BODY
from concord.permissions import consultation as rules
from concord.permissions.lookup import find_visible
from drafting.errors import BadInput, NotFound, NotPermitted
from drafting.models import Draft, Jurisdiction, Provision
from drafting.services import audit
from drafting.services.drafts import load_tree

TEXT_KINDS = ("article", "clause", "item", "subitem")


def clean_field(
    value: str | None, field: str, *, name: str, required: bool = False, limit: int = MAX_BODY
) -> str:
    """Return a submitted text without surrounding blanks; refuse it empty or too long."""
    value = (value or "").replace("\r\n", "\n").strip(" \n\t\u3000")
    if required and not value:
        raise BadInput(_("{field}不能为空。", field=field), field=name)
    if len(value) > limit:
        raise BadInput(_("{field}过长（上限 {n} 字）。", field=field, n=limit), field=name)
    return value


def quote_refusal(text: str, quote: str) -> BadInput:
    """Return the refusal of a quote not in the text, offering the nearest words that are."""
    span = locate(quote, text)
    nearest = text[span[0] : span[1]] if span else ""
    # The form offers the nearest words beside the field; the API gives them as `nearest`.
    message = _("引用的文字不在该条款中，请在条文中选取。")
    return BadInput(message, field="quote", nearest=nearest or None)


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
            raise quote_refusal(text, quote)
    tree = load_tree(session, provision.draft)
    label = tree.full_label(provision.id) if provision.id in tree.nodes else ""
    return text, start, label


def check_content(kind: str, proposed: str, quote: str, replaces: str | None) -> None:
    """Refuse a comment whose kind, proposed text and scope do not fit together."""
    if kind not in KINDS:
        raise BadInput(_("请选择意见类型。"), field="kind")
    if kind in ("amend", "add") and not proposed:
        raise BadInput(_("修改意见和新增条款须写明建议的条文。"), field="proposed_text")
    if replaces is not None and replaces not in SCOPES:
        raise BadInput(_("请选择建议条文替换的范围。"), field="replaces")
    if replaces == "quote" and not quote:
        raise BadInput(_("替换引用的文字须先引用条文中的文字。"), field="quote")


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
    replaces: str | None = None,
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
        replaces=replaces,
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
    replaces: str | None = None,
    unit: str = "",
    channel: str = "online",
    received_on: date | None = None,
    seen: tuple[str, int | None, str] | None = None,
) -> Comment:
    """Check a comment's content and anchor and add it to the session; the caller commits.

    `seen` (text, revision, label) is the provision as an earlier version showed it, for
    comments made on that version (the demo's past rounds); by default, the current text.
    """
    body = clean_field(body, _("意见内容"), name="body", required=True)
    quote = clean_field(quote, _("引用的文字"), name="quote", limit=2000)
    proposed = clean_field(proposed_text, _("建议条文"), name="proposed_text", limit=20_000)
    replaces = replaces or None
    check_content(kind, proposed, quote, replaces)
    if seen is None:
        text, start, label = _target(session, provision, quote)
        revision = provision.revision_id
    else:
        text, revision, label = seen
        start = text.find(quote) if quote else None
        if quote and start < 0:
            raise quote_refusal(text, quote)
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
        replaces=replaces if proposed else None,
        revision_id=revision,
        seen_text=text,
        quote_start=start,
        seen_label=label,
    )
    session.add(comment)
    session.flush()
    return comment


def submit_comment(
    session: Session,
    user: User,
    provision: Provision,
    round_: Round | None,
    *,
    channel: str = "online",
    jurisdiction: str = "",
    unit: str = "",
    received_on: date | None = None,
    **comment,
) -> Comment:
    """Take a comment from the page or the API: the user's own when it comes online, otherwise
    one that arrived by another channel, recorded for the unit that sent it (代为录入).

    `comment` holds what both have: body, kind, quote, proposed_text, replaces and today.
    """
    if channel in ("", "online"):
        return add_comment(session, user, provision, round_=round_, **comment)
    if round_ is None:
        raise BadInput(_("代为录入意见须指明轮次。"))
    if received_on is None:
        raise BadInput(
            _("缺少日期 {field}（YYYY-MM-DD）。", field=_("收到日期")), field="received_on"
        )
    return record_comment(
        session,
        user,
        provision,
        round_,
        jurisdiction=jurisdiction,
        unit=unit,
        channel=channel,
        received_on=received_on,
        **comment,
    )


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
    replaces: str | None = None,
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
        raise BadInput(_("请选择来源：书面、电子邮件或座谈会。"), field="channel")
    unit = clean_field(unit, _("提出单位"), name="unit", required=True, limit=120)
    if session.get(Jurisdiction, jurisdiction or "") is None:
        raise BadInput(_("找不到地区 {code}。", code=jurisdiction), field="jurisdiction")
    if received_on > today:
        raise BadInput(_("收到日期不能晚于今天。"), field="received_on")
    comment = build_comment(
        session,
        user,
        provision,
        round_,
        body=body,
        kind=kind,
        quote=quote,
        proposed_text=proposed_text,
        replaces=replaces,
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
    body = clean_field(body, _("回复内容"), name="body", required=True)
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
    return find_visible(
        session, Comment, comment_id, _("找不到该意见。"), lambda c: rules.sees_comment(user, c)
    )
