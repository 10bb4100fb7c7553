"""Notifications: the inbox and its unread count, each consultation event, reminders by date,
and e-mail through a real SMTP server after the commit: once, as a digest, retried."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from concord.db import unit_of_work
from concord.notifications.mail import send_pending, smtp_settings
from concord.notifications.models import Notification
from tests.consultation.helpers import comment, consultation
from tests.helpers import SmtpInbox, make_user, start_mail


@pytest.fixture
def smtp():
    inbox = SmtpInbox()
    inbox.controller.start()
    yield inbox
    inbox.controller.stop()


def _notes(session, user):
    session.commit()  # end the read snapshot: see what the requests wrote since
    return list(session.scalars(select(Notification).where(Notification.user_id == user.id)))


def _send(app, smtp):
    return send_pending(
        app.extensions["concord_sessions"],
        smtp_settings(smtp.url, "c@example.org"),
        "https://c.example",
    )


def test_an_opened_round_reaches_the_invited_cities_users_not_others(session):
    c = consultation(session)
    partner, uninvited, lead = c["users"]["partner"], c["users"]["uninvited"], c["users"]["lead"]
    # The round was opened before these users existed; open another.
    from comments.consultation.services import rounds

    with unit_of_work(session):
        rounds.build_round(
            session,
            lead,
            c["draft"],
            title="第二轮",
            opens=date.today(),
            closes=date.today() + timedelta(days=9),
            invited=["321300"],
        )
    notes = _notes(session, partner)
    assert [n.event for n in notes] == ["round_opened"]
    assert notes[0].url == f"/drafts/{c['draft'].id}" and "第二轮" in notes[0].subject
    assert _notes(session, uninvited) == [] and _notes(session, lead) == []


def test_comment_decision_and_reply_reach_the_author_and_drafters(client, session):
    c = consultation(session)
    h = c["headers"]
    made = comment(client, c)
    assert made.status_code == 201
    cid = made.get_json()["id"]
    assert [n.event for n in _notes(session, c["users"]["lead"])] == ["comment_awaiting"]
    replied = client.post(
        f"/api/v1/comments/{cid}/replies", json={"body": "请补充依据。"}, headers=h["lead"]
    )
    assert replied.status_code == 201
    decided = client.post(
        f"/api/v1/comments/{cid}/disposition",
        json={"decision": "not_adopted", "reason": "上位法已有规定。"},
        headers=h["lead"],
    )
    assert decided.status_code in (200, 201)
    events = sorted(n.event for n in _notes(session, c["users"]["partner"]))
    assert events == ["comment_decided", "comment_replied"]


def test_the_inbox_counts_unread_and_opening_one_marks_it_read(client, session, auth):
    c = consultation(session)
    comment(client, c)
    auth.login("xz_drafter")
    page = client.get("/projects").get_data(as_text=True)
    assert 'class="count"' in page
    api = client.get("/api/v1/notifications", headers=c["headers"]["lead"]).get_json()
    assert api["unread"] == 1 and api["items"][0]["event"] == "comment_awaiting"
    assert "第三条" in api["items"][0]["message"]
    opened = client.get(f"/notifications/{api['items'][0]['id']}")
    assert opened.status_code == 302 and "/comments" in opened.headers["Location"]
    assert (
        client.get("/api/v1/notifications", headers=c["headers"]["lead"]).get_json()["unread"] == 0
    )
    assert 'class="count"' not in client.get("/projects").get_data(as_text=True)


def test_someone_elses_notification_cannot_be_opened_or_marked(client, session, auth):
    c = consultation(session)
    comment(client, c)
    note = _notes(session, c["users"]["lead"])[0]
    auth.login("sq_commenter")
    assert client.get(f"/notifications/{note.id}").headers["Location"].endswith("/notifications")
    marked = client.post(
        "/api/v1/notifications/read", json={"ids": [note.id]}, headers=c["headers"]["partner"]
    )
    assert marked.get_json()["marked"] == 0
    assert _notes(session, c["users"]["lead"])[0].read_at is None


def test_reminders_for_rounds_closing_within_three_days_come_once(session):
    from comments.consultation.services.reminders import send_reminders

    c = consultation(session)
    closes = c["round"].closes
    assert send_reminders(session, closes - timedelta(days=5)) == 0
    first = send_reminders(session, closes - timedelta(days=2))
    assert first == 3  # the invited 宿迁 (commenter, drafter) and 淮北 (commenter)
    assert send_reminders(session, closes - timedelta(days=1)) == 0
    assert [n.event for n in _notes(session, c["users"]["partner"])] == ["round_closing"]


def test_mail_after_commit_reaches_the_smtp_server_once(client, app, session, smtp):
    c = consultation(session)
    lead = c["users"]["lead"]
    lead.email = "lead@xz.example"
    session.commit()
    sender = start_mail(app, smtp)
    try:
        assert comment(client, c).status_code == 201
        messages = smtp.wait_for(1)
        assert len(messages) == 1
        assert messages[0]["To"] == "lead@xz.example"
        assert "https://concord.example.org/drafts/" in messages[0].get_content()
        assert _send(app, smtp) == 0  # nothing left to send: it went once
    finally:
        sender.stop()
    assert len(smtp.messages) == 1


def test_many_events_together_make_one_digest(client, session, app, smtp):
    c = consultation(session)
    c["users"]["lead"].email = "lead@xz.example"
    session.commit()
    for label in ("第一条", "第二条", "第三条"):
        assert comment(client, c, label=label).status_code == 201
    assert _send(app, smtp) == 1
    (mail,) = smtp.messages
    assert "3" in mail["Subject"] and mail.get_content().count("/comments") == 3


def test_failed_mail_is_retried_later_and_never_blocks(client, session, app, smtp):
    c = consultation(session)
    c["users"]["lead"].email = "lead@xz.example"
    session.commit()
    assert comment(client, c).status_code == 201
    down = smtp_settings("smtp://127.0.0.1:9", "c@example.org")  # nothing listens on port 9
    assert send_pending(app.extensions["concord_sessions"], down, "https://c.example") == 0
    note = _notes(session, c["users"]["lead"])[0]
    assert note.mail_state == "pending" and note.mail_attempts == 1
    assert _send(app, smtp) == 0  # not yet: it waits before trying again
    note.mail_after = note.created_at
    session.commit()
    assert _send(app, smtp) == 1 and len(smtp.messages) == 1


def test_no_mail_without_an_address_or_when_turned_off(client, session, app, smtp):
    c = consultation(session)
    lead = c["users"]["lead"]
    lead.email = "lead@xz.example"
    lead.mail_notifications = False
    session.commit()
    comment(client, c)
    assert _send(app, smtp) == 0 and smtp.messages == []


def test_the_app_starts_a_sender_only_when_smtp_is_configured(database_url, tmp_path):
    from concord.app import create_app

    plain = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE_URL": database_url,
            "INSTANCE": str(tmp_path / "a"),
        }
    )
    assert "concord_mail" not in plain.extensions
    mailing = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE_URL": database_url,
            "INSTANCE": str(tmp_path / "b"),
            "SMTP_URL": "smtp://127.0.0.1:9",
        }
    )
    mailing.extensions["concord_mail"].stop()
    assert make_user is not None


def test_the_home_page_lists_my_tasks_with_counts(client, session, auth):
    c = consultation(session)
    comment(client, c)
    comment(client, c, label="第二条")
    auth.login("xz_drafter")
    home = client.get("/").get_data(as_text=True)
    assert "待我处理的意见" in home and '<span class="count some">2</span> 待我处理的意见' in home
    assert '<span class="count">0</span> 待办理的群众意见' in home  # a drafter handles opinions
    auth.logout()
    auth.login("sq_commenter")
    partner = client.get("/?lang=en").get_data(as_text=True)
    assert "Rounds open to my city" in partner and "Comments awaiting my decision" not in partner


def test_reminders_for_a_reply_falling_due_and_an_overdue_opinion(client, session):
    from comments.proposals.services.reminders import send_reminders
    from tests.helpers import bearer

    drafter = make_user(session, "xz_drafter", "320300")
    other = make_user(session, "xz_second", "320300")
    h = bearer(session, drafter)
    day = date(2026, 12, 7)
    for kind, deadline in (("suggestion", "2026-12-09"), ("opinion", "2026-12-01")):
        answer = client.post(
            "/api/v1/proposals",
            json={"kind": kind, "title": f"{kind} 的期限", "text": "……", "deadline": deadline},
            headers=h,
        )
        assert answer.status_code == 201, answer.get_json()
    assert send_reminders(session, day - timedelta(days=7)) == 0  # 11-30: nothing due yet
    assert send_reminders(session, day) == 4  # two handlers of 徐州, two items each
    assert send_reminders(session, day) == 0
    assert sorted(n.event for n in _notes(session, other)) == [
        "opinion_overdue",
        "proposal_reply_due",
    ]
