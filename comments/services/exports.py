"""The round's tables as files: 意见采纳情况表 and 征求意见汇总表, .docx or CSV."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from comments.files import disposition_table as tables
from comments.models import Comment, Disposition, Round
from comments.services import permissions as rules
from comments.services.dispositions import DECISION_NAMES
from drafting.errors import BadInput
from drafting.i18n import gettext as _
from drafting.models import Jurisdiction, User
from drafting.services.drafts import load_tree

FORMATS = ("docx", "csv")
TABLES = ("dispositions", "summary")


def table_rows(session: Session, user: User, round_: Round) -> list[tables.TableRow]:
    """Return the round's comments the user may read, in article order, as table rows."""
    draft = round_.draft
    rules.require_sees(user, draft)
    tree = load_tree(session, draft)
    # Plain columns rather than ORM objects: the tables of 2,000 comments need no more.
    query = (
        select(
            Comment.id,
            Comment.provision_id,
            Comment.jurisdiction_code,
            Comment.unit,
            Comment.quote,
            Comment.body,
            Comment.proposed_text,
            Comment.seen_text,
            Comment.seen_label,
            Disposition.decision,
            Disposition.reason,
        )
        .outerjoin(Disposition, Disposition.comment_id == Comment.id)
        .where(Comment.round_id == round_.id, Comment.parent_id.is_(None))
    )
    if not rules.sees_all_comments(user, round_):
        query = query.where(Comment.jurisdiction_code == user.jurisdiction_code)
    found = session.execute(query).all()
    names = dict(session.execute(select(Jurisdiction.code, Jurisdiction.name)).all())
    order = {node.id: i for i, node in enumerate(tree.walk())}
    found.sort(key=lambda r: (order.get(r.provision_id, len(order)), r.id))
    texts: dict[int, str] = {}
    rows = []
    for number, r in enumerate(found, start=1):
        live = r.provision_id in tree.nodes
        article = tree.article_of(r.provision_id) if live else None
        if article is not None:
            if article.id not in texts:
                texts[article.id] = _article_text(article)
            article_text = texts[article.id]
        else:
            article_text = r.seen_text + "（该条款已删除）"
        rows.append(
            tables.TableRow(
                number=number,
                article=article.label if article else r.seen_label,
                label=tree.full_label(r.provision_id) if live else r.seen_label,
                article_text=article_text,
                quote=r.quote or "",
                body=r.body,
                proposed=r.proposed_text or "",
                unit=names.get(r.jurisdiction_code, r.jurisdiction_code)
                + (f"（{r.unit}）" if r.unit else ""),
                decision=DECISION_NAMES[r.decision] if r.decision else "待处理",
                reason=r.reason or "",
            )
        )
    return rows


def _article_text(article) -> str:
    """Return an article's paragraphs, items with their labels, one per line."""
    lines = []
    stack = [article]
    while stack:
        node = stack.pop(0)
        prefix = (node.label or "") if node.kind in ("item", "subitem") else ""
        lines.append(prefix + (node.text or ""))
        stack[0:0] = node.children
    return "\n".join(lines)


def export_round(
    session: Session, user: User, round_: Round, *, fmt: str, table: str = "dispositions"
) -> tuple[bytes, str]:
    """Return one of the round's tables as bytes and its file name."""
    if fmt not in FORMATS:
        raise BadInput(_("不支持的格式“{f}”：可选 docx、csv。", f=fmt))
    if table not in TABLES:
        raise BadInput(_("table 应为 dispositions 或 summary。"))
    rows = table_rows(session, user, round_)
    title = round_.draft.title
    subtitle = f"（{round_.title}，{round_.opens.isoformat()}至{round_.closes.isoformat()}）"
    if table == "dispositions":
        name = f"{title}意见采纳情况表.{fmt}"
        data = (
            tables.disposition_docx(title, subtitle, rows)
            if fmt == "docx"
            else tables.disposition_csv(rows)
        )
    else:
        name = f"{title}征求意见汇总表.{fmt}"
        data = (
            tables.summary_docx(title, subtitle, rows)
            if fmt == "docx"
            else tables.summary_csv(rows)
        )
    return data, name
