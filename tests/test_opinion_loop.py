"""Closing the loop: a resident rates the reply, 不满意 reopens it; closed means read-only."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine
from sqlalchemy import select

from comments.opinions.models import OpinionIntake
from comments.opinions.services import triage
from concord.clock import BEIJING
from drafting.models import AuditEntry
from tests.helpers import csrf_of, login, make_user
from tests.intake_helpers import make_station, submit, tracking_number


@pytest.fixture(autouse=True)
def wednesday():
    """Run on a Wednesday in Beijing, whatever the real date (deadlines count working days)."""
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=BEIJING), tick=True):
        yield


def replied(app, client, session, *, close=False):
    """Return (staff, opinion id, tracking number) of an opinion the station has answered."""
    staff = make_user(session, "klmy_drafter", jurisdiction="650200")
    station = make_station(session, staff)
    number = tracking_number(submit(client, app, station.code))
    session.rollback()
    oid = session.scalar(
        select(OpinionIntake.proposal_id).where(OpinionIntake.tracking_number == number)
    )
    step = triage.Triage(handling="direct", reply="已修好路灯。", close=close)
    triage.triage_opinion(session, staff, oid, step)
    return staff, oid, number


def rate(client, number, rating, remark="", *, token=None, token_page=None):
    """Rate the reply from the tracking page, as the resident would."""
    token = token or csrf_of(client, token_page or f"/intake/track?number={number}")
    return client.post(
        "/intake/track",
        data={"csrf_token": token, "number": number, "rating": rating, "remark": remark},
    )


def test_no_rating_before_the_reply(app, client, session):
    station = make_station(session)
    number = tracking_number(submit(client, app, station.code))
    page = client.get(f"/intake/track?number={number}").get_data(as_text=True)
    assert "您对答复满意吗" not in page
    r = rate(client, number, "satisfied", token_page=f"/intake/{station.code}")
    assert r.status_code == 409


def test_a_reply_is_rated_once(app, client, session):
    _staff, _oid, number = replied(app, client, session)
    page = client.get(f"/intake/track?number={number}").get_data(as_text=True)
    assert "您对答复满意吗" in page
    token = csrf_of(client, f"/intake/track?number={number}")
    r = rate(client, number, "satisfied", token=token)
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "感谢您的评价" in page and 'id="my-rating">满意<' in page
    assert "您对答复满意吗" not in page
    again = rate(client, number, "unsatisfied", token=token)
    assert again.status_code == 409 and "每次答复只能评价一次" in again.get_data(as_text=True)


def test_bad_rating_is_shown_beside_the_form(app, client, session):
    _staff, _oid, number = replied(app, client, session)
    r = rate(client, number, "so-so", remark="说明")
    assert r.status_code == 400
    assert "请选择满意、基本满意或不满意" in r.get_data(as_text=True)
    page = f"/intake/track?number={number}"
    assert rate(client, "ABCD-EFGH-JKMN", "satisfied", token_page=page).status_code == 404


def test_unsatisfied_reopens_into_the_queue_then_satisfied(app, client, session):
    staff, oid, number = replied(app, client, session, close=True)
    assert rate(client, number, "unsatisfied", remark="路灯第二天又坏了").status_code == 302
    session.rollback()
    intake = session.get(OpinionIntake, oid)
    assert intake.proposal.status == "handling" and intake.reopened == 1
    login(client, "klmy_drafter")
    queue = client.get("/opinions").get_data(as_text=True)
    row = re.search(rf"{number}.*?</tr>", queue, re.S).group(0)
    assert "重新办理" in row and "不满意" in row
    assert 'id="reopened-count">1<' in queue
    page = client.get(f"/opinions/{oid}").get_data(as_text=True)
    assert "路灯第二天又坏了" in page and "不满意" in page
    # Handled again, rated again: the latest verdict counts.
    session.rollback()
    triage.triage_opinion(session, staff, oid, triage.Triage(reply="已更换整套灯具。"))
    assert rate(client, number, "satisfied").status_code == 302
    queue = client.get("/opinions").get_data(as_text=True)
    assert 'id="satisfaction-rate">100%<' in queue


def test_ratings_are_throttled_per_address(app, client, session):
    staff = make_user(session, "klmy_drafter", jurisdiction="650200")
    station = make_station(session, staff)
    app.config["INTAKE_LIMITS"] = {"per_client": 50}
    numbers = []
    for i in range(6):
        number = tracking_number(submit(client, app, station.code, text=f"第{i}条意见"))
        numbers.append(number)
    session.rollback()
    for number in numbers:
        oid = session.scalar(
            select(OpinionIntake.proposal_id).where(OpinionIntake.tracking_number == number)
        )
        triage.triage_opinion(session, staff, oid, triage.Triage(handling="direct", reply="好"))
    codes = [rate(client, n, "satisfied").status_code for n in numbers]
    assert codes == [302] * 5 + [429]


def test_closed_opinion_is_read_only_until_reopened_with_a_reason(app, client, session):
    staff, oid, _number = replied(app, client, session, close=True)
    login(client, "klmy_drafter")
    page = client.get(f"/opinions/{oid}").get_data(as_text=True)
    assert 'id="triage"' not in page and "重新办理的理由" in page
    token = csrf_of(client, f"/opinions/{oid}")
    r = client.post(f"/opinions/{oid}/triage", data={"csrf_token": token, "note": "补记"})
    assert r.status_code == 409
    r = client.post(f"/opinions/{oid}/reopen", data={"csrf_token": token, "reason": " "})
    assert r.status_code == 400 and "请说明重新办理的理由" in r.get_data(as_text=True)
    r = client.post(f"/opinions/{oid}/reopen", data={"csrf_token": token, "reason": "群众来电"})
    assert r.status_code == 302
    page = client.get(f"/opinions/{oid}").get_data(as_text=True)
    assert 'id="triage"' in page and "重新办理的理由：群众来电" in page
    session.rollback()
    audited = session.scalars(select(AuditEntry.action)).all()
    assert "opinion.reopen" in audited


def test_triage_form_keeps_the_reply_and_asks_before_closing(app, client, session):
    station = make_station(session)
    number = tracking_number(submit(client, app, station.code))
    session.rollback()
    oid = session.scalar(
        select(OpinionIntake.proposal_id).where(OpinionIntake.tracking_number == number)
    )
    login(client, "klmy_drafter")
    token = csrf_of(client, f"/opinions/{oid}")
    # No handling chosen yet: refused, and the typed reply is still in the box.
    r = client.post(
        f"/opinions/{oid}/triage", data={"csrf_token": token, "reply": "正在协调路灯维修"}
    )
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "请先选择办理方式" in html and ">正在协调路灯维修</textarea>" in html
    fields = {"csrf_token": token, "handling": "direct", "reply": "已修好。", "close": "1"}
    r = client.post(f"/opinions/{oid}/triage", data=fields)
    assert r.status_code == 200 and "确认办结" in r.get_data(as_text=True)
    session.rollback()
    assert session.get(OpinionIntake, oid).proposal.status == "received"
    r = client.post(f"/opinions/{oid}/triage", data={**fields, "confirmed": "1"})
    assert r.status_code == 302
    session.rollback()
    assert session.get(OpinionIntake, oid).proposal.status == "closed"


def test_confirmation_page_gives_the_expected_reply_date(app, client, session):
    station = make_station(session)
    html = submit(client, app, station.code).get_data(as_text=True)
    # Wednesday 2 December + 1 working day to sort + 15 for a normal case.
    assert "预计答复日期：2026-12-24 前" in html


def test_public_pages_switch_to_english(app, client, session):
    station = make_station(session)
    page = client.get(f"/intake/{station.code}").get_data(as_text=True)
    link = re.search(r'href="(/lang/en[^"]*)"', page).group(1).replace("&amp;", "&")
    r = client.get(link)
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/intake/{station.code}")
    english = client.get(f"/intake/{station.code}").get_data(as_text=True)
    assert 'lang="en"' in english and "Submit" in english
    track = client.get("/intake/track").get_data(as_text=True)
    assert "中文" in track and "Tracking number" in track


def test_only_answered_opinions_are_reopened(app, client, session):
    station = make_station(session)
    number = tracking_number(submit(client, app, station.code))
    session.rollback()
    oid = session.scalar(
        select(OpinionIntake.proposal_id).where(OpinionIntake.tracking_number == number)
    )
    login(client, "klmy_drafter")
    token = csrf_of(client, f"/opinions/{oid}")
    r = client.post(f"/opinions/{oid}/reopen", data={"csrf_token": token, "reason": "重新看看"})
    assert r.status_code == 409
    session.rollback()
    assert session.get(OpinionIntake, oid).reopened == 0


def test_only_handlers_reopen(app, client, session):
    _staff, oid, _number = replied(app, client, session, close=True)
    make_user(session, "klmy_reader", jurisdiction="650200", role="commenter")
    login(client, "klmy_reader")
    token = csrf_of(client, "/opinions")
    r = client.post(f"/opinions/{oid}/reopen", data={"csrf_token": token, "reason": "我想改"})
    assert r.status_code == 403
    session.rollback()
    assert session.get(OpinionIntake, oid).proposal.status == "closed"
