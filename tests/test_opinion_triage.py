"""Stations' API, the triage queue with deadlines, the suggestion chain, and who sees what."""

from __future__ import annotations

from datetime import date, timedelta

from comments.opinions.services import triage
from comments.proposals.models import Proposal, ProposalLink
from tests.helpers import bearer, login, make_user
from tests.intake_helpers import make_station, submit, tracking_number


def _opinion(app, client, session, **kw):
    station = make_station(session, **kw)
    number = tracking_number(submit(client, app, station.code))
    return station, number


def _opinion_id(session, number):
    from sqlalchemy import select

    from comments.opinions.models import OpinionIntake

    session.rollback()  # end the read snapshot: see what the requests committed
    return session.scalar(
        select(OpinionIntake.proposal_id).where(OpinionIntake.tracking_number == number)
    )


def test_api_creates_station_and_serves_its_qr_code(app, client, session):
    user = make_user(session, "klmy", jurisdiction="650200")
    headers = bearer(session, user)
    r = client.post(
        "/api/v1/stations",
        json={"kind": "deputy", "name": "李代表", "jurisdiction": "650200"},
        headers=headers,
    )
    assert r.status_code == 201
    body = r.get_json()
    assert body["url"].endswith(f"/intake/{body['code']}")
    assert client.get(body["url"]).status_code == 200
    png = client.get(f"/api/v1/stations/{body['id']}/qr?format=png", headers=headers)
    assert png.status_code == 200 and png.data[:4] == b"\x89PNG"
    svg = client.get(f"/api/v1/stations/{body['id']}/qr?format=svg", headers=headers)
    assert b"<svg" in svg.data
    bad = client.get(f"/api/v1/stations/{body['id']}/qr?format=gif", headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_input"


def test_stations_only_in_ones_own_jurisdiction(client, session):
    outsider = make_user(session, "xz", jurisdiction="320300")
    r = client.post(
        "/api/v1/stations",
        json={"name": "别处的站", "jurisdiction": "650200"},
        headers=bearer(session, outsider),
    )
    assert r.status_code == 404
    reader = make_user(session, "klmy_reader", jurisdiction="650200", role="commenter")
    r = client.post(
        "/api/v1/stations",
        json={"name": "站", "jurisdiction": "650200"},
        headers=bearer(session, reader),
    )
    assert r.status_code == 403


def test_triage_sets_deadline_by_difficulty_and_reply_reaches_the_resident(app, client, session):
    station, number = _opinion(app, client, session)
    staff = make_user(session, "klmy2", jurisdiction="650200")
    headers = bearer(session, staff)
    oid = _opinion_id(session, number)
    r = client.post(
        f"/api/v1/opinions/{oid}/triage",
        json={
            "handling": "assign",
            "assignee": "胜利路街道办事处",
            "difficulty": "simple",
            "note": "现场看过，灯杆老化",
        },
        headers=headers,
    )
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "handling" and body["handling"] == "assign"
    deadline = date.fromisoformat(body["deadline"])
    assert date.today() + timedelta(days=5) <= deadline <= date.today() + timedelta(days=9)
    page = client.get(f"/intake/track?number={number}").get_data(as_text=True)
    assert "交办" in page and "胜利路街道办事处" in page
    assert "灯杆老化" not in page  # internal notes stay internal
    r = client.post(
        f"/api/v1/opinions/{oid}/triage",
        json={"reply": "已更换灯具，感谢反映。", "close": True},
        headers=headers,
    )
    assert r.get_json()["status"] == "closed"
    page = client.get(f"/intake/track?number={number}").get_data(as_text=True)
    assert "已更换灯具" in page and "已办结" in page


def test_jurisdiction_sets_its_own_days_per_difficulty(app, client, session):
    station, number = _opinion(app, client, session)
    staff = make_user(session, "klmy2", jurisdiction="650200")
    triage.set_deadline_days(session, staff, "650200", {"complex": 60})
    headers = bearer(session, staff)
    oid = _opinion_id(session, number)
    r = client.post(
        f"/api/v1/opinions/{oid}/triage",
        json={"handling": "transfer", "difficulty": "complex"},
        headers=headers,
    )
    deadline = date.fromisoformat(r.get_json()["deadline"])
    assert deadline >= date.today() + timedelta(days=84)


def test_bad_triage_input_is_a_clear_4xx(app, client, session):
    station, number = _opinion(app, client, session)
    headers = bearer(session, make_user(session, "klmy2", jurisdiction="650200"))
    oid = _opinion_id(session, number)
    for body, field in [
        ({"handling": "ignore"}, "handling"),
        ({"handling": "direct", "deadline": "tomorrow"}, "deadline"),
        ({"handling": "direct", "difficulty": 3}, "difficulty"),
        ({"close": True}, "reply"),
    ]:
        r = client.post(f"/api/v1/opinions/{oid}/triage", json=body, headers=headers)
        assert r.status_code == 400, body
        assert field in str(r.get_json()["error"]), body
    assert (
        client.post(f"/api/v1/opinions/{oid}/triage", data="x", headers=headers).status_code == 400
    )


def test_overdue_items_stand_out_in_the_queue(app, client, session, auth):
    station, number = _opinion(app, client, session)
    staff = make_user(session, "klmy2", jurisdiction="650200")
    oid = _opinion_id(session, number)
    opinion = session.get(Proposal, oid)
    opinion.status, opinion.deadline = "handling", date.today() - timedelta(days=3)
    session.commit()
    headers = bearer(session, staff)
    listed = client.get("/api/v1/opinions?jurisdiction=650200", headers=headers).get_json()
    assert listed["opinions"][0]["overdue"] is True
    auth.login("klmy2")
    html = client.get("/opinions?overdue=1").get_data(as_text=True)
    assert 'class="overdue"' in html and number in html


def test_contact_only_for_the_stations_jurisdiction(app, client, session):
    station, number = _opinion(app, client, session)
    own = make_user(session, "klmy2", jurisdiction="650200")
    admin = make_user(session, "root", jurisdiction="320300", role="admin")
    mine = client.get("/api/v1/opinions?jurisdiction=650200", headers=bearer(session, own))
    assert mine.get_json()["opinions"][0]["contact"] == "13800000000"
    theirs = client.get("/api/v1/opinions?jurisdiction=650200", headers=bearer(session, admin))
    assert theirs.status_code == 200
    assert "contact" not in theirs.get_json()["opinions"][0]
    outsider = make_user(session, "xz", jurisdiction="320300")
    r = client.get("/api/v1/opinions?jurisdiction=650200", headers=bearer(session, outsider))
    assert r.status_code == 404
    oid = _opinion_id(session, number)
    r = client.post(
        f"/api/v1/opinions/{oid}/triage",
        json={"handling": "direct"},
        headers=bearer(session, outsider),
    )
    assert r.status_code == 404
    login(client, "xz")
    assert client.get(f"/opinions/{oid}").status_code == 404


def test_readers_of_the_jurisdiction_may_not_triage(app, client, session):
    station, number = _opinion(app, client, session)
    reader = make_user(session, "klmy_reader", jurisdiction="650200", role="commenter")
    oid = _opinion_id(session, number)
    r = client.post(
        f"/api/v1/opinions/{oid}/triage",
        json={"handling": "direct"},
        headers=bearer(session, reader),
    )
    assert r.status_code == 403
    listed = client.get("/api/v1/opinions", headers=bearer(session, reader)).get_json()
    assert "contact" not in listed["opinions"][0]


def test_opinion_becomes_a_suggestion_without_retyping(app, client, session, auth):
    station, number = _opinion(app, client, session)
    make_user(session, "klmy2", jurisdiction="650200")
    oid = _opinion_id(session, number)
    auth.login("klmy2")
    from tests.helpers import csrf_of

    r = client.post(
        f"/opinions/{oid}/suggestion", data={"csrf_token": csrf_of(client, f"/opinions/{oid}")}
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    assert r.headers["Location"].endswith(f"/opinions/{oid}"), r.headers["Location"]
    session.rollback()  # end the read snapshot: see what the requests committed
    opinion = session.get(Proposal, oid)
    suggestion = opinion.fed_into
    assert suggestion.kind == "suggestion" and suggestion.text == opinion.text
    page = client.get(f"/intake/track?number={number}").get_data(as_text=True)
    assert "已转为代表建议" in page


def test_quarterly_report_counts_and_reached_clauses(app, client, session):
    from tests.helpers import make_draft, make_project

    station, number = _opinion(app, client, session)
    submit(client, app, station.code, text="公交站台没有遮雨棚", category="交通出行")
    staff = make_user(session, "klmy2", jurisdiction="650200")
    oid = _opinion_id(session, number)
    suggestion = triage.feed_suggestion(session, staff, oid)
    project = make_project(session, staff, participants=())
    draft = make_draft(session, staff, project)
    from sqlalchemy import select

    from drafting.models import Provision

    provision = session.scalars(
        select(Provision).where(Provision.draft_id == draft.id, Provision.kind == "article")
    ).first()
    session.add(
        ProposalLink(proposal_id=suggestion.id, provision_id=provision.id, label_at_link="第三条")
    )
    session.commit()
    quarter = f"{date.today().year}Q{(date.today().month - 1) // 3 + 1}"
    headers = bearer(session, staff)
    r = client.get(
        f"/api/v1/reports/quarterly?jurisdiction=650200&quarter={quarter}", headers=headers
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "民情民意专报" in html and "交通出行" in html and "data:image/png;base64" in html
    assert suggestion.title in html and "第三条" in html
    docx = client.get(
        f"/api/v1/reports/quarterly?jurisdiction=650200&quarter={quarter}&format=docx",
        headers=headers,
    )
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    bad = client.get(
        "/api/v1/reports/quarterly?jurisdiction=650200&quarter=2026Q5", headers=headers
    )
    assert bad.status_code == 400 and "quarter" in bad.get_json()["error"]["message"]
    outsider = make_user(session, "xz", jurisdiction="320300")
    r = client.get(
        f"/api/v1/reports/quarterly?jurisdiction=650200&quarter={quarter}",
        headers=bearer(session, outsider),
    )
    assert r.status_code == 404


def test_outsiders_get_404_for_stations_posters_and_qr(app, client, session):
    station = make_station(session)
    outsider = make_user(session, "xz", jurisdiction="320300")
    r = client.get(f"/api/v1/stations/{station.id}/qr", headers=bearer(session, outsider))
    assert r.status_code == 404
    login(client, "xz")
    assert client.get(f"/stations/{station.id}/poster.png").status_code == 404
    assert client.get("/stations?jurisdiction=650200").status_code == 404
    assert client.get("/opinions?jurisdiction=650200").status_code == 404


def test_poster_downloads_as_png_and_pdf(app, client, session):
    station = make_station(session)
    login(client, "klmy_drafter")
    png = client.get(f"/stations/{station.id}/poster.png")
    assert png.status_code == 200 and png.data[:4] == b"\x89PNG"
    pdf = client.get(f"/stations/{station.id}/poster.pdf")
    assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF"
    assert client.get(f"/stations/{station.id}/poster.gif").status_code == 400


def test_only_handlers_turn_opinions_into_suggestions_or_set_deadlines(app, client, session):
    station, number = _opinion(app, client, session)
    reader = make_user(session, "klmy_reader", jurisdiction="650200", role="commenter")
    oid = _opinion_id(session, number)
    r = client.post(f"/api/v1/opinions/{oid}/suggestion", json={}, headers=bearer(session, reader))
    assert r.status_code == 403
    login(client, "klmy_reader")
    from tests.helpers import csrf_of

    token = csrf_of(client, "/stations")
    r = client.post(
        "/stations/deadlines",
        data={"csrf_token": token, "simple": "1", "normal": "2", "complex": "3"},
    )
    assert r.status_code == 403
    assert triage.deadline_days(session, "650200")["simple"] == 5


def test_an_opinion_joins_only_a_suggestion_of_its_own_jurisdiction(app, client, session):
    station, number = _opinion(app, client, session)
    staff = make_user(session, "klmy2", jurisdiction="650200")
    elsewhere = Proposal(
        kind="suggestion", title="别处的建议", text="", submitters=[], jurisdiction_code="320300"
    )
    session.add(elsewhere)
    session.commit()
    oid = _opinion_id(session, number)
    r = client.post(
        f"/api/v1/opinions/{oid}/suggestion",
        json={"suggestion": elsewhere.id},
        headers=bearer(session, staff),
    )
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "suggestion"


def test_triage_form_records_steps_and_refuses_a_bad_date(app, client, session):
    from tests.helpers import csrf_of

    station, number = _opinion(app, client, session)
    oid = _opinion_id(session, number)
    login(client, "klmy_drafter")
    token = csrf_of(client, f"/opinions/{oid}")
    r = client.post(
        f"/opinions/{oid}/triage",
        data={"csrf_token": token, "handling": "direct", "deadline": "下周", "reply": "好"},
    )
    assert r.status_code == 400 and "deadline" in r.get_data(as_text=True)
    session.rollback()
    assert session.get(Proposal, oid).status == "received"
    r = client.post(
        f"/opinions/{oid}/triage",
        data={
            "csrf_token": token,
            "handling": "direct",
            "assignee": "联络站",
            "difficulty": "normal",
            "note": "已电话联系",
        },
        follow_redirects=True,
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "直办" in html and "已电话联系" in html and "内部" in html


def test_bad_station_and_list_input_is_a_clear_400(client, session):
    user = make_user(session, "klmy", jurisdiction="650200")
    headers = bearer(session, user)
    r = client.post("/api/v1/stations", json={"name": "  "}, headers=headers)
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "name"
    r = client.post("/api/v1/stations", json={"name": "站", "kind": "kiosk"}, headers=headers)
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "kind"
    r = client.get("/api/v1/opinions?status=lost", headers=headers)
    assert r.status_code == 400 and "status" in r.get_json()["error"]["message"]


def test_quarters_follow_beijing_days(app, client, session):
    from datetime import UTC, datetime

    from comments.opinions.services.quarterly import quarterly_report

    station, number = _opinion(app, client, session)
    oid = _opinion_id(session, number)
    staff = make_user(session, "klmy2", jurisdiction="650200")
    intake = triage.get_opinion(session, staff, oid)
    # 2026-12-31 17:00 UTC is 2027-01-01 01:00 in Beijing: the first quarter of 2027.
    intake.submitted_at = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    session.commit()
    assert quarterly_report(session, staff, "650200", "2026Q4").total == 0
    assert quarterly_report(session, staff, "650200", "2027Q1").total == 1


def test_opinion_joins_an_existing_suggestion_picked_from_a_list(app, client, session):
    from tests.helpers import csrf_of

    station, number = _opinion(app, client, session)
    oid = _opinion_id(session, number)
    existing = Proposal(
        kind="suggestion",
        title="关于改善路灯照明的建议",
        text="",
        submitters=[],
        jurisdiction_code="650200",
    )
    session.add(existing)
    session.commit()
    login(client, "klmy_drafter")
    page = client.get(f"/opinions/{oid}").get_data(as_text=True)
    assert "关于改善路灯照明的建议" in page
    r = client.post(
        f"/opinions/{oid}/suggestion",
        data={"csrf_token": csrf_of(client, f"/opinions/{oid}"), "suggestion": str(existing.id)},
    )
    assert r.status_code == 302
    session.rollback()
    assert session.get(Proposal, oid).fed_into_id == existing.id
