"""The search store: analysis, query syntax, filters, incremental import, workspace scope."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drafting.errors import BadInput, NotFound
from search import store
from search.core.analysis import fold, index_tokens, words
from search.importer import import_directory
from search.services.precedents import law_articles, search, similar_provisions

WATER = """# 中华人民共和国水污染防治法

2008年2月28日 第十届全国人民代表大会常务委员会第三十二次会议修订

2017年6月27日 第十二届全国人民代表大会常务委员会第二十八次会议修正

<!-- INFO END -->

## 第一章 总则

第一条 为了保护和改善环境，防治水污染，保护水生态，制定本法。

第二条 本法适用于中华人民共和国领域内的江河、湖泊、运河、渠道、水库等地表水体的污染防治。

第三条 水污染防治应当坚持预防为主、防治结合、综合治理的原则。

## 第二章 法律责任

第四条 违反本法规定，排放水污染物的，由环境保护主管部门责令改正，处十万元以上一百万元以下的罚款。
"""

PROPERTY = """# 上海市物业管理条例

2010年6月17日 上海市第十三届人民代表大会常务委员会第十九次会议通过

<!-- INFO END -->

第一条 为了规范物业管理活动，维护业主的合法权益，制定本条例。

第二条 业主大会由物业管理区域内全体业主组成。业主大会应当依法履行职责。

第三条 违反本条例规定的，由房屋行政管理部门处一万元以上十万元以下罚款。
"""

HEARING = """# 北京市行政处罚听证程序规定

2004年7月1日 北京市人民代表大会常务委员会通过

<!-- INFO END -->

第一条 行政机关作出较大数额罚款的行政处罚决定前，应当告知当事人有要求举行听证的权利。

第二条 听证由行政机关指定的非本案调查人员主持。
"""

MANIFEST = (
    "file\tsource\ttitle\tlevel\tjurisdiction\tdate_in_filename\texpired_flag_in_repo_db\n"
    "national/环境保护/水污染防治法(2017-06-27).md\tx\t水污染防治法\t法律\t国家\t2017-06-27\t0\n"
    "local/上海/上海市物业管理条例(2010-06-17).md\tx\t上海市物业管理条例\t地方性法规\t上海"
    "\t2010-06-17\t1\n"
)


def write_corpus(root: Path) -> Path:
    """Write three small statutes in the shared corpus format; return the folder."""
    files = {
        "national/环境保护/水污染防治法(2017-06-27).md": WATER,
        "local/上海/上海市物业管理条例(2010-06-17).md": PROPERTY,
        # Not in the manifest: level and jurisdiction come from the folders, date from 题注.
        "local/北京/北京市行政处罚听证程序规定.md": HEARING,
        "manifest.tsv": MANIFEST,
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def engine(app):
    return app.extensions["concord_engine"]


@pytest.fixture
def index_dir(engine, session, corpus):
    """The app's database with the three statutes imported (named as before the move)."""
    stats = import_directory(engine, corpus)
    assert stats.added == 3 and not stats.failed
    return session


def found(result) -> list[tuple[str, str]]:
    return [(h["law"], h["label"]) for h in result["hits"]]


def test_words_fold_width_and_case_and_drop_punctuation():
    tokens = words(fold("水污染防治，ＧＤＰ与2020年！")[0])
    assert "水污染" in tokens and "防治" in tokens
    assert "gdp" in tokens and "2020" in tokens
    assert not any(t in tokens for t in ("，", ",", "！", "!"))


def test_tokens_are_consecutive_unit_pairs_for_phrases():
    assert index_tokens("水污染，防治") == ["水污", "污染", "染防", "防治", "治"]
    # A Latin run is one unit, marked so that "gdp" is not found inside "gdpr".
    assert index_tokens("gdp年") == ["gdp_年", "年"]


def test_compound_and_its_parts_both_match(index_dir):
    for q in ("水污染防治", "水污染", "污染防治", "防治"):
        assert ("中华人民共和国水污染防治法", "第三条") in found(search(index_dir, q)), q


def test_hit_has_contract_fields_and_escaped_highlighted_snippet(index_dir):
    hit = search(index_dir, "业主大会")["hits"][0]
    assert hit["law"] == "上海市物业管理条例" and hit["label"] == "第二条"
    assert hit["level"] == "地方性法规" and hit["jurisdiction"] == "上海"
    assert hit["date"] == "2010-06-17" and hit["path"].startswith("local/上海/")
    assert isinstance(hit["score"], float)
    assert "<b>业主大会</b>" in hit["snippet"]


def test_snippet_escapes_html_in_text(tmp_path, engine, session):
    src = tmp_path / "src" / "local" / "x"
    src.mkdir(parents=True)
    (src / "a.md").write_text("# 测试条例\n\n第一条 <script>保护</script>环境。\n", "utf-8")
    import_directory(engine, tmp_path / "src")
    snippet = search(session, "保护")["hits"][0]["snippet"]
    assert "<script>" not in snippet and "&lt;script&gt;<b>保护</b>" in snippet


def test_exact_phrase_needs_adjacent_words(index_dir):
    assert found(search(index_dir, '"防治结合"')) == [("中华人民共和国水污染防治法", "第三条")]
    # Both words occur in 第三条 but not side by side in that order.
    assert search(index_dir, '"结合防治"')["total"] == 0


def test_boolean_operators(index_dir):
    assert search(index_dir, "罚款 AND 物业")["total"] >= 1
    both = {h["law"] for h in search(index_dir, "罚款")["hits"]}
    assert {"中华人民共和国水污染防治法", "上海市物业管理条例"} <= both
    no_property = search(index_dir, "罚款 NOT 物业")["hits"]
    assert no_property and all("物业" not in h["law"] for h in no_property)
    either = search(index_dir, "听证 OR 业主大会")
    laws = {h["law"] for h in either["hits"]}
    assert laws == {"北京市行政处罚听证程序规定", "上海市物业管理条例"}
    assert search(index_dir, "罚款 -物业")["total"] == search(index_dir, "罚款 NOT 物业")["total"]


def test_words_are_anded_and_relaxed_to_or_when_nothing_matches(index_dir):
    strict = search(index_dir, "行政处罚 听证")
    assert not strict["relaxed"] and found(strict)[0][0] == "北京市行政处罚听证程序规定"
    loose = search(index_dir, "听证 火星")
    assert loose["relaxed"] and loose["total"] >= 1


def test_law_title_and_article_label_narrow_to_one_article(index_dir):
    assert found(search(index_dir, "水污染防治法 第三条"))[0] == (
        "中华人民共和国水污染防治法",
        "第三条",
    )


def test_chapter_heading_is_searchable(index_dir):
    assert found(search(index_dir, '"法律责任" 罚款')) == [("中华人民共和国水污染防治法", "第四条")]


@pytest.mark.parametrize(
    "q",
    [
        '"未闭合的引号',
        "罚款 AND",
        "OR 罚款",
        "(罚款 OR 听证",
        "罚款)",
        "NOT NOT 罚款",
        "AND OR NOT",
        "“罚款”",
        '罚款 ""',
        "((()))罚款",
    ],
)
def test_malformed_queries_give_results_or_bad_input(index_dir, q):
    try:
        result = search(index_dir, q)
    except BadInput as exc:
        assert exc.message
    else:
        assert isinstance(result["total"], int)


@pytest.mark.parametrize("q", ["", "   ", "AND", "()", '""', "NOT 罚款"])
def test_empty_or_only_negative_queries_are_bad_input(index_dir, q):
    with pytest.raises(BadInput):
        search(index_dir, q)


def test_bad_parameters_are_bad_input(index_dir):
    for kwargs in (
        {"limit": 0},
        {"page": "x"},
        {"sort": "popularity"},
        {"year_from": "abc"},
        {"kind": "memo"},
        {"year_from": 2020, "year_to": 2010},
    ):
        with pytest.raises(BadInput):
            search(index_dir, "罚款", **kwargs)


def test_filters(index_dir):
    assert {h["jurisdiction"] for h in search(index_dir, "罚款", level="法律")["hits"]} == {"全国"}
    assert {h["level"] for h in search(index_dir, "罚款", jurisdiction="上海")["hits"]} == {
        "地方性法规"
    }
    assert search(index_dir, "罚款", jurisdiction="国家")["total"] == 1  # 国家 means 全国
    hearing = search(index_dir, "听证", jurisdiction="北京")["hits"][0]
    assert (hearing["level"], hearing["date"]) == ("地方性法规", "2004-07-01")
    assert {h["date"][:4] for h in search(index_dir, "罚款", year_from=2015)["hits"]} == {"2017"}
    assert {h["date"][:4] for h in search(index_dir, "罚款", year_to=2012)["hits"]} == {
        "2010",
        "2004",
    }
    in_force = search(index_dir, "罚款", in_force_only=True)["hits"]
    assert in_force and all(h["in_force"] for h in in_force)
    assert "上海市物业管理条例" not in {h["law"] for h in in_force}  # expired in the manifest


def test_sort_by_date_puts_newest_first(index_dir):
    dates = [h["date"] for h in search(index_dir, "罚款", sort="date")["hits"]]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2017-06-27"


def test_paging_and_grouping_by_law(index_dir):
    first = search(index_dir, "水污染防治法", limit=2)
    second = search(index_dir, "水污染防治法", limit=2, page=2)
    assert first["total"] == second["total"] == 4
    assert not {h["key"] for h in first["hits"]} & {h["key"] for h in second["hits"]}
    grouped = search(index_dir, "罚款", group_by_law=True)
    assert grouped["total_groups"] == 3
    assert all(len(g["hits"]) >= 1 and g["count"] >= 1 for g in grouped["groups"])


def test_import_is_incremental(engine, session, corpus):
    ix = session
    assert import_directory(engine, corpus).added == 3
    again = import_directory(engine, corpus)
    assert (again.unchanged, again.added, again.updated, again.removed) == (3, 0, 0, 0)

    water = corpus / "national/环境保护/水污染防治法(2017-06-27).md"
    water.write_text(WATER.replace("防治结合", "源头治理"), encoding="utf-8")
    (corpus / "local/北京/北京市行政处罚听证程序规定.md").unlink()
    seen = []
    changed = import_directory(engine, corpus, progress=lambda done, total, path: seen.append(path))
    assert (changed.updated, changed.removed, changed.unchanged) == (1, 1, 1)
    assert seen == ["national/环境保护/水污染防治法(2017-06-27).md"]
    assert search(ix, '"源头治理"')["total"] == 1
    assert search(ix, '"防治结合"')["total"] == 0
    assert search(ix, "听证")["total"] == 0

    # Touching a file without changing it is not a change.
    os.utime(water, (1, 1))
    assert import_directory(engine, corpus).unchanged == 2


def test_a_corpus_reached_through_a_symbolic_link_imports(tmp_path, engine, session, corpus):
    """A checkout whose ../shared is a link to the statutes still indexes them all."""
    link = tmp_path / "linked" / "corpus"
    link.parent.mkdir()
    link.symlink_to(corpus, target_is_directory=True)
    stats = import_directory(engine, link)
    assert stats.added == 3 and not stats.failed
    assert search(session, "听证")["total"] >= 1


def test_import_reads_txt_and_keeps_unparseable_files_out(tmp_path, engine, session):
    src = tmp_path / "src"
    (src / "misc").mkdir(parents=True)
    (src / "misc" / "规定.txt").write_text("某某规定\n第一条 保护湿地。\n", encoding="utf-8")
    decision = "# 关于禁止燃放烟花的决定\n\n全市禁止燃放烟花。\n"
    (src / "misc" / "决定.md").write_text(decision, encoding="utf-8")
    (src / "misc" / "坏.docx").write_bytes(b"not a zip")
    stats = import_directory(engine, src)
    assert stats.added == 2 and [f[0] for f in stats.failed] == ["misc/坏.docx"]
    hit = search(session, "湿地")["hits"][0]
    assert (hit["level"], hit["jurisdiction"]) == ("未知", "未知")
    assert search(session, "烟花")["hits"][0]["label"] == "全文"


def _workspace_doc(key, kind, project, title, text, **more) -> dict:
    return {
        "key": key,
        "kind": kind,
        "project_id": project,
        "draft_id": more.get("draft"),
        "owner_code": more.get("owner", ""),
        "law": title,
        "label": more.get("label", ""),
        "seq": 1,
        "chapter": "",
        "text": text,
        "version": more.get("version", ""),
        "path": more.get("path", f"{kind}s/{key}"),
        "level": "草案",
        "rank": 99,
        "jurisdiction": more.get("jurisdiction", ""),
        "date": "",
        "year": None,
        "validity": "draft",
    }


def add_workspace(session, docs) -> None:
    store.write_docs(session.connection(), docs)
    session.commit()


def test_workspace_documents_only_reach_their_projects(index_dir):
    session = index_dir
    add_workspace(
        session,
        [
            _workspace_doc(
                "draft:10:1",
                "draft",
                1,
                "淮海经济区湖泊保护条例（草案）",
                "湖泊保护应当统筹协调。",
                draft=10,
                label="第一条",
                path="drafts/10",
                version="征求意见稿",
                jurisdiction="徐州市",
            ),
            _workspace_doc(
                "draft:20:1",
                "draft",
                2,
                "另一个项目的草案",
                "湖泊保护实行河湖长制。",
                draft=20,
                label="第一条",
                path="drafts/20",
            ),
            _workspace_doc(
                "proposal:5", "proposal", 1, "关于湖泊的建议", "建议湖泊保护增加生态补偿。"
            ),
            _workspace_doc(
                "proposal:6", "opinion", None, "居民意见", "湖泊保护要管住排污口。", owner="320300"
            ),
        ],
    )
    # Precedents only by default, and no workspace document without an allowed project.
    assert {h["kind"] for h in search(session, "湖泊保护")["hits"]} <= {"precedent"}
    assert search(session, "湖泊保护", kind="draft")["total"] == 0
    assert search(session, "湖泊保护", kind="draft", projects=[3])["total"] == 0
    mine = search(session, "湖泊保护", kind=["draft", "proposal"], projects=[1])
    assert {h["key"] for h in mine["hits"]} == {"draft:10:1", "proposal:5"}
    assert mine["hits"][0]["project"] == "1"
    assert search(session, "河湖长制", kind="draft", projects=[1])["total"] == 0
    everything = search(session, "湖泊保护 OR 罚款", kind=None, projects={"1"})
    assert {"draft:20:1", "proposal:6"}.isdisjoint(h["key"] for h in everything["hits"])
    # An opinion is found by the jurisdiction that recorded it, not by another one.
    own = search(session, "排污口", kind="opinion", own_jurisdiction="320300")
    assert [h["key"] for h in own["hits"]] == ["proposal:6"]
    assert search(session, "排污口", kind="opinion", own_jurisdiction="321300")["total"] == 0
    with pytest.raises(NotFound):
        law_articles(session, "drafts/20", projects=[1])
    assert law_articles(session, "drafts/10", projects=[1])["articles"][0]["label"] == "第一条"

    conn = session.connection()
    assert store.delete_docs(conn, "d.draft_id = :d", {"d": 10}) == 1
    assert store.delete_keys(conn, ["proposal:5"]) == 1
    session.commit()
    assert search(session, "湖泊保护", kind=["draft", "proposal"], projects=[1])["total"] == 0


def test_similar_provisions_list_higher_level_law_first(index_dir):
    hits = similar_provisions(index_dir, "违反规定排放污染物的，由主管部门处以罚款。", limit=5)
    assert hits and hits[0]["level"] == "法律"
    ranks = [h["rank"] for h in hits]
    assert ranks == sorted(ranks)
    excluded = similar_provisions(
        index_dir,
        "违反规定排放污染物的，处以罚款。",
        exclude_path="national/环境保护/水污染防治法(2017-06-27).md",
    )
    assert all(h["level"] != "法律" for h in excluded)


def test_law_articles_returns_a_whole_law_in_order(index_dir):
    law = law_articles(index_dir, "national/环境保护/水污染防治法(2017-06-27).md")
    assert law["law"] == "中华人民共和国水污染防治法" and law["level"] == "法律"
    assert [a["label"] for a in law["articles"]] == ["第一条", "第二条", "第三条", "第四条"]
    assert law["articles"][3]["chapter"] == "第二章 法律责任"
    with pytest.raises(NotFound):
        law_articles(index_dir, "nowhere.md")


def test_workspace_only_store_never_leaks_other_projects(session):
    add_workspace(session, [_workspace_doc("d:1", "draft", 2, "草案", "湖泊保护。")])
    assert search(session, "湖泊保护", kind="draft", projects=[1])["total"] == 0
    assert search(session, "湖泊保护")["total"] == 0
    assert similar_provisions(session, "湖泊保护", projects=[1], kind="draft") == []


def test_search_before_any_import_says_so(session):
    result = search(session, "罚款")
    assert result["total"] == 0 and result["index"]["state"] == "missing"
    assert "precedents import" in result["notices"][0]


def test_relaxed_search_still_honours_exclusions(index_dir):
    result = search(index_dir, "罚款 火星 NOT 物业")
    assert result["relaxed"] and result["hits"]
    assert all("物业" not in h["law"] for h in result["hits"])


def test_single_character_matches_inside_words(index_dir):
    assert ("中华人民共和国水污染防治法", "第二条") in found(search(index_dir, "湖"))


def test_pasted_sentence_finds_its_article_first(index_dir):
    pasted = "水污染防治应当坚持预防为主、防治结合"
    assert found(search(index_dir, pasted))[0] == ("中华人民共和国水污染防治法", "第三条")
    # Other punctuation, and one character changed: still the article it nearly matches.
    altered = "排放水污染物的，由环境保护主管部门责令整改"
    result = search(index_dir, altered)
    assert found(result)[0] == ("中华人民共和国水污染防治法", "第四条")
    assert "<b>" in result["hits"][0]["snippet"]


@pytest.mark.parametrize(
    "q",
    [
        "罚款 " * 2500,  # 5,000 characters
        " OR ".join(["罚款", "听证"] * 2500),  # 5,000 OR terms
        "保护和改善环境" * 700,  # a 4,900-character paste
        "(" * 5000,
        "罚款\x00\x07听证\x1b[0m",
        '"罚款 (听证 "业主',
    ],
)
def test_huge_or_odd_queries_give_results_or_a_notice(index_dir, q):
    try:
        result = search(index_dir, q)
    except BadInput as err:
        assert err.message  # a clear message, never a traceback
        return
    assert isinstance(result["total"], int)
    if len(q) > 2000:
        assert result["notices"]


def test_search_says_while_the_index_is_being_built(engine, session, corpus):
    ix = session
    seen = []

    def progress(done, total, path):
        if not seen:
            seen.append(search(ix, "罚款"))

    import_directory(engine, corpus, progress=progress)
    during = seen[0]
    assert during["index"] == {"state": "building", "done": 0, "total": 3}
    assert "正在建立" in during["notices"][0] and "0 / 3" in during["notices"][0]
    session.rollback()  # a new transaction sees the finished import
    after = search(ix, "罚款")
    assert after["index"]["state"] == "ready" and after["total"] >= 2 and not after["notices"]


def test_an_interrupted_import_is_reported_with_the_command_that_finishes_it(engine, index_dir):
    from search.services.import_state import write_state

    write_state(engine, state="building", done=1, total=3, pid=999999999)  # no such process
    index_dir.rollback()
    result = search(index_dir, "罚款")
    assert result["index"]["state"] == "interrupted" and result["total"] >= 2
    assert "concord reindex --precedents" in result["notices"][0]


RELICS = """# 中华人民共和国文物保护法

{date} 全国人民代表大会常务委员会修订

<!-- INFO END -->

第一条 为了加强对文物的保护，制定本法。

第二条 {text}
"""


def test_the_newer_version_of_a_law_ranks_first_and_the_older_is_labelled_superseded(
    tmp_path, engine, session
):
    root = tmp_path / "relics"
    folder = root / "national" / "行政法"
    folder.mkdir(parents=True)
    for date, text in (("2017-11-04", "擅自改变文物保护单位用途的，处罚款。"),
                       ("2024-11-08", "擅自改变文物保护单位用途的，依法处罚款。")):  # fmt: skip
        (folder / f"文物保护法({date}).md").write_text(
            RELICS.format(date=date, text=text), encoding="utf-8"
        )
    import_directory(engine, root)
    hits = search(session, "文物保护单位用途")["hits"]
    assert [(h["date"], h["validity"], h["in_force"]) for h in hits] == [
        ("2024-11-08", "in_force", True),
        ("2017-11-04", "superseded", False),
    ]
    current = search(session, "文物保护单位用途", in_force_only=True)["hits"]
    assert [h["date"] for h in current] == ["2024-11-08"]
    old = law_articles(session, "national/行政法/文物保护法(2017-11-04).md")
    assert old["validity_label"] == "已被修订" and not old["in_force"]
    # Removing the newer file puts the older one back in force.
    (folder / "文物保护法(2024-11-08).md").unlink()
    import_directory(engine, root)
    session.rollback()
    assert [h["validity"] for h in search(session, "文物保护单位用途")["hits"]] == ["in_force"]
