"""Offices, the report's new parts (every channel, 满意率, offices, concerns), 重点督办."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import select

from comments.opinions.models import OpinionIntake
from comments.opinions.services import offices, triage
from comments.proposals.models import Proposal
from concord.clock import BEIJING
from tests.helpers import bearer, csrf_of, login, make_user
from tests.intake_helpers import make_station, submit, tracking_number


@pytest.fixture(autouse=True)
def wednesday():
    """Run on Wednesday 2 December 2026 in Beijing, whatever the real date."""
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=BEIJING), tick=True):
        yield


@pytest.fixture
def staff(session):
    return make_user(session, "klmy_drafter", jurisdiction="650200")


def opinion_ids(app, client, session, station, texts):
    """Send opinions through the public form and return their ids."""
    numbers = [tracking_number(submit(client, app, station.code, text=t)) for t in texts]
    session.rollback()
    return [
        session.scalar(select(OpinionIntake.proposal_id).where(OpinionIntake.tracking_number == n))
        for n in numbers
    ]


def test_offices_api_and_triage_picks_from_the_directory(app, client, session, staff):
    headers = bearer(session, staff)
    r = client.post(
        "/api/v1/offices",
        json={"name": "市交通运输局", "kind": "department", "handlings": ["transfer"]},
        headers=headers,
    )
    assert r.status_code == 201
    office = r.get_json()
    listed = client.get("/api/v1/offices", headers=headers).get_json()["offices"]
    assert [o["name"] for o in listed] == ["市交通运输局"]
    again = client.post("/api/v1/offices", json={"name": "市交通运输局"}, headers=headers)
    assert again.status_code == 409
    station = make_station(session, staff)
    app.config["INTAKE_LIMITS"] = {"per_client": 50}
    (oid,) = opinion_ids(app, client, session, station, ["公交站没有候车亭。"])
    # The office takes transfers only: a direct answer cannot go to it.
    wrong = client.post(
        f"/api/v1/opinions/{oid}/triage",
        json={"handling": "direct", "office": office["id"]},
        headers=headers,
    )
    assert wrong.status_code == 400 and wrong.get_json()["error"]["message"].startswith("请从")
    ok = client.post(
        f"/api/v1/opinions/{oid}/triage",
        json={"handling": "transfer", "office": office["id"]},
        headers=headers,
    )
    assert ok.status_code == 200
    assert ok.get_json()["assignee"] == "市交通运输局" and ok.get_json()["office"] == office["id"]


def test_an_office_of_another_jurisdiction_is_refused(app, client, session, staff):
    other = make_user(session, "xz", jurisdiction="320300")
    theirs = offices.add_office(
        session, other, "320300", name="徐州市交通局", kind="department", handlings=[]
    )
    station = make_station(session, staff)
    (oid,) = opinion_ids(app, client, session, station, ["公交站没有候车亭。"])
    r = client.post(
        f"/api/v1/opinions/{oid}/triage",
        json={"handling": "transfer", "office": theirs.id},
        headers=bearer(session, staff),
    )
    assert r.status_code == 400


def test_only_handlers_keep_the_directory(app, client, session, staff):
    reader = make_user(session, "klmy_reader", jurisdiction="650200", role="commenter")
    r = client.post("/api/v1/offices", json={"name": "某局"}, headers=bearer(session, reader))
    assert r.status_code == 403
    login(client, "klmy_reader")
    page = client.get("/offices").get_data(as_text=True)
    assert "承办单位" in page and "添加承办单位" not in page  # read, but no form to add
    outsider = make_user(session, "xz", jurisdiction="320300")
    r = client.get("/api/v1/offices?jurisdiction=650200", headers=bearer(session, outsider))
    assert r.status_code == 404
    login(client, "klmy_drafter")
    token = csrf_of(client, "/offices")
    r = client.post("/offices", data={"csrf_token": token, "name": "", "kind": "street"})
    assert r.status_code == 400 and "请填写承办单位名称" in r.get_data(as_text=True)
    r = client.post(
        "/offices",
        data={
            "csrf_token": token,
            "name": "胜利路街道办事处",
            "kind": "street",
            "handlings": ["assign", "direct"],
        },
    )
    assert r.status_code == 302
    assert "胜利路街道办事处" in client.get("/offices").get_data(as_text=True)


def test_report_counts_every_channel_offices_and_satisfaction(app, client, session, staff):
    station = make_station(session, staff)
    app.config["INTAKE_LIMITS"] = {"per_client": 50}
    (oid,) = opinion_ids(app, client, session, station, ["路灯坏了。"])
    office = offices.add_office(
        session, staff, "650200", name="胜利路街道办事处", kind="street", handlings=[]
    )
    triage.triage_opinion(
        session, staff, oid, triage.Triage(handling="assign", office_id=office.id, reply="已修。")
    )
    # An opinion recorded at a 座谈会 on the proposals pages, with no tracking number.
    session.add(
        Proposal(
            kind="opinion",
            title="座谈会意见",
            text="供暖温度不达标。",
            submitters=[],
            jurisdiction_code="650200",
            channel="座谈会",
            received_on=date(2026, 11, 20),
            status="received",
        )
    )
    session.commit()
    number = session.get(OpinionIntake, oid).tracking_number
    token = csrf_of(client, f"/intake/track?number={number}")
    client.post(
        "/intake/track",
        data={"csrf_token": token, "number": number, "rating": "basically_satisfied"},
    )
    r = client.get(
        "/api/v1/reports/quarterly?quarter=2026Q4&format=json", headers=bearer(session, staff)
    )
    body = r.get_json()
    assert body["received"] == 2 and body["by_channel"]["座谈会"] == 1
    assert body["satisfaction"] == {
        "rated": 1,
        "satisfied": 0,
        "basically_satisfied": 1,
        "unsatisfied": 0,
        "rate": 1.0,
    }
    rows = {row["office"]: row for row in body["offices"]}
    assert rows["胜利路街道办事处"]["received"] == 1 and rows["胜利路街道办事处"]["rated"] == 1
    assert rows["未分办"]["received"] == 1


def test_report_page_quarter_is_a_list_and_a_bad_one_a_form_error(app, client, session, staff):
    login(client, "klmy_drafter")
    page = client.get("/reports/quarterly?quarter=2026Q4").get_data(as_text=True)
    assert '<select id="quarter" name="quarter"' in page
    assert '<option value="2026Q3"' in page
    r = client.get("/reports/quarterly?quarter=2026Q5")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert 'id="quarter-error"' in html and "请选择季度" in html and "<select" in html
    written = client.get("/reports/quarterly?quarter=2026年第四季度")
    assert written.status_code == 200 and "2026年第四季度" in written.get_data(as_text=True)


SHELTER = [
    "胜利路公交站台没有遮阳棚，夏天中午等车很晒，建议加装候车亭。",
    "世纪公园公交站冬天没有挡风设施，老人等车很冷，能否建封闭式候车亭？",
    "公交站牌下面连个遮雨的候车亭都没有，下雨天等车全身湿透。",
]
OTHERS = ["幼儿园学位紧张，希望规划新的幼儿园。", "燃气管道老化，担心出事。"]


def test_concerns_group_similar_opinions_and_become_a_suggestion(app, client, session, staff):
    station = make_station(session, staff)
    app.config["INTAKE_LIMITS"] = {"per_client": 50}
    ids = opinion_ids(app, client, session, station, SHELTER + OTHERS)
    headers = bearer(session, staff)
    body = client.get(
        "/api/v1/reports/quarterly?quarter=2026Q4&format=json", headers=headers
    ).get_json()
    (concern,) = body["concerns"]
    assert sorted(concern["opinions"]) == sorted(ids[:3])
    assert "候车亭" in concern["title"] and concern["districts"] == ["克拉玛依区"]
    assert concern["count"] == 3 and concern["previous"] == 0
    # A commenter of the city reads the concern; only its handlers are offered to draft from it.
    make_user(session, "klmy_reader", jurisdiction="650200", role="commenter")
    login(client, "klmy_reader")
    read = client.get("/reports/quarterly?quarter=2026Q4").get_data(as_text=True)
    assert "候车亭" in read and "起草代表建议" not in read
    login(client, "klmy_drafter")
    page = client.get("/reports/quarterly?quarter=2026Q4").get_data(as_text=True)
    form = re.search(r'name="opinions" value="([^"]+)"', page).group(1)
    title = re.search(r'name="title" value="([^"]+)"', page).group(1)
    token = csrf_of(client, "/reports/quarterly?quarter=2026Q4")
    r = client.post(
        "/reports/concerns/suggestion", data={"csrf_token": token, "opinions": form, "title": title}
    )
    assert r.status_code == 302
    session.rollback()
    fed = {session.get(Proposal, i).fed_into_id for i in ids[:3]}
    assert len(fed) == 1 and None not in fed
    suggestion = session.get(Proposal, fed.pop())
    assert suggestion.kind == "suggestion" and "候车亭" in suggestion.title
    page = client.get("/reports/quarterly?quarter=2026Q4").get_data(as_text=True)
    assert "已转为代表建议" in page and suggestion.title in page


def test_concern_suggestion_refusals(app, client, session, staff):
    station = make_station(session, staff)
    ids = opinion_ids(app, client, session, station, SHELTER[:1])
    reader = make_user(session, "klmy_reader", jurisdiction="650200", role="commenter")
    login(client, "klmy_reader")
    token = csrf_of(client, "/opinions")
    r = client.post(
        "/reports/concerns/suggestion",
        data={"csrf_token": token, "opinions": str(ids[0]), "title": "关于候车亭的建议"},
    )
    assert r.status_code == 403 and reader.role == "commenter"
    other = make_user(session, "xz", jurisdiction="320300")
    login(client, "xz")
    token = csrf_of(client, "/proposals")
    r = client.post(
        "/reports/concerns/suggestion",
        data={"csrf_token": token, "opinions": str(ids[0]), "title": "抄来的建议"},
    )
    assert r.status_code == 400 and other.jurisdiction_code == "320300"


def test_key_supervision_overdue_follow_up_stands_out(app, client, session, staff):
    station = make_station(session, staff)
    make_user(session, "klmy_reader", jurisdiction="650200", role="commenter")
    (oid,) = opinion_ids(app, client, session, station, ["物业公共收益不公开。"])
    login(client, "klmy_drafter")
    token = csrf_of(client, f"/opinions/{oid}")
    r = client.post(
        f"/proposals/{oid}/supervision",
        data={
            "csrf_token": token,
            "supervisor": "王主任",
            "follow_ups": "2026-12-03, 2026-12-20",
        },
    )
    assert r.status_code == 302
    assert "王主任" in client.get(f"/opinions/{oid}").get_data(as_text=True)
    # A week later the first follow-up is overdue: queue, 待我处理 and report say so.
    with time_machine.travel(datetime(2026, 12, 9, 10, 0, tzinfo=BEIJING), tick=True):
        login(client, "klmy_drafter")  # the sign-in of a week ago has expired
        queue = client.get("/opinions").get_data(as_text=True)
        assert 'id="late-follow-ups"' in queue and "已逾期 6 天" in queue
        attention = client.get("/comments/attention").get_data(as_text=True)
        assert 'id="attention-follow-ups"' in attention and "王主任" in attention
        # Supervision is the handlers' work: a commenter of the city is not shown it.
        login(client, "klmy_reader")
        reader = client.get("/comments/attention").get_data(as_text=True)
        assert 'id="attention-follow-ups"' not in reader and "王主任" not in reader
        read = client.get(f"/opinions/{oid}").get_data(as_text=True)
        assert "王主任" in read and 'id="supervisor"' not in read  # shown, not for changing
        login(client, "klmy_drafter")
        report = client.get("/reports/quarterly?quarter=2026Q4").get_data(as_text=True)
        assert 'id="report-late-follow-ups"' in report
        page = client.get(f"/opinions/{oid}").get_data(as_text=True)
        follow_up = re.search(r"/follow-ups/(\d+)/done", page).group(1)
        token = csrf_of(client, f"/opinions/{oid}")
        r = client.post(
            f"/follow-ups/{follow_up}/done", data={"csrf_token": token, "note": "已约谈物业"}
        )
        assert r.status_code == 302
        assert 'id="late-follow-ups"' not in client.get("/opinions").get_data(as_text=True)


def test_only_handlers_supervise(app, client, session, staff):
    station = make_station(session, staff)
    (oid,) = opinion_ids(app, client, session, station, ["物业公共收益不公开。"])
    make_user(session, "klmy_reader", jurisdiction="650200", role="commenter")
    login(client, "klmy_reader")
    token = csrf_of(client, "/opinions")
    r = client.post(
        f"/proposals/{oid}/supervision",
        data={"csrf_token": token, "supervisor": "王主任", "follow_ups": "2026-12-20"},
    )
    assert r.status_code == 403
    make_user(session, "xz", jurisdiction="320300")
    login(client, "xz")
    r = client.post(
        f"/proposals/{oid}/supervision",
        data={
            "csrf_token": csrf_of(client, "/proposals"),
            "supervisor": "某",
            "follow_ups": "2026-12-20",
        },
    )
    assert r.status_code == 404


def test_demo_quarter_report(app, client, session):
    from concord.db import request_session
    from concord.demo import load_demo

    with app.app_context():
        load_demo(request_session())
    from concord.accounts.models import User

    staff = session.scalar(select(User).where(User.username == "klmy_drafter"))
    body = client.get(
        "/api/v1/reports/quarterly?quarter=2026Q4&format=json", headers=bearer(session, staff)
    ).get_json()
    assert body["satisfaction"]["rated"] >= 10 and body["satisfaction"]["unsatisfied"] == 2
    assert body["reopened"] == 2 and body["by_channel"]["座谈会"] == 1
    assert len(body["concerns"]) >= 3
    assert any(c["suggestion"] for c in body["concerns"])
    assert any(c["previous"] for c in body["concerns"])
    kinds = {row["kind"] for row in body["offices"]}
    assert {"街道/乡镇", "市级部门"} <= kinds
    assert body["late_follow_ups"]
    docx = client.get(
        "/api/v1/reports/quarterly?quarter=2026Q4&format=docx", headers=bearer(session, staff)
    )
    import io

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "五、规律性关键问题" in text and "满意率" in text and "六、按承办单位" in text
