"""The round's tables as files: 意见采纳情况表 and 征求意见汇总表, .docx or CSV."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from comments.consultation.files import disposition_table as tables
from comments.consultation.models import DECISION_NAMES, Comment, Disposition, Round
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions import consultation as rules
from drafting.errors import BadInput
from drafting.models import Jurisdiction, Provision
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
            Disposition.applied_revision_id,
            Comment.withdrawn_at,
            Provision.parent_id,
        )
        .join(Provision, Provision.id == Comment.provision_id)
        .outerjoin(Disposition, Disposition.comment_id == Comment.id)
        .where(Comment.round_id == round_.id, Comment.parent_id.is_(None))
    )
    query = query.where(rules.comments_filter(user, round_.draft, round_))
    found = session.execute(query).all()
    names = dict(session.execute(select(Jurisdiction.code, Jurisdiction.name)).all())
    consulted = _consulted_articles(round_)
    order = {node.id: i for i, node in enumerate(tree.walk())}
    found.sort(
        key=lambda r: (
            consulted[r.provision_id][0] if r.provision_id in consulted else len(consulted),
            order.get(r.provision_id, len(order)),
            r.id,
        )
    )
    texts: dict[int, str] = {}
    rows = []
    for number, r in enumerate(found, start=1):
        live = r.provision_id in tree.nodes
        article = tree.article_of(r.provision_id) if live else None
        if not live and r.parent_id in tree.nodes:
            article = tree.article_of(r.parent_id)  # a deleted clause of a live article
        if r.provision_id in consulted:
            # The text the round consulted on, as the commenters saw it.
            _pos, article_label, article_text = consulted[r.provision_id]
        elif article is not None:
            if article.id not in texts:
                texts[article.id] = _article_text(article)
            article_label, article_text = article.label, texts[article.id]
        else:
            article_label, article_text = r.seen_label, r.seen_text
        label = r.seen_label or article_label
        if not live:
            label += "（已删除）" if article is None else f"（该款项已删除，现{article.label}）"
        elif not label.startswith(article.label):
            label += f"（现{tree.full_label(r.provision_id)}）"
        rows.append(
            tables.TableRow(
                number=number,
                article=article_label,
                label=label,
                article_text=article_text,
                quote=r.quote or "",
                body=r.body,
                proposed=r.proposed_text or "",
                unit=names.get(r.jurisdiction_code, r.jurisdiction_code)
                + (f"（{r.unit}）" if r.unit else ""),
                decision=decision_cell(r.decision, r.applied_revision_id, r.withdrawn_at),
                reason=r.reason or "",
            )
        )
    return rows


def decision_cell(decision: str | None, revision: int | None, withdrawn) -> str:
    """Return the 处理情况 cell: the decision, and the revision an adoption produced."""
    if withdrawn is not None and decision is None:
        return "已撤回"
    text = DECISION_NAMES[decision] if decision else "待处理"
    return f"{text}（已应用为修订 {revision}）" if revision else text


def _consulted_articles(round_: Round) -> dict[int, tuple[int, str, str]]:
    """Map each provision id of the round's version to its article's position, label and text."""
    if round_.version is None:
        return {}
    out: dict[int, tuple[int, str, str]] = {}
    position = 0

    def walk(nodes: list[dict]) -> None:
        nonlocal position
        for node in nodes:
            if node.get("kind") == "article":
                position += 1
                lines: list[str] = []
                ids: list[int] = []
                stack = [node]
                while stack:
                    part = stack.pop(0)
                    prefix = (
                        part.get("label", "") if part.get("kind") in ("item", "subitem") else ""
                    )
                    lines.append(prefix + (part.get("text") or ""))
                    if part.get("id") is not None:
                        ids.append(part["id"])
                    stack[0:0] = part.get("children", [])
                for pid in ids:
                    out[pid] = (position, node.get("label", ""), "\n".join(lines))
            else:
                walk(node.get("children", []))

    walk(round_.version.snapshot.get("body", []))
    return out


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
