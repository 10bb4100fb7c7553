"""Comments stay attached when the text changes: re-found, about an earlier text, moved, deleted."""

from __future__ import annotations

from comments.consultation.core.anchors import anchor, locate
from concord.db import unit_of_work
from drafting.models import Provision
from drafting.services import editing, structure
from tests.consultation.helpers import comment, consultation


def test_a_quote_is_found_again_after_words_are_inserted_before_and_inside_it():
    before = "市人民政府应当组织制定淮海战役红色资源认定标准。"
    after = "市人民政府应当会同有关部门组织制定淮海战役红色资源的认定标准，并向社会公布。"
    start, end = locate("组织制定淮海战役红色资源认定标准", after)
    assert after[start:end] == "组织制定淮海战役红色资源的认定标准"
    assert before.find("组织") == 7


def test_a_quote_that_was_rewritten_away_is_not_found():
    assert locate("公示期不少于二十日", "本条例自2026年1月10日起施行。") is None


def test_a_comment_without_quote_is_about_an_earlier_text_once_the_text_changes():
    state = anchor(
        quote=None,
        seen_text="旧文字",
        seen_revision=1,
        current_text="新文字",
        current_revision=2,
        deleted=False,
    )
    assert state.state == "earlier"


def _comments(client, c, who="lead"):
    url = f"/api/v1/drafts/{c['draft'].id}/comments"
    return client.get(url, headers=c["headers"][who]).get_json()["comments"]


def _edit(session, c, label, text):
    session.rollback()
    session.expire_all()
    prov = session.get(Provision, c["articles"][label].id)
    with unit_of_work(session):
        editing.apply_edit(
            session, c["users"]["lead"], prov.id, text=text, base_revision=prov.revision_id
        )


def test_editing_the_commented_words_keeps_the_comment_anchored(client, session):
    c = consultation(session)
    comment(client, c, quote="国民经济和社会发展规划")
    _edit(session, c, "第三条", "市人民政府应当将红色资源保护纳入本级国民经济和社会发展规划纲要。")
    [row] = _comments(client, c)
    assert row["anchor"]["state"] == "current"  # still there verbatim
    _edit(session, c, "第三条", "市人民政府应当将红色资源保护纳入国民经济与社会发展规划。")
    [row] = _comments(client, c)
    assert row["anchor"]["state"] == "moved"
    assert row["anchor"]["found"] == "国民经济与社会发展规划"


def test_rewriting_the_commented_words_shows_the_earlier_text(client, session):
    c = consultation(session)
    comment(client, c, quote="国民经济和社会发展规划")
    _edit(session, c, "第三条", "县级以上人民政府应当保障红色资源保护经费。")
    [row] = _comments(client, c)
    assert row["anchor"]["state"] == "earlier"
    assert (
        row["anchor"]["earlier_text"] == "市人民政府应当将红色资源保护纳入国民经济和社会发展规划。"
    )
    page = _panel(client, c, "第三条")
    assert "本意见针对的是修改前的文字" in page and "纳入国民经济和社会发展规划" in page


def _panel(client, c, label):
    from tests.helpers import login

    login(client, "xz_drafter")
    pid = c["articles"][label].id
    return client.get(f"/drafts/{c['draft'].id}/provisions/{pid}/comments").get_data(as_text=True)


def test_a_comment_follows_its_article_when_it_is_renumbered(client, session):
    c = consultation(session)
    comment(client, c, label="第四条")
    session.rollback()
    session.expire_all()
    with unit_of_work(session):
        structure.add_provision(
            session,
            c["users"]["lead"],
            c["draft"],
            kind="article",
            text="新增的一条。",
            after=c["articles"]["第一条"].id,
        )
    [row] = _comments(client, c)
    assert row["label"] == "第五条" and row["provision"] == c["articles"]["第四条"].id


def test_a_comment_on_a_deleted_provision_stays_visible_as_such(client, session):
    c = consultation(session)
    comment(client, c, label="第四条")
    session.rollback()
    session.expire_all()
    with unit_of_work(session):
        structure.remove_provision(session, c["users"]["lead"], c["articles"]["第四条"].id)
    [row] = _comments(client, c, who="partner")
    assert row["anchor"]["state"] == "deleted"
    assert row["label"] == "第四条" and "第三条" in row["anchor"]["earlier_text"]
    round_page = client.get(f"/api/v1/rounds/{c['round'].id}", headers=c["headers"]["lead"])
    assert round_page.get_json()["total"] == 1
