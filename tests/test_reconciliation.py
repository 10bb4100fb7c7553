"""The reconciliation matrix, alignment pins and propagation of common-text changes (services)."""

from __future__ import annotations

import pytest

from concord.db import unit_of_work
from drafting.errors import BadInput, Conflict, NotFound, NotPermitted
from drafting.models import AuditEntry, PropagationDecision, Revision
from drafting.services import editing, propagation, propagation_decisions, structure, versions
from drafting.services.drafts import load_tree
from drafting.services.matrix import project_reconciliation
from drafting.services.pins import pin_alignment, unpin_alignment
from tests.helpers import SMALL_REGULATION, make_draft, make_project, make_user
from tests.huaihai import CITIES, huaihai_project, manifest

CELL = {
    "identical": "identical",
    "equivalent": "equivalent",
    "renumbered_citation": "equivalent",
    "modified": "modified",
    "deleted": "missing",
    "added": "city_only",
}


@pytest.fixture
def hh(session):
    return huaihai_project(session)


def _pairs(matrix, code):
    """Return (common labels, city labels, cell status) per row that concerns the city."""
    column = next(c for c in matrix.cities if c.draft.jurisdiction_code == code)
    v = matrix.column_of(column.draft.id)
    return [
        (r.cells[0].labels, r.cells[v].labels, r.cells[v].status)
        for r in matrix.rows
        if r.cells[0].keys or r.cells[v].keys
    ]


def _article(session, draft, label):
    return next(a for a in load_tree(session, draft).articles() if a.label == label)


def test_matrix_matches_the_true_mapping_of_every_city(session, hh):
    matrix = project_reconciliation(session, hh["lead"], hh["project"])
    assert matrix.pivot_is_common and matrix.pivot.draft.id == hh["common"].id
    assert [c.draft.jurisdiction_code for c in matrix.cities] == list(CITIES)
    truth = manifest()
    for code in CITIES:
        want = [(t["common"], t["city"], CELL[t["status"]]) for t in truth[code]["mapping"]]
        assert _pairs(matrix, code) == want, code
    summary = {c.draft.jurisdiction_code: counts for c, counts in matrix.summary()}
    assert summary["321300"] == {
        "identical": 49,
        "equivalent": 0,
        "modified": 2,
        "missing": 1,
        "city_only": 1,
    }
    assert summary["340600"] == {
        "identical": 50,
        "equivalent": 2,
        "modified": 0,
        "missing": 0,
        "city_only": 0,
    }
    assert summary["341300"] == {
        "identical": 44,
        "equivalent": 2,
        "modified": 5,
        "missing": 1,
        "city_only": 2,
    }
    # Rows follow the common text's order; city-only articles sit after their predecessor.
    common_labels = [r.cells[0].labels[0] for r in matrix.rows if r.cells[0].keys]
    assert common_labels[:3] == ["第一条", "第二条", "第三条"] and len(common_labels) == 52


def test_without_a_common_text_the_first_draft_is_the_pivot(session):
    lead = make_user(session, "xz", "320300")
    partner = make_user(session, "sq", "321300")
    project = make_project(session, lead)
    first = make_draft(session, lead, project, common=False)
    make_draft(session, partner, project, SMALL_REGULATION.replace("XX市", "宿迁市"))
    matrix = project_reconciliation(session, lead, project)
    assert not matrix.pivot_is_common and matrix.pivot.draft.id == first.id
    assert {r.cells[1].status for r in matrix.rows} == {"identical"}


def test_non_participants_cannot_see_the_matrix(session, hh):
    outsider = make_user(session, "sq2", "411400")
    with pytest.raises(NotFound):
        project_reconciliation(session, outsider, hh["project"])


def test_a_pin_changes_the_grouping_and_survives_edits_and_renumbering(session, hh):
    suqian = hh["drafts"]["321300"]
    user = hh["users"]["321300"]
    own = _article(session, suqian, "第五十一条")  # 宿迁's own article
    gone = _article(session, hh["common"], "第四十四条")  # 宿迁 dropped it
    before = project_reconciliation(session, user, hh["project"])
    assert before.row_of(own.id).cells[1].status == "city_only"

    pin = pin_alignment(session, user, hh["project"], draft=suqian.id, common=gone.id, city=own.id)
    after = project_reconciliation(session, user, hh["project"])
    row = after.row_of(own.id)
    assert row.cells[0].keys == [gone.id] and row.cells[1].status == "modified" and row.pinned
    assert len(after.rows) == len(before.rows) - 1

    # Edit the pinned article and insert one before it: numbers change, the pin holds.
    with unit_of_work(session):
        editing.apply_edit(
            session,
            user,
            own.id,
            text="宿北大战纪念设施参照本条例保护。",
            base_revision=own.revision,
        )
    first = _article(session, suqian, "第一条")
    with unit_of_work(session):
        structure.add_provision(
            session, user, suqian, kind="article", text="新增一条。", after=first.id
        )
    later = project_reconciliation(session, user, hh["project"])
    row = later.row_of(own.id)
    assert row.cells[0].keys == [gone.id] and row.cells[1].labels == ["第五十二条"]

    unpin_alignment(session, user, pin.id)
    again = project_reconciliation(session, user, hh["project"])
    assert again.row_of(own.id).cells[0].keys == []


def test_no_counterpart_pin_takes_an_article_out_of_its_row(session, hh):
    huaibei = hh["drafts"]["340600"]
    common_5 = _article(session, hh["common"], "第五条")
    pin_alignment(
        session, hh["lead"], hh["project"], draft=huaibei.id, common=common_5.id, city=None
    )
    matrix = project_reconciliation(session, hh["lead"], hh["project"])
    v = matrix.column_of(huaibei.id)
    row = matrix.row_of(common_5.id)
    assert row.cells[v].status == "missing"
    following = matrix.rows[matrix.rows.index(row) + 1]
    assert following.cells[v].labels == ["第五条"] and following.cells[v].status == "city_only"


def test_who_may_pin(session, hh):
    suqian = hh["drafts"]["321300"]
    own = _article(session, suqian, "第五十一条")
    other_city = hh["users"]["340600"]
    with pytest.raises(NotPermitted):
        pin_alignment(session, other_city, hh["project"], draft=suqian.id, city=own.id)
    commenter = make_user(session, "sq-c", "321300", role="commenter")
    with pytest.raises(NotPermitted):
        pin_alignment(session, commenter, hh["project"], draft=suqian.id, city=own.id)
    with pytest.raises(BadInput):
        # A common-text article cannot be given as the city's.
        gone = _article(session, hh["common"], "第四十四条")
        pin_alignment(session, hh["lead"], hh["project"], draft=suqian.id, city=gone.id)
    assert pin_alignment(session, hh["lead"], hh["project"], draft=suqian.id, city=own.id).id


def _edit(session, user, draft, label, old, new):
    article = _article(session, draft, label)
    assert old in article.text, (label, article.text)
    with unit_of_work(session):
        editing.apply_edit(
            session,
            user,
            article.id,
            text=article.text.replace(old, new),
            base_revision=article.revision,
        )


PLAN = "纳入国民经济和社会发展规划，"
PLAN_NEW = "纳入国民经济和社会发展规划和国土空间规划，"


@pytest.fixture
def changed(session, hh):
    """Save the common text as 征求意见稿, let two cities adapt 第五条, then change it."""
    versions.create_version(session, hh["lead"], hh["common"], name="征求意见稿")
    # 淮北 rewords the start of the sentence: the change still applies, a little off place.
    _edit(
        session,
        hh["users"]["340600"],
        hh["drafts"]["340600"],
        "第五条",
        "市、县（市、区）人民政府",
        "市、县（区）人民政府",
    )
    # 宿州 rewrites the very words the common text changes: nothing to apply it to.
    _edit(
        session,
        hh["users"]["341300"],
        hh["drafts"]["341300"],
        "第五条",
        "将淮海战役红色资源保护纳入国民经济和社会发展规划，",
        "统筹安排红色资源保护事项，",
    )
    _edit(session, hh["lead"], hh["common"], "第五条", PLAN, PLAN_NEW)
    return hh


def test_propagation_clean_fuzzy_and_failed(session, changed):
    hh = changed
    changes = propagation.pending_changes(session, hh["lead"], hh["project"])
    by_city = {c.city.jurisdiction_code: c for c in changes}
    assert sorted(by_city) == sorted(CITIES)
    assert all(c.common_label == "第五条" and c.reference == "征求意见稿" for c in changes)
    assert by_city["321300"].status == "clean"
    assert PLAN_NEW in by_city["321300"].proposed
    assert by_city["340600"].status == "fuzzy"
    assert "市、县（区）人民政府" in by_city["340600"].proposed
    assert PLAN_NEW in by_city["340600"].proposed
    failed = by_city["341300"]
    assert failed.status == "failed" and not failed.applicable
    assert failed.proposed is None and "国土空间规划" in failed.failures()[0]


def test_accept_creates_a_propagate_revision_and_clears_the_change(session, changed):
    hh = changed
    suqian, user = hh["drafts"]["321300"], hh["users"]["321300"]
    change = next(
        c for c in propagation.pending_changes(session, user, hh["project"], draft=suqian)
    )
    decision = propagation_decisions.accept_change(
        session,
        user,
        hh["project"],
        draft=suqian.id,
        common=change.common_id,
        city_revision=change.city_revision,
    )
    article = _article(session, suqian, "第五条")
    assert PLAN_NEW in article.text
    revision = session.get(Revision, article.revision)
    assert revision.action == "propagate" and revision.author_id == user.id
    assert decision.decision == "accepted" and decision.city_revision_id == revision.id
    assert propagation.pending_changes(session, user, hh["project"], draft=suqian) == []
    assert session.query(AuditEntry).filter_by(action="propagation.accept").count() == 1
    # The fuzzy one applies too, for the city whose drafter accepts it.
    huaibei = hh["drafts"]["340600"]
    with pytest.raises(NotPermitted):
        propagation_decisions.accept_change(
            session, user, hh["project"], draft=huaibei.id, common=change.common_id
        )
    propagation_decisions.accept_change(
        session, hh["users"]["340600"], hh["project"], draft=huaibei.id, common=change.common_id
    )
    assert "市、县（区）人民政府" in _article(session, huaibei, "第五条").text
    assert PLAN_NEW in _article(session, huaibei, "第五条").text


def test_a_change_that_cannot_apply_is_refused_then_declined_with_reason(session, changed):
    hh = changed
    suzhou, user = hh["drafts"]["341300"], hh["users"]["341300"]
    common_id = _article(session, hh["common"], "第五条").id
    with pytest.raises(Conflict):
        propagation_decisions.accept_change(
            session, user, hh["project"], draft=suzhou.id, common=common_id
        )
    with pytest.raises(BadInput):
        propagation_decisions.decline_change(
            session, user, hh["project"], draft=suzhou.id, common=common_id, reason=" "
        )
    propagation_decisions.decline_change(
        session, user, hh["project"], draft=suzhou.id, common=common_id, reason="本市已统筹安排。"
    )
    decision = session.query(PropagationDecision).filter_by(draft_id=suzhou.id).one()
    assert (decision.decision, decision.reason, decision.decided_by_id) == (
        "declined",
        "本市已统筹安排。",
        user.id,
    )
    assert decision.decided_at is not None and decision.status == "failed"
    assert propagation.pending_changes(session, user, hh["project"], draft=suzhou) == []
    # A further change of the same article is offered again, measured from the declined text.
    _edit(
        session, hh["lead"], hh["common"], "第五条", "列入本级财政预算", "列入本级财政预算予以保障"
    )
    again = propagation.pending_changes(session, user, hh["project"], draft=suzhou)
    # 宿州's rewritten sentence is shorter, so the new hunk lands a little off its place.
    assert [c.status for c in again] == ["fuzzy"] and "予以保障" in again[0].proposed


def test_a_stale_preview_is_refused(session, changed):
    hh = changed
    suqian, user = hh["drafts"]["321300"], hh["users"]["321300"]
    change = propagation.pending_changes(session, user, hh["project"], draft=suqian)[0]
    _edit(session, user, suqian, "第五条", "所需经费", "所需的经费")
    with pytest.raises(Conflict):
        propagation_decisions.accept_change(
            session,
            user,
            hh["project"],
            draft=suqian.id,
            common=change.common_id,
            city_revision=change.city_revision,
        )


def test_the_propagation_page_offers_each_city_only_its_own_changes_to_decide(
    client, session, changed
):
    from tests.helpers import login

    page_url = f"/projects/{changed['project'].id}/propagation"
    login(client, "drafter321300")
    page = client.get(page_url).get_data(as_text=True)
    assert page.count('<div class="decide">') == 1  # 宿迁's own; 淮北's and 宿州's are theirs
    login(client, "xuzhou")
    lead = client.get(page_url).get_data(as_text=True)
    assert "第五条" in lead and '<div class="decide">' not in lead
