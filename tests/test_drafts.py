"""Draft services: storing, numbering, editing with merge, structure changes and citations."""

import pytest

from concord.db import unit_of_work
from drafting.core.parsing import parse_text
from drafting.errors import BadInput, Conflict, NotFound, NotPermitted, StaleRevision
from drafting.services import drafts, editing, structure, versions
from tests.helpers import SAMPLE_COMMON, SMALL_REGULATION, make_draft, make_project, make_user


@pytest.fixture
def lead(session):
    return make_user(session, "xz", "320300", "drafter")


@pytest.fixture
def draft(session, lead):
    project = make_project(session, lead)
    return make_draft(session, lead, project)


def _article(tree, label):
    return next(a for a in tree.articles() if a.label == label)


def test_a_stored_draft_reads_back_as_the_parsed_tree(session, draft):
    tree = drafts.load_tree(session, draft)
    assert [a.label for a in tree.articles()] == ["第一条", "第二条", "第三条", "第四条", "第五条"]
    second = _article(tree, "第二条")
    assert second.children[0].kind == "clause"
    assert [i.label for i in second.children[0].children] == ["（一）", "（二）"]
    assert tree.full_label(second.children[0].children[1].id) == "第二条第二款第（二）项"
    body = drafts.draft_json(session, draft)["body"]
    original = parse_text(SMALL_REGULATION).to_json()["body"]

    def strip(nodes):
        return [
            {k: v for k, v in n.items() if k not in ("id", "revision", "children")}
            | {"children": strip(n["children"])}
            for n in nodes
        ]

    assert strip(body) == strip(original)


def test_edit_creates_a_revision_and_keeps_the_old_one(session, lead, draft):
    tree = drafts.load_tree(session, draft)
    first = _article(tree, "第一条")
    with unit_of_work(session):
        result = editing.apply_edit(
            session,
            lead,
            first.id,
            text="为了加强和规范红色资源保护，制定本条例。",
            base_revision=first.revision,
            reason="文字修改",
        )
    assert result.merged is False
    revs = editing.history(session, session.get(drafts.Provision, first.id))
    assert [r.action for r in revs] == ["create", "edit"]
    assert revs[0].text == "为了加强红色资源保护，制定本条例。"
    assert revs[1].reason == "文字修改" and revs[1].author_id == lead.id


def test_concurrent_edits_in_different_places_are_merged(session, lead, draft):
    first = _article(drafts.load_tree(session, draft), "第一条")
    base = first.revision
    with unit_of_work(session):
        editing.apply_edit(
            session,
            lead,
            first.id,
            text="为了加强红色资源保护和利用，制定本条例。",
            base_revision=base,
        )
    with unit_of_work(session):
        merged = editing.apply_edit(
            session,
            lead,
            first.id,
            text="为了更好地加强红色资源保护，制定本条例。",
            base_revision=base,
        )
    assert merged.merged is True
    assert merged.text == "为了更好地加强红色资源保护和利用，制定本条例。"


def test_overlapping_concurrent_edit_is_refused_with_all_three_texts(session, lead, draft):
    first = _article(drafts.load_tree(session, draft), "第一条")
    base = first.revision
    with unit_of_work(session):
        editing.apply_edit(
            session, lead, first.id, text="为了保护红色资源，制定本条例。", base_revision=base
        )
    with pytest.raises(StaleRevision) as err:
        with unit_of_work(session):
            editing.apply_edit(
                session, lead, first.id, text="为了弘扬红色资源，制定本条例。", base_revision=base
            )
    details = err.value.details
    assert details["base"]["text"] == "为了加强红色资源保护，制定本条例。"
    assert details["current"]["text"] == "为了保护红色资源，制定本条例。"
    assert details["yours"]["text"] == "为了弘扬红色资源，制定本条例。"
    assert err.value.status == 409


def test_empty_text_and_deleted_provisions_are_refused_without_change(session, lead, draft):
    first = _article(drafts.load_tree(session, draft), "第一条")
    with pytest.raises(BadInput):
        with unit_of_work(session):
            editing.apply_edit(
                session, lead, first.id, text="  \u3000 ", base_revision=first.revision
            )
    with unit_of_work(session):
        structure.remove_provision(session, lead, first.id)
    with pytest.raises(Conflict):
        with unit_of_work(session):
            editing.apply_edit(session, lead, first.id, text="新内容", base_revision=first.revision)
    with pytest.raises(NotFound):
        with unit_of_work(session):
            editing.apply_edit(session, lead, 999999, text="新内容", base_revision=1)


def test_inserting_an_article_renumbers_and_citations_follow(session, lead, draft):
    tree = drafts.load_tree(session, draft)
    with unit_of_work(session):
        prov, changes = structure.add_provision(
            session,
            lead,
            draft,
            kind="article",
            text="市人民政府应当建立红色资源名录。",
            after=_article(tree, "第一条").id,
        )
    tree = drafts.load_tree(session, draft)
    assert tree.nodes[prov.id].label == "第二条"
    assert _article(tree, "第五条").text == "违反本条例第四条规定的，由有关部门责令改正。"
    assert {"old": "第三条", "new": "第四条"}.items() <= changes[0].items()
    assert changes[0]["where"] == "第五条"


def test_deleting_a_cited_article_reports_the_broken_citation(session, lead, draft):
    tree = drafts.load_tree(session, draft)
    with unit_of_work(session):
        changes = structure.remove_provision(session, lead, _article(tree, "第三条").id)
    broken = [c for c in changes if c["broken"]]
    assert broken and broken[0]["old"] == "第三条"
    tree = drafts.load_tree(session, draft)
    assert [a.label for a in tree.articles()] == ["第一条", "第二条", "第三条", "第四条"]


def test_moving_an_article_keeps_its_identity_and_history(session, lead, draft):
    tree = drafts.load_tree(session, draft)
    fifth = _article(tree, "第五条")
    with unit_of_work(session):
        structure.relocate_provision(session, lead, fifth.id, after=_article(tree, "第一条").id)
    tree = drafts.load_tree(session, draft)
    assert tree.nodes[fifth.id].label == "第二条"
    assert tree.divisions_of(fifth.id)[0].heading == "总则"
    # 第四条 cited 第三条, which became 第四条.
    assert _article(tree, "第五条").text.startswith("违反本条例第四条")


def test_items_clauses_and_chapters_can_be_inserted_where_they_belong(session, lead, draft):
    tree = drafts.load_tree(session, draft)
    second = _article(tree, "第二条")
    clause = second.children[0]
    with unit_of_work(session):
        item, _ = structure.add_provision(
            session, lead, draft, kind="item", text="革命文物。", parent=clause.id
        )
    assert drafts.load_tree(session, draft).nodes[item.id].label == "（三）"
    with pytest.raises(BadInput):
        with unit_of_work(session):
            structure.add_provision(
                session, lead, draft, kind="chapter", text="罚则", parent=second.id
            )
    with unit_of_work(session):
        chapter, _ = structure.add_provision(session, lead, draft, kind="chapter", text="法律责任")
    assert drafts.load_tree(session, draft).nodes[chapter.id].label == "第三章"


def test_restore_brings_back_an_earlier_text_as_a_new_revision(session, lead, draft):
    first = _article(drafts.load_tree(session, draft), "第一条")
    with unit_of_work(session):
        editing.apply_edit(
            session, lead, first.id, text="改过的文字。", base_revision=first.revision
        )
    result = editing.restore_revision(session, lead, first.id, first.revision)
    assert result.text == "为了加强红色资源保护，制定本条例。"
    assert [
        r.action for r in editing.history(session, session.get(drafts.Provision, first.id))
    ] == ["create", "edit", "restore"]


def test_only_the_drafts_own_city_edits_it(session, lead, draft):
    partner = make_user(session, "sq", "321300", "drafter")
    first = _article(drafts.load_tree(session, draft), "第一条")
    with pytest.raises(NotPermitted):
        with unit_of_work(session):
            editing.apply_edit(session, partner, first.id, text="x。", base_revision=first.revision)


def test_city_copy_of_the_common_text_substitutes_names(session, lead):
    project = make_project(session, lead)
    make_draft(session, lead, project, SMALL_REGULATION.replace("市人民政府", "徐州市人民政府"))
    partner = make_user(session, "sq", "321300", "drafter")
    copy = drafts.derive_from_common(session, partner, project, jurisdiction="321300")
    tree = drafts.load_tree(session, copy)
    assert _article(tree, "第三条").text.startswith("宿迁市人民政府")
    assert "本市" in _article(tree, "第二条").text
    assert copy.title.startswith("宿迁市") and copy.source_draft_id is not None


def test_versions_snapshot_and_compare_as_a_revision_table(session, lead, draft):
    v1 = versions.create_version(session, lead, draft, name="征求意见稿")
    tree = drafts.load_tree(session, draft)
    third = _article(tree, "第三条")
    with unit_of_work(session):
        editing.apply_edit(
            session,
            lead,
            third.id,
            text="市、县（区）人民政府应当将红色资源保护纳入规划。",
            base_revision=third.revision,
        )
    with unit_of_work(session):
        structure.add_provision(
            session, lead, draft, kind="article", text="鼓励社会力量参与保护。", after=third.id
        )
    left, right, rows = versions.comparison(session, lead, draft, old=f"v{v1.id}")
    statuses = {(r.old_label, r.new_label): r.status for r in rows}
    assert statuses[("第三条", "第三条")] == "modified"
    assert statuses[(None, "第四条")] == "added"
    renumbered = next(r for r in rows if r.old_label == "第四条")
    assert (renumbered.new_label, renumbered.status, renumbered.note) == (
        "第五条",
        "unchanged",
        "原第四条",
    )
    with pytest.raises(Conflict):
        versions.create_version(session, lead, draft, name="征求意见稿")


def test_the_sample_common_text_loads_whole(session, lead):
    project = make_project(session, lead)
    draft = make_draft(session, lead, project, SAMPLE_COMMON.read_text(encoding="utf-8"))
    assert len(drafts.load_tree(session, draft).articles()) == 52


def test_item_citations_follow_when_an_item_is_deleted(session, lead):
    project = make_project(session, lead)
    text = SMALL_REGULATION.replace(
        "违反本条例第三条规定的", "破坏本条例第二条第二款第（二）项所列设施的"
    )
    draft = make_draft(session, lead, project, text)
    tree = drafts.load_tree(session, draft)
    first_item = _article(tree, "第二条").children[0].children[0]
    with unit_of_work(session):
        changes = structure.remove_provision(session, lead, first_item.id)
    tree = drafts.load_tree(session, draft)
    assert _article(tree, "第四条").text.startswith("破坏本条例第二条第二款第（一）项所列设施的")
    assert [(c["old"], c["new"]) for c in changes] == [
        ("第二条第二款第（二）项", "第二条第二款第（一）项")
    ]
