"""One user action, one transaction: `unit_of_work` commits whole, rolls back whole, and nests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import quote

import pytest
import time_machine

from comments.proposals.models import Proposal, is_overdue
from concord.db import unit_of_work
from drafting.errors import BadInput
from drafting.services import structure
from drafting.services.drafts import load_tree
from tests.helpers import login, make_draft, make_project, make_user


@pytest.fixture
def small(session):
    lead = make_user(session, "lead", "320300", password="pw-lead-123456")
    project = make_project(session, lead)
    return lead, make_draft(session, lead, project)


def _articles_seen_by_another_session(app, draft_id) -> list[str]:
    """What a colleague's page would show: read in a session of its own, after the action."""
    other = app.extensions["concord_sessions"]()
    try:
        from drafting.models import Draft

        return [a.text for a in load_tree(other, other.get(Draft, draft_id)).articles()]
    finally:
        other.close()


def test_an_action_lands_whole_for_everyone_once_its_unit_ends(app, session, small):
    lead, draft = small
    first = load_tree(session, draft).articles()[0]
    with unit_of_work(session):
        structure.add_provision(
            session, lead, draft, kind="article", text="新一条。", after=first.id
        )
        # Not yet committed: a colleague does not see half an action.
        assert "新一条。" not in _articles_seen_by_another_session(app, draft.id)
    assert "新一条。" in _articles_seen_by_another_session(app, draft.id)


def test_an_action_refused_half_way_leaves_nothing_behind(app, session, small):
    lead, draft = small
    before = _articles_seen_by_another_session(app, draft.id)
    first = load_tree(session, draft).articles()[0]
    with pytest.raises(BadInput):
        with unit_of_work(session):
            structure.add_provision(
                session, lead, draft, kind="article", text="半途的一条。", after=first.id
            )
            raise BadInput("第二步被拒绝")
    assert _articles_seen_by_another_session(app, draft.id) == before
    # The session is usable again: the next action goes through.
    with unit_of_work(session):
        structure.add_provision(session, lead, draft, kind="article", text="下一条。")
    after = _articles_seen_by_another_session(app, draft.id)
    assert "下一条。" in after and "半途的一条。" not in after


def test_a_unit_inside_another_joins_it_so_the_outer_refusal_undoes_both(app, session, small):
    lead, draft = small
    before = _articles_seen_by_another_session(app, draft.id)
    with pytest.raises(BadInput):
        with unit_of_work(session):
            with unit_of_work(session):
                structure.add_provision(session, lead, draft, kind="article", text="内层的一条。")
            # The inner unit has ended but did not commit on its own.
            assert "内层的一条。" not in _articles_seen_by_another_session(app, draft.id)
            raise BadInput("外层被拒绝")
    assert _articles_seen_by_another_session(app, draft.id) == before


def test_a_proposal_is_overdue_from_the_first_day_after_its_deadline_in_beijing():
    proposal = Proposal(status="handling", deadline=date(2026, 12, 6))
    # 23:30 in UTC on the deadline is 07:30 the next morning in Beijing: overdue there.
    with time_machine.travel(datetime(2026, 12, 6, 23, 30, tzinfo=UTC), tick=False):
        assert is_overdue(proposal)
    with time_machine.travel(datetime(2026, 12, 6, 15, 30, tzinfo=UTC), tick=False):
        assert not is_overdue(proposal)  # 23:30 on the deadline day in Beijing
    proposal.status = "replied"
    assert not is_overdue(proposal, date(2027, 1, 1))


def test_a_downloaded_file_keeps_the_drafts_chinese_title_as_its_name(client, small):
    _lead, draft = small
    login(client, "lead", "pw-lead-123456")
    response = client.get(f"/drafts/{draft.id}/export?format=docx")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=UTF-8''{quote(draft.title + '.docx')}" in disposition
    assert response.data[:2] == b"PK"  # a real .docx (a zip), not an error page
