"""Workspace documents of the search store: drafts' articles, versions', proposals and opinions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafting.core.tree import article_text, iter_articles
from drafting.models import Draft
from drafting.services.drafts import load_tree
from search import store


@dataclass(frozen=True)
class Source:
    """Records of another package indexed as workspace documents (registered by the app)."""

    model: type
    prefix: str  # keys are f"{prefix}:{id}"
    documents: Callable[[object], list[dict]]


def draft_documents(session: Session, draft: Draft, *, versions=None, tree=None) -> list[dict]:
    """Return the store rows of a draft: its current articles and its named versions'.

    `versions` limits the versions to those ids (None: all of them); `tree` spares a reload.
    """
    from drafting.core.comparison import nodes_from_json

    base = {
        "kind": "draft",
        "project_id": draft.project_id,
        "draft_id": draft.id,
        "owner_code": "",
        "law": draft.title,
        "jurisdiction": draft.jurisdiction.name,
        "level": "协同文本" if draft.is_common else "草案",
        "rank": 99,
        "validity": "draft",
    }
    texts = [
        (
            (tree or load_tree(session, draft)).roots,
            f"draft:{draft.id}",
            "当前文本",
            f"drafts/{draft.id}",
            draft.updated_at,
        )
    ]
    texts += [
        (
            nodes_from_json(v.snapshot.get("body", [])),
            f"version:{v.id}",
            v.name,
            f"versions/{v.id}",
            v.created_at,
        )
        for v in draft.versions
        if versions is None or v.id in versions
    ]
    docs = []
    for body, prefix, name, path, when in texts:
        date = when.date().isoformat()
        for seq, (article, divisions) in enumerate(iter_articles(body, []), 1):
            docs.append(
                {
                    **base,
                    "key": f"{prefix}:{article.id or seq}",
                    "label": article.label or "",
                    "seq": seq,
                    "chapter": " ".join(f"{d.label} {d.heading}" for d in divisions),
                    "text": article_text(article),
                    "version": name,
                    "path": path,
                    "date": date,
                    "year": int(date[:4]),
                }
            )
    return docs


def proposal_documents(proposal) -> list[dict]:
    """Return the store row of a proposal or opinion: its title and text, never a contact."""
    when = proposal.received_on or proposal.created_at
    date = when.isoformat()[:10] if when else ""
    kind = "opinion" if proposal.kind == "opinion" else "proposal"
    return [
        {
            "key": f"proposal:{proposal.id}",
            "kind": kind,
            "project_id": proposal.project_id,
            "draft_id": None,
            "owner_code": proposal.jurisdiction_code,
            "law": proposal.title or "",
            "label": proposal.number or "",
            "seq": 1,
            "chapter": "",
            "text": proposal.text or "",
            "version": "",
            "path": f"proposals/{proposal.id}",
            "level": {"opinion": "民情民意", "expert": "专家意见"}.get(
                proposal.kind, "代表议案建议"
            ),
            "rank": 99,
            "jurisdiction": proposal.jurisdiction.name if proposal.jurisdiction else "",
            "date": date,
            "year": int(date[:4]) if date else None,
            "validity": "draft",
        }
    ]


def replace_draft(session: Session, draft: Draft) -> int:
    """Replace a draft's rows (current text and versions) in the caller's transaction."""
    conn = session.connection()
    store.delete_docs(conn, "d.draft_id = :draft", {"draft": draft.id})
    return store.write_docs(conn, draft_documents(session, draft))


def reindex_workspace(session: Session, progress=None, sources=()) -> int:
    """Rebuild every workspace row from the database; the caller commits."""
    conn = session.connection()
    store.delete_docs(conn, "d.kind <> 'precedent'")
    drafts = list(session.scalars(select(Draft).order_by(Draft.id)))
    total = 0
    for n, draft in enumerate(drafts, 1):
        total += store.write_docs(conn, draft_documents(session, draft))
        if progress:
            progress(n, len(drafts), draft.title)
    for source in sources:
        for obj in session.scalars(select(source.model)):
            total += store.write_docs(conn, source.documents(obj))
    return total
