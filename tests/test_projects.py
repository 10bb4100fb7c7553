"""Projects: who sees them, who manages them, stages, dashboard, audit log, API."""

from datetime import date

import pytest

from drafting.errors import NotFound, NotPermitted
from drafting.services import projects
from tests.helpers import bearer, csrf_of, make_user


@pytest.fixture
def huaihai(session):
    """A project led by 徐州 with 宿迁 and 临沂; 淮北 stays outside."""
    lead = make_user(session, "xz", "320300", "drafter")
    make_user(session, "sq", "321300", "drafter")
    make_user(session, "sqc", "321300", "commenter")
    make_user(session, "hb", "340600", "drafter")
    make_user(session, "admin", "320000", "admin")
    return projects.create_project(
        session,
        lead,
        title="淮海战役红色资源保护协同立法",
        lead="320300",
        participants=["321300", "371300"],
    )


def test_participants_see_the_project_and_others_get_404(client, session, auth, huaihai):
    auth.login("sq")
    assert huaihai.title in client.get("/projects").get_data(as_text=True)
    assert client.get(f"/projects/{huaihai.id}").status_code == 200
    auth.logout()
    auth.login("hb")
    assert huaihai.title not in client.get("/projects").get_data(as_text=True)
    response = client.get(f"/projects/{huaihai.id}")
    assert response.status_code == 404
    assert huaihai.title not in response.get_data(as_text=True)
    assert client.get("/projects/99999").status_code == 404


def test_admin_sees_every_project(client, session, auth, huaihai):
    auth.login("admin")
    assert client.get(f"/projects/{huaihai.id}").status_code == 200


def test_dashboard_shows_every_city_and_its_stage(client, session, auth, huaihai):
    auth.login("xz")
    page = client.get(f"/projects/{huaihai.id}").get_data(as_text=True)
    for city in ("徐州市", "宿迁市", "临沂市"):
        assert city in page
    assert "立项论证" in page
    assert "创建项目" in page  # recent activity


def test_lead_records_stages_and_the_current_stage_follows_the_latest_date(session, huaihai):
    lead = session.merge(huaihai).participants[0]
    xz = session.scalar(projects.select(projects.User).where(projects.User.username == "xz"))
    project = session.get(projects.Project, huaihai.id)
    projects.record_stage(
        session, xz, project, jurisdiction="321300", stage="征求意见", on=date(2025, 8, 1)
    )
    projects.record_stage(
        session, xz, project, jurisdiction="321300", stage="调研起草", on=date(2025, 5, 1)
    )
    assert projects.participant(project, "321300").stage == "征求意见"
    assert lead.jurisdiction_code == "320300"


def test_partner_drafter_records_only_its_own_stage(client, session, auth, huaihai):
    auth.login("sq")
    token = csrf_of(client, f"/projects/{huaihai.id}")
    own = client.post(
        f"/projects/{huaihai.id}/stages",
        data={
            "jurisdiction": "321300",
            "stage": "调研起草",
            "on": "2025-06-01",
            "csrf_token": token,
        },
    )
    assert own.status_code == 302
    other = client.post(
        f"/projects/{huaihai.id}/stages",
        data={"jurisdiction": "371300", "stage": "审议", "on": "2025-06-01", "csrf_token": token},
    )
    assert other.status_code == 403
    page = client.get(f"/projects/{huaihai.id}").get_data(as_text=True)
    assert "调研起草" in page


def test_stage_form_rejects_unknown_stage_and_bad_date(client, session, auth, huaihai):
    auth.login("xz")
    token = csrf_of(client, f"/projects/{huaihai.id}")
    bad_stage = client.post(
        f"/projects/{huaihai.id}/stages",
        data={"jurisdiction": "321300", "stage": "登月", "csrf_token": token},
    )
    assert bad_stage.status_code == 400 and "未知阶段" in bad_stage.get_data(as_text=True)
    bad_date = client.post(
        f"/projects/{huaihai.id}/stages",
        data={"jurisdiction": "321300", "stage": "审议", "on": "2025-13-45", "csrf_token": token},
    )
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.get_data(as_text=True)


def test_audit_log_is_for_the_lead_only(client, session, auth, huaihai):
    auth.login("xz")
    token = csrf_of(client, f"/projects/{huaihai.id}")
    client.post(
        f"/projects/{huaihai.id}/stages",
        data={"jurisdiction": "321300", "stage": "审议", "on": "2025-09-01", "csrf_token": token},
    )
    page = client.get(f"/projects/{huaihai.id}/audit").get_data(as_text=True)
    assert "stage.record" in page and "审议" in page and "立项论证" in page  # before → after
    auth.logout()
    auth.login("sq")
    assert client.get(f"/projects/{huaihai.id}/audit").status_code == 403


def test_commenters_cannot_create_projects(session, huaihai):
    commenter = session.scalar(
        projects.select(projects.User).where(projects.User.username == "sqc")
    )
    with pytest.raises(NotPermitted):
        projects.create_project(session, commenter, title="x", lead="321300", participants=[])


def test_get_project_hides_other_projects(session, huaihai):
    hb = session.scalar(projects.select(projects.User).where(projects.User.username == "hb"))
    with pytest.raises(NotFound):
        projects.get_project(session, hb, huaihai.id)


def test_project_form_creates_a_project(client, session, auth):
    make_user(session, "xz", "320300", "drafter")
    auth.login("xz")
    token = csrf_of(client, "/projects/new")
    response = client.post(
        "/projects/new",
        data={
            "title": "沂沭泗流域水环境协同保护",
            "participants": ["321300", "371300"],
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "沂沭泗流域水环境协同保护" in page and "临沂市" in page


def test_project_form_reports_missing_title(client, session, auth):
    make_user(session, "xz", "320300", "drafter")
    auth.login("xz")
    response = client.post(
        "/projects/new", data={"title": " ", "csrf_token": csrf_of(client, "/projects/new")}
    )
    assert response.status_code == 422
    assert "项目名称不能为空" in response.get_data(as_text=True)


def test_api_lists_and_creates_projects(client, session, huaihai):
    sq = session.scalar(projects.select(projects.User).where(projects.User.username == "sq"))
    headers = bearer(session, sq)
    listed = client.get("/api/v1/projects", headers=headers).get_json()["projects"]
    assert [p["title"] for p in listed] == [huaihai.title]
    assert {p["jurisdiction"] for p in listed[0]["participants"]} == {"320300", "321300", "371300"}
    created = client.post(
        "/api/v1/projects",
        json={"title": "宿迁骆马湖保护", "lead": "321300", "participants": ["320300"]},
        headers=headers,
    )
    assert created.status_code == 201
    assert created.get_json()["lead"] == "321300"


@pytest.mark.parametrize(
    "body, status",
    [
        ({"title": "", "lead": "321300"}, 400),
        ({"title": "x", "lead": "000000"}, 400),
        ({"title": "x", "participants": "321300"}, 400),
    ],
)
def test_api_rejects_bad_project_input(client, session, huaihai, body, status):
    sq = session.scalar(projects.select(projects.User).where(projects.User.username == "sq"))
    response = client.post("/api/v1/projects", json=body, headers=bearer(session, sq))
    assert response.status_code == status
    assert response.get_json()["error"]["message"]


def test_api_hides_projects_of_other_cities(client, session, huaihai):
    hb = session.scalar(projects.select(projects.User).where(projects.User.username == "hb"))
    response = client.get(f"/api/v1/projects/{huaihai.id}", headers=bearer(session, hb))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_api_refuses_non_json_bodies(client, session, huaihai):
    sq = session.scalar(projects.select(projects.User).where(projects.User.username == "sq"))
    response = client.post(
        "/api/v1/projects",
        data="not json",
        headers={**bearer(session, sq), "Content-Type": "text/plain"},
    )
    assert response.status_code == 400
