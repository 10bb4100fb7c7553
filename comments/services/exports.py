"""The round's tables as files: 意见采纳情况表 and 征求意见汇总表, .docx or CSV."""

from __future__ import annotations

from sqlalchemy.orm import Session

from comments.files import disposition_table as tables
from comments.models import Round
from comments.services.commenting import Filters, comments_of_draft
from comments.services.dispositions import DECISION_NAMES
from drafting.errors import BadInput
from drafting.i18n import gettext as _
from drafting.models import User
from drafting.services.drafts import load_tree

FORMATS = ("docx", "csv")
TABLES = ("dispositions", "summary")


def table_rows(session: Session, user: User, round_: Round) -> list[tables.TableRow]:
    """Return the round's comments the user may read, in article order, as table rows."""
    draft = round_.draft
    tree = load_tree(session, draft)
    views = comments_of_draft(
        session, user, draft, Filters(round_id=round_.id), tree=tree, with_anchors=False
    )
    rows = []
    for number, v in enumerate(views, start=1):
        c = v.comment
        article = tree.nodes.get(v.article_id) if v.article_id else None
        if article is not None:
            paragraphs = [article.text or ""]
            stack = list(article.children)
            while stack:
                node = stack.pop(0)
                paragraphs.append((node.label or "") if node.kind in ("item", "subitem") else "")
                paragraphs[-1] += node.text or ""
                stack[0:0] = node.children
            article_text = "\n".join(paragraphs)
        else:
            article_text = c.seen_text + "（该条款已删除）"
        unit = c.jurisdiction.name + (f"（{c.unit}）" if c.unit else "")
        d = c.disposition
        rows.append(
            tables.TableRow(
                number=number,
                article=v.article_label,
                label=v.label,
                article_text=article_text,
                quote=c.quote or "",
                body=c.body,
                proposed=c.proposed_text or "",
                unit=unit,
                decision=DECISION_NAMES[d.decision] if d else "待处理",
                reason=d.reason if d else "",
            )
        )
    return rows


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
