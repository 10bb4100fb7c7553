"""Every consultation check refuses the users without the right: one test per check, so that
`bench/permission_mutations.py` sees each removed check make a test fail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete

from comments.consultation.services import (
    adoption,
    comment_revisions,
    comment_views,
    commenting,
    dispositions,
    exports,
    overview,
    round_lifecycle,
    rounds,
)
from concord.clock import today
from concord.db import unit_of_work
from drafting.errors import NotFound, NotPermitted
from drafting.models import Participant, Provision
from tests.consultation.helpers import consultation
from tests.helpers import login


@pytest.fixture
def c(session):
    """A lead-only round: 宿迁 and 淮北 are invited, each reads only its own comments."""
    c = consultation(session, visibility="lead_only")
    u = c["users"]
    third = session.get(Provision, c["articles"]["第三条"].id)
    c["third"] = third
    c["sq"] = commenting.add_comment(session, u["partner"], third, body="宿迁的意见", today=today())
    c["hb"] = commenting.add_comment(
        session, u["other_partner"], third, body="淮北的意见", today=today()
    )
    return c


def _add(session, c, who, round_=None):
    return commenting.add_comment(
        session,
        c["users"][who],
        c["third"],
        body="意见",
        round_=round_,
        today=today(),
    )


def test_outsiders_find_no_comments_of_the_draft(session, c):
    with pytest.raises(NotFound):
        comment_views.comments_of_draft(session, c["users"]["outsider"], c["draft"])


def test_a_partner_cannot_preview_adopting_a_comment_it_may_not_read(session, c):
    # 淮北's proposal in a lead-only round is hidden from 宿迁: "not found", not "not yours".
    hb = c["hb"]
    hb.kind, hb.proposed_text = "amend", "淮北建议的条文。"
    session.commit()
    with pytest.raises(NotFound):
        adoption.plan_adoption(session, c["users"]["partner"], hb)


def test_a_partner_may_not_adopt_even_its_own_proposal_into_the_text(session, c):
    sq = c["sq"]
    sq.kind, sq.proposed_text = "amend", "宿迁建议的条文。"
    session.commit()
    with pytest.raises(NotPermitted):
        adoption.plan_adoption(session, c["users"]["partner"], sq)


def test_a_city_cannot_revise_a_comment_it_may_not_read(session, c):
    # In a lead-only round 宿迁 does not see 淮北's comment: "not found", not "not yours".
    with pytest.raises(NotFound):
        comment_revisions.revise_comment(session, c["users"]["partner"], c["hb"], body="改写")


def test_only_the_author_revises_a_comment_not_the_drafters_who_read_it(session, c):
    with pytest.raises(NotPermitted):
        comment_revisions.revise_comment(session, c["users"]["lead"], c["sq"], body="改写")
    assert session.get(type(c["sq"]), c["sq"].id).body == "宿迁的意见"


def test_outsiders_cannot_close_a_round_they_do_not_see(session, c):
    with pytest.raises(NotFound):
        round_lifecycle.change_round(
            session, c["users"]["outsider"], c["round"], open=False, today=today()
        )


def test_an_invited_city_cannot_close_extend_or_reopen_the_round(session, c):
    partner, round_ = c["users"]["partner"], c["round"]
    with pytest.raises(NotPermitted):
        round_lifecycle.change_round(session, partner, round_, open=False, today=today())
    later = round_.closes + timedelta(days=7)
    with pytest.raises(NotPermitted):
        round_lifecycle.change_round(session, partner, round_, closes=later, today=today())
    assert round_.closed_at is None and round_.closes < later


def test_in_a_lead_only_round_a_partner_lists_only_its_own_comments(session, c):
    views = comment_views.comments_of_draft(session, c["users"]["partner"], c["draft"])
    assert [v.comment.body for v in views] == ["宿迁的意见"]


def test_a_comment_goes_to_the_round_that_invites_the_city(session, c):
    with unit_of_work(session):
        second = rounds.build_round(
            session,
            c["users"]["lead"],
            c["draft"],
            title="临沂专场",  # opened earlier, so listed after the round 临沂 is not invited to
            opens=today() - timedelta(days=5),
            closes=today() + timedelta(days=20),
            invited=["371300"],
        )
    made = _add(session, c, "uninvited")
    assert made.round_id == second.id


def test_outsiders_comment_nowhere(session, c):
    with pytest.raises(NotFound):
        _add(session, c, "outsider")


def test_an_uninvited_city_may_not_comment_in_a_round_it_names(session, c):
    with pytest.raises(NotPermitted):
        _add(session, c, "uninvited", round_=c["round"])


def _record(session, c, who):
    return commenting.record_comment(
        session,
        c["users"][who],
        c["third"],
        c["round"],
        jurisdiction="340600",
        unit="淮北市司法局",
        channel="paper",
        received_on=today(),
        body="书面意见",
        today=today(),
    )


def test_outsiders_record_no_paper_comment(session, c):
    with pytest.raises(NotFound):
        _record(session, c, "outsider")


def test_a_partner_records_no_paper_comment(session, c):
    with pytest.raises(NotPermitted):
        _record(session, c, "partner_drafter")


def test_a_city_replies_only_in_threads_it_reads(session, c):
    with pytest.raises(NotFound):
        commenting.reply(session, c["users"]["other_partner"], c["sq"], body="回复", today=today())


def test_after_the_round_closes_only_the_drafting_city_replies(session, c):
    later = today() + timedelta(days=30)
    with pytest.raises(NotPermitted):
        commenting.reply(session, c["users"]["partner"], c["sq"], body="补充", today=later)
    assert commenting.reply(session, c["users"]["lead"], c["sq"], body="收到", today=later)


def test_a_comment_of_another_city_in_a_lead_only_round_is_not_found(session, c):
    with pytest.raises(NotFound):
        commenting.get_comment(session, c["users"]["other_partner"], c["sq"].id)


def test_a_city_that_may_not_read_a_comment_learns_nothing_deciding_it(session, c):
    with pytest.raises(NotFound):
        with unit_of_work(session):
            dispositions.build_disposition(
                session, c["users"]["other_partner"], c["sq"], decision="adopted", reason=""
            )


def test_a_partner_may_not_decide_its_own_comment(session, c):
    with pytest.raises(NotPermitted):
        with unit_of_work(session):
            dispositions.build_disposition(
                session, c["users"]["partner"], c["sq"], decision="adopted"
            )


def test_outsiders_export_nothing(session, c):
    with pytest.raises(NotFound):
        exports.table_rows(session, c["users"]["outsider"], c["round"])


def test_a_partners_export_of_a_lead_only_round_holds_its_own_comments(session, c):
    rows = exports.table_rows(session, c["users"]["partner"], c["round"])
    assert [r.body for r in rows] == ["宿迁的意见"]


def test_outsiders_get_no_overview(session, c):
    with pytest.raises(NotFound):
        overview.round_overview(session, c["users"]["outsider"], c["round"])
    with pytest.raises(NotFound):
        overview.counts_by_provision(session, c["users"]["outsider"], c["draft"])


def test_a_partners_overview_counts_only_its_own_comments(session, c):
    view = overview.round_overview(session, c["users"]["partner"], c["round"])
    assert view.total == 1
    counts = overview.counts_by_provision(session, c["users"]["partner"], c["draft"])
    assert sum(cell.total for cell in counts.values()) == 1


def test_a_city_no_longer_in_the_project_is_not_asked_and_sees_no_outcomes(session, c):
    session.execute(delete(Participant).where(Participant.jurisdiction_code == "321300"))
    session.commit()
    session.expire_all()
    partner = c["users"]["partner"]
    assert overview.attention(session, partner, today()).open_rounds == []
    assert overview.outcomes(session, partner) == []


def test_a_closed_round_asks_nobody(session, c):
    later = today() + timedelta(days=30)
    assert overview.attention(session, c["users"]["partner"], later).open_rounds == []
    assert overview.attention(session, c["users"]["partner"], today()).open_rounds


def test_the_drafting_citys_commenter_has_nothing_to_decide(session, c):
    assert overview.attention(session, c["users"]["lead_commenter"], today()).to_decide == []
    assert overview.attention(session, c["users"]["lead"], today()).to_decide


def test_outsiders_open_no_round_and_find_none(session, c):
    with pytest.raises(NotFound):
        with unit_of_work(session):
            rounds.build_round(
                session,
                c["users"]["outsider"],
                c["draft"],
                title="越权",
                opens=today(),
                closes=today(),
                invited=["321300"],
            )
    with pytest.raises(NotFound):
        rounds.get_round(session, c["users"]["outsider"], c["round"].id)


def test_a_partner_opens_no_round(session, c):
    with pytest.raises(NotPermitted):
        with unit_of_work(session):
            rounds.build_round(
                session,
                c["users"]["partner_drafter"],
                c["draft"],
                title="越权",
                opens=today(),
                closes=today(),
                invited=["321300"],
            )


# ---------------------------------------------------------------- what the pages offer


def test_the_pages_offer_a_partner_no_round_decision_or_recording_form(client, c):
    login(client, "sq_drafter")
    draft, pid = c["draft"].id, c["articles"]["第三条"].id
    assert "发起征求意见" not in client.get(f"/drafts/{draft}/rounds").get_data(as_text=True)
    listed = client.get(f"/rounds/{c['round'].id}?jurisdiction=321300").get_data(as_text=True)
    assert "宿迁的意见" in listed and "decide-form" not in listed
    panel = client.get(f"/drafts/{draft}/provisions/{pid}/comments").get_data(as_text=True)
    assert "宿迁的意见" in panel
    assert "decide-form" not in panel and "代为录入" not in panel


def test_the_panel_tells_an_uninvited_city_why_it_may_not_comment(client, c):
    login(client, "ly_commenter")
    pid = c["articles"]["第三条"].id
    panel = client.get(f"/drafts/{c['draft'].id}/provisions/{pid}/comments").get_data(as_text=True)
    assert "提交意见" not in panel
    assert "未邀请您所在的地区" in panel
