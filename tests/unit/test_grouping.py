"""Grouping similar opinions (plain Python: the terms are given, no tokenizer)."""

from comments.opinions.core.grouping import group_texts, purity_and_recall, top_terms
from comments.opinions.core.quarters import parse_quarter, quarter_choices


def test_texts_sharing_rare_terms_group_and_others_stay_alone():
    terms = [
        ["路灯", "不亮", "维修"],
        ["路灯", "坏了", "维修"],
        ["路灯", "不亮", "晚上"],
        ["幼儿园", "学位"],
        ["燃气", "管道", "老化"],
    ]
    assert group_texts(terms, threshold=0.2) == [[0, 1, 2], [3], [4]]
    assert top_terms(terms, [0, 1, 2], k=1) == ["路灯"]


def test_a_chain_of_look_alikes_does_not_glue_unrelated_texts():
    # 0~1 and 1~2 are alike, 0 and 2 share nothing: average linkage keeps 2 apart.
    terms = [["路灯", "不亮"], ["路灯", "门口", "井盖"], ["门口", "井盖", "缺失"]]
    groups = group_texts(terms, threshold=0.3)
    assert [0, 1, 2] not in groups


def test_purity_and_recall():
    labels = ["a", "a", "a", "b", "b", None]
    assert purity_and_recall([[0, 1, 2], [3, 4], [5]], labels) == (1.0, 1.0)
    purity, recall = purity_and_recall([[0, 1], [2, 5], [3], [4]], labels)
    assert purity == 3 / 4 and recall == 2 / 5


def test_quarters_written_in_chinese_and_the_list_offered():
    assert parse_quarter("2026年第四季度") == parse_quarter("2026Q4")
    assert parse_quarter("2026年第5季度") is None
    from datetime import date

    assert quarter_choices(date(2026, 12, 2), back=2) == ["2026Q4", "2026Q3", "2026Q2"]
