"""Every check on residents' opinions and stations refuses the users without the right: one test
per check, so that `bench/permission_mutations.py` sees each removed check make a test fail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from comments.opinions.services import (
    offices,
    quarterly,
    queue_marks,
    stations,
    supervision,
    triage,
)
from concord.accounts.models import User
from concord.clock import today
from drafting.errors import NotFound, NotPermitted
from tests.helpers import login, make_user
from tests.intake_helpers import make_station, submit, tracking_number
from tests.test_opinion_triage import _opinion_id

CONTACT = "13800000000"


@pytest.fixture
def o(app, client, session):
    """克拉玛依's station with one resident's opinion; its commenter, and 徐州's drafter."""
    station = make_station(session)
    number = tracking_number(submit(client, app, station.code, contact=CONTACT))
    return {
        "station": station,
        "opinion": _opinion_id(session, number),
        "commenter": make_user(session, "klmy_commenter", "650200", "commenter"),
        "outsider": make_user(session, "xz_drafter", "320300"),
    }


def test_outsiders_learn_nothing_of_a_jurisdictions_opinions(session, o):
    outsider = o["outsider"]
    for call in (
        lambda: quarterly.quarterly_report(session, outsider, "650200", "2026Q1"),
        lambda: stations.get_station(session, outsider, o["station"].id),
        lambda: stations.stations_of(session, outsider, "650200"),
        lambda: triage.list_opinions(session, outsider, "650200"),
        lambda: triage.get_opinion(session, outsider, o["opinion"]),
        lambda: triage.suggestions_of(session, outsider, "650200"),
        lambda: queue_marks.queue_marks(session, outsider, "650200", [], today()),
        lambda: supervision.late_follow_ups(session, outsider, "650200", today()),
        lambda: offices.add_office(
            session, outsider, "650200", name="外地的单位", kind="street", handlings=["direct"]
        ),
    ):
        with pytest.raises(NotFound):
            call()


def test_only_the_jurisdictions_handlers_take_an_office_off_the_directory(session, o):
    drafter = session.scalar(select(User).where(User.username == "klmy_drafter"))
    office = offices.add_office(
        session, drafter, "650200", name="胜利路街道办事处", kind="street", handlings=["assign"]
    )
    with pytest.raises(NotFound):
        offices.set_office_active(session, o["outsider"], office.id, False)
    with pytest.raises(NotPermitted):
        offices.set_office_active(session, o["commenter"], office.id, False)
    session.refresh(office)
    assert office.active


def test_a_commenter_of_the_jurisdiction_sees_but_does_not_handle(session, o):
    commenter = o["commenter"]
    assert triage.list_opinions(session, commenter, "650200")
    with pytest.raises(NotPermitted):
        stations.create_station(
            session, commenter, kind="station", name="新站", jurisdiction="650200"
        )
    with pytest.raises(NotPermitted):
        triage.set_deadline_days(session, commenter, "650200", {"simple": 3})
    with pytest.raises(NotPermitted):
        triage.triage_opinion(session, commenter, o["opinion"], triage.Triage(reply="已办"))
    with pytest.raises(NotPermitted):
        triage.feed_suggestion(session, commenter, o["opinion"])


def test_a_commenter_gets_no_contact_in_the_opinions_json(session, o):
    intake = triage.get_opinion(session, o["commenter"], o["opinion"])
    assert "contact" not in triage.opinion_json(intake, o["commenter"], today())


def test_the_pages_offer_a_commenter_neither_contact_nor_handling(client, o):
    login(client, "klmy_commenter")
    listing = client.get("/stations?jurisdiction=650200").get_data(as_text=True)
    assert "stations/" in listing or "联络站" in listing
    assert "新建联络站或代表二维码" not in listing
    page = client.get(f"/opinions/{o['opinion']}").get_data(as_text=True)
    assert "小区门口路灯" in page
    assert CONTACT not in page and 'id="contact"' not in page
    assert 'id="triage"' not in page and 'id="supervisor"' not in page


def test_the_stations_drafter_sees_contact_and_handling(client, o):
    login(client, "klmy_drafter")
    assert "新建联络站或代表二维码" in client.get("/stations").get_data(as_text=True)
    page = client.get(f"/opinions/{o['opinion']}").get_data(as_text=True)
    assert CONTACT in page and 'id="triage"' in page and 'id="supervisor"' in page


def test_the_home_page_gives_the_opinion_queue_as_a_task_only_to_its_handlers(client, o):
    login(client, "klmy_drafter")
    assert "待办理的群众意见" in client.get("/").get_data(as_text=True)
    login(client, "klmy_commenter")
    home = client.get("/")
    assert home.status_code == 200 and "待办理的群众意见" not in home.get_data(as_text=True)
