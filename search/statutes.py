"""Statute files of the shared corpus format read into search rows: one row per article."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from drafting.core.parsing import INFO_END, decode_text
from drafting.core.tree import Document, Node, article_text
from drafting.errors import BadDocument
from drafting.files.reading import parse_path

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

_DATE_IN_NAME = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
_DATE_IN_META = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def level_rank(level: str | None) -> int:
    """Return the position of a level in the hierarchy of norms (unknown levels last)."""
    try:
        return LEVELS.index(level or "")
    except ValueError:
        return len(LEVELS)


def corpus_root(src: Path) -> Path:
    """Return the corpus folder src belongs to (where manifest.tsv is), or src itself.

    A province imported on its own (corpus/local/河南) keeps the paths, levels and dates that
    the whole corpus gives it.
    """
    src = src.resolve()
    for folder in (src, *src.parents):
        if (folder / "manifest.tsv").is_file():
            return folder
    return src


def read_manifest(path: Path) -> dict[str, dict]:
    """Read the corpus manifest.tsv (file → row); an absent manifest is empty."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {r["file"]: r for r in csv.DictReader(f, delimiter="\t") if r.get("file")}


def precedent_docs(rel: str, path: Path, row: dict) -> list[dict]:
    """Return the index rows of one statute file: its articles with the law's details."""
    doc = _parse(path)
    title = doc.title or row.get("title") or _DATE_IN_NAME.sub("", path.stem)
    level, jurisdiction = _level_and_jurisdiction(rel, row)
    date = row.get("date_in_filename") or _date_from_name(path.name) or _date_from_meta(doc.meta)
    validity = "expired" if row.get("expired_flag_in_repo_db") == "1" else "in_force"
    common = {
        "kind": "precedent",
        "project_id": None,
        "draft_id": None,
        "owner_code": "",
        "version": "",
        "path": rel,
        "law": title,
        "level": level,
        "rank": level_rank(level),
        "jurisdiction": jurisdiction,
        "date": date or "",
        "year": int(date[:4]) if date else None,
        "validity": validity,
    }
    return [
        {
            **common,
            "key": f"precedent:{rel}#{seq}",
            "label": label,
            "seq": seq,
            "chapter": chapter,
            "text": text,
        }
        for seq, (label, chapter, text) in enumerate(_articles(doc), 1)
    ]


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
