"""The legality review on plain data: what each level may set, fines, repeats, citations."""

from __future__ import annotations

import pytest

from drafting.core.review.amounts import fines
from drafting.core.review.checks import review
from drafting.core.review.citations import title_key
from drafting.core.review.model import Article, LawVersion, UpperArticle
from drafting.core.review.upper import UpperLaw

RELICS = "中华人民共和国文物保护法"
PENALTY_LAW = "中华人民共和国行政处罚法"
OLD = LawVersion(RELICS, "2017-11-04", "法律", "全国", True, 80, "relics-2017")
NEW = LawVersion(RELICS, "2024-11-08", "法律", "全国", True, 83, "relics-2024")
EXPIRED = LawVersion("中华人民共和国合同法", "1999-03-15", "法律", "全国", False, 428, "contract")
UPPER = [
    UpperArticle(
        RELICS,
        "2024-11-08",
        "第八十三条",
        "有下列行为之一的，由县级以上人民政府文物行政部门责令改正，给予警告；造成文物损坏或者"
        "其他严重后果的，处五万元以上五十万元以下的罚款：\n"
        "（一）擅自在文物保护单位的保护范围内进行建设工程或者爆破、钻探、挖掘等作业的；\n"
        "（二）在文物保护单位的建设控制地带内进行建设工程，其工程设计方案未经文物行政部门同意的。",
        "法律",
        "全国",
        "relics-2024#83",
    ),
    UpperArticle(
        RELICS,
        "2024-11-08",
        "第十条",
        "文物保护单位的保护范围内不得进行其他建设工程或者爆破、钻探、挖掘等作业。但是，因特殊"
        "情况需要进行的，必须保证文物保护单位的安全。",
        "法律",
        "全国",
        "relics-2024#10",
    ),
    UpperArticle(
        "中华人民共和国广告法",
        "2021-04-29",
        "第五十八条",
        "发布虚假广告的，由市场监督管理部门责令停止发布广告，处广告费用一倍以上三倍以下的罚款。",
        "法律",
        "全国",
        "ads#58",
    ),
    UpperArticle(
        PENALTY_LAW,
        "2021-01-22",
        "第十二条",
        "地方性法规可以设定除限制人身自由、吊销营业执照以外的行政处罚。",
        "法律",
        "全国",
        "penalty#12",
    ),
    UpperArticle(
        PENALTY_LAW,
        "2021-01-22",
        "第十六条",
        "除法律、法规、规章外，其他规范性文件不得设定行政处罚。",
        "法律",
        "全国",
        "penalty#16",
    ),
]
OLD_TEXT = {("relics-2017", "第二十条"): "建设工程选址，应当尽可能避开不可移动文物。"}
NEW_TEXT = {
    (
        "relics-2024",
        "第二十条",
    ): "建设工程选址，应当尽可能避开不可移动文物；因特殊情况不能避开的，应当原址保护。"
}


class FakeStatutes:
    """Two versions of 文物保护法, an expired 合同法, and the 行政处罚法 articles above."""

    def quote(self, law, label):
        return next(
            (u for u in UPPER if title_key(u.law) == title_key(law) and u.label == label), None
        )

    def versions(self, key):
        return {"文物保护法": [OLD, NEW], "合同法": [EXPIRED]}.get(key, [])

    def current(self, key):
        return {"文物保护法": NEW}.get(key)

    def article(self, version, label):
        text = {**OLD_TEXT, **NEW_TEXT}.get((version.key, label))
        if text is None:
            num = {"relics-2017": 80, "relics-2024": 83}.get(version.key, 0)
            from drafting.core.numbering import label_number

            n = label_number(label)
            if n and n[0] <= num:
                text = f"（{label}）"
        if text is None:
            return None
        return UpperArticle(version.title, version.date, label, text, "法律", "全国", version.key)


@pytest.fixture(scope="module")
def upper():
    return UpperLaw(UPPER).scope(lambda a: True)


def run(upper, text, level="city-regulation", label="第三十条"):
    return review([Article(label, text, 7)], level, upper, FakeStatutes(), "某市红色资源保护条例")


def kinds(findings):
    return [(f.kind, f.severity) for f in findings]


def test_fines_are_read_as_statutes_write_them():
    assert [(f.unit, f.lo, f.hi) for f in fines("处五千元以上五万元以下罚款")] == [
        ("元", 5000, 50000)
    ]
    got = fines("没收违法所得，并处违法所得一倍以上五倍以下的罚款")[0]
    assert (got.unit, got.base, got.lo, got.hi) == ("倍", "违法所得", 1, 5)
    assert fines("逾期不改正的，每日处一千元罚款")[0].per_day
    assert fines("处二百元以下罚款")[0].lo == 0 and fines("处五十万元以上罚款")[0].hi is None
    assert fines("处货值金额百分之十以上百分之三十以下罚款")[0].unit == "%"


def test_a_city_may_not_revoke_a_business_licence_and_the_upper_provision_is_quoted(upper):
    found = run(upper, "违反本条例规定，情节严重的，由市场监督管理部门吊销营业执照。")
    assert kinds(found) == [("penalty_not_allowed", "violation")]
    assert found[0].upper.law == PENALTY_LAW and found[0].upper.label == "第十二条"
    assert found[0].provision == 7 and "吊销营业执照" in found[0].message()


def test_referring_to_a_penalty_set_elsewhere_is_not_setting_one(upper):
    text = "构成违反治安管理行为的，由公安机关依照《中华人民共和国治安管理处罚法》处五日以下拘留。"
    assert not [f for f in run(upper, text) if f.kind == "penalty_not_allowed"]
    assert kinds(run(upper, "由公安机关处五日以下拘留。")) == [("penalty_not_allowed", "violation")]
    assert not run(upper, "物业服务人因被吊销营业执照导致合同终止的，建设单位可以另选物业服务人。")


def test_a_normative_document_sets_no_penalty_and_rules_only_warnings_and_fines(upper):
    text = "违反本办法规定的，给予警告，可以处一千元以下罚款。"
    found = run(upper, text, level="normative-document")
    assert {f.kind for f in found} == {"penalty_not_allowed"}
    assert found[0].upper.label == "第十六条"
    assert not run(upper, text, level="rules")
    assert kinds(run(upper, "没收违法所得。", level="rules")) == [
        ("penalty_not_allowed", "violation")
    ]


def test_coercive_measures_by_level(upper):
    assert not run(upper, "执法人员可以查封、扣押有关物品。")
    frozen = run(upper, "执法部门可以冻结其银行账户。")
    assert kinds(frozen) == [("coercion_not_allowed", "violation")]
    assert kinds(run(upper, "执法人员可以查封有关场所。", level="rules")) == [
        ("coercion_not_allowed", "violation")
    ]
    assert not run(upper, "执法人员可以依法查封有关场所。", level="rules")


def test_licences_are_for_review_and_a_normative_document_may_set_none(upper):
    text = "在红色资源保护范围内举办大型活动的，应当经市文化和旅游主管部门批准。"
    assert kinds(run(upper, text)) == [("license_review", "review")]
    assert kinds(run(upper, text, level="normative-document")) == [("license_review", "violation")]
    assert not run(upper, "从事经营活动，应当依法取得许可证。")
    assert not run(upper, text, level="law")


def test_a_fine_beyond_the_upper_range_for_the_same_conduct(upper):
    text = (
        "违反本条例规定，擅自在文物保护单位的保护范围内进行建设工程或者爆破、钻探、挖掘等作业的，"
        "由文物主管部门责令改正，造成严重后果的，处十万元以上一百万元以下的罚款。"
    )
    found = run(upper, text)
    assert kinds(found) == [("fine_exceeds_upper_law", "violation")]
    f = found[0]
    assert (f.upper.law, f.upper.label) == (RELICS, "第八十三条")
    assert "十万元以上一百万元以下" in f.message() and "五万元以上五十万元以下" in f.message()


def test_a_fine_within_the_upper_range_or_for_other_conduct_is_fine(upper):
    within = (
        "违反本条例规定，擅自在文物保护单位的保护范围内进行建设工程或者爆破、钻探、挖掘等作业的，"
        "由文物主管部门责令改正，造成严重后果的，处五万元以上二十万元以下的罚款。"
    )
    assert not run(upper, within)
    other = "违反本条例规定，在公园内遛狗不拴绳的，由城市管理部门处二百元以上五百元以下罚款。"
    assert not run(upper, other)


def test_the_conduct_may_be_in_the_article_the_penalty_cites(upper):
    rule = Article(
        "第十条", "禁止擅自在文物保护单位的保护范围内进行建设工程或者爆破、钻探、挖掘等作业。", 1
    )
    penalty = Article(
        "第三十条",
        "违反本条例第十条规定的，由文物主管部门责令改正，处广告费用一倍以上三倍以下的罚款，"
        "造成严重后果的，处十万元以上一百万元以下的罚款。",
        2,
    )
    found = review([rule, penalty], "city-regulation", upper, FakeStatutes())
    fine = [f for f in found if f.kind == "fine_exceeds_upper_law"]
    assert fine and fine[0].label == "第三十条" and fine[0].upper.label == "第八十三条"


def test_repeating_an_upper_provision_word_for_word(upper):
    text = (
        "文物保护单位的保护范围内不得进行其他建设工程或者爆破、钻探、挖掘等作业。但是，"
        "因特殊情况需要进行的，必须保证文物保护单位的安全。"
    )
    found = run(upper, text, label="第十条")
    assert kinds(found) == [("repeats_upper_law", "review")]
    assert found[0].upper.label == "第十条" and "100%" in found[0].message()
    assert not run(upper, text, level="law")


def test_citations_not_found_past_the_end_outdated_and_expired(upper):
    found = run(upper, "依照《中华人民共和国文物保护法》第九十九条的规定处理。")
    assert kinds(found) == [("citation_not_found", "violation")]
    assert "83" in found[0].message()
    assert kinds(run(upper, "依照《中华人民共和国城乡规划法》的规定处理。")) == [
        ("citation_not_found", "review")
    ]
    assert kinds(run(upper, "依照《某省湿地保护条例》的规定处理。")) == [
        ("citation_not_found", "note")
    ]
    outdated = run(upper, "依照2017年修正的《中华人民共和国文物保护法》第二十条办理。")
    assert kinds(outdated) == [("citation_outdated", "review")]
    assert outdated[0].upper.date == "2024-11-08" and "原址保护" in outdated[0].upper.text
    assert kinds(run(upper, "依照《中华人民共和国合同法》的规定。")) == [
        ("citation_outdated", "review")
    ]
    assert not run(upper, "根据《中华人民共和国文物保护法》第二十条，制定本条例。")


def test_findings_serialise_as_the_contract_says(upper):
    f = run(upper, "违反本条例规定，情节严重的，由市场监督管理部门吊销营业执照。")[0]
    out = f.to_json()
    assert set(out) == {"label", "kind", "severity", "message", "upper", "provision"}
    assert set(out["upper"]) == {"law", "date", "label", "text"}


def test_a_fine_for_individuals_is_held_to_the_upper_range_for_individuals():
    from drafting.core.review.upper import exceeds

    upper = fines("对单位处五十万元以上五百万元以下的罚款，对个人处五万元以上五十万元以下的罚款")
    over = exceeds(fines("对个人处十万元以上一百万元以下的罚款"), upper)
    assert [(f.text, bounds) for f, bounds in over] == [("十万元以上一百万元以下", (50000, 500000))]
    assert not exceeds(fines("对单位处一百万元以上三百万元以下的罚款"), upper)
