"""Structure changes of the common text offered to each city: articles and divisions."""

from __future__ import annotations

import pytest

from concord.db import unit_of_work
from drafting.models import AuditEntry, PropagationDecision
from drafting.services import (
    drafts,
    editing,
    propagation,
    propagation_decisions,
    structure,
    versions,
)
from drafting.services.drafts import load_tree
from tests.helpers import make_draft, make_project, make_user
from tests.huaihai import huaihai_project

NEW_ARTICLE = "徐州市人民政府应当依照本条例第十四条规定，每年向社会公布保护名录。"


@pytest.fixture
def hh(session):
    return huaihai_project(session)


def _article(session, draft, label):
    return next(a for a in load_tree(session, draft).articles() if a.label == label)


def _labels(session, draft) -> dict[str, str]:
    return {a.label: a.text for a in load_tree(session, draft).articles()}


@pytest.fixture
def restructured(session, hh):
    """After 征求意见稿 the lead inserts, deletes and moves articles and adds a section."""
    lead, common = hh["lead"], hh["common"]
    versions.create_version(session, lead, common, name="征求意见稿")
    fifth = _article(session, common, "第五条")
    doomed = _article(session, common, "第四十条")
    tenth = _article(session, common, "第二十条")
    twelfth = _article(session, common, "第二十二条")
    chapter2 = next(n for n in load_tree(session, common).roots if n.label == "第二章")
    first_of_2 = [c.id for c in chapter2.children if c.kind == "article"][:2]
    with unit_of_work(session):
        inserted, _ = structure.add_provision(
            session, lead, common, kind="article", text=NEW_ARTICLE, after=fifth.id
        )
    with unit_of_work(session):
        structure.remove_provision(session, lead, doomed.id, reason="与第四十一条重复")
    with unit_of_work(session):
        structure.relocate_provision(session, lead, tenth.id, after=twelfth.id)
    with unit_of_work(session):
        section, _ = structure.add_provision(
            session,
            lead,
            common,
            kind="section",
            text="调查与认定",
            parent=chapter2.id,
            at_start=True,
        )
    with unit_of_work(session):
        structure.relocate_provision(session, lead, first_of_2[0], parent=section.id)
    with unit_of_work(session):
        structure.relocate_provision(session, lead, first_of_2[1], after=first_of_2[0])
    hh.update(
        inserted=inserted.id, deleted=doomed.id, moved=tenth.id, section=section.id, fifth=fifth
    )
    return hh


def _all_text(session, draft) -> str:
    return "\n".join(n.text for n in load_tree(session, draft).walk() if n.text)


def _offered(session, hh, code):
    city = hh["drafts"][code]
    changes = propagation.pending_changes(session, hh["users"][code], hh["project"], draft=city)
    return {(c.kind, c.common_id): c for c in changes}


def test_each_city_is_offered_each_structure_change(session, restructured):
    hh = restructured
    for code in hh["drafts"]:
        offered = _offered(session, hh, code)
        assert ("inserted", hh["inserted"]) in offered, code
        assert ("deleted", hh["deleted"]) in offered, code
        assert ("moved", hh["moved"]) in offered, code
        assert ("heading", hh["section"]) in offered, code
        assert offered["heading", hh["section"]].action == "added"
        inserted = offered["inserted", hh["inserted"]]
        # The city's own name is put in, as when a draft is adapted.
        city_name = hh["drafts"][code].jurisdiction.name
        assert inserted.proposed.startswith(city_name + "人民政府") and inserted.applicable
        assert all(
            c.status in ("clean", "already") for c in offered.values() if c.kind != "modified"
        )


def test_a_city_applies_some_changes_and_declines_others(session, restructured):
    hh = restructured
    code = "321300"
    suqian, user, project = hh["drafts"][code], hh["users"][code], hh["project"]
    before = _labels(session, suqian)
    assert "依照本条例第十三条规定的程序办理" in _all_text(session, suqian)
    after_fifth = before["第六条"]
    propagation_decisions.accept_change(
        session, user, project, draft=suqian.id, common=hh["inserted"], kind="inserted"
    )
    now = _labels(session, suqian)
    # Placed after the city's 第五条, the city's name in it, citations pointing at the city's
    # numbers after the insertion; the city's own citations follow the renumbering.
    assert now["第六条"] == "宿迁市人民政府应当依照本条例第十四条规定，每年向社会公布保护名录。"
    assert now["第七条"] == after_fifth
    joined = _all_text(session, suqian)
    assert "依照本条例第十三条规定的程序办理" not in joined
    assert "依照本条例第十四条规定的程序办理" in joined
    assert len(now) == len(before) + 1

    # Declining the deletion keeps the article; the reason is logged and audited.
    deleted = _offered(session, hh, code)["deleted", hh["deleted"]]
    kept_text = deleted.city_text
    propagation_decisions.decline_change(
        session, user, project, draft=suqian.id, common=hh["deleted"], reason="本市保留此条。"
    )
    assert kept_text in "\n".join(_labels(session, suqian).values())
    log = session.query(PropagationDecision).filter_by(draft_id=suqian.id, kind="deleted").one()
    assert (log.decision, log.reason) == ("declined", "本市保留此条。")
    assert session.query(AuditEntry).filter_by(action="propagation.decline").count() == 1

    # The move: the city's counterpart follows the counterpart of the common neighbour.
    moved = _offered(session, hh, code)["moved", hh["moved"]]
    moved_text = _labels(session, suqian)[moved.city_label]
    propagation_decisions.accept_change(
        session, user, project, draft=suqian.id, common=hh["moved"], kind="moved"
    )
    tree = load_tree(session, suqian)
    order = [a.text for a in tree.articles()]
    anchor = tree.nodes[moved.place["after"]].text
    assert order.index(moved_text) == order.index(anchor) + 1

    # The new section, with the city's counterparts of its articles gathered into it.
    section = _offered(session, hh, code)["heading", hh["section"]]
    propagation_decisions.accept_change(
        session, user, project, draft=suqian.id, common=hh["section"], kind="heading"
    )
    tree = load_tree(session, suqian)
    made = next(n for n in tree.walk() if n.kind == "section")
    assert made.heading == "调查与认定" and made.label == "第一节"
    assert [c.id for c in made.children] == section.gather and len(section.gather) == 2
    assert tree.parent_of[made.id] == next(n.id for n in tree.roots if n.label == "第二章")
    # Numbering still runs through and nothing is pending but the declined deletion's peers.
    nums = [a.num for a in tree.articles()]
    assert nums == list(range(1, len(nums) + 1))
    left = _offered(session, hh, code)
    assert not any(k in left for k in [("inserted", hh["inserted"]), ("moved", hh["moved"])])
    assert ("deleted", hh["deleted"]) not in left and ("heading", hh["section"]) not in left


def test_a_city_that_deleted_the_article_itself_shows_as_done(session, restructured):
    hh = restructured
    code = "340600"
    huaibei, user, project = hh["drafts"][code], hh["users"][code], hh["project"]
    deleted = _offered(session, hh, code)["deleted", hh["deleted"]]
    assert deleted.status == "clean" and len(deleted.city_ids) == 1
    with unit_of_work(session):
        structure.remove_provision(session, user, deleted.city_ids[0], reason="本市自行删除")
    again = _offered(session, hh, code)["deleted", hh["deleted"]]
    assert again.status == "already"
    propagation_decisions.accept_change(
        session, user, project, draft=huaibei.id, common=hh["deleted"], kind="deleted"
    )
    assert ("deleted", hh["deleted"]) not in _offered(session, hh, code)
    # Applying the deletion in another city removes its counterpart and renumbers.
    code = "341300"
    suzhou = hh["drafts"][code]
    count = len(load_tree(session, suzhou).articles())
    propagation_decisions.accept_change(
        session, hh["users"][code], project, draft=suzhou.id, common=hh["deleted"], kind="deleted"
    )
    nums = [a.num for a in load_tree(session, suzhou).articles()]
    assert nums == list(range(1, count))


def test_a_later_move_is_offered_again(session, restructured):
    hh = restructured
    code = "321300"
    suqian, user, project = hh["drafts"][code], hh["users"][code], hh["project"]
    propagation_decisions.decline_change(
        session, user, project, draft=suqian.id, common=hh["moved"], kind="moved", reason="不调整"
    )
    assert ("moved", hh["moved"]) not in _offered(session, hh, code)
    with unit_of_work(session):
        structure.relocate_provision(session, hh["lead"], hh["moved"], after=hh["fifth"].id)
    assert ("moved", hh["moved"]) in _offered(session, hh, code)


def test_renamed_and_removed_divisions(session, restructured):
    hh = restructured
    lead, common = hh["lead"], hh["common"]
    code = "321300"
    suqian, user, project = hh["drafts"][code], hh["users"][code], hh["project"]
    propagation_decisions.accept_change(
        session, user, project, draft=suqian.id, common=hh["section"], kind="heading"
    )
    prov = editing.locked_provision(session, hh["section"])
    with unit_of_work(session):
        editing.apply_edit(
            session, lead, prov.id, text="调查、认定与名录", base_revision=prov.revision_id
        )
    renamed = _offered(session, hh, code)["heading", hh["section"]]
    assert renamed.action == "renamed" and renamed.status == "clean"
    propagation_decisions.accept_change(
        session, user, project, draft=suqian.id, common=hh["section"], kind="heading"
    )
    headings = [n.heading for n in load_tree(session, suqian).walk() if n.kind == "section"]
    assert headings == ["调查、认定与名录"]
    # The lead removes the section again (its articles first back into the chapter).
    tree = load_tree(session, common)
    held = [c.id for c in tree.nodes[hh["section"]].children]
    with unit_of_work(session):
        structure.relocate_provision(session, lead, held[0], after=hh["section"])
    with unit_of_work(session):
        structure.relocate_provision(session, lead, held[1], after=held[0])
    with unit_of_work(session):
        structure.remove_provision(session, lead, hh["section"], reason="不设节")
    removed = _offered(session, hh, code)["heading", hh["section"]]
    assert removed.action == "removed" and removed.status == "clean"
    count = len(load_tree(session, suqian).articles())
    propagation_decisions.accept_change(
        session, user, project, draft=suqian.id, common=hh["section"], kind="heading"
    )
    tree = load_tree(session, suqian)
    assert not [n for n in tree.walk() if n.kind == "section"]
    assert len(tree.articles()) == count


def test_a_city_adapted_from_the_current_common_text_is_offered_later_changes(session):
    lead = make_user(session, "lead", "320300")
    partner = make_user(session, "partner", "321300")
    project = make_project(session, lead)
    common = make_draft(session, lead, project)
    city = drafts.derive_from_common(session, partner, project, jurisdiction="321300")
    assert not common.versions
    second = _article(session, common, "第二条")
    with unit_of_work(session):
        structure.add_provision(
            session,
            lead,
            common,
            kind="article",
            text="徐州市设立红色资源保护专项资金。",
            after=second.id,
        )
    changes = propagation.pending_changes(session, partner, project, draft=city)
    assert [c.kind for c in changes] == ["inserted"]
    assert changes[0].reference == "改编时的协同文本"
    propagation_decisions.accept_change(
        session, partner, project, draft=city.id, common=changes[0].common_id
    )
    texts = _labels(session, city)
    assert texts["第三条"] == "宿迁市设立红色资源保护专项资金。"
    # 第四条 cited 第三条, which is now 第四条.
    assert "违反本条例第四条规定的" in texts["第五条"]
    assert propagation.pending_changes(session, partner, project, draft=city) == []


@pytest.fixture
def split_and_merged(session, hh):
    """After 征求意见稿 the lead splits 第二条 at its 2nd paragraph, merges 第八条 into 第七条."""
    from drafting.services import article_tools

    lead, common = hh["lead"], hh["common"]
    versions.create_version(session, lead, common, name="征求意见稿")
    second = load_tree(session, common).nodes[_article(session, common, "第二条").id]
    clause = next(c for c in second.children if c.kind == "clause")
    seventh = _article(session, common, "第七条")
    eighth = _article(session, common, "第八条")
    with unit_of_work(session):
        new, _ = article_tools.divide_article(session, lead, common, second.id, at=clause.id)
    with unit_of_work(session):
        article_tools.join_next(session, lead, common, seventh.id)
    hh.update(split=second.id, split_off=new.id, merged=seventh.id, merged_away=eighth.id)
    return hh


def test_a_split_and_a_merge_are_offered_as_one_change_each(session, split_and_merged):
    hh = split_and_merged
    code = "321300"
    suqian, user, project = hh["drafts"][code], hh["users"][code], hh["project"]
    offered = _offered(session, hh, code)
    assert ("split", hh["split"]) in offered and ("merged", hh["merged"]) in offered
    # Neither half is offered on its own, nor the reworded article.
    assert ("inserted", hh["split_off"]) not in offered
    assert ("deleted", hh["merged_away"]) not in offered
    assert ("modified", hh["split"]) not in offered and ("modified", hh["merged"]) not in offered
    split = offered["split", hh["split"]]
    assert split.status == "clean" and split.partner == hh["split_off"]
    before = _labels(session, suqian)
    propagation_decisions.accept_change(
        session, user, project, draft=suqian.id, common=hh["split"], kind="split"
    )
    after = _labels(session, suqian)
    assert len(after) == len(before) + 1
    assert after["第三条"].startswith("淮海战役红色资源属于文物")
    assert after["第四条"] == before["第三条"]
    merged = _offered(session, hh, code)["merged", hh["merged"]]
    assert merged.status == "clean" and len(merged.city_ids) == 2
    propagation_decisions.accept_change(
        session, user, project, draft=suqian.id, common=hh["merged"], kind="merged"
    )
    final = _labels(session, suqian)
    assert len(final) == len(before)
    nums = [a.num for a in load_tree(session, suqian).articles()]
    assert nums == list(range(1, len(nums) + 1))
    left = _offered(session, hh, code)
    assert not any(k[1] in {hh["split"], hh["split_off"], hh["merged"]} for k in left)
    assert ("deleted", hh["merged_away"]) not in left
    # Another city declines the split; its text stays as it was.
    code = "340600"
    huaibei = hh["drafts"][code]
    kept = _labels(session, huaibei)
    propagation_decisions.decline_change(
        session,
        hh["users"][code],
        project,
        draft=huaibei.id,
        common=hh["split"],
        kind="split",
        reason="本市保留一条。",
    )
    assert _labels(session, huaibei) == kept
    assert ("inserted", hh["split_off"]) not in _offered(session, hh, code)


def test_the_page_and_the_api_show_each_change_with_its_kind(client, session, restructured, auth):
    from tests.helpers import bearer, csrf_of

    hh = restructured
    pid, suqian = hh["project"].id, hh["drafts"]["321300"]
    api = client.get(
        f"/api/v1/projects/{pid}/propagation?draft={suqian.id}",
        headers=bearer(session, hh["users"]["321300"]),
    )
    kinds = {(c["kind"], c["common"]["id"]) for c in api.get_json()["changes"]}
    assert {("inserted", hh["inserted"]), ("deleted", hh["deleted"])} <= kinds
    assert {("moved", hh["moved"]), ("heading", hh["section"])} <= kinds
    auth.login("drafter321300")
    page = client.get(f"/projects/{pid}/propagation?draft={suqian.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'id="change-{suqian.id}-{hh["inserted"]}-inserted"' in html and "新增条文" in html
    token = csrf_of(client, f"/projects/{pid}/propagation")
    declined = client.post(
        f"/projects/{pid}/propagation/decline",
        data={
            "csrf_token": token,
            "draft": suqian.id,
            "common": hh["deleted"],
            "kind": "deleted",
            "reason": "本市保留。",
        },
    )
    assert declined.status_code == 302
    edited = client.post(
        f"/projects/{pid}/propagation/accept",
        data={
            "csrf_token": token,
            "draft": suqian.id,
            "common": hh["inserted"],
            "kind": "inserted",
            "text": "宿迁市人民政府每年公布保护名录。\n名录应当载明资源名称。",
        },
    )
    assert edited.status_code == 302
    texts = _labels(session, suqian)
    assert texts["第六条"] == "宿迁市人民政府每年公布保护名录。"
    article = next(a for a in load_tree(session, suqian).articles() if a.label == "第六条")
    assert [c.text for c in article.children] == ["名录应当载明资源名称。"]
