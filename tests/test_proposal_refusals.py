"""Every check on proposals and their links refuses or hides what the user may not have: one test
per check, so that `bench/permission_mutations.py` sees each removed check make a test fail."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from comments.proposals.services import links, proposals
from comments.proposals.services.fields import ProposalFields
from concord.db import unit_of_work
from drafting.errors import NotFound, NotPermitted
from drafting.models import Participant, Provision
from drafting.services.drafts import load_tree
from tests.helpers import make_draft, make_project, make_user

TEXT = "纳入国民经济和社会发展规划"


def _third(session, draft) -> Provision:
    node = next(a for a in load_tree(session, draft).articles() if a.label == "第三条")
    return session.get(Provision, node.id)


def _record(session, user, project=None, **more):
    fields = ProposalFields(
        kind="opinion", title="关于规划的意见", text=TEXT, project=project, **more
    )
    with unit_of_work(session):
        return proposals.add_proposal(session, user, fields)


@pytest.fixture
def w(session):
    """徐州 leads R (with 宿迁 and 临沂) and Q (with 宿州 only); 商丘 is outside both."""
    xz = make_user(session, "xz", "320300")
    r = make_project(session, xz, participants=("321300", "371300"), title="R")
    q = make_project(session, xz, participants=("341300",), title="Q")
    outsider = make_user(session, "shq", "411400")
    w = {
        "xz": xz,
        "sq": make_user(session, "sq", "321300"),
        "ly": make_user(session, "ly", "371300"),
        "outsider": outsider,
        "r": r,
        "q": q,
        "r_common": make_draft(session, xz, r),
        "q_common": make_draft(session, xz, q),
        "own": make_project(session, outsider, participants=(), title="O"),
    }
    w["p"] = _record(session, xz, project=r.id)
    return w


def test_a_link_into_a_project_the_user_no_longer_sees_is_left_out(session, w):
    mine = _record(session, w["sq"], project=w["r"].id)
    with unit_of_work(session):
        links.add_link(session, w["sq"], mine, _third(session, w["r_common"]).id)
    session.execute(delete(Participant).where(Participant.jurisdiction_code == "321300"))
    session.commit()
    session.expire_all()
    assert links.links_of(session, w["xz"], mine)
    assert links.links_of(session, w["sq"], mine) == []


def test_a_city_not_concerned_removes_no_link(session, w):
    with unit_of_work(session):
        view = links.add_link(session, w["xz"], w["p"], _third(session, w["r_common"]).id)
    with pytest.raises(NotPermitted):
        links.unlink(session, w["sq"], w["p"], view.link.id)


def test_a_provisions_proposals_leave_out_those_the_user_may_not_see(session, w):
    loose = _record(session, w["ly"])  # 临沂's, no project: only 临沂 sees it
    prov = _third(session, w["r_common"])
    with unit_of_work(session):
        links.add_link(session, w["ly"], loose, prov.id)
    loose.project = None  # a record whose project was cleared: 宿迁 no longer sees it
    session.commit()
    assert [p["id"] for p in links.proposals_for_provision(session, w["sq"], prov)] == []
    assert [p["id"] for p in links.proposals_for_provision(session, w["ly"], prov)] == [loose.id]


def test_no_suggestions_from_a_project_the_user_cannot_see(session, w):
    mine = _record(session, w["outsider"])
    assert links.suggest_provisions(session, w["outsider"], mine, project=w["r"]) == []


def test_no_suggestions_in_drafts_the_user_may_not_link(session, w):
    assert links.suggest_provisions(session, w["xz"], w["p"])
    assert links.suggest_provisions(session, w["sq"], w["p"]) == []


def test_link_choices_only_in_projects_the_user_sees(session, w):
    mine = _record(session, w["outsider"])
    choices = links.link_choices(session, w["outsider"], mine)
    assert {d.project_id for d in choices.drafts} <= {w["own"].id}


def test_proposal_lists_leave_out_other_cities_loose_proposals(session, w):
    _record(session, w["ly"])
    listed = proposals.visible_proposals(session, w["sq"])
    assert [p.id for p in listed] == [w["p"].id]
    assert proposals.visible_proposals(session, w["outsider"]) == []


def test_the_project_choice_holds_only_projects_the_user_sees(session, w):
    assert proposals.projects_for(session, w["outsider"]) == [w["own"]]


def test_a_proposal_feeds_no_hidden_proposal(session, w):
    loose = _record(session, w["ly"])
    with pytest.raises(NotFound):
        _record(session, w["sq"], fed_into=loose.id)


def test_staff_record_only_for_their_own_jurisdiction(session, w):
    with pytest.raises(NotPermitted):
        _record(session, w["sq"], jurisdiction="320300")


def test_a_proposal_goes_to_no_hidden_project(session, w):
    with pytest.raises(NotFound):
        _record(session, w["sq"], project=w["q"].id)


def test_another_city_does_not_answer(session, w):
    with pytest.raises(NotPermitted):
        proposals.answer_proposal(
            session,
            w["sq"],
            w["p"],
            status="replied",
            office="",
            deadline=None,
            reply="已办",
            fed_into=None,
        )


def test_the_chain_shows_only_proposals_the_user_sees(session, w):
    fed = _record(session, w["xz"], fed_into=None)
    fed.fed_into_id = w["p"].id
    session.commit()
    hidden = _record(session, w["ly"])
    hidden.fed_into_id = w["p"].id
    session.commit()
    shown = proposals.proposal_json(w["sq"], w["p"])
    assert shown["fed_by"] == []
    assert set(proposals.proposal_json(w["xz"], w["p"])["fed_by"]) == {fed.id}
