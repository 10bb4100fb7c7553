"""Keep the workspace part of the index in step with the drafts, after every commit.

Each transaction that changes drafts records what to reindex in `index_job` (the outbox), in
the same transaction: a worker that dies loses nothing. One worker at a time applies the outbox
(search.services.outbox), in the web process by default or in `concord worker`.
"""

from __future__ import annotations

import logging

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from drafting.core.tree import article_text, iter_articles
from drafting.models import Draft, Provision, Revision, Version
from drafting.services.drafts import load_tree
from search.index import index_workspace_articles, remove_workspace

log = logging.getLogger(__name__)


def draft_documents(session: Session, draft: Draft, *, versions=None, tree=None) -> list[dict]:
    """Return the index documents of a draft: its current articles and its named versions'.

    `versions` limits the versions to those ids (None: all of them); `tree` spares a reload.
    """
    from drafting.core.comparison import nodes_from_json

    base = {
        "kind": "draft",
        "project_id": draft.project_id,
        "draft_id": draft.id,
        "title": draft.title,
        "jurisdiction": draft.jurisdiction.name,
        "level": "协同文本" if draft.is_common else "草案",
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
        for seq, (article, divisions) in enumerate(iter_articles(body, []), 1):
            docs.append(
                {
                    **base,
                    "key": f"{prefix}:{article.id or seq}",
                    "label": article.label,
                    "seq": seq,
                    "chapter": " ".join(f"{d.label} {d.heading}" for d in divisions),
                    "text": article_text(article),
                    "version": name,
                    "path": path,
                    "date": when.date().isoformat(),
                }
            )
    return docs


def reindex_draft(session: Session, index_dir, draft: Draft) -> int:
    """Replace a draft's documents in the index."""
    remove_workspace(index_dir, draft_id=draft.id)
    return index_workspace_articles(index_dir, draft_documents(session, draft))


def reindex_workspace(session: Session, index_dir, progress=None) -> int:
    """Rebuild the workspace documents of every draft; return how many articles were indexed."""
    total = 0
    drafts = list(session.scalars(select(Draft).order_by(Draft.id)))
    for n, draft in enumerate(drafts, 1):
        total += reindex_draft(session, index_dir, draft)
        if progress:
            progress(n, len(drafts), draft.title)
    return total


TEXT_ACTIONS = {"edit", "restore", "propagate", "apply"}


def touched_drafts(session: Session) -> dict[int, dict]:
    """Return, per draft, what this flush changed: some articles' text, versions, or structure."""
    out: dict[int, dict] = {}

    def entry(draft_id):
        return out.setdefault(draft_id, {"full": False, "provisions": set(), "versions": set()})

    for obj in session.new:
        if isinstance(obj, Revision):
            prov = session.get(Provision, obj.provision_id)
            if prov is None:
                continue
            if obj.action in TEXT_ACTIONS:
                entry(prov.draft_id)["provisions"].add(prov.id)
            else:
                entry(prov.draft_id)["full"] = True
        elif isinstance(obj, Version) and obj.draft_id is not None:
            entry(obj.draft_id)["versions"].add(obj.id)
        elif isinstance(obj, Draft) and obj.id is not None:
            entry(obj.id)["full"] = True
    for obj in session.deleted:
        if isinstance(obj, Draft):
            entry(obj.id)["full"] = True
    for obj in session.dirty:
        # Every edit touches the draft's updated_at; only a new title or 题注 changes its documents.
        if isinstance(obj, Draft):
            attrs = inspect(obj).attrs
            if attrs.title.history.has_changes() or attrs.jurisdiction_code.history.has_changes():
                entry(obj.id)["full"] = True
    return out


def _current_keys(index_dir, draft_id: int) -> list[str]:
    """Return the keys of a draft's current-text documents in the index."""
    from search.index import open_index

    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        return [
            f["key"]
            for f in searcher.documents(draft=str(draft_id))
            if f.get("key", "").startswith("draft:")
        ]


def merge_changes(into: dict, more: dict) -> None:
    """Fold the per-draft changes `more` into `into`."""
    for draft_id, change in more.items():
        have = into.setdefault(draft_id, {"full": False, "provisions": set(), "versions": set()})
        have["full"] |= change["full"]
        have["provisions"] |= change["provisions"]
        have["versions"] |= change["versions"]


def apply_change(session: Session, index_dir, draft_id: int, change: dict) -> None:
    """Bring one draft's documents in the index up to date with the database."""
    draft = session.get(Draft, draft_id)
    if draft is None:
        remove_workspace(index_dir, draft_id=draft_id)
        return
    tree = load_tree(session, draft)
    # Only the versions this change added come back, besides the current text's documents.
    docs = draft_documents(session, draft, versions=change["versions"], tree=tree)
    if change["full"]:
        # Labels may all have moved: replace the current text's documents, keep the versions'.
        remove_workspace(index_dir, keys=_current_keys(index_dir, draft.id))
        wanted = {d["key"] for d in docs if d["key"].startswith("draft:")}
    else:
        articles = [tree.article_of(pid) for pid in change["provisions"] if pid in tree.nodes]
        wanted = {f"draft:{draft.id}:{a.id}" for a in articles if a is not None}
    wanted |= {d["key"] for d in docs if d["key"].startswith("version:")}
    index_workspace_articles(index_dir, [d for d in docs if d["key"] in wanted])
