"""The legality review of a draft: page, decisions kept and audited, marks, .docx, API, CLI."""

from __future__ import annotations

import io
import json

import docx
import pytest
from click.testing import CliRunner

from concord.cli import main
from drafting.services import audit
from tests.helpers import bearer, csrf_of, make_draft, make_project, make_user
from tests.review_helpers import DRAFT, import_statutes


@pytest.fixture
def reviewed(app, session, tmp_path):
    """A city draft with findings, its drafter, an adviser and a commenter of the same city."""
    import_statutes(app, tmp_path / "statutes")
    drafter = make_user(session, "drafter")
    adviser = make_user(session, "adviser", role="adviser")
    commenter = make_user(session, "commenter", role="commenter")
    project = make_project(session, drafter)
    draft = make_draft(session, drafter, project, DRAFT)
    return draft.id, drafter, adviser, commenter


def findings_of(client, session, user, draft_id):
    response = client.get(f"/api/v1/drafts/{draft_id}/review", headers=bearer(session, user))
    assert response.status_code == 200
    return response.get_json()["findings"]


def test_the_api_returns_the_contract_findings_with_provision_ids(client, session, reviewed):
    draft_id, drafter, *_ = reviewed
    found = findings_of(client, session, drafter, draft_id)
    kinds = {(f["label"], f["kind"], f["severity"]) for f in found}
    assert ("第二条", "repeats_upper_law", "review") in kinds
    assert ("第三条", "license_review", "review") in kinds
    assert ("第四条", "fine_exceeds_upper_law", "violation") in kinds
    assert ("第四条", "penalty_not_allowed", "violation") in kinds
    assert ("第五条", "citation_not_found", "violation") in kinds
    fine = next(f for f in found if f["kind"] == "fine_exceeds_upper_law")
    # The current (2024) version is upper law, not the 2017 one.
    assert fine["upper"]["law"] == "中华人民共和国文物保护法"
    assert fine["upper"]["date"] == "2024-11-08" and fine["upper"]["label"] == "第四条"
    assert isinstance(fine["provision"], int)
    penalty = next(f for f in found if f["kind"] == "penalty_not_allowed")
    assert penalty["upper"]["label"] == "第十二条" and "吊销营业执照" in penalty["upper"]["text"]


def test_an_unseen_draft_is_404_and_a_bad_version_is_refused(client, session, reviewed):
    draft_id, _drafter, *_ = reviewed
    outsider = make_user(session, "outsider", jurisdiction="110000")
    headers = bearer(session, outsider)
    assert client.get(f"/api/v1/drafts/{draft_id}/review", headers=headers).status_code == 404
    drafter = reviewed[1]
    bad = client.get(
        f"/api/v1/drafts/{draft_id}/review?version=v999999", headers=bearer(session, drafter)
    )
    assert bad.status_code in (400, 404) and "error" in bad.get_json()


def decide(client, draft_id, finding, decision, note=""):
    token = csrf_of(client, f"/drafts/{draft_id}/review")
    return client.post(
        f"/drafts/{draft_id}/review/decisions",
        data={
            "csrf_token": token,
            "provision": finding["provision"],
            "fingerprint": finding["fingerprint"],
            "label": finding["label"],
            "kind": finding["kind"],
            "decision": decision,
            "note": note,
        },
    )


def test_an_adviser_confirms_and_dismisses_findings_kept_audited_shown_next_time(
    client, session, auth, reviewed
):
    draft_id, drafter, adviser, _ = reviewed
    found = findings_of(client, session, adviser, draft_id)
    fine = next(f for f in found if f["kind"] == "fine_exceeds_upper_law")
    licence = next(f for f in found if f["kind"] == "license_review")
    auth.login("adviser")
    page = client.get(f"/drafts/{draft_id}/review").get_data(as_text=True)
    assert "五万元以上五十万元以下" in page and "罚款超出上位法幅度" in page
    confirmed = decide(client, draft_id, fine, "confirmed", "按上位法改为五十万元以下")
    assert confirmed.status_code == 303
    refused = decide(client, draft_id, licence, "dismissed", "")
    assert refused.status_code == 303
    page = client.get(f"/drafts/{draft_id}/review").get_data(as_text=True)
    assert "请写明理由" in page
    decide(client, draft_id, licence, "dismissed", "上位法已授权设区的市设定")
    again = findings_of(client, session, drafter, draft_id)
    decided = {f["kind"]: f.get("decision") for f in again}
    assert decided["fine_exceeds_upper_law"] == {
        "decision": "confirmed",
        "note": "按上位法改为五十万元以下",
    }
    assert decided["license_review"]["decision"] == "dismissed"
    page = client.get(f"/drafts/{draft_id}/review").get_data(as_text=True)
    assert "按上位法改为五十万元以下" in page and "上位法已授权设区的市设定" in page
    from drafting.models import Draft

    project = session.get(Draft, draft_id).project
    actions = [e.action for e in audit.entries(session, project)]
    assert actions.count("review.confirm") == 1 and actions.count("review.dismiss") == 1


def test_a_commenter_may_read_the_review_but_not_decide(client, session, auth, reviewed):
    draft_id, _drafter, adviser, _commenter = reviewed
    finding = findings_of(client, session, adviser, draft_id)[0]
    auth.login("adviser")
    assert "不予采纳" in client.get(f"/drafts/{draft_id}/review").get_data(as_text=True)
    auth.login("commenter")
    page = client.get(f"/drafts/{draft_id}/review")
    assert page.status_code == 200 and "不予采纳" not in page.get_data(as_text=True)
    assert decide(client, draft_id, finding, "confirmed", "好").status_code == 403


def test_the_draft_page_marks_the_articles_of_the_last_review(client, session, auth, reviewed):
    draft_id, *_ = reviewed
    auth.login("drafter")
    assert "审查：" not in client.get(f"/drafts/{draft_id}").get_data(as_text=True)
    client.get(f"/drafts/{draft_id}/review")
    page = client.get(f"/drafts/{draft_id}").get_data(as_text=True)
    assert "合法性审查" in page
    assert "review-mark review-violation" in page and "审查：需修改" in page


def test_the_opinion_downloads_as_word(client, auth, reviewed):
    draft_id, *_ = reviewed
    auth.login("adviser")
    response = client.get(f"/drafts/{draft_id}/review?format=docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "合法性审查意见" in text
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert any("第十二条" in c for c in cells) and any("第四条" == c for c in cells)


def test_any_document_pasted_with_its_level(client, auth, reviewed):
    auth.login("adviser")
    token = csrf_of(client, "/review")
    notice = "关于禁渔期的公告\n\n第一条　违反本公告的，给予警告，并处一千元罚款。\n"
    page = client.post(
        "/review", data={"csrf_token": token, "text": notice, "level": "normative-document"}
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "无权设定的行政处罚" in html and "其他规范性文件不得设定行政处罚" in html


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"text": "   ", "level": "rules"}, 400, "请粘贴"),
        ({"text": "第一条　禁止捕捞。", "level": "ordinance"}, 400, "未知的文件层级"),
        ({"text": "这不是法规。", "level": "rules"}, 422, "未找到任何条文"),
    ],
)
def test_bad_input_on_the_page_is_a_clear_4xx(client, auth, reviewed, data, status, message):
    auth.login("adviser")
    token = csrf_of(client, "/review")
    page = client.post("/review", data={"csrf_token": token, **data})
    assert page.status_code == status and message in page.get_data(as_text=True)


def test_an_empty_upload_and_a_huge_paste_are_refused(client, auth, reviewed):
    auth.login("adviser")
    token = csrf_of(client, "/review")
    empty = client.post(
        "/review",
        data={"csrf_token": token, "level": "rules", "file": (io.BytesIO(b""), "a.docx")},
        content_type="multipart/form-data",
    )
    assert empty.status_code == 400 and "是空的" in empty.get_data(as_text=True)
    huge = client.post(
        "/review", data={"csrf_token": token, "level": "rules", "text": "罚" * (21 * 1024 * 1024)}
    )
    assert huge.status_code == 413


def test_cli_review_json_one_line_per_file(app, database_url, tmp_path, monkeypatch, reviewed):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("CONCORD_INSTANCE", str(tmp_path / "instance"))
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["review", str(draft), str(draft), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert len(lines) == 2 and lines[0]["file"] == str(draft)
    assert lines[0]["title"] == "XX市红色资源保护条例" and lines[0]["level"] == "city-regulation"
    finding = next(f for f in lines[0]["findings"] if f["kind"] == "fine_exceeds_upper_law")
    assert {"label", "kind", "severity", "message", "upper"} <= set(finding)
    assert finding["upper"]["label"] == "第四条"
    bad = runner.invoke(main, ["review", str(draft), "--level", "ordinance"])
    assert bad.exit_code == 2 and "未知的文件层级" in bad.stderr and "Traceback" not in bad.output
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    none = runner.invoke(main, ["review", str(empty)])
    assert none.exit_code == 2 and none.stderr.count("\n") == 1
