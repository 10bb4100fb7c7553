"""A round closed early, extended and reopened by the drafting city only; comments edited or
withdrawn by their author only, until decided; each refusal fails when its check is removed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from comments.consultation.models import Comment, CommentEdit, Round
from concord.clock import today
from drafting.models import AuditEntry
from tests.consultation.helpers import comment, consultation
from tests.helpers import login


@pytest.fixture
def c(session):
    return consultation(session)


def fresh(session):
    session.rollback()
    session.expire_all()


def patch_round(client, c, who, **body):
    return client.patch(f"/api/v1/rounds/{c['round'].id}", json=body, headers=c["headers"][who])


@pytest.mark.parametrize(
    ("who", "status"),
    [("partner", 403), ("partner_drafter", 403), ("lead_commenter", 403), ("outsider", 404)],
)
def test_only_the_drafting_citys_drafters_close_extend_or_reopen(client, session, c, who, status):
    closes = c["round"].closes
    later = (today() + timedelta(days=30)).isoformat()
    for body in ({"open": False}, {"closes": later}, {"open": True, "closes": later}):
        assert patch_round(client, c, who, **body).status_code == status
    fresh(session)
    round_ = session.get(Round, c["round"].id)
    assert round_.closed_at is None and round_.closes == closes


def test_closing_early_stops_comments_and_reopening_lets_them_in_again(client, session, c):
    r = patch_round(client, c, "lead", open=False)
    assert r.status_code == 200 and r.get_json()["open"] is False
    refused = comment(client, c)
    assert refused.status_code == 403
    assert patch_round(client, c, "lead", open=False).status_code == 409
    r = patch_round(client, c, "lead", open=True)
    assert r.status_code == 200 and r.get_json()["open"] is True
    assert comment(client, c).status_code == 201
    fresh(session)
    actions = list(
        session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.like("round.%"))
            .order_by(AuditEntry.id)
        )
    )
    assert actions == ["round.open", "round.close", "round.reopen"]


def test_extending_moves_the_closing_date_and_a_past_date_is_refused(client, session, c):
    later = today() + timedelta(days=30)
    r = patch_round(client, c, "lead", closes=later.isoformat())
    assert r.status_code == 200 and r.get_json()["closes"] == later.isoformat()
    past = (today() - timedelta(days=3)).isoformat()
    refused = patch_round(client, c, "lead", closes=past)
    assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "closes"
    fresh(session)
    assert session.get(Round, c["round"].id).closes == later


def test_a_round_past_its_date_reopens_only_with_a_new_closing_date(client, session):
    past = today() - timedelta(days=20)
    c = consultation(session, opens=past, closes=past + timedelta(days=5))
    refused = patch_round(client, c, "lead", open=True)
    assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "closes"
    later = (today() + timedelta(days=7)).isoformat()
    assert patch_round(client, c, "lead", open=True, closes=later).status_code == 200
    assert comment(client, c).status_code == 201


def test_the_author_edits_a_comment_and_the_earlier_wording_is_kept(client, session, c):
    cid = comment(client, c, quote="国民经济和社会发展规划").get_json()["id"]
    r = client.patch(
        f"/api/v1/comments/{cid}",
        json={"body": "建议写明规划期限。", "proposed_text": "国民经济和社会发展五年规划"},
        headers=c["headers"]["partner"],
    )
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["body"] == "建议写明规划期限。"
    fresh(session)
    [kept] = session.scalars(select(CommentEdit)).all()
    assert kept.body == "建议明确规划的期限。" and kept.action == "edit"


@pytest.mark.parametrize(("who", "status"), [("other_partner", 403), ("lead", 403)])
def test_nobody_else_edits_or_withdraws_a_comment(client, session, c, who, status):
    cid = comment(client, c).get_json()["id"]
    edit = client.patch(f"/api/v1/comments/{cid}", json={"body": "改写"}, headers=c["headers"][who])
    assert edit.status_code == status
    gone = client.delete(f"/api/v1/comments/{cid}", headers=c["headers"][who])
    assert gone.status_code == status
    fresh(session)
    kept = session.get(Comment, cid)
    assert kept.body == "建议明确规划的期限。" and kept.withdrawn_at is None


def test_a_decided_comment_can_no_longer_be_edited_or_withdrawn(client, session, c):
    cid = comment(client, c).get_json()["id"]
    decided = client.post(
        f"/api/v1/comments/{cid}/disposition",
        json={"decision": "not_adopted", "reason": "上位法已有规定。"},
        headers=c["headers"]["lead"],
    )
    assert decided.status_code == 200
    edit = client.patch(
        f"/api/v1/comments/{cid}", json={"body": "改写"}, headers=c["headers"]["partner"]
    )
    assert edit.status_code == 409
    assert (
        client.delete(f"/api/v1/comments/{cid}", headers=c["headers"]["partner"]).status_code == 409
    )


def test_a_withdrawn_comment_stays_marked_and_leaves_the_work_list(client, session, c):
    cid = comment(client, c).get_json()["id"]
    r = client.delete(f"/api/v1/comments/{cid}", headers=c["headers"]["partner"])
    assert r.status_code == 200 and r.get_json()["withdrawn"] is True
    decided = client.post(
        f"/api/v1/comments/{cid}/disposition",
        json={"decision": "adopted"},
        headers=c["headers"]["lead"],
    )
    assert decided.status_code == 409
    listed = client.get(
        f"/api/v1/drafts/{c['draft'].id}/comments", headers=c["headers"]["lead"]
    ).get_json()["comments"]
    assert [row["withdrawn"] for row in listed] == [True]
    fresh(session)
    assert [e.action for e in session.scalars(select(CommentEdit))] == ["withdraw"]


def test_the_round_and_work_pages_offer_each_user_only_what_they_may_do(client, session, c):
    assert comment(client, c).status_code == 201  # 宿迁's comment, waiting for a decision
    round_page = f"/rounds/{c['round'].id}"

    def sees(username, path):
        login(client, username)
        response = client.get(path)
        assert response.status_code == 200, (username, path)
        return response.get_data(as_text=True)

    lead = sees("xz_drafter", round_page)
    assert "待处理的意见（1）" in lead and "立即截止" in lead
    assert "pending-item" in sees("xz_drafter", "/comments/attention")
    # The lead city's commenter reads the round but neither decides nor runs it.
    reader = sees("xz_commenter", round_page)
    assert "待处理的意见" not in reader and "立即截止" not in reader
    assert "pending-item" not in sees("xz_commenter", "/comments/attention")
    # An invited city is asked to comment; a participant the round did not invite is not.
    invited = sees("sq_commenter", round_page)
    assert "去提意见" in invited and "立即截止" not in invited
    assert "去提意见" not in sees("ly_commenter", round_page)


def test_only_the_author_is_offered_to_edit_a_comment_and_only_while_the_round_is_open(
    client, session, c
):
    assert comment(client, c).status_code == 201  # 宿迁's comment on 第三条
    panel = f"/drafts/{c['draft'].id}/provisions/{c['articles']['第三条'].id}/comments"
    login(client, "sq_commenter")
    assert "author-actions" in client.get(panel).get_data(as_text=True)
    assert "正在向宿迁市征求意见" in client.get(f"/drafts/{c['draft'].id}").get_data(as_text=True)
    login(client, "hb_commenter")  # another invited city reads it in a shared round
    page = client.get(panel).get_data(as_text=True)
    assert "建议明确规划的期限" in page and "author-actions" not in page
    # Once the round is closed early, nobody is told it is asking for comments.
    round_ = session.get(Round, c["round"].id)
    round_.closed_at = datetime.now(UTC)
    session.commit()
    login(client, "sq_commenter")
    assert "征求意见" in client.get(f"/drafts/{c['draft'].id}").get_data(as_text=True)
    assert "正在向宿迁市征求意见" not in client.get(f"/drafts/{c['draft'].id}").get_data(
        as_text=True
    )
