"""CSV for spreadsheets: UTF-8 with BOM (Excel), cells that a spreadsheet would run neutralised."""

from __future__ import annotations

import csv
import io

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (CSV injection); a leading apostrophe makes it text again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Return the cell as text that no spreadsheet evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(rows: list[list[object]]) -> bytes:
    """Return rows as CSV bytes (UTF-8 with BOM, CRLF line ends), every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
