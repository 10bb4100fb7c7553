"""One clock: instants are stored in UTC and every page shows them in Beijing time."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from concord.clock import shown, shown_day
from drafting.models import AuditEntry, Draft
from tests.helpers import login, make_draft, make_project, make_user


def test_an_instant_is_shown_in_beijing_time_whatever_the_storage_gave():
    late_evening_utc = datetime(2026, 12, 5, 23, 22, tzinfo=UTC)
    assert shown(late_evening_utc) == "2026-12-06 07:22"
    assert shown(late_evening_utc.replace(tzinfo=None)) == "2026-12-06 07:22"  # SQLite: naive UTC
    assert shown(late_evening_utc, seconds=True) == "2026-12-06 07:22:00"
    assert shown_day(late_evening_utc) == "2026-12-06"
    assert shown(None) == ""


def test_the_draft_page_and_the_audit_log_show_the_same_minute_in_beijing_time(client, session):
    lead = make_user(session, "lead", password="pw-lead-123456")
    project = make_project(session, lead)
    draft = make_draft(session, lead, project)
    moment = datetime(2026, 12, 5, 23, 22, tzinfo=UTC)
    session.execute(Draft.__table__.update().values(updated_at=moment))
    session.execute(AuditEntry.__table__.update().values(at=moment))
    session.commit()
    assert session.scalars(select(AuditEntry)).first() is not None
    login(client, "lead", "pw-lead-123456")
    draft_page = client.get(f"/drafts/{draft.id}").get_data(as_text=True)
    audit_page = client.get(f"/projects/{project.id}/audit").get_data(as_text=True)
    assert "2026-12-06 07:22" in draft_page
    assert "2026-12-06 07:22" in audit_page
    assert "2026-12-05 23:22" not in draft_page + audit_page
