"""Search through the app: the API contract, workspace permissions, edits followed, bad queries."""

import os

import pytest

from concord.db import unit_of_work
from drafting.services import drafts, editing, structure
from search.importer import import_directory
from tests.helpers import SMALL_REGULATION, bearer, login, make_draft, make_project, make_user

STATUTE = """# 某市水污染防治条例

2020年5月14日某市人民代表大会常务委员会通过

<!-- INFO END -->

## 第一章 总则

第一条 为了防治水污染，保护和改善环境，制定本条例。

第二条 排放水污染物的单位应当依法取得排污许可证。

## 第二章 法律责任

第三条 违反本条例第二条规定，未取得排污许可证排放水污染物的，处十万元以上一百万元以下的罚款。
"""


@pytest.fixture
def precedents(app, tmp_path):
    """A one-law precedent index in the app's index folder."""
    src = tmp_path / "statutes" / "local" / "某市"
    src.mkdir(parents=True)
    (src / "某市水污染防治条例(2020-05-14).md").write_text(STATUTE, encoding="utf-8")
    import_directory(app.extensions["concord_engine"], tmp_path / "statutes")
    return app.extensions["concord_engine"]


def test_api_search_returns_the_contract_fields(client, session, precedents):
    user = make_user(session, "adv", "320300", "adviser")
    body = client.get("/api/v1/search?q=排污许可证", headers=bearer(session, user)).get_json()
    assert set(body) >= {"query", "total", "took_ms", "hits"}
    hit = body["hits"][0]
    assert set(hit) >= {"law", "label", "jurisdiction", "level", "date", "path", "score", "snippet"}
    assert hit["law"] == "某市水污染防治条例" and hit["label"] == "第二条"
    assert "<b>排污许可证</b>" in hit["snippet"] and hit["date"] == "2020-05-14"


@pytest.mark.parametrize("q", ['"排污', "AND", "((罚款", "NOT", "罚款 OR", "“水污染"])
def test_malformed_queries_never_fail_with_500(client, session, precedents, q):
    user = make_user(session, "adv", "320300", "adviser")
    response = client.get("/api/v1/search", query_string={"q": q}, headers=bearer(session, user))
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.get_json()["error"]["message"]


def test_search_page_groups_hits_by_law_and_opens_the_law_at_the_article(
    client, session, auth, precedents
):
    make_user(session, "adv", "320300", "adviser")
    auth.login("adv")
    page = client.get("/search?q=罚款").get_data(as_text=True)
    assert "某市水污染防治条例" in page and "第三条" in page
    law = client.get(
        "/search/law",
        query_string={"path": "local/某市/某市水污染防治条例(2020-05-14).md", "article": "第三条"},
    )
    text = law.get_data(as_text=True)
    assert law.status_code == 200 and 'id="第三条"' in text and "target" in text
    assert client.get("/search/law?path=nowhere.md").status_code == 404


def test_workspace_search_never_returns_another_projects_text(client, session):
    xz = make_user(session, "xz", "320300", "drafter")
    hb = make_user(session, "hb", "340600", "drafter")
    mine = make_project(session, xz, participants=["321300"], title="甲项目")
    theirs = make_project(session, hb, participants=["341300"], title="乙项目")
    make_draft(session, xz, mine, SMALL_REGULATION.replace("红色资源", "古树名木"))
    make_draft(session, hb, theirs, SMALL_REGULATION.replace("红色资源", "古树名木"))
    for user, project in ((xz, mine), (hb, theirs)):
        body = client.get(
            "/api/v1/search",
            query_string={"q": "古树名木", "scope": "workspace"},
            headers=bearer(session, user),
        ).get_json()
        assert body["total"] > 0
        assert {h["project"] for h in body["hits"]} == {str(project.id)}
        paths = {h["path"] for h in body["hits"]}
        if user is xz:
            xz_path = paths.pop()
    # Nor does its whole text open for another city by its path.
    login(client, "xz")
    assert client.get("/search/law", query_string={"path": xz_path}).status_code == 200
    login(client, "hb")
    assert client.get("/search/law", query_string={"path": xz_path}).status_code == 404
    outsider = make_user(session, "sz", "411400", "drafter")
    body = client.get(
        "/api/v1/search",
        query_string={"q": "古树名木", "scope": "all"},
        headers=bearer(session, outsider),
    ).get_json()
    assert body["hits"] == []


def test_the_index_follows_an_edit(client, session):
    xz = make_user(session, "xz", "320300", "drafter")
    project = make_project(session, xz)
    draft = make_draft(session, xz, project)
    first = drafts.load_tree(session, draft).articles()[0]
    with unit_of_work(session):
        editing.apply_edit(
            session,
            xz,
            first.id,
            text="为了保护大运河文化遗产，制定本条例。",
            base_revision=first.revision,
        )
    body = client.get(
        "/api/v1/search",
        query_string={"q": "大运河", "scope": "workspace"},
        headers=bearer(session, xz),
    ).get_json()
    assert [h["label"] for h in body["hits"]] == ["第一条"]


def test_similar_provisions_panel_lists_precedents_first(client, session, auth, precedents):
    xz = make_user(session, "xz", "320300", "drafter")
    project = make_project(session, xz)
    draft = make_draft(
        session,
        xz,
        project,
        SMALL_REGULATION.replace(
            "市人民政府应当将红色资源保护纳入国民经济和社会发展规划。",
            "排放水污染物的企业应当取得排污许可证。",
        ),
    )
    article = drafts.load_tree(session, draft).articles()[2]
    auth.login("xz")
    page = client.get(f"/drafts/{draft.id}/provisions/{article.id}/similar").get_data(as_text=True)
    assert "某市水污染防治条例" in page and "第二条" in page


def test_workspace_labels_follow_renumbering(client, session):
    xz = make_user(session, "xz", "320300", "drafter")
    project = make_project(session, xz)
    draft = make_draft(session, xz, project)
    first = drafts.load_tree(session, draft).articles()[0]
    with unit_of_work(session):
        structure.add_provision(
            session, xz, draft, kind="article", text="新增的一条。", after=first.id
        )
    body = client.get(
        "/api/v1/search",
        query_string={"q": "国民经济", "scope": "workspace"},
        headers=bearer(session, xz),
    ).get_json()
    assert [h["label"] for h in body["hits"]] == ["第四条"]


def test_search_before_anything_is_indexed_says_so(client, session):
    user = make_user(session, "adv", "320300", "adviser")
    body = client.get("/api/v1/search?q=罚款", headers=bearer(session, user)).get_json()
    assert body["total"] == 0 and "precedents import" in body["notices"][0]


@pytest.mark.parametrize(
    "q", ["(" * 5000, "罚款 " * 2500, " OR ".join(["罚款"] * 5000), "排污\x00\x1b许可证", '"罚款 (']
)
def test_hostile_queries_get_results_or_a_clear_400(client, session, precedents, q):
    user = make_user(session, "adv", "320300", "adviser")
    response = client.get("/api/v1/search", query_string={"q": q}, headers=bearer(session, user))
    assert response.status_code in (200, 400)
    body = response.get_json()
    assert isinstance(body["total"], int) if response.status_code == 200 else body["error"]


def test_api_and_page_say_the_index_is_being_built(client, session, auth, precedents):
    from search.services.import_state import write_state

    write_state(precedents, state="building", done=1, total=2090, pid=os.getpid())
    user = make_user(session, "adv", "320300", "adviser")
    body = client.get("/api/v1/search?q=火星", headers=bearer(session, user)).get_json()
    assert body["index"] == {"state": "building", "done": 1, "total": 2090}
    assert "1 / 2090" in body["notices"][0]
    auth.login("adv")
    page = client.get("/search?q=火星").get_data(as_text=True)
    assert "法规索引正在建立" in page and "仍在建立" in page and 'http-equiv="refresh"' in page
