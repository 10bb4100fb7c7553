"""Rounds, comments and dispositions through /api/v1, for each role, with bad input refused."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from comments.consultation.models import Comment, Disposition, Round
from drafting.models import AuditEntry, Provision, Revision
from tests.consultation.helpers import comment, consultation


@pytest.fixture
def c(session):
    return consultation(session)


def count(session, model) -> int:
    session.rollback()  # end the test's read snapshot so the app's commits are visible
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_partner_comments_with_proposed_text_and_sees_it_listed(client, session, c):
    r = comment(
        client, c, quote="国民经济和社会发展规划", proposed_text="国民经济和社会发展规划和年度计划"
    )
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["jurisdiction"] == "321300" and body["kind"] == "amend"
    assert body["label"] == "第三条" and body["anchor"]["state"] == "current"
    listed = client.get(f"/api/v1/drafts/{c['draft'].id}/comments", headers=c["headers"]["partner"])
    [row] = listed.get_json()["comments"]
    assert row["body"] == "建议明确规划的期限。" and row["disposition"] is None


def test_the_lead_opens_a_round_and_it_is_recorded(client, session, c):
    r = client.post(
        f"/api/v1/drafts/{c['draft'].id}/rounds",
        json={
            "title": "第二轮",
            "opens": "2026-01-01",
            "closes": "2026-02-01",
            "invited": ["321300"],
        },
        headers=c["headers"]["lead"],
    )
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["invited"] == ["321300"]
    assert session.scalar(select(func.count()).where(AuditEntry.action == "round.open")) == 2


@pytest.mark.parametrize(
    ("who", "status"), [("partner", 403), ("partner_drafter", 403), ("outsider", 404)]
)
def test_only_the_drafting_city_opens_rounds(client, session, c, who, status):
    r = client.post(
        f"/api/v1/drafts/{c['draft'].id}/rounds",
        json={"title": "x", "opens": "2026-01-01", "closes": "2026-02-01", "invited": ["321300"]},
        headers=c["headers"][who],
    )
    assert r.status_code == status
    assert count(session, Round) == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            {"title": "", "opens": "2026-01-01", "closes": "2026-02-01", "invited": ["321300"]},
            "title",
        ),
        (
            {"title": "x", "opens": "2026-13-01", "closes": "2026-02-01", "invited": ["321300"]},
            "opens",
        ),
        (
            {"title": "x", "opens": "2026-03-01", "closes": "2026-02-01", "invited": ["321300"]},
            "closes",
        ),
        (
            {"title": "x", "opens": "2026-01-01", "closes": "2026-02-01", "invited": ["999999"]},
            "999999",
        ),
    ],
)
def test_a_bad_round_is_refused_naming_the_field(client, session, c, payload, field):
    r = client.post(
        f"/api/v1/drafts/{c['draft'].id}/rounds", json=payload, headers=c["headers"]["lead"]
    )
    assert r.status_code == 400
    assert field in r.get_json()["error"]["message"]
    assert count(session, Round) == 1


@pytest.mark.parametrize(("who", "status"), [("uninvited", 403), ("outsider", 404)])
def test_only_invited_cities_comment(client, session, c, who, status):
    r = comment(client, c, who=who)
    assert r.status_code == status
    assert count(session, Comment) == 0


def test_the_drafting_city_comments_in_its_own_round(client, session, c):
    assert comment(client, c, who="lead_commenter").status_code == 201


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ({"body": "  "}, "意见内容"),
        ({"quote": "不在条文中的文字"}, "quote"),
        ({"kind": "amend"}, "proposed_text"),
        ({"kind": "nonsense"}, "kind"),
    ],
)
def test_bad_comments_are_refused_and_nothing_is_stored(client, session, c, extra, needle):
    r = comment(client, c, **extra)
    assert r.status_code == 400
    assert needle in r.get_json()["error"]["message"]
    assert count(session, Comment) == 0


def test_a_comment_after_the_closing_date_is_refused(client, session):
    past = date.today() - timedelta(days=30)
    c = consultation(session, opens=past, closes=past + timedelta(days=10))
    r = comment(client, c)
    assert r.status_code == 403
    assert "截止" in r.get_json()["error"]["message"]
    assert count(session, Comment) == 0


def test_a_comment_is_sent_as_the_authors_jurisdiction(client, session, c):
    r = comment(client, c, jurisdiction="320300")
    assert r.get_json()["jurisdiction"] == "321300"


def test_only_the_drafting_city_records_comments_from_paper(client, session, c):
    paper = {
        "round": c["round"].id,
        "channel": "paper",
        "jurisdiction": "340600",
        "unit": "淮北市司法局",
        "received_on": date.today().isoformat(),
    }
    refused = comment(client, c, who="partner_drafter", **paper)
    assert refused.status_code == 403
    r = comment(client, c, who="lead", **paper)
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["jurisdiction"] == "340600" and body["unit"] == "淮北市司法局"
    assert body["channel"] == "paper"


def _decide(client, c, cid, who="lead", **body):
    return client.post(f"/api/v1/comments/{cid}/disposition", json=body, headers=c["headers"][who])


@pytest.mark.parametrize(
    ("who", "status"), [("partner", 403), ("partner_drafter", 403), ("lead_commenter", 403)]
)
def test_only_the_drafting_citys_drafters_decide(client, session, c, who, status):
    cid = comment(client, c).get_json()["id"]
    r = _decide(client, c, cid, who=who, decision="adopted")
    assert r.status_code == status
    assert count(session, Disposition) == 0


def test_a_disposition_other_than_adopted_needs_a_reason(client, session, c):
    cid = comment(client, c).get_json()["id"]
    r = _decide(client, c, cid, decision="not_adopted", reason=" ")
    assert r.status_code == 400 and "reason" in r.get_json()["error"]["message"]
    assert count(session, Disposition) == 0
    assert _decide(client, c, cid, decision="maybe").status_code == 400
    ok = _decide(client, c, cid, decision="not_adopted", reason="上位法已有规定。")
    assert ok.status_code == 200


def test_adopting_and_applying_writes_a_revision_linked_to_the_comment(client, session, c):
    cid = comment(
        client, c, quote="国民经济和社会发展规划", proposed_text="国民经济和社会发展规划和年度计划"
    ).get_json()["id"]
    r = _decide(client, c, cid, decision="adopted", apply=True)
    assert r.status_code == 200, r.get_json()
    rev_id = r.get_json()["applied_revision"]
    session.rollback()
    session.expire_all()
    rev = session.get(Revision, rev_id)
    assert rev.action == "apply"
    prov = session.get(Provision, c["articles"]["第三条"].id)
    assert prov.text == "市人民政府应当将红色资源保护纳入国民经济和社会发展规划和年度计划。"
    actions = set(session.scalars(select(AuditEntry.action)))
    assert {"comment.decide", "provision.edit"} <= actions
    seen = client.get(f"/api/v1/drafts/{c['draft'].id}/comments", headers=c["headers"]["partner"])
    [row] = seen.get_json()["comments"]
    assert row["disposition"] == "adopted" and row["applied_revision"] == rev_id


def test_applying_over_a_conflicting_edit_is_refused_and_nothing_is_stored(client, session, c):
    pid = c["articles"]["第三条"].id
    cid = comment(
        client, c, quote="国民经济和社会发展规划", proposed_text="国民经济和社会发展年度计划"
    ).get_json()["id"]
    base = session.get(Provision, pid).revision_id
    edited = client.patch(
        f"/api/v1/provisions/{pid}",
        json={"text": "市人民政府应当将红色资源保护纳入国土空间规划。", "base_revision": base},
        headers=c["headers"]["lead"],
    )
    assert edited.status_code == 200
    r = _decide(client, c, cid, decision="adopted", apply=True)
    assert r.status_code == 409
    assert (
        r.get_json()["error"]["current"]["text"] == "市人民政府应当将红色资源保护纳入国土空间规划。"
    )
    session.rollback()
    session.expire_all()
    assert count(session, Disposition) == 0
    assert session.get(Provision, pid).text == "市人民政府应当将红色资源保护纳入国土空间规划。"


def test_partner_sees_each_others_comments_only_in_shared_rounds(client, session):
    c = consultation(session, visibility="lead_only")
    comment(client, c, who="partner")
    comment(client, c, who="other_partner")
    url = f"/api/v1/drafts/{c['draft'].id}/comments"
    assert len(client.get(url, headers=c["headers"]["partner"]).get_json()["comments"]) == 1
    assert len(client.get(url, headers=c["headers"]["lead"]).get_json()["comments"]) == 2


def test_comments_are_filtered_by_city_status_article_and_kind(client, session, c):
    comment(client, c, who="partner")
    comment(client, c, who="other_partner", label="第四条", kind="delete")
    url = f"/api/v1/drafts/{c['draft'].id}/comments"
    h = c["headers"]["lead"]
    assert len(client.get(url + "?jurisdiction=340600", headers=h).get_json()["comments"]) == 1
    assert len(client.get(url + "?kind=delete", headers=h).get_json()["comments"]) == 1
    art = c["articles"]["第三条"].id
    assert len(client.get(url + f"?article={art}", headers=h).get_json()["comments"]) == 1
    assert len(client.get(url + "?status=undecided", headers=h).get_json()["comments"]) == 2
    assert client.get(url + "?article=x", headers=h).status_code == 400


def test_replies_thread_under_a_comment(client, session, c):
    cid = comment(client, c).get_json()["id"]
    r = client.post(
        f"/api/v1/comments/{cid}/replies",
        json={"body": "请说明期限。"},
        headers=c["headers"]["lead"],
    )
    assert r.status_code == 201
    [row] = client.get(
        f"/api/v1/drafts/{c['draft'].id}/comments", headers=c["headers"]["partner"]
    ).get_json()["comments"]
    assert row["replies"][0]["body"] == "请说明期限。"
    refused = client.post(
        f"/api/v1/comments/{cid}/replies", json={"body": "x"}, headers=c["headers"]["outsider"]
    )
    assert refused.status_code == 404


def test_the_disposition_table_exports_as_csv_excel_opens(client, session, c):
    cid = comment(client, c).get_json()["id"]
    _decide(client, c, cid, decision="partly_adopted", reason="期限由各市规定。")
    r = client.get(
        f"/api/v1/rounds/{c['round'].id}/export?format=csv", headers=c["headers"]["partner"]
    )
    assert r.status_code == 200
    assert r.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0] == ["序号", "条款", "意见内容", "提出单位", "处理情况", "理由"]
    assert rows[1][1] == "第三条" and rows[1][3] == "宿迁市" and rows[1][4] == "部分采纳"
    assert rows[1][5] == "期限由各市规定。"


def test_both_tables_export_as_docx(client, session, c):
    from docx import Document

    comment(client, c)
    for table in ("dispositions", "summary"):
        r = client.get(
            f"/api/v1/rounds/{c['round'].id}/export?format=docx&table={table}",
            headers=c["headers"]["lead"],
        )
        assert r.status_code == 200
        doc = Document(io.BytesIO(r.data))
        text = "\n".join(cell.text for row in doc.tables[0].rows for cell in row.cells)
        assert "建议明确规划的期限。" in text and "宿迁市" in text
    bad = client.get(
        f"/api/v1/rounds/{c['round'].id}/export?format=pdf", headers=c["headers"]["lead"]
    )
    assert bad.status_code == 400
    hidden = client.get(f"/api/v1/rounds/{c['round'].id}/export", headers=c["headers"]["outsider"])
    assert hidden.status_code == 404
