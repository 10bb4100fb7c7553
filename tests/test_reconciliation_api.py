"""Reconciliation over HTTP: the API, the matrix and row pages, pins, propagation, .docx export."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from concord.db import unit_of_work
from drafting.services import editing, versions
from drafting.services.drafts import load_tree
from tests.helpers import bearer, csrf_of, make_user
from tests.huaihai import CITIES, huaihai_project


@pytest.fixture
def hh(session):
    return huaihai_project(session)


def _article(session, draft, label):
    return next(a for a in load_tree(session, draft).articles() if a.label == label)


def test_api_returns_documents_and_groups_with_ids_and_labels(client, session, hh):
    headers = bearer(session, hh["users"]["340600"])
    body = client.get(
        f"/api/v1/projects/{hh['project'].id}/reconciliation", headers=headers
    ).get_json()
    assert [d["draft"] for d in body["documents"]] == [hh["common"].id] + [
        hh["drafts"][c].id for c in CITIES
    ]
    assert body["documents"][0]["common"] is True and body["common"] is True
    first = body["groups"][0]
    assert first["members"][str(hh["common"].id)] == [
        {"id": _article(session, hh["common"], "第一条").id, "label": "第一条"}
    ]
    assert first["status"] == "identical" and first["similarity"] == 1.0
    assert first["pinned"] is False
    suqian = str(hh["drafts"]["321300"].id)
    own = [g for g in body["groups"] if g["cells"][suqian] == "city_only"]
    assert [m["label"] for m in own[0]["members"][suqian]] == ["第五十一条"]
    assert own[0]["status"] == "partial"
    assert body["summary"][suqian]["modified"] == 2


def test_non_participants_get_404_from_api_and_page(client, session, hh, auth):
    outsider = make_user(session, "sq", "411400")
    url = f"/projects/{hh['project'].id}/reconciliation"
    assert client.get("/api/v1" + url, headers=bearer(session, outsider)).status_code == 404
    assert (
        client.get(
            "/api/v1/projects/999999/reconciliation", headers=bearer(session, outsider)
        ).status_code
        == 404
    )
    auth.login("sq")
    assert client.get(url).status_code == 404
    assert client.get(f"/projects/{hh['project'].id}/propagation").status_code == 404


def test_pin_and_unpin_through_the_api(client, session, hh):
    suqian = hh["drafts"]["321300"]
    own = _article(session, suqian, "第五十一条")
    gone = _article(session, hh["common"], "第四十四条")
    pid = hh["project"].id
    refused = client.post(
        f"/api/v1/projects/{pid}/reconciliation/pins",
        json={"draft": suqian.id, "common": gone.id, "city": own.id},
        headers=bearer(session, hh["users"]["340600"]),
    )
    assert refused.status_code == 403
    headers = bearer(session, hh["users"]["321300"])
    created = client.post(
        f"/api/v1/projects/{pid}/reconciliation/pins",
        json={"draft": suqian.id, "common": gone.id, "city": own.id},
        headers=headers,
    )
    assert created.status_code == 201
    body = client.get(f"/api/v1/projects/{pid}/reconciliation", headers=headers).get_json()
    group = next(g for g in body["groups"] if g["pinned"])
    assert group["members"][str(suqian.id)] == [{"id": own.id, "label": "第五十一条"}]
    assert group["members"][str(hh["common"].id)] == [{"id": gone.id, "label": "第四十四条"}]
    assert [p["id"] for p in body["pins"]] == [created.get_json()["id"]]
    deleted = client.delete(
        f"/api/v1/reconciliation/pins/{created.get_json()['id']}", headers=headers
    )
    assert deleted.status_code == 200
    bad = client.post(
        f"/api/v1/projects/{pid}/reconciliation/pins", json={"draft": suqian.id}, headers=headers
    )
    assert bad.status_code == 400 and bad.get_json()["error"]["message"]


def test_matrix_page_is_an_accessible_table_with_status_words(client, hh, auth):
    auth.login("drafter321300")
    page = client.get(f"/projects/{hh['project'].id}/reconciliation")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="reconciliation"' in html and 'id="reconciliation-summary"' in html
    assert '<th scope="col">协同文本</th>' in html and 'scope="row"' in html
    assert html.count('class="status-modified"') == 2 + 5
    assert 'class="status-city-only"' in html and 'class="status-missing"' in html
    assert "本市独有" in html and "有修改" in html  # the status in words, not colour alone
    assert f"/drafts/{hh['drafts']['321300'].id}/compare?against=d{hh['common'].id}" in html
    dashboard = client.get(f"/projects/{hh['project'].id}").get_data(as_text=True)
    assert f"/projects/{hh['project'].id}/reconciliation" in dashboard


def test_compare_link_of_each_city_works(client, hh, auth):
    auth.login("xuzhou")
    city = hh["drafts"]["341300"]
    page = client.get(f"/drafts/{city.id}/compare?against=d{hh['common'].id}")
    assert page.status_code == 200 and "修改对照表" in page.get_data(as_text=True)
    docx = client.get(f"/drafts/{city.id}/compare?against=d{hh['common'].id}&format=docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"


def test_row_page_marks_place_names_apart_and_pins_from_the_form(client, session, hh, auth):
    common_2 = _article(session, hh["common"], "第二条")
    pid = hh["project"].id
    auth.login("drafter340600")
    page = client.get(f"/projects/{pid}/reconciliation/rows/{common_2.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="reconciliation-row"' in html
    assert "地名差异" in html and re.search(r'<mark class="place" [^>]*>淮北市</mark>', html)
    assert "<ins>" not in html.split('id="reconciliation-row"')[1].split("</table>")[0]
    # 淮北 may correct its own pairings only.
    huaibei = hh["drafts"]["340600"]
    assert f'id="pin-{huaibei.id}"' in html and f'id="pin-{hh["drafts"]["321300"].id}"' not in html
    city_2 = _article(session, huaibei, "第二条")
    response = client.post(
        f"/projects/{pid}/reconciliation/pins",
        data={
            "csrf_token": csrf_of(client, f"/projects/{pid}/reconciliation"),
            "draft": huaibei.id,
            "common": common_2.id,
            "city": city_2.id,
        },
    )
    assert response.status_code == 302
    pinned = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已固定的对应关系" in pinned and "取消固定" in pinned
    unknown = client.get(f"/projects/{pid}/reconciliation/rows/999999")
    assert unknown.status_code == 404


def test_docx_export_is_a_landscape_table(client, hh, auth):
    auth.login("xuzhou")
    response = client.get(f"/projects/{hh['project'].id}/reconciliation?format=docx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(response.data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert xml.count("<w:tbl>") == 2 and 'w:orient="landscape"' in xml
    assert "宿州市" in xml and "本市独有" in xml and "第五十一条" in xml


def test_propagation_page_accept_and_decline(client, session, hh, auth):
    versions.create_version(session, hh["lead"], hh["common"], name="征求意见稿")
    article = _article(session, hh["common"], "第五条")
    with unit_of_work(session):
        editing.apply_edit(
            session,
            hh["lead"],
            article.id,
            text=article.text.replace("发展规划，", "发展规划和国土空间规划，"),
            base_revision=article.revision,
        )
    pid = hh["project"].id
    suqian = hh["drafts"]["321300"]
    auth.login("drafter321300")
    page = client.get(f"/projects/{pid}/propagation?draft={suqian.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="propagation"' in html
    assert f'id="change-{suqian.id}-{article.id}"' in html and 'data-status="clean"' in html
    token = csrf_of(client, f"/projects/{pid}/propagation")
    accepted = client.post(
        f"/projects/{pid}/propagation/accept",
        data={"csrf_token": token, "draft": suqian.id, "common": article.id},
    )
    assert accepted.status_code == 302
    assert "国土空间规划" in _article(session, suqian, "第五条").text
    # Another city's change is not 宿迁's to decide.
    huaibei = hh["drafts"]["340600"]
    refused = client.post(
        f"/projects/{pid}/propagation/decline",
        data={"csrf_token": token, "draft": huaibei.id, "common": article.id, "reason": "不"},
    )
    assert refused.status_code == 403
    headers = bearer(session, hh["users"]["340600"])
    pending = client.get(f"/api/v1/projects/{pid}/propagation?draft={huaibei.id}", headers=headers)
    assert [c["status"] for c in pending.get_json()["changes"]] == ["clean"]
    declined = client.post(
        f"/api/v1/projects/{pid}/propagation/decline",
        json={"draft": huaibei.id, "common": article.id, "reason": "本市暂不纳入国土空间规划。"},
        headers=headers,
    )
    assert declined.status_code == 201 and declined.get_json()["decision"] == "declined"
    log = client.get(f"/projects/{pid}/propagation").get_data(as_text=True)
    assert "本市暂不纳入国土空间规划。" in log and 'id="propagation-log"' in log
