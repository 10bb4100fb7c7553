"""The traceability report (建议意见落实情况表) as a landscape .docx with three tables."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "SimSun"
RED = RGBColor(0xC0, 0x00, 0x00)
GREY = RGBColor(0x66, 0x66, 0x66)


def _font(run, size: float = 10.5, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)
    run.bold = bold
    if color is not None:
        run.font.color.rgb = color


def _cell(cell, text: str, *, bold: bool = False, color: RGBColor | None = None) -> None:
    paragraph = cell.paragraphs[0]
    _font(paragraph.add_run(text), 10, bold, color)


def _add_line(cell, text: str, *, color: RGBColor | None = None, size: float = 9) -> None:
    _font(cell.add_paragraph().add_run(text), size, False, color)


def _table(doc, head: list[str], widths: list[float]):
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid LibreOffice and Word lay the table out by
    for i, text in enumerate(head):
        _cell(table.rows[0].cells[i], text, bold=True)
        table.rows[0].cells[i].width = Cm(widths[i])
    return table


def _row(table, widths: list[float]):
    cells = table.add_row().cells
    for i, w in enumerate(widths):
        cells[i].width = Cm(w)
    return cells


def _heading(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(12)
    _font(p.add_run(text), 14, True)


def write_report(labels: dict, entries: list[dict], clauses: list[dict]) -> bytes:
    """Write the report from plain data (strings already in the reader's language)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(labels["title"]), 18, True)

    _heading(doc, labels["by_proposal"])
    widths = [6.5, 3.5, 2.8, 9.0, 3.9]
    table = _table(doc, labels["head_proposal"], widths)
    for e in entries:
        if not e["links"]:
            continue
        cells = _row(table, widths)
        _cell(cells[0], e["name"], bold=True)
        _add_line(cells[0], e["title"])
        _cell(cells[1], e["submitters"])
        if e.get("contact"):
            _add_line(cells[1], e["contact"], color=GREY)
        _cell(cells[2], e["status"])
        if e["overdue"]:
            _add_line(cells[2], labels["overdue"], color=RED, size=10)
        for i, link in enumerate(e["links"]):
            paragraph = cells[3].paragraphs[0] if i == 0 else cells[3].add_paragraph()
            _font(paragraph.add_run(f"{link['draft']} {link['label']}"), 10, True)
            if link["deleted"]:
                _font(paragraph.add_run(f"（{labels['deleted']}）"), 10, True, RED)
            elif link["changed"]:
                _font(paragraph.add_run(f"（{labels['changed']}）"), 10, False, GREY)
            if link["was"]:
                _font(
                    paragraph.add_run(f"（{labels['was'].format(label=link['was'])}）"),
                    9,
                    False,
                    GREY,
                )
        _cell(cells[4], "；".join(link["note"] for link in e["links"] if link["note"]))

    _heading(doc, labels["by_clause"])
    widths = [5.0, 3.2, 11.5, 6.0]
    table = _table(doc, labels["head_clause"], widths)
    for c in clauses:
        cells = _row(table, widths)
        _cell(cells[0], c["draft"])
        _cell(cells[1], c["label"], bold=True)
        if c["deleted"]:
            _add_line(cells[1], labels["deleted"], color=RED, size=10)
        _cell(cells[2], c["text"], color=GREY if c["deleted"] else None)
        _cell(cells[3], "\n".join(c["sources"]))

    _heading(doc, labels["unlinked"])
    rest = [e for e in entries if not e["links"]]
    if not rest:
        _font(doc.add_paragraph().add_run(labels["none"]), 10.5)
    else:
        widths = [11.0, 5.0, 4.0, 5.7]
        table = _table(doc, labels["head_unlinked"], widths)
        for e in rest:
            cells = _row(table, widths)
            _cell(cells[0], e["name"], bold=True)
            _add_line(cells[0], e["title"])
            _cell(cells[1], e["submitters"])
            if e.get("contact"):
                _add_line(cells[1], e["contact"], color=GREY)
            _cell(cells[2], e["status"])
            _cell(cells[3], e["deadline"], color=RED if e["overdue"] else None)
            if e["overdue"]:
                _add_line(cells[3], labels["overdue"], color=RED, size=10)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
