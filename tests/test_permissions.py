"""Every page and API call of a project is closed to cities outside it, and edits to readers."""

import pytest

from concord.accounts.models import User
from concord.demo import load_demo
from drafting.models import Draft, Project
from tests.helpers import bearer, csrf_of


@pytest.fixture
def yishusi(app, session):
    """The demo's 沂沭泗 project, in which 淮北 (hb_drafter) takes no part."""
    from search.services.workspace import reindex_workspace

    load_demo(session)
    reindex_workspace(session, app.config["INDEX_DIR"])
    project = session.query(Project).filter_by(key="yishusi-water").one()
    draft = session.query(Draft).filter_by(project_id=project.id).first()
    from drafting.services.drafts import load_tree

    article = load_tree(session, draft).articles()[0]
    return {
        "project": project.id,
        "draft": draft.id,
        "article": article.id,
        "revision": article.revision,
    }


def _pages(ids):
    p, d, a = ids["project"], ids["draft"], ids["article"]
    return [
        f"/projects/{p}",
        f"/projects/{p}/audit",
        f"/projects/{p}/drafts/new",
        f"/projects/{p}/reconciliation",
        f"/projects/{p}/propagation",
        f"/projects/{p}/reconciliation/rows/{a}",
        f"/drafts/{d}",
        f"/drafts/{d}/compare",
        f"/drafts/{d}/export?format=docx",
        f"/drafts/{d}/export?format=md",
        f"/drafts/{d}/provisions/{a}/history",
        f"/drafts/{d}/provisions/{a}/edit",
        f"/drafts/{d}/provisions/{a}/similar",
        f"/search/law?path=drafts/{d}",
    ]


def _api(ids):
    p, d, a = ids["project"], ids["draft"], ids["article"]
    return [
        ("GET", f"/api/v1/projects/{p}", None),
        ("GET", f"/api/v1/projects/{p}/reconciliation", None),
        ("GET", f"/api/v1/drafts/{d}", None),
        ("GET", f"/api/v1/drafts/{d}/export?format=md", None),
        ("GET", f"/api/v1/drafts/{d}/compare?against=current", None),
        ("GET", f"/api/v1/provisions/{a}", None),
        ("GET", f"/api/v1/provisions/{a}/history", None),
        ("PATCH", f"/api/v1/provisions/{a}", {"text": "改。", "base_revision": ids["revision"]}),
        ("DELETE", f"/api/v1/provisions/{a}", None),
        ("POST", f"/api/v1/provisions/{a}/move", {"after": a}),
        ("POST", f"/api/v1/drafts/{d}/provisions", {"kind": "article", "text": "新。"}),
        ("POST", f"/api/v1/drafts/{d}/versions", {"name": "偷偷保存"}),
        (
            "POST",
            f"/api/v1/projects/{p}/drafts",
            {"text": "第一条　测试。", "jurisdiction": "340600"},
        ),
    ]


def test_a_city_outside_the_project_gets_404_everywhere(client, session, auth, yishusi):
    auth.login("hb_drafter", "demo-hb-drafter")
    for path in _pages(yishusi):
        assert client.get(path).status_code == 404, path
    token = csrf_of(client, "/projects")
    d, a = yishusi["draft"], yishusi["article"]
    for path in [
        f"/projects/{yishusi['project']}/stages",
        f"/drafts/{d}/versions",
        f"/drafts/{d}/structure",
        f"/drafts/{d}/provisions/{a}/edit",
    ]:
        response = client.post(
            path,
            data={
                "csrf_token": token,
                "name": "x",
                "action": "delete",
                "provision": a,
                "stage": "审议",
            },
        )
        assert response.status_code == 404, path
    hb = session.query(User).filter_by(username="hb_drafter").one()
    headers = bearer(session, hb)
    for method, path, body in _api(yishusi):
        response = client.open(path, method=method, json=body, headers=headers)
        assert response.status_code == 404, (method, path, response.status_code)
    found = client.get("/api/v1/search?q=红色资源&scope=workspace", headers=headers).get_json()
    assert found["total"] > 0  # 淮北 finds its own project's texts…
    assert all(h["project"] != str(yishusi["project"]) for h in found["hits"])  # …only those
    theirs = client.get("/api/v1/search?q=沂沭泗&scope=workspace", headers=headers).get_json()
    assert theirs["hits"] == []


def test_a_partner_commenter_reads_but_cannot_change_anything(client, session, yishusi):
    sq = session.query(User).filter_by(username="sq_commenter").one()
    headers = bearer(session, sq)
    for method, path, body in _api(yishusi):
        response = client.open(path, method=method, json=body, headers=headers)
        if method == "GET":
            assert response.status_code == 200, path
        else:
            assert response.status_code in (400, 403), (method, path, response.status_code)
    assert client.get(f"/api/v1/drafts/{yishusi['draft']}", headers=headers).status_code == 200
