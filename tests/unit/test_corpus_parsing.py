"""The parser against every statute of the shared corpus: it finds exactly the numbered articles.

The expected articles, chapters and sections come from a regular expression over the source lines,
independently of the parser, and the article count is checked against manifest.tsv as well.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from drafting.core.numbering import parse_numeral
from drafting.core.parsing import parse_text
from drafting.errors import BadDocument
from tests.helpers import REPO

pytestmark = pytest.mark.corpus

CORPUS = Path(os.environ.get("CONCORD_CORPUS") or REPO.parent / "shared" / "corpus")
N = "[一二三四五六七八九十百千零〇两]+"
ARTICLE_LINE = re.compile(rf"^[ \t\u3000]*第({N})条(?:之({N}))?")
DIVISION_LINE = re.compile(rf"^(#*)[ \t\u3000]*第({N})(章|节)[ \t\u3000]*(.*)$")
# A bare (non-Markdown) heading is short and has no sentence punctuation.
SENTENCE = re.compile(r"[，。；：,;]")
ARTICLE_WARNING = re.compile(rf"^(?:首条是|第{N}条)")


def corpus_rows() -> list[dict]:
    manifest = CORPUS / "manifest.tsv"
    if not manifest.exists():
        pytest.skip(f"the shared corpus is not at {CORPUS} (set CONCORD_CORPUS to its folder)")
    with manifest.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def expected(text: str) -> tuple[list[tuple[int, int | None]], dict[str, list[int]]]:
    """Return the article numbers and chapter/section numbers the source itself shows."""
    body = text.split("<!-- INFO END -->", 1)[-1]
    articles = []
    headings: list[tuple[str, int, bool]] = []
    for line in body.splitlines():
        m = ARTICLE_LINE.match(line)
        if m:
            sub = parse_numeral(m.group(2)) if m.group(2) else None
            articles.append((parse_numeral(m.group(1)), sub))
            continue
        m = DIVISION_LINE.match(line.strip("\u200b"))
        if m and (m.group(1) or (len(m.group(4)) <= 30 and not SENTENCE.search(m.group(4)))):
            headings.append((m.group(3), parse_numeral(m.group(2)), not articles))
    headings = without_toc(headings)
    divisions = {word: [num for w, num, _ in headings if w == word] for word in ("章", "节")}
    return articles, divisions


def without_toc(headings: list[tuple[str, int, bool]]) -> list[tuple[str, int, bool]]:
    """Drop a table of contents: headings before the first article that the body repeats."""
    seen = set()
    for index, (word, num, before_articles) in enumerate(headings):
        if not before_articles:
            break
        if (word, num) in seen:
            return headings[index:]
        seen.add((word, num))
    return headings


def consistent(articles: list[tuple[int, int | None]]) -> bool:
    """Tell whether the source numbers its articles 1, 2, 3 … with 之一 insertions in place."""
    prev = (0, None)
    for num, sub in articles:
        ok = (sub is None and num == prev[0] + 1) or (
            sub is not None and num == prev[0] and sub == (prev[1] or 0) + 1
        )
        if not ok:
            return False
        prev = (num, sub)
    return True


def walk(nodes, kind):
    for node in nodes:
        if node.kind == kind:
            yield node
        yield from walk(node.children, kind)


def test_every_corpus_file_parses_to_the_articles_it_numbers():
    rows = corpus_rows()
    failures: list[str] = []
    checked = inconsistent = warned_ok = 0
    for row in rows:
        text = (CORPUS / row["file"]).read_text(encoding="utf-8")
        want, divisions = expected(text)
        if int(row["articles"]) != len(want):
            failures.append(f"{row['file']}: manifest says {row['articles']}, lines {len(want)}")
        if not want:
            with pytest.raises(BadDocument):
                parse_text(text, filename=row["file"])
            continue
        checked += 1
        doc = parse_text(text, filename=row["file"])
        got = [(a.num, a.sub) for a, _ in doc.articles()]
        if got != want:
            missing = [a for a in want if a not in got][:3]
            failures.append(f"{row['file']}: {len(got)} articles, want {len(want)}; {missing}")
            continue
        article_warnings = [w for w in doc.warnings if ARTICLE_WARNING.match(w.message)]
        if consistent(want):
            if article_warnings:
                failures.append(f"{row['file']}: false warning {article_warnings[0].message}")
        else:
            # Source numbering that skips or repeats must be reported, not silently accepted.
            inconsistent += 1
            if not article_warnings:
                failures.append(f"{row['file']}: inconsistent numbering without a warning")
            else:
                warned_ok += 1
        for kind, word in (("chapter", "章"), ("section", "节")):
            got_nums = [n.num for n in walk(doc.body, kind) if n.label]
            if got_nums != divisions[word]:
                failures.append(f"{row['file']}: {kind}s {got_nums[:8]} want {divisions[word][:8]}")
    assert not failures, f"{len(failures)} of {checked} files:\n" + "\n".join(failures[:40])
    assert checked > 0
    assert inconsistent == warned_ok
