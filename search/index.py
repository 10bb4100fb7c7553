"""The Whoosh index of precedents and workspace documents: schema, import and updates."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.query import And, Not, Or, Term

from drafting.core.parsing import INFO_END, decode_text
from drafting.core.tree import Document, Node, article_text
from drafting.errors import BadDocument, BadInput, NotFound
from drafting.files.reading import parse_path
from drafting.i18n import gettext as _
from search.core.analysis import BigramAnalyzer, JiebaAnalyzer

INDEX_NAME = "concord"
SOURCES_FILE = "sources.json"
KINDS = ("precedent", "draft", "comment", "proposal")
NATIONAL = "全国"
UNKNOWN = "未知"
# 上位法 first: the order in which a "similar provisions" panel lists levels.
LEVELS = (
    "宪法",
    "法律",
    "行政法规",
    "监察法规",
    "司法解释",
    "地方性法规",
    "自治条例",
    "单行条例",
    "部门规章",
    "地方政府规章",
)
SUFFIXES = (".md", ".txt", ".docx")
BATCH_FILES = 500  # commit this often so web workers are not locked out during a long import
LOCK_TIMEOUT = 60.0

_DATE_IN_NAME = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
_DATE_IN_META = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")

Progress = Callable[[int, int, str], None]


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
        text=TEXT(analyzer=JiebaAnalyzer(), stored=True, phrase=False),
        # Title, chapter, label and text as unit bigrams: exact phrases, substring matching.
        chars=TEXT(analyzer=BigramAnalyzer(), phrase=True),
        path=ID(stored=True),
        level=ID(stored=True),
        rank=NUMERIC(stored=True),
        jurisdiction=ID(stored=True),
        date=ID(stored=True, sortable=True),
        year=NUMERIC(stored=True),
        validity=ID(stored=True),
    )


@dataclass
class ImportStats:
    """What one `import_directory` run did."""

    files: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    articles: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {**self.__dict__, "failed": [list(f) for f in self.failed]}


def default_index_dir() -> Path:
    """Return CONCORD_INDEX_DIR, or the `index` folder of CONCORD_INSTANCE (./instance)."""
    if os.environ.get("CONCORD_INDEX_DIR"):
        return Path(os.environ["CONCORD_INDEX_DIR"])
    return Path(os.environ.get("CONCORD_INSTANCE") or "instance") / "index"


def index_exists(index_dir) -> bool:
    """Return whether an index has been created in index_dir."""
    return whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME)


def open_index(index_dir, create: bool = True):
    """Open the index in index_dir, creating it (and the folder) if allowed."""
    index_dir = Path(index_dir)
    if whoosh_index.exists_in(index_dir, indexname=INDEX_NAME):
        return whoosh_index.open_dir(index_dir, indexname=INDEX_NAME)
    if not create:
        raise NotFound(
            _("{dir} 中还没有检索索引；请先运行 concord precedents import。", dir=index_dir)
        )
    index_dir.mkdir(parents=True, exist_ok=True)
    with _create_lock:
        if whoosh_index.exists_in(index_dir, indexname=INDEX_NAME):
            return whoosh_index.open_dir(index_dir, indexname=INDEX_NAME)
        return whoosh_index.create_in(index_dir, make_schema(), indexname=INDEX_NAME)


_create_lock = threading.Lock()


def level_rank(level: str | None) -> int:
    """Return the position of a level in the hierarchy of norms (unknown levels last)."""
    try:
        return LEVELS.index(level or "")
    except ValueError:
        return len(LEVELS)


def _writer(ix):
    # Whoosh's file lock serialises writers across processes; wait rather than fail at once.
    return ix.writer(timeout=LOCK_TIMEOUT, limitmb=128)


# -- precedents ------------------------------------------------------------------------------


def import_directory(index_dir, src_dir, *, progress: Progress | None = None) -> ImportStats:
    """Index a folder of statutes incrementally: changed files again, deleted files out."""
    started = time.perf_counter()
    src = Path(src_dir)
    if not src.is_dir():
        raise BadInput(_("不是文件夹：{dir}", dir=src_dir))
    ix = open_index(index_dir)
    manifest = _read_manifest(src / "manifest.tsv")
    files = sorted(p for p in src.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
    source_key = str(src.resolve())
    sources = _load_sources(index_dir)
    known: dict = sources.setdefault(source_key, {})
    stats = ImportStats(files=len(files))
    seen: set[str] = set()
    pending: list[tuple[str, Path, dict, dict]] = []
    for p in files:
        rel = p.relative_to(src).as_posix()
        seen.add(rel)
        st = p.stat()
        row = manifest.get(rel, {})
        stamp = {"mtime": st.st_mtime_ns, "size": st.st_size, "row": _row_digest(row)}
        old = known.get(rel)
        if old and all(old.get(k) == v for k, v in stamp.items()):
            stats.unchanged += 1
        else:
            stamp["sha1"] = hashlib.sha1(p.read_bytes()).hexdigest()
            if old and old.get("sha1") == stamp["sha1"] and old.get("row") == stamp["row"]:
                known[rel] = stamp  # touched but not changed
                stats.unchanged += 1
            else:
                pending.append((rel, p, row, stamp))
    gone = [rel for rel in known if rel not in seen]

    done = stats.unchanged
    writer = _writer(ix)
    try:
        for rel in gone:
            writer.delete_by_term("path", rel)
            del known[rel]
            stats.removed += 1
        for n, (rel, p, row, stamp) in enumerate(pending, 1):
            is_new = rel not in known
            if not is_new:
                writer.delete_by_term("path", rel)
            try:
                docs = list(_precedent_docs(rel, p, row))
            except Exception as exc:  # one bad file must not stop an import
                stats.failed.append((rel, str(exc) or type(exc).__name__))
                known.pop(rel, None)
            else:
                for doc in docs:
                    writer.add_document(**doc)
                stats.articles += len(docs)
                known[rel] = stamp
                if is_new:
                    stats.added += 1
                else:
                    stats.updated += 1
            done += 1
            if progress:
                progress(done, len(files), rel)
            if n % BATCH_FILES == 0:
                writer.commit()
                _save_sources(index_dir, sources)
                writer = _writer(ix)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    _save_sources(index_dir, sources)
    stats.seconds = round(time.perf_counter() - started, 2)
    return stats


def _read_manifest(path: Path) -> dict[str, dict]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {r["file"]: r for r in csv.DictReader(f, delimiter="\t") if r.get("file")}


def _row_digest(row: dict) -> str:
    return hashlib.sha1(json.dumps(row, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _load_sources(index_dir) -> dict:
    path = Path(index_dir) / SOURCES_FILE
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged sidecar only costs a full re-index


def _save_sources(index_dir, sources: dict) -> None:
    path = Path(index_dir) / SOURCES_FILE
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(sources, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)  # atomic, so a reader never sees half a file


def _precedent_docs(rel: str, path: Path, row: dict) -> Iterable[dict]:
    doc = _parse(path)
    title = doc.title or row.get("title") or _DATE_IN_NAME.sub("", path.stem)
    level, jurisdiction = _level_and_jurisdiction(rel, row)
    date = row.get("date_in_filename") or _date_from_name(path.name) or _date_from_meta(doc.meta)
    validity = "expired" if row.get("expired_flag_in_repo_db") == "1" else "in_force"
    common = {
        "kind": "precedent",
        "path": rel,
        "law": title,
        "level": level,
        "rank": level_rank(level),
        "jurisdiction": jurisdiction,
        "date": date or "",
        "validity": validity,
    }
    if date:
        common["year"] = int(date[:4])
    for seq, (label, chapter, text) in enumerate(_articles(doc), 1):
        yield {
            **common,
            "key": f"precedent:{rel}#{seq}",
            "label": label,
            "seq": seq,
            "chapter": chapter,
            "text": text,
            "chars": f"{title}\n{chapter}\n{label}\n{text}",
        }


def _articles(doc: Document) -> Iterable[tuple[str, str, str]]:
    found = False
    for article, divisions in doc.articles():
        found = True
        chapter = " ".join(f"{d.label or ''} {d.heading or ''}".strip() for d in divisions)
        yield article.label or "", chapter, article_text(article)
    if not found:
        # Decisions and amendments have no 条: index the whole text as one unit.
        text = "\n".join(_plain_lines(doc.body))
        if text.strip():
            yield "全文", "", text


def _plain_lines(nodes) -> Iterable[str]:
    for n in nodes:
        line = " ".join(x for x in (n.label, n.heading, n.text) if x)
        if line:
            yield line
        yield from _plain_lines(n.children)


def _level_and_jurisdiction(rel: str, row: dict) -> tuple[str, str]:
    level = row.get("level") or ""
    jurisdiction = row.get("jurisdiction") or ""
    parts = rel.split("/")[:-1]
    if not level:
        level = next((p for p in parts if p in LEVELS), "")
        if not level and "local" in parts:
            level = "地方性法规"
    if not jurisdiction:
        if "national" in parts:
            jurisdiction = NATIONAL
        elif "local" in parts and parts.index("local") + 1 < len(parts):
            jurisdiction = parts[parts.index("local") + 1]
    if jurisdiction == "国家":
        jurisdiction = NATIONAL
    return level or UNKNOWN, jurisdiction or UNKNOWN


def _date_from_name(name: str) -> str:
    m = _DATE_IN_NAME.search(name)
    return m.group(1) if m else ""


def _date_from_meta(meta: list[str]) -> str:
    """Return the latest date in the adoption history (the last revision)."""
    dates = [
        f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
        for line in meta
        for y, m, d in _DATE_IN_META.findall(line)
    ]
    return max(dates) if dates else ""


def _parse(path: Path) -> Document:
    try:
        return parse_path(path)
    except BadDocument:
        if path.suffix.lower() == ".docx":
            raise
    # Decisions and amendments (决定, 修正案) have no 条: keep their text as one unit.
    lines = [ln.strip() for ln in decode_text(path.read_bytes(), path.name).splitlines()]
    title = next((ln.lstrip("#").strip() for ln in lines if ln.startswith("#")), "")
    meta: list[str] = []
    if INFO_END in lines:
        cut = lines.index(INFO_END)
        meta = [ln for ln in lines[:cut] if ln and not ln.startswith("#")]
        lines = lines[cut + 1 :]
    body = [
        Node("clause", text=ln.lstrip("#").strip())
        for ln in lines
        if ln and ln.lstrip("#").strip() != title
    ]
    return Document(title=title, meta=meta, body=body)


# -- workspace documents ---------------------------------------------------------------------


def index_workspace_articles(index_dir, docs: Iterable[dict]) -> int:
    """Add or replace workspace articles (drafts, comments, proposals) by their key.

    Each dict has `key`, `kind`, `project_id`, `title`, `text` and optionally `draft_id`,
    `label`, `seq`, `jurisdiction`, `version`, `level`, `date`, `path`.
    """
    ix = open_index(index_dir)
    writer = _writer(ix)
    n = 0
    try:
        for d in docs:
            writer.update_document(**_workspace_doc(d))
            n += 1
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return n


def _workspace_doc(d: dict) -> dict:
    kind = d.get("kind", "draft")
    if kind not in KINDS or kind == "precedent":
        raise BadInput(f"unknown workspace document kind: {kind!r}")
    if d.get("project_id") is None or not d.get("key"):
        raise BadInput("a workspace document needs a key and a project_id")
    title, label, text = d.get("title") or "", d.get("label") or "", d.get("text") or ""
    draft = "" if d.get("draft_id") is None else str(d["draft_id"])
    out = {
        "key": str(d["key"]),
        "kind": kind,
        "project": str(d["project_id"]),
        "draft": draft,
        "version": d.get("version") or "",
        "law": title,
        "label": label,
        "seq": int(d.get("seq") or 0),
        "chapter": d.get("chapter") or "",
        "text": text,
        "chars": f"{title}\n{d.get('chapter') or ''}\n{label}\n{text}",
        "path": d.get("path") or (f"drafts/{draft}" if draft else f"{kind}s/{d['key']}"),
        "level": d.get("level") or "",
        "rank": level_rank(d.get("level")),
        "jurisdiction": d.get("jurisdiction") or "",
        "date": d.get("date") or "",
        "validity": "draft",
    }
    if out["date"]:
        out["year"] = int(out["date"][:4])
    return out


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
    writer = _writer(ix)
    try:
        # Never touch precedents, whatever key a caller passes.
        q = And([Or(terms), Not(Term("kind", "precedent"))])
        n = writer.delete_by_query(q)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return n
