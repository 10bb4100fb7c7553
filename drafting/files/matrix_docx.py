"""The reconciliation table as a landscape Word table: articles × cities, with statuses."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from concord.i18n import gettext as _
from drafting.core.alignment import CELL_STATUSES
from drafting.files.comparison_docx import landscape_document, repeat_header, shade, text_run
from drafting.files.docx_writer import HEADING_FONT, TITLE_FONT

if TYPE_CHECKING:
    from drafting.services.matrix import Matrix

# Shading per status keeps the printout readable; the status is also written in words.
FILLS = {
    "identical": "FFFFFF",
    "equivalent": "EEF5FB",
    "modified": "FFF4D6",
    "missing": "FBE0E0",
    "city_only": "E3F2E6",
}


def status_names() -> dict[str, str]:
    """Return the shown name of each cell status."""
    return {
        "identical": _("相同"),
        "equivalent": _("仅地名不同"),
        "modified": _("有修改"),
        "missing": _("缺少"),
        "city_only": _("本市独有"),
    }


def matrix_docx(matrix: Matrix) -> bytes:
    """Return the reconciliation table as .docx bytes, A4 landscape."""
    out = landscape_document(margin_cm=1.8)
    names = status_names()

    title = out.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text_run(
        title, _("《{title}》逐条比对表", title=matrix.pivot.draft.title), font=TITLE_FONT, size=18
    )
    if not matrix.pivot_is_common:
        text_run(
            out.add_paragraph(),
            _("本项目尚无协同文本，以《{t}》为基准。", t=matrix.pivot.draft.title),
            size=10.5,
        )

    summary = out.add_table(rows=1, cols=1 + len(CELL_STATUSES))
    summary.style = "Table Grid"
    for cell, text in zip(
        summary.rows[0].cells, [_("地区"), *(names[s] for s in CELL_STATUSES)], strict=True
    ):
        cell.text = ""
        text_run(cell.paragraphs[0], text, font=HEADING_FONT, size=10.5, bold=True)
        shade(cell, "E7E6E6")
    for column, counts in matrix.summary():
        cells = summary.add_row().cells
        cells[0].text = ""
        text_run(cells[0].paragraphs[0], column.draft.jurisdiction.name, size=10.5)
        for cell, status in zip(cells[1:], CELL_STATUSES, strict=True):
            cell.text = ""
            text_run(cell.paragraphs[0], str(counts[status]), size=10.5)
    out.add_paragraph()

    n = len(matrix.columns)
    table = out.add_table(rows=1, cols=n)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    repeat_header(header)
    heads = [
        _("协同文本") if matrix.pivot_is_common else matrix.pivot.draft.jurisdiction.name,
        *(c.draft.jurisdiction.name for c in matrix.cities),
    ]
    for cell, text in zip(header.cells, heads, strict=True):
        cell.text = ""
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text_run(p, text, font=HEADING_FONT, size=10.5, bold=True)
        shade(cell, "E7E6E6")
    chapter = None
    for row in matrix.rows:
        if row.chapter and row.chapter != chapter:
            chapter = row.chapter
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            merged.text = ""
            p = merged.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            text_run(p, chapter, font=HEADING_FONT, size=10.5, bold=True)
        cells = table.add_row().cells
        for v, (cell, data) in enumerate(zip(cells, row.cells, strict=True)):
            cell.text = ""
            p = cell.paragraphs[0]
            text_run(p, data.label or "—", size=10.5, bold=v == 0)
            if data.status:
                text_run(p, "　" + names[data.status], size=10.5)
                shade(cell, FILLS[data.status])
    width = Cm(26.1 / n)
    for column in table.columns:
        for cell in column.cells:
            cell.width = width
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
