"""Parse a regulation's text (Markdown, plain text or Word) into a Document tree."""

from __future__ import annotations

import gc
import re
from pathlib import Path

from drafting.core.lines import (
    CONTINUATION_RE,
    INFO_END,
    META_RE,
    SPACE,
    classify,
    heading_like,
    strip,
)
from drafting.core.numbering import article_label, make_label, to_chinese
from drafting.core.tree import Document, Node, ParseWarning
from drafting.errors import BadDocument

# Nesting rank of each division word; 分编 (民法典) sits between 编 and 章 and is shown as a part.
RANK = {"编": 0, "分编": 1, "章": 2, "节": 3}
KIND_OF = {"编": "part", "分编": "part", "章": "chapter", "节": "section"}
MAX_TEXT_BYTES = 50 * 1024 * 1024
SUFFIXES = (".md", ".markdown", ".txt", ".docx")


def parse_text(text: str, *, filename: str | None = None) -> Document:
    """Parse a regulation given as Markdown or plain text."""
    lines = clean_text(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title, meta, body_start, early = _split_header(lines)
    builder = _Builder(title, meta)
    # The tree holds no reference cycles; pausing the cycle collector while it grows keeps a
    # long text's parse linear (full collections would rescan every node built so far).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for lineno, line in early:
            builder.feed(lineno, line)
        for index in range(body_start, len(lines)):
            builder.feed(index + 1, lines[index])
    finally:
        if collecting:
            gc.enable()
    doc = builder.finish()
    if not any(True for _ in doc.articles()):
        name = f"{filename}：" if filename else ""
        raise BadDocument(f"{name}未找到任何条文（应以“第一条”这样的条文编号开头）")
    return doc


# Word's manual line and page breaks become line breaks; other control characters and lone
# surrogates cannot be stored in a .docx and mean nothing in a regulation: they are dropped.
_BREAKS = re.compile(r"[\x0b\x0c\x85\u2028\u2029]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Return text without control characters or lone surrogates (line breaks kept)."""
    return _INVISIBLE.sub("", _BREAKS.sub("\n", text))


def file_suffix(filename: str) -> str:
    """Return a supported file name's extension, or refuse the file."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        shown = suffix or "无扩展名"
        raise BadDocument(f"{filename}：不支持的文件类型“{shown}”，请使用 .md、.txt 或 .docx")
    return suffix


def decode_text(data: bytes, filename: str) -> str:
    """Decode a text file as UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise BadDocument(f"{filename}：无法识别文件编码，不是 UTF-8 或 GB18030 文本")


def _split_header(lines: list[str]) -> tuple[str, list[str], int, list[tuple[int, str]]]:
    """Return title, meta lines, the index where the body starts and header headings to replay."""
    first = next((i for i, line in enumerate(lines) if strip(line)), None)
    if first is None:
        return "", [], len(lines), []
    marker = next((i for i, line in enumerate(lines) if strip(line) == INFO_END), None)
    head = strip(lines[first])
    is_md_title = head.startswith("#") and not head.startswith("##")
    title_text = head.lstrip("#").strip(SPACE)
    if marker is not None and marker > first:
        meta: list[str] = []
        early: list[tuple[int, str]] = []
        for i in range(first + 1, marker):
            line = strip(lines[i])
            if line.startswith("#"):
                early.append((i + 1, line))
            elif line and not line.startswith("<!--"):
                meta.append(line)
        return title_text, meta, marker + 1, early
    if classify(head)[0] in ("article", "division", "toc") and not is_md_title:
        return "", [], first, []
    return title_text, [], first + 1, []


class _Builder:
    """Assemble the tree line by line, keeping the open division, article, paragraph and item."""

    def __init__(self, title: str, meta: list[str]):
        self.doc = Document(title=title, meta=list(meta))
        self.stack: list[tuple[float, Node]] = []
        self.article: Node | None = None
        self.paragraph: Node | None = None
        self.item: Node | None = None
        self.clauses = 0  # paragraphs after the first in the open article, counted as they come
        self.meta_seen: set[str] = set(meta)
        self.awaiting_text = False
        self.last: tuple[int, int | None] | None = None
        self.division_last: dict[tuple[int, int], int] = {}
        self.rank_last: dict[int, int] = {}
        self.seen_divisions: set[tuple[str, int]] = set()
        self.first_division_warnings = 0
        self.parts = 0
        self.toc: tuple | None = None
        self.in_toc = False
        self.fresh_heading: Node | None = None

    def warn(self, line: int, message: str) -> None:
        self.doc.warnings.append(ParseWarning(line, message))

    def feed(self, lineno: int, raw: str) -> None:
        line = strip(raw)
        if not line:
            return
        kind, parts = classify(line)
        if kind == "blank":
            return
        fresh, self.fresh_heading = self.fresh_heading, None
        if fresh is not None and kind == "text" and heading_like(line):
            # A long heading wrapped onto a second line.
            fresh.heading = (fresh.heading or "") + line
            self.fresh_heading = fresh
            return
        if self.in_toc and self._toc_line(kind, parts, line):
            return
        if kind == "toc":
            self.in_toc, self.toc = True, None
        elif kind == "division":
            word, num, heading, _ = parts
            self.open_division(lineno, KIND_OF[word], RANK[word], num, heading, word)
        elif kind == "heading":
            self.heading(lineno, *parts)
        elif kind == "article":
            self.article_line(lineno, *parts, line)
        elif kind == "item":
            self.item_line(lineno, *parts)
        elif kind == "subitem":
            self.subitem_line(lineno, *parts)
        else:
            self.text_line(lineno, parts[0])

    def _toc_line(self, kind: str, parts: tuple, line: str) -> bool:
        """Skip a table-of-contents line; return False once the real body begins."""
        if kind == "division":
            key = (parts[0], parts[1])
            if self.toc is None:
                self.toc = key
                return True
            if key != self.toc:
                return True
        elif kind in ("heading", "text") and len(line) <= 40:
            return True
        self.in_toc = False
        return False

    def heading(self, lineno: int, text: str, hashes: int) -> None:
        if hashes == 1:
            if text == self.doc.title:
                return
            # A further level-one heading (民法典's 物权编) opens a part.
            self.parts += 1
            self.open_division(lineno, "part", 0, self.parts, text, "编", label=None)
        else:
            self.open_division(lineno, "chapter", 2, None, text, "章", label=None)

    def open_division(
        self,
        lineno: int,
        kind: str,
        rank: float,
        num: int | None,
        heading: str,
        word: str,
        label: str | None | bool = True,
    ) -> None:
        if self.last is None and num is not None:
            # A heading seen twice before any article means the first ones were a contents list.
            if not self.seen_divisions:
                self.first_division_warnings = len(self.doc.warnings)
            elif (word, num) in self.seen_divisions:
                self._drop_unmarked_toc()
            self.seen_divisions.add((word, num))
        while self.stack and self.stack[-1][0] >= rank:
            self.stack.pop()
        if label is True:
            label = _division_label(num, word)
        node = Node(kind=kind, num=num, label=label or None, heading=heading, line=lineno)
        if num is not None and label:
            self._check_division(lineno, rank, num, word)
        parent = self.stack[-1][1] if self.stack else None
        (parent.children if parent else self.doc.body).append(node)
        self.stack.append((rank, node))
        self.article = self.paragraph = self.item = None
        self.awaiting_text = False
        self.fresh_heading = node

    def _drop_unmarked_toc(self) -> None:
        """Forget the headings seen so far: they were a table of contents without 目录."""
        self.doc.body = [n for n in self.doc.body if n.kind not in ("part", "chapter", "section")]
        self.stack.clear()
        self.division_last.clear()
        self.rank_last.clear()
        self.seen_divisions.clear()
        keep = self.doc.warnings[: self.first_division_warnings]
        self.doc.warnings = keep + [
            w for w in self.doc.warnings[len(keep) :] if "不属于" in w.message
        ]

    def _check_division(self, lineno: int, rank: float, num: int, word: str) -> None:
        # Chapters restart in each 编, sections in each chapter; 分编 do not restart chapters.
        scope_rank = {0: -1, 1: 0, 2: 0, 3: 2}[int(rank)]
        scope = next((id(n) for r, n in reversed(self.stack) if r <= scope_rank), 0)
        key = (int(rank), scope)
        prev = self.division_last.get(key)
        self.division_last[key] = num
        # 民事诉讼法 numbers its chapters straight through its 编; 刑法 starts each 编 afresh.
        straight_on = prev is None and num == self.rank_last.get(int(rank), -1) + 1
        self.rank_last[int(rank)] = num
        if num != (prev or 0) + 1 and not straight_on:
            self.warn(lineno, _gap_message(word, prev, num))

    def article_line(
        self, lineno: int, num: int, sub: int | None, spaced: bool, text: str, line: str
    ) -> None:
        key = (num, sub)
        if not spaced and (CONTINUATION_RE.match(text) or not _after(key, self.last)):
            # 第十二条规定的…: a paragraph that opens with a citation, not a new article.
            self.text_line(lineno, line)
            return
        self._check_article(lineno, key)
        self.last = key
        node = Node(
            kind="article", num=num, sub=sub, label=article_label(num, sub), text=text, line=lineno
        )
        parent = self.stack[-1][1] if self.stack else None
        (parent.children if parent else self.doc.body).append(node)
        self.article = self.paragraph = node
        self.item = None
        self.clauses = 0
        self.awaiting_text = not text

    def _check_article(self, lineno: int, key: tuple[int, int | None]) -> None:
        num, sub = key
        label = article_label(num, sub)
        prev = self.last
        if prev is None:
            if num != 1 or sub:
                self.warn(lineno, f"首条是 {label}（缺少第一条）")
            return
        prev_label = article_label(*prev)
        if key == prev:
            self.warn(lineno, f"{label} 重复")
        elif sub:
            if num != prev[0] or sub != (prev[1] or 0) + 1:
                self.warn(lineno, f"{prev_label} 之后是 {label}（编号不连续）")
        elif num == prev[0] + 1:
            return
        elif num > prev[0] + 1:
            missing = article_label(prev[0] + 1)
            if num > prev[0] + 2:
                missing += "至" + article_label(num - 1)
            self.warn(lineno, f"{prev_label} 之后是 {label}（缺少{missing}）")
        else:
            self.warn(lineno, f"{prev_label} 之后是 {label}（编号倒退）")

    def _container(self) -> Node | None:
        return self.paragraph if self.article is not None else None

    def text_line(self, lineno: int, text: str) -> None:
        if self.article is None:
            self._orphan(lineno, text)
            return
        if self.awaiting_text:
            # A label on a line of its own: its text is the next paragraph.
            self.article.text = text
            self.awaiting_text = False
            return
        # Counted, not recounted per line: a paste of 100,000 lines must stay linear.
        self.clauses += 1
        node = Node(kind="clause", num=self.clauses + 1, text=text, line=lineno)
        self.article.children.append(node)
        self.paragraph = node
        self.item = None

    def item_line(self, lineno: int, num: int, text: str) -> None:
        container = self._container()
        if container is None:
            self._orphan(lineno, make_label("item", num) + text)
            return
        self.awaiting_text = False
        node = Node(kind="item", num=num, label=make_label("item", num), text=text, line=lineno)
        container.children.append(node)
        self.item = node

    def subitem_line(self, lineno: int, num: int, text: str) -> None:
        parent = self.item or self._container()
        if parent is None:
            self._orphan(lineno, make_label("subitem", num) + text)
            return
        self.awaiting_text = False
        node = Node(
            kind="subitem", num=num, label=make_label("subitem", num), text=text, line=lineno
        )
        parent.children.append(node)

    def _orphan(self, lineno: int, text: str) -> None:
        """Keep a paragraph outside any article as a 题注 line rather than lose it."""
        if not self.doc.body:
            self._meta(text)
        elif META_RE.search(text) and len(text) < 120:
            # 民法典 repeats its adoption history for each 编.
            if text not in self.meta_seen:
                self._meta(text)
        else:
            self._meta(text)
            self.warn(lineno, f"第{lineno}行的段落不属于任何条文，已放入题注")

    def _meta(self, text: str) -> None:
        self.doc.meta.append(text)
        self.meta_seen.add(text)

    def finish(self) -> Document:
        return self.doc


def _after(key: tuple[int, int | None], prev: tuple[int, int | None] | None) -> bool:
    """Tell whether an article number can follow the previous one."""
    if prev is None:
        return True
    return key[0] > prev[0] or (key[0] == prev[0] and (key[1] or 0) > (prev[1] or 0))


def _division_label(num: int, word: str) -> str:
    return f"第{to_chinese(num)}{word}"


def _gap_message(word: str, prev: int | None, num: int) -> str:
    label = _division_label(num, word)
    if prev is None:
        return f"首个是 {label}（缺少{_division_label(1, word)}）"
    if num == prev:
        return f"{label} 重复"
    prev_label = _division_label(prev, word)
    if num < prev:
        return f"{prev_label} 之后是 {label}（编号倒退）"
    return f"{prev_label} 之后是 {label}（缺少{_division_label(prev + 1, word)}）"
