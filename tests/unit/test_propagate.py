"""Carrying a change of the common text into partner cities' texts."""

from __future__ import annotations

from drafting.core.patching import describe, propagate

OLD = """第一条　为了保护红色资源，传承红色基因，根据有关法律、行政法规，结合本市实际，制定本条例。
第二条　本条例适用于徐州市行政区域内红色资源的调查认定、保护管理和传承利用。
第三条　徐州市人民政府应当加强对红色资源保护工作的领导，建立协调机制，所需经费列入本级财政预算。
第四条　退役军人事务主管部门负责红色资源保护的综合协调工作。
第五条　任何单位和个人都有保护红色资源的义务。
第六条　本条例自2025年7月1日起施行。"""
NEW = OLD.replace("建立协调机制，所需经费", "建立健全协调机制，研究解决重大问题，所需经费").replace(
    "都有保护红色资源的义务。", "都有保护红色资源的义务，有权劝阻、举报破坏红色资源的行为。"
)
NAMES = ["徐州市", "宿迁市", "淮北市", "宿州市"]


def test_three_cities_clean_fuzzy_and_failed():
    # 宿迁 took the common text as it was, with its own name.
    suqian = OLD.replace("徐州", "宿迁")
    # 淮北 added an article of its own and reworded the fifth.
    huaibei = (
        OLD.replace("徐州", "淮北")
        .replace(
            "第四条　退役军人", "第四条　淮北市鼓励社会力量参与红色资源保护。\n第五条　退役军人"
        )
        .replace("第五条　任何单位和个人都有", "第六条　任何组织和个人均有")
        .replace("第六条　本条例", "第七条　本条例")
    )
    # 宿州 rewrote the sentence that the common text now changes.
    suzhou = OLD.replace("徐州", "宿州").replace(
        "建立协调机制，所需经费列入本级财政预算", "将红色资源保护经费纳入年度预算，统筹安排"
    )

    clean = propagate(OLD, NEW, suqian, names=NAMES)
    assert clean.status == "clean"
    assert clean.text == NEW.replace("徐州", "宿迁")
    assert len(clean.applied_hunks) == 2 and not clean.failed_hunks

    fuzzy = propagate(OLD, NEW, huaibei, names=NAMES)
    assert fuzzy.status == "fuzzy"
    assert (
        "淮北市人民政府应当加强对红色资源保护工作的领导，建立健全协调机制，研究解决重大问题"
        in fuzzy.text
    )
    assert "任何组织和个人均有保护红色资源的义务，有权劝阻、举报破坏红色资源的行为。" in fuzzy.text
    assert "淮北市鼓励社会力量参与红色资源保护" in fuzzy.text
    assert "徐州" not in fuzzy.text

    failed = propagate(OLD, NEW, suzhou, names=NAMES)
    assert failed.status == "failed"
    assert failed.text == suzhou
    assert [h.index for h in failed.failed_hunks] == [0]
    assert [h.index for h in failed.applied_hunks] == [1]
    assert "研究解决重大问题" in describe(failed.failed_hunks[0])


def test_names_are_found_without_being_given():
    suqian = OLD.replace("徐州", "宿迁")
    result = propagate(OLD, NEW, suqian)
    assert result.status == "clean"
    assert "宿迁市人民政府应当加强对红色资源保护工作的领导，建立健全协调机制" in result.text


def test_no_change_leaves_the_city_text_alone():
    city = OLD.replace("徐州", "宿迁") + "\n第七条　宿迁市另有规定。"
    result = propagate(OLD, OLD, city, names=NAMES)
    assert (result.status, result.text, result.applied_hunks) == ("clean", city, [])


def test_a_deletion_in_the_common_text_is_carried_over():
    new = OLD.replace("，传承红色基因", "")
    city = OLD.replace("徐州", "宿迁")
    result = propagate(OLD, new, city, names=NAMES)
    assert result.status == "clean"
    assert "为了保护红色资源，根据有关法律" in result.text
    assert result.applied_hunks[0].removed in ("，传承红色基因", "传承红色基因，")
