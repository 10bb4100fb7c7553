"""The audit log people read: actions in words in their language, filters, pages, and a CSV
export whose cells no spreadsheet runs as formulas."""

from __future__ import annotations

import csv
import io

from drafting.services import audit
from tests.helpers import make_draft, make_project, make_user


def _setup(session):
    lead = make_user(session, "xz_drafter", "320300")
    other = make_user(session, "xz_second", "320300")
    project = make_project(session, lead)
    draft = make_draft(session, lead, project)
    for i in range(60):
        audit.record(session, other, "stage.record", project=project, summary=f"阶段 {i}")
    audit.record(session, other, "provision.edit", project=project, summary='=HYPERLINK("x")')
    session.commit()
    return lead, other, project, draft


def test_actions_show_in_words_in_either_language(client, session, auth):
    _lead, _other, project, _draft = _setup(session)
    auth.login("xz_drafter")
    zh = client.get(f"/projects/{project.id}/audit").get_data(as_text=True)
    assert "登记阶段" in zh and "stage.record" not in zh.split("<tbody>")[1]
    en = client.get(f"/projects/{project.id}/audit?lang=en").get_data(as_text=True)
    assert "Record stage" in en


def test_filters_by_who_what_and_draft_and_pages(client, session, auth):
    lead, other, project, draft = _setup(session)
    auth.login("xz_drafter")
    base = f"/projects/{project.id}/audit"
    everything = client.get(base).get_data(as_text=True)
    assert "1 / 2" in everything  # 62 entries, 50 a page
    mine = client.get(f"{base}?who={lead.id}").get_data(as_text=True)
    assert "xz_second".title() not in mine.split("<tbody>")[1]
    edits = client.get(f"{base}?action=provision.edit").get_data(as_text=True)
    assert edits.split("<tbody>")[1].count("<tr>") == 1
    of_draft = client.get(f"{base}?draft={draft.id}").get_data(as_text=True)
    assert "新建文本" in of_draft and "登记阶段" not in of_draft.split("<tbody>")[1]
    second = client.get(f"{base}?page=2&action=stage.record").get_data(as_text=True)
    assert second.split("<tbody>")[1].count("<tr>") == 10
    assert client.get(f"{base}?since=not-a-date").status_code == 400


def test_csv_export_neutralises_formulas(client, session, auth):
    _lead, _other, project, _draft = _setup(session)
    auth.login("xz_drafter")
    answer = client.get(f"/projects/{project.id}/audit.csv?action=provision.edit")
    assert answer.status_code == 200 and answer.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert rows[0][0] == "时间" and len(rows) == 2
    assert rows[1][4] == '\'=HYPERLINK("x")'


def test_partners_do_not_read_the_lead_s_audit_log(client, session, auth):
    _lead, _other, project, _draft = _setup(session)
    make_user(session, "sq_drafter", "321300")
    auth.login("sq_drafter")
    assert client.get(f"/projects/{project.id}/audit.csv").status_code == 403
