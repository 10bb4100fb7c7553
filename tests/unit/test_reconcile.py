"""Article alignment of parallel regulations: names, statuses, edits, pins, documents, corpus."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from drafting.core.alignment import Article, align, reconcile_documents
from drafting.core.parsing import parse_text
from drafting.core.placenames import derive_names, jurisdiction_diff, neutralise
from tests.helpers import REPO

COMMON = [
    "为了保护和利用红色资源，传承红色基因，根据有关法律、行政法规，结合本市实际，制定本条例。",
    "本市行政区域内红色资源的调查认定、保护管理、传承利用等活动，适用本条例。",
    "市人民政府应当加强对红色资源保护工作的领导，建立协调机制，所需经费列入本级财政预算。",
    "退役军人事务主管部门负责红色资源保护的综合协调。文化旅游主管部门负责红色资源传承利用的指导。"
    "教育主管部门负责将红色教育纳入学校思想政治课程。",
    "红色资源实行名录管理。市退役军人事务主管部门会同有关部门组织开展红色资源普查，编制名录。",
    "列入名录的红色资源保护责任人应当履行日常养护、安全防范和配合调查等义务。",
    "禁止在红色资源保护范围内进行危害红色资源安全的爆破、钻探、挖掘等活动。",
    "鼓励公民、法人和其他组织通过捐赠、志愿服务等方式参与红色资源保护利用工作。",
    "违反本条例第七条规定的，由有关主管部门责令停止违法行为，处一万元以上五万元以下罚款。",
    "本条例自2025年7月1日起施行。",
]
NAMES = ["徐州市", "宿迁市"]


def version(texts: list[str]) -> list[Article]:
    return [Article(k, f"第{k + 1}条", t) for k, t in enumerate(texts)]


def rows(groups, n: int = 2) -> list[tuple]:
    """Return each group's members as tuples of key lists, one per version."""
    return [tuple(tuple(g.members[v]) for v in range(n)) for g in groups]


def group_of(groups, v: int, key):
    return next(g for g in groups if key in g.members[v])


def test_neutralise_maps_every_form_of_the_jurisdiction_to_its_level():
    names = ["徐州市", "宿迁"]
    assert neutralise("徐州市人民政府", names) == neutralise("市人民政府", names) == "市人民政府"
    assert neutralise("本市行政区域", names) == neutralise("宿迁市行政区域", names)
    assert neutralise("宿迁的红色资源", names) == "市的红色资源"
    assert neutralise("本区域内的城市", names) == "本区域内的城市"
    assert neutralise("本省", ()) == "省"


def test_jurisdiction_diff_tells_name_changes_from_real_changes():
    spans = jurisdiction_diff(
        "本市行政区域内，市人民政府应当制定规划。",
        "徐州市行政区域内，徐州市人民政府应当编制规划。",
        NAMES,
    )
    assert ("jurisdiction", "本市", "徐州市") in spans
    assert ("jurisdiction", "市", "徐州市") in spans
    assert ("replace", "制定", "编制") in spans
    assert "".join(a for _, a, _ in spans) == "本市行政区域内，市人民政府应当制定规划。"


def test_derive_names_from_titles_and_text():
    titles = ["徐州市红色资源保护条例", "宿迁市红色资源保护条例"]
    assert {"徐州市", "宿迁市"} <= set(derive_names(titles))
    text = "由淮北市人民政府负责。淮北市人民政府应当……设区的市人民政府"
    found = derive_names([], [text])
    assert "淮北市" in found and not any("的" in n for n in found)


def test_statuses_identical_equivalent_modified_partial():
    city = list(COMMON)
    city[1] = "徐州市行政区域内红色资源的调查认定、保护管理、传承利用等活动，适用本条例。"
    city[2] = (
        "徐州市人民政府应当加强对红色资源保护工作的领导，建立协调机制，所需经费列入本级财政预算。"
    )
    city[6] = "禁止在红色资源保护范围内进行危害红色资源安全的爆破、钻探、挖掘、采石等活动。"
    del city[7]
    groups = align([version(COMMON), version(city)], names=NAMES)
    status = {g.members[0][0]: g.status for g in groups}
    assert status[0] == "identical"
    assert status[1] == status[2] == "equivalent"
    assert status[6] == "modified"
    assert status[7] == "partial"
    assert group_of(groups, 0, 7).members[1] == []
    assert 0.8 < group_of(groups, 0, 6).similarity < 1
    assert group_of(groups, 0, 0).similarity == 1.0


def test_inserted_articles_are_placed_where_they_occur_and_renumbering_is_ignored():
    city = (
        COMMON[:3] + ["徐州市设立红色资源保护专项资金，用于淮海战役遗址的修缮和展示。"] + COMMON[3:]
    )
    groups = align([version(COMMON), version(city)], names=NAMES)
    assert rows(groups)[:5] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((), (3,)), ((3,), (4,))]
    assert [g.status for g in groups].count("partial") == 1
    assert all(g.status == "identical" for g in groups if g.members[0] and g.members[1])


def test_moved_article_is_found_out_of_order():
    city = [COMMON[0], COMMON[1], *COMMON[3:9], COMMON[2], COMMON[9]]
    groups = align([version(COMMON), version(city)])
    moved = group_of(groups, 0, 2)
    assert moved.members[1] == [8] and moved.status == "identical"
    assert "moved" in moved.notes
    assert not any(g.status == "partial" for g in groups)
    # Reading order follows the first version.
    assert [g.members[0] for g in groups] == [[k] for k in range(10)]


def test_split_and_merged_articles_form_one_group():
    first, second, third = COMMON[3].split("。")[:3]
    split = [*COMMON[:3], first + "。", second + "。" + third + "。", *COMMON[4:]]
    merged = [*COMMON[:4], COMMON[4] + "\n" + COMMON[5], *COMMON[6:]]
    groups = align([version(COMMON), version(split), version(merged)])
    g = group_of(groups, 1, 3)
    assert g.members[1] == [3, 4] and g.members[0] == [3]
    m = group_of(groups, 0, 4)
    assert m.members[0] == [4, 5] and m.members[2] == [4] and m.members[1] == [5, 6]
    assert len(groups) == len(COMMON) - 1


def test_chapters_reorganised_and_rewritten_articles_still_align():
    city = [
        Article(f"c{k}", f"第{k + 1}条", t, chapter="附则" if k > 7 else "总则")
        for k, t in enumerate(COMMON)
    ]
    city[4] = Article(
        "c4",
        "第五条",
        "红色资源实施名录制度。市退役军人事务部门会同相关部门组织红色资源普查，制定名录。",
    )
    groups = align([version(COMMON), city])
    assert group_of(groups, 0, 4).members[1] == ["c4"]
    assert group_of(groups, 0, 4).status == "modified"


def test_articles_only_in_partner_cities_are_grouped_together():
    extra = "徐州市设立红色资源保护专项资金，用于淮海战役遗址的修缮和展示。"
    xuzhou = COMMON[:5] + [extra] + COMMON[5:]
    suqian = COMMON[:6] + [extra.replace("徐州", "宿迁")] + COMMON[6:]
    groups = align([version(COMMON), version(xuzhou), version(suqian)], names=NAMES)
    g = group_of(groups, 1, 5)
    assert g.members == {0: [], 1: [5], 2: [6]}
    assert g.status == "partial"
    assert len(groups) == len(COMMON) + 1


def test_pins_override_the_automatic_alignment():
    city = list(COMMON)
    city[9] = "本条例具体应用中的问题，由市人民政府负责解释。"
    auto = align([version(COMMON), version(city)])
    assert group_of(auto, 0, 9).members[1] == []
    pinned = align([version(COMMON), version(city)], pins=[(1, 9, 0, 9)])
    assert group_of(pinned, 0, 9).members[1] == [9]
    assert group_of(pinned, 0, 9).status == "modified"
    # A pin can also break a match the similarity made.
    swapped = align([version(COMMON), version(COMMON)], pins=[(0, 5, 1, 6), (0, 6, 1, 5)])
    assert group_of(swapped, 0, 5).members[1] == [6]
    with pytest.raises(ValueError):
        align([version(COMMON), version(COMMON)], pins=[(0, 5, 1, 99)])


def test_reconcile_documents_gives_the_contract_object():
    def text(city: str, articles: list[str]) -> str:
        labels = "一二三四五六七八九十"
        body = "\n".join(f"第{labels[k]}条　{a}" for k, a in enumerate(articles))
        return f"# {city}红色资源保护条例\n\n第一章　总则\n\n{body}\n"

    xuzhou = [a.replace("本市行政区域", "徐州市行政区域") for a in COMMON[:6]]
    suqian = [COMMON[0], COMMON[1].replace("本市", "宿迁市"), *COMMON[3:6]]
    docs = [
        ("xuzhou.md", parse_text(text("徐州市", xuzhou))),
        ("suqian.md", parse_text(text("宿迁市", suqian))),
    ]
    out = reconcile_documents(docs)
    assert out["documents"] == ["xuzhou.md", "suqian.md"]
    assert out["groups"][0] == {
        "members": {"xuzhou.md": ["第一条"], "suqian.md": ["第一条"]},
        "status": "identical",
        "similarity": 1.0,
    }
    # Names come from the titles: 徐州市 and 宿迁市 versions of one article are equivalent.
    assert out["groups"][1]["status"] == "equivalent"
    assert out["groups"][2]["members"] == {"xuzhou.md": ["第三条"], "suqian.md": []}
    assert out["groups"][3]["members"] == {"xuzhou.md": ["第四条"], "suqian.md": ["第三条"]}
    assert set(out["groups"][0]) == {"members", "status", "similarity"}


def test_sixty_articles_in_six_versions_each_land_in_exactly_one_group():
    # Speed is measured by bench/bench_reconcile.py; here, that a large alignment is complete.
    texts = [f"{t}（第{k}稿）" for k in range(6) for t in COMMON]
    versions = [version(texts[:60])] + [version(texts[::-1][:60]) for _ in range(5)]
    groups = align(versions)
    for v in range(6):
        keys = [key for g in groups for key in g.members.get(v, [])]
        assert sorted(keys) == list(range(60)), f"version {v} lost or repeated an article"
    later = [g for g in groups if g.members.get(1)]
    assert all(g.members[1] == g.members[5] for g in later)  # identical versions align alike


def _eval_module():
    path = REPO / "bench" / "eval_reconcile.py"
    spec = importlib.util.spec_from_file_location("eval_reconcile", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.corpus
def test_alignment_precision_and_recall_on_corpus_evaluation_sets():
    corpus = Path(os.environ.get("CONCORD_CORPUS") or REPO.parent / "shared" / "corpus")
    if not (corpus / "manifest.tsv").exists():
        pytest.skip(f"corpus not found at {corpus} (set CONCORD_CORPUS)")
    results = _eval_module().evaluate(corpus, docs=15, versions=4, seed=11)
    for name, (precision, recall, pairs) in results.items():
        assert pairs > 1000, name
        assert precision >= 0.95, (name, precision)
        assert recall >= 0.95, (name, recall)


def test_citations_that_follow_renumbering_do_not_count_as_changes():
    extra = "徐州市设立红色资源保护专项资金，用于淮海战役遗址的修缮和展示。"
    city = COMMON[:3] + [extra] + COMMON[3:]
    city[9] = COMMON[8].replace("第七条", "第八条")
    groups = align([version(COMMON), version(city)])
    assert (
        group_of(groups, 0, 8).status == "identical"
        or group_of(groups, 0, 8).status == "equivalent"
    )
    wrong = list(city)
    wrong[9] = COMMON[8].replace("第七条", "第六条")
    assert group_of(align([version(COMMON), version(wrong)]), 0, 8).status == "modified"
