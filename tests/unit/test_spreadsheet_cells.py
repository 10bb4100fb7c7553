"""Cells a spreadsheet would evaluate are written as text, and read back as they were."""

from __future__ import annotations

import csv
import io

import pytest

from drafting.core.spreadsheets import csv_bytes, neutralise, restore

HOSTILE = ['=HYPERLINK("http://evil.example","点此")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_formula_cell_is_prefixed_and_restored(value):
    assert neutralise(value) == "'" + value
    assert restore(neutralise(value)) == value


@pytest.mark.parametrize("value", ["第三条", "'引号开头", "", "a=b", 12, None])
def test_ordinary_cells_pass_unchanged(value):
    assert neutralise(value) == value
    assert restore(value) == value


def test_the_csv_has_a_bom_and_no_cell_starts_with_a_formula_character():
    data = csv_bytes(["=标题"], [[v] for v in HOSTILE] + [[3]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r[0] for r in rows] == ["'=标题", *("'" + v for v in HOSTILE), "3"]


def test_no_module_writes_csv_but_the_one_writer():
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    writers = [
        p.relative_to(repo).as_posix()
        for package in ("concord", "drafting", "comments", "search")
        for p in (repo / package).rglob("*.py")
        if "csv.writer(" in p.read_text(encoding="utf-8")
        or "csv.DictWriter(" in p.read_text(encoding="utf-8")
    ]
    assert writers == ["drafting/core/spreadsheets.py"]
