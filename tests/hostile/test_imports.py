"""Hostile import files: over-long CSV fields, .xlsx bombs, too many rows, a bounded preview."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook

from tests.helpers import login, make_user

HEADER = "类别,编号,标题,内容\n"
# The documented limits (README): rows per file, characters per cell, an .xlsx unpacked.
MAX_ROWS = 5000
MAX_CELL = 20_000
MAX_UNPACKED_BYTES = 30 * 1024 * 1024


def _csrf(client):
    page = client.get("/proposals/import").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _upload(client, name, data):
    return client.post(
        "/proposals/import",
        data={"csrf_token": _csrf(client), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _signed_in(client, session):
    make_user(session, "xz", "320300")
    login(client, "xz")


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_csv_field_beyond_the_csv_modules_limit_is_422_naming_the_row(client, session):
    _signed_in(client, session)
    body = HEADER + "民情民意,,短标题,内容\n" + "民情民意,,长," + "字" * 140_000 + "\n"
    r = _upload(client, "长.csv", body.encode("utf-8"))
    assert r.status_code == 422
    assert "第 3 行" in r.get_data(as_text=True)


def test_an_xlsx_cell_over_the_limit_is_422_naming_the_row(client, session):
    _signed_in(client, session)
    data = _xlsx([["类别", "标题", "内容"], ["民情民意", "标题", "字" * (MAX_CELL + 1)]])
    r = _upload(client, "长.xlsx", data)
    assert r.status_code == 422
    assert "第 2 行第 3 列" in r.get_data(as_text=True)


def test_an_xlsx_that_unpacks_beyond_the_limit_is_413_before_it_is_read(client, session):
    _signed_in(client, session)
    small = _xlsx([["类别", "标题"], ["民情民意", "SMALLCELL"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                # One inline-string cell of many megabytes that compresses to a few kilobytes.
                huge = b"x" * (MAX_UNPACKED_BYTES + 1024)
                part = part.replace(
                    b"</sheetData>",
                    b'<row r="3"><c r="A3" t="inlineStr"><is><t>' + huge + b"</t></is></c></row>"
                    b"</sheetData>",
                )
            dst.writestr(info, part, compress_type=zipfile.ZIP_DEFLATED)
    bomb = out.getvalue()
    assert len(bomb) < 200_000
    r = _upload(client, "炸弹.xlsx", bomb)
    assert r.status_code == 413
    assert len(r.data) < 100_000


def test_a_sheet_with_too_many_rows_is_413_naming_the_row(client, session):
    _signed_in(client, session)
    rows = [["类别", "标题"]] + [["民情民意", f"意见{i}"] for i in range(MAX_ROWS + 5)]
    r = _upload(client, "多.xlsx", _xlsx(rows))
    assert r.status_code == 413
    assert f"第 {MAX_ROWS + 2} 行" in r.get_data(as_text=True)


def test_the_preview_lists_a_bounded_number_of_rows(client, session):
    _signed_in(client, session)
    body = HEADER + "".join(f"心愿,,标题{i},内容\n" for i in range(1000))
    r = _upload(client, "错.csv", body.encode("utf-8"))
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "标题0<" in html and "标题999<" not in html
    assert "仅列出前 200 行" in html
