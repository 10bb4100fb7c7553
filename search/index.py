"""The Whoosh index of precedents and workspace documents: schema, state, workspace updates.

Statute files are read in search.statutes and imported by search.importer. Next to the Whoosh
files, `status.json` says whether an import is under way and how far it has got, so searches
can tell an adviser that the index is still being built, or was left half-built.
"""

from __future__ import annotations

import json
import os
import struct
import threading
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.query import And, Not, Or, Term

from concord.i18n import gettext as _
from drafting.errors import BadInput, ConcordError, NotFound
from search.core.analysis import BigramAnalyzer, JiebaAnalyzer
from search.statutes import LEVELS, NATIONAL, UNKNOWN, level_rank

__all__ = ["LEVELS", "NATIONAL", "UNKNOWN", "import_directory", "level_rank"]

INDEX_NAME = "concord"
SOURCES_FILE = "sources.json"
STATUS_FILE = "status.json"
KINDS = ("precedent", "draft", "comment", "proposal")
LOCK_TIMEOUT = 60.0


class IndexUnavailable(ConcordError):
    """The index exists but cannot be read (damaged files)."""

    status = 503
    code = "index_unavailable"


class CompactPositions(Positions):
    """Positions as packed 16-bit deltas (32-bit if needed) instead of Whoosh's pickled lists.

    Most bigrams occur once in an article: three bytes a posting instead of fourteen, and
    packing is cheaper than pickling when millions of postings are written.
    """

    def encode(self, poslist):
        deltas, base = [], 0
        for pos in poslist:
            deltas.append(pos - base)
            base = pos
        if max(deltas) < 0x10000:
            return b"H" + struct.pack(f"<{len(deltas)}H", *deltas)
        return b"I" + struct.pack(f"<{len(deltas)}I", *deltas)

    def decode_positions(self, valuestring):
        code = chr(valuestring[0])
        deltas = struct.unpack(
            f"<{(len(valuestring) - 1) // struct.calcsize(code)}{code}", valuestring[1:]
        )
        out, pos = [], 0
        for d in deltas:
            pos += d
            out.append(pos)
        return out

    def decode_frequency(self, valuestring):
        return (len(valuestring) - 1) // (2 if valuestring[:1] == b"H" else 4)


def _bigram_field():
    field = TEXT(analyzer=BigramAnalyzer(), phrase=True)
    field.format = CompactPositions(field_boost=field.format.field_boost)
    return field


def make_schema() -> Schema:
    """Return the article-level schema shared by precedents and workspace documents."""
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True),
        project=ID(stored=True),
        draft=ID(stored=True),
        version=STORED,
        law=TEXT(analyzer=JiebaAnalyzer(), stored=True, phrase=False, field_boost=1.5),
        label=ID(stored=True),
        seq=NUMERIC(stored=True, sortable=True),
        chapter=STORED,
        # Ranking words only: no positions, no term vectors (phrases use `chars`).
        text=TEXT(analyzer=JiebaAnalyzer(), stored=True, phrase=False),
        # Title, chapter, label and text as unit bigrams: exact phrases, substring matching.
        chars=_bigram_field(),
        path=ID(stored=True),
        level=ID(stored=True),
        rank=STORED,
        jurisdiction=ID(stored=True),
        date=ID(stored=True, sortable=True),
        year=NUMERIC(stored=True),
        validity=ID(stored=True),
    )


def default_index_dir() -> Path:
    """Return CONCORD_INDEX_DIR, or the `index` folder of CONCORD_INSTANCE (./instance)."""
    if os.environ.get("CONCORD_INDEX_DIR"):
        return Path(os.environ["CONCORD_INDEX_DIR"])
    return Path(os.environ.get("CONCORD_INSTANCE") or "instance") / "index"


def index_exists(index_dir) -> bool:
    """Return whether an index has been created in index_dir."""
    try:
        return whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME)
    except Exception:  # a damaged table of contents still means an index is there
        return any(Path(index_dir).glob(f"_{INDEX_NAME}_*.toc"))


def mend_command(index_dir) -> str:
    """Return the command that rebuilds the index in index_dir."""
    return f"concord reindex --precedents <法规文件夹> --index-dir {index_dir}"


def broken(index_dir, why) -> IndexUnavailable:
    """Return the error that reports a damaged index and the command that mends it."""
    return IndexUnavailable(
        _(
            "检索索引已损坏或版本不符（{why}）：请运行 {cmd} 重建。",
            why=str(why) or type(why).__name__,
            cmd=mend_command(index_dir),
        )
    )


def open_index(index_dir, create: bool = True):
    """Open the index in index_dir, creating it (and the folder) if allowed.

    Raise NotFound when there is none and IndexUnavailable when its files cannot be read.
    """
    index_dir = Path(index_dir)
    if not index_exists(index_dir):
        if not create:
            raise NotFound(
                _("{dir} 中还没有检索索引；请先运行 concord precedents import。", dir=index_dir)
            )
        index_dir.mkdir(parents=True, exist_ok=True)
        with _create_lock:
            if not index_exists(index_dir):
                return whoosh_index.create_in(index_dir, make_schema(), indexname=INDEX_NAME)
    try:
        ix = whoosh_index.open_dir(index_dir, indexname=INDEX_NAME)
        if "chars" not in ix.schema.names():
            raise ValueError("schema")
        return ix
    except Exception as exc:  # any unreadable file: report it with the mend command
        raise broken(index_dir, exc) from None


_create_lock = threading.Lock()


def check_index(ix, index_dir) -> None:
    """Read every segment's table of contents; raise IndexUnavailable if one is damaged."""
    try:
        with ix.reader() as r:
            r.doc_count_all()
            for name in ("kind", "chars"):
                next(iter(r.lexicon(name)), None)
    except Exception as exc:
        raise broken(index_dir, exc) from None


# -- import state ----------------------------------------------------------------------------


def write_status(index_dir, **values) -> None:
    """Record the import state (`building` with done/total and pid, or `ready`) atomically."""
    path = Path(index_dir) / STATUS_FILE
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(values), encoding="utf-8")
    os.replace(tmp, path)


def read_status(index_dir) -> dict:
    """Return the import state: `ready`, `building` (files done of total) or `interrupted`."""
    try:
        st = json.loads((Path(index_dir) / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        st = {}
    out = {
        "state": st.get("state", "ready"),
        "done": int(st.get("done", 0)),
        "total": int(st.get("total", 0)),
    }
    if out["state"] == "building" and not _alive(int(st.get("pid", 0))):
        out["state"] = "interrupted"
    if out["state"] == "interrupted":
        out["mend"] = mend_command(index_dir)
    return out


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def load_sources(index_dir) -> dict:
    """Return what each imported folder's files looked like when indexed (for re-imports)."""
    path = Path(index_dir) / SOURCES_FILE
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged sidecar only costs a full re-index


def save_sources(index_dir, sources: dict) -> None:
    """Write the sources sidecar atomically, so a reader never sees half a file."""
    path = Path(index_dir) / SOURCES_FILE
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(sources, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def writer(ix, procs: int = 1):
    """Return a writer; Whoosh's file lock serialises writers, so wait rather than fail."""
    if procs > 1:
        return ix.writer(timeout=LOCK_TIMEOUT, procs=procs, multisegment=True, limitmb=256)
    return ix.writer(timeout=LOCK_TIMEOUT, limitmb=128)


def whoosh_doc(doc: dict) -> dict:
    """Return the fields Whoosh stores for one article row (empty values left out)."""
    out = {k: v for k, v in doc.items() if v is not None and k in _FIELDS}
    out["chars"] = (
        f"{doc.get('law') or ''}\n{doc.get('chapter') or ''}\n"
        f"{doc.get('label') or ''}\n{doc.get('text') or ''}"
    )
    return out


_FIELDS = set(make_schema().names())


def import_directory(index_dir, src_dir, **kwargs):
    """Index a folder of statutes incrementally (see search.importer.import_directory)."""
    from search.importer import import_directory as run

    return run(index_dir, src_dir, **kwargs)


# -- workspace documents ---------------------------------------------------------------------


def index_workspace_articles(index_dir, docs: Iterable[dict]) -> int:
    """Add or replace workspace articles (drafts, comments, proposals) by their key.

    Each dict has `key`, `kind`, `project_id`, `title`, `text` and optionally `draft_id`,
    `label`, `seq`, `jurisdiction`, `version`, `level`, `date`, `path`.
    """
    ix = open_index(index_dir)
    w = writer(ix)
    n = 0
    try:
        for d in docs:
            w.update_document(**whoosh_doc(_workspace_doc(d)))
            n += 1
        w.commit()
    except BaseException:
        w.cancel()
        raise
    return n


def _workspace_doc(d: dict) -> dict:
    kind = d.get("kind", "draft")
    if kind not in KINDS or kind == "precedent":
        raise BadInput(f"unknown workspace document kind: {kind!r}")
    if d.get("project_id") is None or not d.get("key"):
        raise BadInput("a workspace document needs a key and a project_id")
    draft = "" if d.get("draft_id") is None else str(d["draft_id"])
    date = d.get("date") or ""
    return {
        "key": str(d["key"]),
        "kind": kind,
        "project": str(d["project_id"]),
        "draft": draft,
        "version": d.get("version") or "",
        "law": d.get("title") or "",
        "label": d.get("label") or "",
        "seq": int(d.get("seq") or 0),
        "chapter": d.get("chapter") or "",
        "text": d.get("text") or "",
        "path": d.get("path") or (f"drafts/{draft}" if draft else f"{kind}s/{d['key']}"),
        "level": d.get("level") or "",
        "rank": level_rank(d.get("level")),
        "jurisdiction": d.get("jurisdiction") or "",
        "date": date,
        "year": int(date[:4]) if date else None,
        "validity": "draft",
    }


def remove_workspace(index_dir, *, keys: Iterable[str] = (), draft_id=None, project_id=None) -> int:
    """Remove workspace documents by key, by draft or by project; return how many went."""
    terms = [Term("key", str(k)) for k in keys]
    if draft_id is not None:
        terms.append(Term("draft", str(draft_id)))
    if project_id is not None:
        terms.append(Term("project", str(project_id)))
    if not terms:
        return 0
    ix = open_index(index_dir)
    w = writer(ix)
    try:
        # Never touch precedents, whatever key a caller passes.
        q = And([Or(terms), Not(Term("kind", "precedent"))])
        n = w.delete_by_query(q)
        w.commit()
    except BaseException:
        w.cancel()
        raise
    return n
