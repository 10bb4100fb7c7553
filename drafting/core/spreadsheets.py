"""Spreadsheet cells that stay text: the one CSV writer every export uses, and its reverse.

A cell that begins with =, +, -, @, a tab or a carriage return is a formula to Excel and WPS
(=HYPERLINK("http://…") becomes a live link). OWASP's CSV-injection guidance: prefix such a cell
with a single quote so that it is shown as the text it is. `restore` undoes exactly that prefix
when the app reads its own files back (the proposal import reads the traceability CSV).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise(value: object) -> object:
    """Return a cell value that a spreadsheet shows as text, never evaluates."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return QUOTE + value
    return value


def restore(value: object) -> object:
    """Return a cell as it was before `neutralise` (a quote before a formula character goes)."""
    if isinstance(value, str) and value.startswith(QUOTE) and value[1:2] in TRIGGERS:
        return value[1:]
    return value


def csv_bytes(header: Iterable[object], rows: Iterable[Iterable[object]]) -> bytes:
    """Return a table as CSV in UTF-8 with a BOM (which Excel needs), every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel")
    writer.writerow([neutralise(c) for c in header])
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
    return out.getvalue().encode("utf-8-sig")
