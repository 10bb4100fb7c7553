"""The legality review's quality and speed on the shared corpus, with planted defects.

Takes regulations of the corpus (local/, reviewed at their own level: a province's as
`provincial-regulation`, a city's as `city-regulation` with its province's regulations as upper
law), reviews each clean copy, then a copy with one defect of each kind planted in a random
article, and prints recall per kind, whether the right upper provision is named (fines and
repetitions), and findings per clean regulation. Then times a 300-article draft against the
whole corpus, beside the obvious alternative (comparing each article with every upper article).
No asserts: figures only.

    python bench/bench_review.py [--database-url URL] [--regulations N] [--seed S]

The statutes are read through search.services.upper_law from the search store of --database-url
(default DATABASE_URL; import them with `concord precedents import /work/shared/corpus`).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from drafting.core.numbering import to_chinese
from drafting.core.review.amounts import fines
from drafting.core.review.checks import review
from drafting.core.review.model import Article
from drafting.core.review.ngrams import coverage, normalise
from drafting.core.tree import article_text
from drafting.errors import BadDocument
from drafting.files.reading import parse_path
from search.services.upper_law import StatuteSource

CORPUS = Path(
    os.environ.get("CONCORD_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus"
)
PROVINCES = {
    "上海": "上海市",
    "北京": "北京市",
    "重庆": "重庆市",
    "广东": "广东省",
    "河南": "河南省",
}
KINDS = (
    "penalty_not_allowed",
    "coercion_not_allowed",
    "license_review",
    "fine_exceeds_upper_law",
    "repeats_upper_law",
    "citation_not_found",
    "citation_outdated",
)
PENALTIES = (
    "情节严重的，由市场监督管理部门吊销营业执照。",
    "拒不改正的，由公安机关处五日以上十日以下拘留。",
    "逾期不改正的，吊销其营业执照。",
)
COERCIONS = (
    "必要时，执法人员可以冻结当事人的存款、汇款。",
    "有关部门可以冻结涉案单位的银行账户。",
    "对拒不配合检查的人员，可以采取强制带离措施。",
)
LICENCES = (
    "从事该项经营活动的，应当向市人民政府有关主管部门申请取得经营许可证。",
    "举办此类活动，应当经县级以上人民政府批准。",
    "本市对该类经营活动实行许可管理制度。",
)


def amount(n: float) -> str:
    """Write an amount of yuan as statutes do (五千元, 二十万元)."""
    n = int(n)
    if n >= 10000 and n % 10000 == 0:
        return f"{to_chinese(n // 10000)}万元"
    return f"{to_chinese(n)}元"


def level_of(rel: str, title: str) -> tuple[str, str | None]:
    """Return the review level and province of a corpus regulation."""
    province = rel.split("/")[1]
    if title.startswith(PROVINCES[province]):
        return "provincial-regulation", None
    return "city-regulation", province


def fine_sources(scope) -> list[tuple[int, str, object]]:
    """Return articles fining one plain yuan range, with a conduct to copy (row, conduct, fine)."""
    out = []
    law = scope.law
    rows = zip(law.fine_rows, law.fines, scope.fine_mask, strict=True)
    for row, found, allowed in rows:
        art = law.articles[row]
        if not allowed or "\n" in art.text:
            continue
        if len(found) != 1 or found[0].unit != "元" or found[0].per_day or not found[0].hi:
            continue
        text = art.text.split("\n")[0]
        head = text.split("的，")[0]
        if "下列" in head or len(head) < 12 or len(head) > 80:
            continue
        head = re.sub(r"^违反本(?:法|条例|规定|办法)[^，]{0,40}?规定，?", "", head)
        if len(head) < 8 or re.search(r"第[一二三四五六七八九十百]+条|本(?:法|条例)", head):
            continue
        out.append((row, head, found[0]))
    return out


def plant(kind, articles, rng, upper, statutes, sources):
    """Plant one defect of kind in a random article; return (index, expected upper key or None)."""
    i = rng.randrange(len(articles))
    a = articles[i]
    if kind == "penalty_not_allowed":
        text = a.text + "\n" + rng.choice(PENALTIES)
        expected = None
    elif kind == "coercion_not_allowed":
        text = a.text + "\n" + rng.choice(COERCIONS)
        expected = None
    elif kind == "license_review":
        text = a.text + "\n" + rng.choice(LICENCES)
        expected = None
    elif kind == "fine_exceeds_upper_law":
        row, conduct, fine = rng.choice(sources)
        hi = fine.hi * rng.choice((2, 3, 5))
        span = f"{amount(fine.lo)}以上{amount(hi)}以下" if fine.lo else f"{amount(hi)}以下"
        text = f"违反本条例规定，{conduct}的，由有关主管部门责令改正，处{span}罚款。"
        expected = upper.law.articles[row]
    elif kind == "repeats_upper_law":
        pool = [u for u in upper.articles if 40 <= len(u.text) <= 300 and "\n" not in u.text]
        src = rng.choice(pool)
        # Copied the way local drafters copy: its own name and the government changed.
        text = src.text.replace("本法", "本条例").replace("国务院", "市人民政府")
        text = text.replace("县级以上人民政府", "市、区人民政府")
        expected = src
    elif kind == "citation_not_found":
        laws = [v for v in statutes.currents.values() if v and v.level == "法律" and v.articles]
        law = rng.choice(laws)
        if rng.random() < 0.5:
            cite = f"《{law.title}》第{to_chinese(law.articles + rng.randint(3, 40))}条"
        else:
            cut = -2 if law.title.endswith(("条例", "规则", "规定", "办法", "细则")) else -1
            cite = f"《{law.title[:cut]}保全{law.title[cut:]}》"
        text = a.text + f"\n依照{cite}的规定处理。"
        expected = None
    else:  # citation_outdated
        text = a.text + "\n" + rng.choice(outdated_citations(statutes))
        expected = None
    articles[i] = Article(a.label, text, a.id)
    return i, expected


_OUTDATED: list[str] = []


def outdated_citations(statutes) -> list[str]:
    """Return citations of an article of an old version whose text a newer version changed."""
    if _OUTDATED:
        return _OUTDATED
    for key, versions in statutes.by_title.items():
        current = statutes.current(key)
        if current is None or len(versions) < 2:
            continue
        for old in versions:
            if old.key == current.key or not old.date or old.date[:4] >= current.date[:4]:
                continue
            for label, art in list(statutes.articles[old.key].items())[:40]:
                new = statutes.article(current, label)
                if new is not None and new.text != art.text and label.startswith("第"):
                    _OUTDATED.append(f"依照{old.date[:4]}年的《{old.title}》{label}的规定处理。")
                    break
    return _OUTDATED


def right_upper(finding, expected) -> bool:
    """Return whether a finding names the planted source (or an article with the same text)."""
    if finding.upper is None or expected is None:
        return False
    same = (finding.upper.law, finding.upper.label) == (expected.law, expected.label)
    return same or normalise(finding.upper.text) == normalise(expected.text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--regulations", type=int, default=40)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--show-misses", action="store_true", help="Print each missed defect.")
    args = parser.parse_args()
    if not args.database_url or not (CORPUS / "manifest.tsv").exists():
        sys.exit("bench_review: needs --database-url (the shared corpus imported) and the corpus")
    rng = random.Random(args.seed)
    from concord.db import make_engine

    source = StatuteSource(make_engine(args.database_url))
    t0 = time.perf_counter()
    statutes = source.load()
    load_s = time.perf_counter() - t0
    print(
        f"statutes loaded: {sum(len(v) for v in statutes.by_title.values())} versions, "
        f"{sum(len(a) for a in statutes.articles.values())} articles in {load_s:.1f} s"
    )

    files = sorted(p for p in (CORPUS / "local").rglob("*.md"))
    rng.shuffle(files)
    recall, found_right, upper_named = Counter(), Counter(), Counter()
    planted_n = Counter()
    clean_by_severity, clean_by_kind = Counter(), Counter()
    reviewed, build_s, review_s = 0, 0.0, []
    clean_violations = []
    for path in files:
        if reviewed >= args.regulations:
            break
        try:
            doc = parse_path(path)
        except BadDocument:
            continue
        articles = [
            Article(a.label or "", article_text(a), n) for n, (a, _d) in enumerate(doc.articles())
        ]
        if len(articles) < 15:
            continue
        rel = path.relative_to(CORPUS).as_posix()
        level, province = level_of(rel, doc.title)
        t = time.perf_counter()
        upper = source.upper_law(level, province)
        build_s += time.perf_counter() - t
        sources = fine_sources(upper)
        t = time.perf_counter()
        clean = review(articles, level, upper, statutes, doc.title)
        review_s.append(time.perf_counter() - t)
        reviewed += 1
        for f in clean:
            clean_by_severity[f.severity] += 1
            clean_by_kind[f.kind] += 1
            if f.severity == "violation":
                clean_violations.append(f"{doc.title} {f.label} {f.kind}: {f.message()[:90]}")
        already = {(f.label, f.kind) for f in clean}
        planted = list(articles)
        plan = []
        used: set[int] = set()
        for kind in KINDS:
            for _try in range(20):
                before = list(planted)
                i, expected = plant(kind, planted, rng, upper, statutes, sources)
                if i not in used and (planted[i].label, kind) not in already:
                    used.add(i)
                    plan.append((kind, planted[i].label, expected))
                    break
                planted = before
        found = review(planted, level, upper, statutes, doc.title)
        by_label = defaultdict(list)
        for f in found:
            by_label[(f.label, f.kind)].append(f)
        for kind, label, expected in plan:
            planted_n[kind] += 1
            hits = by_label.get((label, kind), [])
            if not hits and args.show_misses:
                text = next(a.text for a in planted if a.label == label)
                print(f"  missed {kind} in {doc.title} {label}: {text[-160:]}")
                if expected is not None:
                    print(f"    expected 《{expected.law}》{expected.label}: {expected.text[:160]}")
            if hits:
                recall[kind] += 1
                if kind in ("fine_exceeds_upper_law", "repeats_upper_law"):
                    upper_named[kind] += 1
                    found_right[kind] += any(right_upper(h, expected) for h in hits)
    print(f"\n{reviewed} regulations, {len(PROVINCES)} provinces' folders, seed {args.seed}")
    print(f"{'kind':26} {'planted':>7} {'found':>6} {'recall':>7} {'upper right':>12}")
    for kind in KINDS:
        n = planted_n[kind]
        right = f"{found_right[kind] / upper_named[kind]:.0%}" if upper_named[kind] else "—"
        print(f"{kind:26} {n:7} {recall[kind]:6} {recall[kind] / max(n, 1):7.0%} {right:>12}")
    total = sum(planted_n.values())
    print(f"{'all':26} {total:7} {sum(recall.values()):6} {sum(recall.values()) / total:7.0%}")
    print(
        "\nfindings per clean regulation: "
        + ", ".join(
            f"{s} {clean_by_severity[s] / reviewed:.2f}" for s in ("violation", "review", "note")
        )
    )
    print(
        "  by kind: " + ", ".join(f"{k} {v / reviewed:.2f}" for k, v in clean_by_kind.most_common())
    )
    for line in clean_violations[:12]:
        print(f"  violation in a clean text: {line}")
    review_s.sort()
    print(
        f"\nreview of one regulation (warm): median {review_s[len(review_s) // 2] * 1000:.0f} ms, "
        f"max {review_s[-1] * 1000:.0f} ms; building the upper-law indexes: {build_s:.1f} s in all"
    )
    long_draft(source, statutes, files, rng)


def long_draft(source, statutes, files, rng) -> None:
    """Time a 300-article draft against the whole corpus, beside a brute-force comparison."""
    articles = []
    for path in files:
        try:
            doc = parse_path(path)
        except BadDocument:
            continue
        for a, _d in doc.articles():
            articles.append(
                Article(f"第{to_chinese(len(articles) + 1)}条", article_text(a), len(articles))
            )
        if len(articles) >= 300:
            break
    articles = articles[:300]
    t = time.perf_counter()
    upper = source.upper_law("normative-document", "河南")
    build = time.perf_counter() - t
    t = time.perf_counter()
    found = review(articles, "normative-document", upper, statutes, "测试文件")
    took = time.perf_counter() - t
    print(
        f"\n300-article document (normative-document, 河南: {len(upper.articles)} upper articles): "
        f"{took:.2f} s warm, {len(found)} findings; indexes built once in {build:.1f} s"
    )
    sample = articles[:5]
    texts = [normalise(u.text) for u in upper.articles]
    t = time.perf_counter()
    for a in sample:
        norm = normalise(a.text)
        max((coverage(norm, u) for u in texts), default=0)
    brute = (time.perf_counter() - t) / len(sample) * len(articles)
    print(
        f"the obvious alternative (every article against every upper article, repetition only): "
        f"{brute:.0f} s for 300 articles (measured on {len(sample)})"
    )
    fine_articles = sum(1 for a in articles if fines(a.text))
    print(f"  ({fine_articles} of the 300 articles set fines)")


if __name__ == "__main__":
    main()
