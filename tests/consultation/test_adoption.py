"""Adoption is exact: each scope writes what it says, once, and nothing is ever duplicated."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from comments.consultation.models import Disposition
from drafting.models import Provision, Revision
from tests.consultation.helpers import comment, consultation

LUOMA = """XX市骆马湖水环境保护条例

第一章　总则

第一条　为了保护骆马湖水环境，制定本条例。

第二条　本条例适用于本市行政区域内骆马湖的水环境保护及其相关活动。

第三条　骆马湖保护坚持生态优先、统筹规划的原则。

第四条　市人民政府负责骆马湖保护的统筹协调。

第五条　任何单位和个人都有保护骆马湖水环境的义务。

{sixth}

乡镇人民政府应当做好本辖区内骆马湖的日常巡查工作。

第七条　本条例自2025年7月1日起施行。
"""
SIXTH = (
    "第六条　市、县（市、区）人民政府应当加强对骆马湖保护工作的领导，"
    "将骆马湖保护纳入国民经济和社会发展规划，所需经费列入本级财政预算。"
)


@pytest.fixture
def c(session):
    return consultation(session)


@pytest.fixture
def lake(session):
    return consultation(session, text=LUOMA.format(sixth=SIXTH))


def fresh(session):
    session.rollback()  # end the test's read snapshot so the app's commits are visible
    session.expire_all()


def texts_of(session, article) -> list[str]:
    """Return an article's paragraphs as stored now: itself, then its clauses and items."""
    fresh(session)
    out, stack = [], [session.get(Provision, article.id)]
    while stack:
        node = stack.pop(0)
        out.append(node.text)
        stack[0:0] = session.scalars(
            select(Provision)
            .where(Provision.parent_id == node.id, Provision.deleted.is_(False))
            .order_by(Provision.position, Provision.id)
        ).all()
    return out


def revisions(session, article) -> int:
    fresh(session)
    return session.scalar(select(func.count()).select_from(Revision))


def adopt(client, c, cid, **extra):
    body = {"decision": "adopted", "apply": True, **extra}
    return client.post(
        f"/api/v1/comments/{cid}/disposition", json=body, headers=c["headers"]["lead"]
    )


def test_quote_scope_changes_only_the_quoted_words(client, session, c):
    before = revisions(session, c["articles"]["第三条"])
    cid = comment(
        client, c, quote="国民经济和社会发展规划", proposed_text="国民经济和社会发展规划和年度计划"
    ).get_json()
    assert cid["replaces"] is None  # decided from the text when adopted
    preview = client.get(
        f"/api/v1/comments/{cid['id']}/adoption", headers=c["headers"]["lead"]
    ).get_json()
    assert preview["replaces"] == "quote" and preview["inferred"] is True
    r = adopt(client, c, cid["id"])
    assert r.status_code == 200, r.get_json()
    assert texts_of(session, c["articles"]["第三条"]) == [
        "市人民政府应当将红色资源保护纳入国民经济和社会发展规划和年度计划。"
    ]
    assert revisions(session, c["articles"]["第三条"]) == before + 1


def test_clause_scope_replaces_the_paragraph_commented_on(client, session, c):
    article = c["articles"]["第二条"]
    clause = article.children[0]
    proposed = "前款所称红色资源，是指下列具有历史价值的物质资源和非物质资源："
    r = client.post(
        f"/api/v1/provisions/{clause.id}/comments",
        json={
            "body": "补充。",
            "quote": "物质资源",
            "proposed_text": proposed,
            "replaces": "clause",
        },
        headers=c["headers"]["partner"],
    )
    assert r.status_code == 201, r.get_json()
    assert adopt(client, c, r.get_json()["id"]).status_code == 200
    assert texts_of(session, article) == [
        "本条例适用于本市行政区域内红色资源的保护。",
        proposed,
        "重要旧址、遗址；",
        "纪念设施。",
    ]


def test_provision_scope_rewrites_every_paragraph_of_the_article(client, session, c):
    article = c["articles"]["第二条"]
    before = revisions(session, article)
    proposed = (
        "本条例适用于本市行政区域内红色资源的调查、保护和利用。\n"
        "前款所称红色资源，是指下列物质资源和非物质资源：\n"
        "（一）重要旧址、遗址、纪念地；\n"
        "（二）纪念设施。"
    )
    cid = comment(client, c, label="第二条", quote="保护", proposed_text=proposed).get_json()["id"]
    r = adopt(client, c, cid)
    assert r.status_code == 200, r.get_json()
    assert texts_of(session, article) == [
        "本条例适用于本市行政区域内红色资源的调查、保护和利用。",
        "前款所称红色资源，是指下列物质资源和非物质资源：",
        "重要旧址、遗址、纪念地；",
        "纪念设施。",
    ]
    # Two paragraphs changed: one revision each, nothing for the unchanged ones.
    assert revisions(session, article) == before + 2


def test_a_whole_article_proposal_quoting_some_words_reads_exactly_as_proposed(
    client, session, lake
):
    """The 第六条 case: the quote was 所需经费列入本级财政预算, the proposal the whole article."""
    article = lake["articles"]["第六条"]
    proposed = (
        "市、县（市、区）人民政府应当加强对骆马湖保护工作的领导，将骆马湖保护纳入国民经济和"
        "社会发展规划，所需经费列入本级财政预算，并建立稳定的投入机制。"
    )
    cid = comment(
        client, lake, label="第六条", quote="所需经费列入本级财政预算", proposed_text=proposed
    ).get_json()["id"]
    assert adopt(client, lake, cid).status_code == 200
    first, second = texts_of(session, article)
    assert first == proposed
    assert "。。" not in first and first.count("人民政府应当加强") == 1
    assert second == "乡镇人民政府应当做好本辖区内骆马湖的日常巡查工作。"


def test_a_whole_article_proposal_quoting_a_phrase_is_not_spliced_into_it(client, session, lake):
    """The 第二条 case over the API: quote 本市行政区域内, proposed text the whole new article."""
    proposed = "本条例适用于本市行政区域内骆马湖及其入湖河道的水环境保护及其相关活动。"
    cid = comment(
        client, lake, label="第二条", quote="本市行政区域内", proposed_text=proposed
    ).get_json()["id"]
    r = adopt(client, lake, cid)
    assert r.status_code == 200, r.get_json()
    assert texts_of(session, lake["articles"]["第二条"]) == [proposed]


def test_a_quote_scope_that_would_duplicate_words_is_refused(client, session, lake):
    proposed = "本条例适用于本市行政区域内骆马湖及其入湖河道的水环境保护及其相关活动。"
    cid = comment(
        client,
        lake,
        label="第二条",
        quote="本市行政区域内",
        proposed_text=proposed,
        replaces="quote",
    ).get_json()["id"]
    preview = client.get(
        f"/api/v1/comments/{cid}/adoption", headers=lake["headers"]["lead"]
    ).get_json()
    assert "重复" in preview["problem"]
    r = adopt(client, lake, cid)
    assert r.status_code == 400 and "重复" in r.get_json()["error"]["message"]
    assert texts_of(session, lake["articles"]["第二条"]) == [
        "本条例适用于本市行政区域内骆马湖的水环境保护及其相关活动。"
    ]
    assert session.scalar(select(func.count()).select_from(Disposition)) == 0


def test_the_drafters_confirmed_text_is_written_merged_with_an_edit_made_since(
    client, session, lake
):
    article = lake["articles"]["第六条"]
    cid = comment(
        client, lake, label="第六条", quote="所需经费", proposed_text="所需资金"
    ).get_json()["id"]
    preview = client.get(
        f"/api/v1/comments/{cid}/adoption", headers=lake["headers"]["lead"]
    ).get_json()
    [paragraph] = preview["paragraphs"]
    assert paragraph["text"].endswith("所需资金列入本级财政预算。")
    # Someone edits the start of the article after the preview was shown.
    edit = client.patch(
        f"/api/v1/provisions/{article.id}",
        json={
            "text": paragraph["current"].replace("市、县（市、区）", "市和县（市、区）"),
            "base_revision": paragraph["base_revision"],
        },
        headers=lake["headers"]["lead"],
    )
    assert edit.status_code == 200
    mine = paragraph["text"].replace("列入本级财政预算", "列入本级财政预算并及时拨付")
    r = adopt(client, lake, cid, text=mine, base_revision=paragraph["base_revision"])
    assert r.status_code == 200, r.get_json()
    [first, _second] = texts_of(session, article)
    assert first.startswith("市和县（市、区）人民政府")
    assert first.endswith("所需资金列入本级财政预算并及时拨付。")


def test_an_applied_comment_cannot_be_applied_twice(client, session, c):
    cid = comment(
        client, c, quote="国民经济和社会发展规划", proposed_text="国民经济和社会发展规划和年度计划"
    ).get_json()["id"]
    assert adopt(client, c, cid).status_code == 200
    again = adopt(client, c, cid)
    assert again.status_code == 409
    assert texts_of(session, c["articles"]["第三条"]) == [
        "市人民政府应当将红色资源保护纳入国民经济和社会发展规划和年度计划。"
    ]


def test_on_the_pages_apply_shows_the_diff_first_and_writes_only_what_is_confirmed(
    client, session, c
):
    from tests.helpers import csrf_of, login

    cid = comment(
        client, c, quote="国民经济和社会发展规划", proposed_text="国民经济和社会发展规划和年度计划"
    ).get_json()["id"]
    before = revisions(session, c["articles"]["第三条"])
    login(client, "xz_drafter")
    token = csrf_of(client, "/comments/attention")
    preview = client.post(
        f"/comments/{cid}/disposition",
        data={"csrf_token": token, "decision": "adopted", "apply": "1", "origin": "attention"},
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<ins>和年度计划</ins>" in page
    assert revisions(session, c["articles"]["第三条"]) == before  # nothing written yet
    pid = c["articles"]["第三条"].id
    base = session.get(Provision, pid).revision_id
    confirmed = "市人民政府应当将红色资源保护纳入国民经济和社会发展规划及年度计划。"
    r = client.post(
        f"/comments/{cid}/adopt",
        data={
            "csrf_token": token,
            "decision": "adopted",
            "replaces": "quote",
            "origin": "attention",
            f"text-{pid}": confirmed,
            f"base-{pid}": str(base),
        },
    )
    assert r.status_code == 302
    assert texts_of(session, c["articles"]["第三条"]) == [confirmed]
    assert revisions(session, c["articles"]["第三条"]) == before + 1
    assert session.scalar(select(Disposition)).applied_revision_id is not None
