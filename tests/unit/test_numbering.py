"""Chinese numerals, labels and the renumbering of citations."""

import pytest

from drafting.core.numbering import (
    article_label,
    chapter_label,
    find_citations,
    item_label,
    make_label,
    parse_numeral,
    part_label,
    renumber_citations,
    section_label,
    subitem_label,
    to_chinese,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一十", 10),
        ("两", 2),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十", 110),
        ("一百二十三", 123),
        ("二百", 200),
        ("一千零一十", 1010),
        ("一千二百六十", 1260),
        ("一万零五", 10005),
        ("一〇五", 105),
        ("二〇二四", 2024),
        ("12", 12),
    ],
)
def test_parse_numeral(text, value):
    assert parse_numeral(text) == value


def test_parse_numeral_refuses_other_characters():
    with pytest.raises(ValueError):
        parse_numeral("十a")
    with pytest.raises(ValueError):
        parse_numeral("")


def test_to_chinese_round_trips_every_number_to_twelve_thousand():
    for n in range(0, 12000):
        assert parse_numeral(to_chinese(n)) == n


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "零"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1010, "一千零一十"),
        (1100, "一千一百"),
        (1001, "一千零一"),
    ],
)
def test_to_chinese_customary_forms(n, text):
    assert to_chinese(n) == text


def test_labels():
    assert article_label(12) == "第十二条"
    assert article_label(10, 1) == "第十条之一"
    assert chapter_label(3) == "第三章"
    assert section_label(2) == "第二节"
    assert part_label(1) == "第一编"
    assert item_label(3) == "（三）"
    assert subitem_label(3) == "3."
    assert make_label("article", 123) == "第一百二十三条"
    assert make_label("clause", 2) is None


def test_find_citations_reads_article_clause_and_item():
    text = "违反本条例第十二条第二款第（三）项规定的，依照第十五条处罚。"
    found = find_citations(text)
    assert [(c.article, c.clause, c.item) for c in found] == [(12, 2, 3), (15, None, None)]
    assert found[0].text == "第十二条第二款第（三）项"
    assert text[found[0].start : found[0].end] == found[0].text


def test_find_citations_reads_ranges_and_inserted_articles():
    found = find_citations("本条例第十二条至第十五条、第十条之一另有规定的除外")
    assert [(c.article, c.to, c.sub) for c in found] == [(12, 15, None), (10, None, 1)]


def test_find_citations_leaves_other_laws_alone():
    text = (
        "依照《中华人民共和国立法法》第八十三条、第八十四条和刑法第一百五十一条，"
        "以及本法第三条的规定；前款、本条第二款所称的除外。"
    )
    assert [c.article for c in find_citations(text)] == [3]


def test_find_citations_knows_this_texts_own_names():
    text = "超过本实施细则第四十二条、本办法第三条和本规定第五条的"
    assert [c.article for c in find_citations(text)] == [42, 3, 5]


def test_find_citations_ignores_relative_references():
    assert find_citations("前款规定的情形，适用本条第二款；前两款另有规定的除外。") == []


def test_renumber_citations_follows_the_map():
    text = "依照本条例第十二条第二款处罚；第十三条至第十五条另有规定的除外。"
    new, changes = renumber_citations(text, {12: 13, 13: 14, 15: 16})
    assert new == "依照本条例第十三条第二款处罚；第十四条至第十六条另有规定的除外。"
    assert [(c.old, c.new) for c in changes] == [
        ("第十二条第二款", "第十三条第二款"),
        ("第十三条至第十五条", "第十四条至第十六条"),
    ]
    assert changes[0].position == text.index("第十二条")


def test_renumber_citations_reports_deleted_targets_and_keeps_their_text():
    text = "违反第二十条规定的，由市人民政府责令改正。"
    new, changes = renumber_citations(text, {20: None})
    assert new == text
    assert changes == [("第二十条", None, 2)]


def test_renumber_citations_leaves_other_laws_and_unmapped_articles():
    text = "依照《中华人民共和国立法法》第十二条和本条例第三条、第九条。"
    new, changes = renumber_citations(text, {12: 14, 3: 4})
    assert new == "依照《中华人民共和国立法法》第十二条和本条例第四条、第九条。"
    assert len(changes) == 1


def test_renumber_citations_moves_inserted_articles_and_items():
    text = "本条例第十条之一和第十二条第一款第（三）项、第十二条第四项"
    new, _ = renumber_citations(text, {10: 11}, item_maps={12: {3: 2, 4: 3}})
    assert new == "本条例第十一条之一和第十二条第一款第（二）项、第十二条第三项"


def test_renumber_citations_with_an_empty_map_changes_nothing():
    text = "依照本条例第十二条处罚。"
    assert renumber_citations(text, {}) == (text, [])
