"""The article menu: insert before, move after 第N条, delete with a reason, split, merge."""

from __future__ import annotations

import pytest

from concord.db import unit_of_work
from drafting.errors import BadInput, Conflict
from drafting.models import AuditEntry, Revision
from drafting.services import article_tools
from drafting.services.drafts import load_tree
from tests.consultation.helpers import comment, consultation
from tests.helpers import make_draft, make_project, make_user


@pytest.fixture
def small(session):
    lead = make_user(session, "lead", "320300")
    project = make_project(session, lead)
    return {"lead": lead, "draft": make_draft(session, lead, project)}


def _texts(session, draft) -> dict[str, str]:
    return {a.label: a.text for a in load_tree(session, draft).articles()}


def _id(session, draft, label) -> int:
    return next(a.id for a in load_tree(session, draft).articles() if a.label == label)


def test_insert_before_and_move_after_a_number_renumber_citations(session, small):
    lead, draft = small["lead"], small["draft"]
    article_tools.insert_near(
        session, lead, draft, _id(session, draft, "第三条"), before=True, text="新增的条文。"
    )
    texts = _texts(session, draft)
    assert texts["第三条"] == "新增的条文。"
    # 第四条 cited 第三条, which is now 第四条.
    assert texts["第五条"].startswith("违反本条例第四条规定的")
    article_tools.move_after_number(
        session, lead, draft, _id(session, draft, "第三条"), target="第五条"
    )
    texts = _texts(session, draft)
    assert texts["第五条"] == "新增的条文。" and texts["第四条"].startswith("违反本条例第三条")
    with pytest.raises(BadInput):
        article_tools.move_after_number(
            session, lead, draft, _id(session, draft, "第一条"), target="九十"
        )


def test_deleting_asks_for_confirmation_and_a_reason_kept_in_history(session, small):
    lead, draft = small["lead"], small["draft"]
    pid = _id(session, draft, "第一条")
    with pytest.raises(BadInput):
        article_tools.delete_with_reason(session, lead, draft, pid, reason="重复", confirmed=False)
    with pytest.raises(BadInput):
        article_tools.delete_with_reason(session, lead, draft, pid, reason=" ", confirmed=True)
    assert "第一条" in _texts(session, draft) and len(_texts(session, draft)) == 5
    article_tools.delete_with_reason(
        session, lead, draft, pid, reason="与上位法重复", confirmed=True
    )
    assert len(_texts(session, draft)) == 4
    assert article_tools.deletion_reason(session, pid) == "与上位法重复"
    ((prov, rev),) = article_tools.deleted_articles(session, draft)
    assert prov.id == pid and rev.reason == "与上位法重复"


def test_split_and_merge_keep_every_word(session, small):
    lead, draft = small["lead"], small["draft"]
    second = load_tree(session, draft).nodes[_id(session, draft, "第二条")]
    words = [n.text for n in load_tree(session, draft).walk() if n.text]
    clause = next(c for c in second.children if c.kind == "clause")
    with unit_of_work(session):
        article_tools.divide_article(session, lead, draft, second.id, at=clause.id)
    tree = load_tree(session, draft)
    third = tree.articles()[2]
    assert third.text == clause.text and [c.kind for c in third.children] == ["item", "item"]
    assert len(tree.articles()) == 6
    # The words are all there; the citation of 第三条 follows it to 第四条.
    shifted = [w.replace("本条例第三条", "本条例第四条") for w in words]
    assert sorted(n.text for n in tree.walk() if n.text) == sorted(shifted)
    with unit_of_work(session):
        article_tools.join_next(session, lead, draft, second.id)
    tree = load_tree(session, draft)
    assert len(tree.articles()) == 5
    merged = tree.nodes[second.id]
    assert [c.kind for c in merged.children] == ["clause"]
    assert [c.kind for c in merged.children[0].children] == ["item", "item"]
    assert sorted(n.text for n in tree.walk() if n.text) == sorted(words)
    last = tree.articles()[-1]
    with pytest.raises(BadInput):
        with unit_of_work(session):
            article_tools.join_next(session, lead, draft, last.id)


def test_a_deleted_article_comes_back_with_its_comments(client, session):
    c = consultation(session)
    lead, draft = c["users"]["lead"], c["draft"]
    assert comment(client, c, label="第三条", body="建议写明期限。").status_code == 201
    pid = c["articles"]["第三条"].id
    clause_count = len(load_tree(session, draft).nodes[pid].children)
    article_tools.delete_with_reason(session, lead, draft, pid, reason="并入第二条", confirmed=True)
    assert pid not in load_tree(session, draft).nodes
    with pytest.raises(Conflict):
        article_tools.restore_provision(session, lead, _id(session, draft, "第一条"))
    article_tools.restore_provision(session, lead, pid)
    tree = load_tree(session, draft)
    assert tree.nodes[pid].label == "第三条"
    assert len(tree.nodes[pid].children) == clause_count
    assert "违反本条例第三条规定的" in tree.articles()[3].text
    listed = client.get(f"/api/v1/drafts/{draft.id}/comments", headers=c["headers"]["lead"])
    mine = [x for x in listed.get_json()["comments"] if x["body"] == "建议写明期限。"]
    assert mine and (mine[0]["provision"], mine[0]["label"]) == (pid, "第三条")
    assert session.query(Revision).filter_by(provision_id=pid, action="restore").count() == 1
    assert session.query(AuditEntry).filter_by(action="provision.restore").count() == 1


def test_only_the_drafting_city_may_use_the_menu_or_restore(session, small):
    from drafting.errors import NotPermitted

    lead, draft = small["lead"], small["draft"]
    partner = make_user(session, "partner", "321300")
    commenter = make_user(session, "reader", "320300", role="commenter")
    first = _id(session, draft, "第一条")
    for user in (partner, commenter):
        with pytest.raises(NotPermitted):
            article_tools.insert_near(session, user, draft, first, before=False, text="新条。")
        with pytest.raises(NotPermitted):
            article_tools.delete_with_reason(
                session, user, draft, first, reason="不要", confirmed=True
            )
        session.rollback()
    article_tools.delete_with_reason(session, lead, draft, first, reason="重复", confirmed=True)
    for user in (partner, commenter):
        with pytest.raises(NotPermitted):
            article_tools.restore_provision(session, user, first)
        session.rollback()
    assert len(_texts(session, draft)) == 4
