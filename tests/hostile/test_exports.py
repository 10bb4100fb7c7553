"""Hostile text in every CSV the app writes: formulas stay text; exact Content-Type; photo 404."""

from __future__ import annotations

import csv
import io

from comments.proposals.services.spreadsheet_import import read_upload
from tests.consultation.helpers import comment, consultation
from tests.helpers import bearer, login, make_draft, make_project, make_user
from tests.intake_helpers import make_station, submit, tracking_number

FORMULA = '=HYPERLINK("http://evil.example/x","点此")'


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_formula_comment_is_text_in_both_round_tables(client, session):
    c = consultation(session)
    assert comment(client, c, body=FORMULA).status_code == 201
    for table, column in (("dispositions", 2), ("summary", 4)):
        r = client.get(
            f"/api/v1/rounds/{c['round'].id}/export?format=csv&table={table}",
            headers=c["headers"]["lead"],
        )
        assert r.status_code == 200
        assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
        cell = _rows(r.data)[1][column]
        assert cell.startswith("'=HYPERLINK"), cell
    login(client, "xz_drafter")
    page = client.get(f"/rounds/{c['round'].id}/export?format=csv")
    assert page.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert _rows(page.data)[1][2].startswith("'=HYPERLINK")


def test_the_traceability_csv_neutralises_and_the_import_reads_it_back(client, session):
    lead = make_user(session, "xz", "320300")
    project = make_project(session, lead, participants=("321300",))
    make_draft(session, lead, project)
    headers = bearer(session, lead)
    titles = [FORMULA, "+86 138 0000 0000", "-减少审批", "@市政府"]
    for title in titles:
        r = client.post(
            "/api/v1/proposals",
            json={"kind": "opinion", "title": title, "project": project.id},
            headers=headers,
        )
        assert r.status_code == 201
    login(client, "xz")
    r = client.get(f"/projects/{project.id}/traceability?format=csv")
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    shown = {row[2] for row in _rows(r.data)[1:]}
    assert shown == {"'" + t for t in titles}
    rows, _unknown = read_upload("建议意见落实情况.csv", r.data)
    assert {values["title"] for _line, values in rows} == set(titles)


def test_an_opinion_without_a_photo_is_404_at_its_photo(app, client, session):
    station = make_station(session)
    number = tracking_number(submit(client, app, station.code))
    from sqlalchemy import select

    from comments.opinions.models import OpinionIntake

    session.rollback()
    pid = session.scalar(
        select(OpinionIntake.proposal_id).where(OpinionIntake.tracking_number == number)
    )
    login(client, "klmy_drafter")
    assert client.get(f"/opinions/{pid}/photo").status_code == 404
