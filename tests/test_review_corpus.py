"""The legality review against real statutes of the shared corpus (a few laws, imported here)."""

# ruff: noqa: E501  (regulation text keeps one paragraph per line)

from __future__ import annotations

import csv

import pytest

from drafting.core.parsing import parse_text
from drafting.services.review import review_document
from tests.helpers import REPO, corpus_or_skip
from tests.review_helpers import import_statute_folder

pytestmark = pytest.mark.corpus

FILES = (
    "national/行政法/行政处罚法(2021-01-22).md",
    "national/行政法/行政强制法(2011-06-30).md",
    "national/行政法/行政许可法(2019-04-23).md",
    "national/行政法/文物保护法(2017-11-04).md",
    "national/行政法/文物保护法(2024-11-08).md",
    "national/行政法规/历史文化名城名镇名村保护条例(2017-10-07).md",
)
DRAFT = """某市红色遗址保护条例

第一条　为了加强红色遗址保护，根据《中华人民共和国文物保护法》，制定本条例。

第二条　在文物保护单位的保护范围内不得进行文物保护工程以外的其他建设工程或者爆破、钻探、挖掘等作业；因特殊情况需要进行的，必须保证文物保护单位的安全。

第三条　违反本条例规定，擅自在文物保护单位的保护范围内进行文物保护工程以外的其他建设工程或者爆破、钻探、挖掘等作业的，由文物主管部门责令改正，对个人处十万元以上一百万元以下的罚款。

第四条　依照2017年修正的《中华人民共和国文物保护法》第六十六条的规定处理。
"""


@pytest.fixture
def source(app, tmp_path):
    corpus = corpus_or_skip()
    src = tmp_path / "corpus"
    with (corpus / "manifest.tsv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["file"] in FILES]
    assert len(rows) == len(FILES)
    for r in rows:
        target = src / r["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(corpus / r["file"])
    with (src / "manifest.tsv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter="\t")
        w.writeheader()
        w.writerows(rows)
    import_statute_folder(app, src)
    return app.extensions["concord_statutes"]


def by_kind(result):
    return {(f.label, f.kind): f for f in result.findings}


def test_a_draft_against_the_current_cultural_relics_law(source):
    found = by_kind(review_document(source, parse_text(DRAFT), "city-regulation", "江苏"))
    repeat = found[("第二条", "repeats_upper_law")]
    # The 2024 law is in force, not the 2017 one.
    assert (repeat.upper.law, repeat.upper.date, repeat.upper.label) == (
        "中华人民共和国文物保护法",
        "2024-11-08",
        "第二十八条",
    )
    fine = found[("第三条", "fine_exceeds_upper_law")]
    assert (fine.upper.date, fine.upper.label) == ("2024-11-08", "第八十三条")
    assert "十万元以上一百万元以下" in fine.message() and fine.severity == "violation"
    outdated = found[("第四条", "citation_outdated")]
    assert outdated.upper.date == "2024-11-08" and "2017-11-04" in outdated.message()


def test_the_demo_draft_shows_its_planted_findings_with_the_real_provisions(source):
    text = (REPO / "samples" / "huaihai" / "320300-徐州市.md").read_text(encoding="utf-8")
    found = by_kind(review_document(source, parse_text(text), "city-regulation", "江苏"))
    penalty = found[("第四十八条", "penalty_not_allowed")]
    assert penalty.upper.label == "第十二条" and "吊销营业执照以外" in penalty.upper.text
    licence = found[("第四十三条", "license_review")]
    assert licence.upper.law == "中华人民共和国行政许可法" and licence.upper.label == "第十五条"
    assert not [f for f in found.values() if f.severity == "violation" and f.label != "第四十八条"]
