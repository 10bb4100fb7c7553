"""Recognise what one line of a regulation is: heading, article, item, sub-item or paragraph."""

from __future__ import annotations

import re

from drafting.core.numbering import NUM_RE, NUMERAL, parse_numeral

INFO_END = "<!-- INFO END -->"
SPACE = " \t\u3000\u00a0\ufeff\u200b\u200c\u200d\u2060"
_SP = "[ \t\u3000\u00a0]"

_SP_RE = re.compile(f"{_SP}+")
# First characters of every line that can be a label or heading.
LEADS = frozenset("第（(0123456789#<目附")
ARTICLE_RE = re.compile(rf"第({NUM_RE})条(?:之({NUM_RE}))?({_SP}*)(.*)$")
DIVISION_RE = re.compile(rf"第({NUM_RE})(分编|编|章|节){_SP}*(.*)$")
ITEM_RE = re.compile(rf"[（(]([{NUMERAL}]+)[）)]{_SP}*(.*)$")
SUBITEM_RE = re.compile(rf"(?:([0-9]+)[.．、](?![0-9])|[（(]([0-9]+)[）)]){_SP}*(.*)$")
# A heading line is short and is not a sentence; a body line that starts with 第五章 is one.
SENTENCE_RE = re.compile(r"[，。；：？！,;?!]")
META_RE = re.compile(
    r"(?:\d{4}|[〇○零一二三四五六七八九]{4})年.*(?:通过|施行|公布|修正|修订|批准|发布)"
)
TOC_WORDS = {"目录", "目 录", "目　录"}
BARE_HEADINGS = {"总则", "附则", "分则", "序言", "附件"}
APPENDIX_RE = re.compile(rf"附(?:件|表|录)?(?:{NUM_RE})?[：:]?$")
CONTINUATION_RE = re.compile(r"(?:规定|的|至|、|和|及|第|所|中|前|后)")


def strip(line: str) -> str:
    """Strip spaces, including full-width and zero-width ones, from both ends."""
    return line.strip(SPACE)


def heading_like(line: str) -> bool:
    """Tell whether a line is short and not a sentence, as a heading is."""
    return len(line) <= 30 and not SENTENCE_RE.search(line)


def classify(line: str) -> tuple[str, tuple]:
    """Return the kind of a stripped line and its parts."""
    hashes = len(line) - len(line.lstrip("#"))
    rest = line[hashes:].strip(SPACE) if hashes else line
    if not rest or rest.startswith("<!--"):
        return "blank", ()
    if not hashes and rest[0] not in LEADS and len(rest) > 8:
        # Most lines are plain paragraphs; skip the label patterns for them.
        return "text", (rest,)
    if rest in TOC_WORDS:
        return "toc", ()
    m = DIVISION_RE.match(rest)
    if m and (hashes or heading_like(m.group(3))):
        return "division", (m.group(2), parse_numeral(m.group(1)), strip(m.group(3)), hashes)
    if hashes:
        return "heading", (rest, hashes)
    m = ARTICLE_RE.match(rest)
    if m:
        sub = parse_numeral(m.group(2)) if m.group(2) else None
        return "article", (parse_numeral(m.group(1)), sub, bool(m.group(3)), m.group(4))
    m = ITEM_RE.match(rest)
    if m:
        return "item", (parse_numeral(m.group(1)), m.group(2))
    m = SUBITEM_RE.match(rest)
    if m:
        return "subitem", (int(m.group(1) or m.group(2)), m.group(3))
    if len(rest) <= 8 and (_SP_RE.sub("", rest) in BARE_HEADINGS or APPENDIX_RE.match(rest)):
        return "heading", (rest, 0)
    return "text", (rest,)
