"""The 修改对照表 as a Word table: earlier text | revised text, deletions struck, additions bold."""

from __future__ import annotations

from copy import deepcopy
from typing import IO

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from drafting.core.comparison import Row
from drafting.core.diffing import diff
from drafting.files.docx_writer import BODY_FONT, HEADING_FONT, TITLE_FONT, page_field, set_fonts

STATUS_NOTES = {"added": "（新增）", "deleted": "（删除）", "moved": "（移动）"}


def _rpr(font: str, size: float, bold: bool, strike: bool, underline: bool):
    """Return run properties as XML; built once per style, then copied (python-docx is slow)."""
    key = (font, size, bold, strike, underline)
    cached = _RPR_CACHE.get(key)
    if cached is None:
        rpr = OxmlElement("w:rPr")
        set_fonts(rpr, font)
        for flag, tag in ((bold, "w:b"), (strike, "w:strike")):
            if flag:
                rpr.append(OxmlElement(tag))
        if underline:
            u = OxmlElement("w:u")
            u.set(qn("w:val"), "single")
            rpr.append(u)
        for tag in ("w:sz", "w:szCs"):
            el = OxmlElement(tag)
            el.set(qn("w:val"), str(int(size * 2)))
            rpr.append(el)
        cached = _RPR_CACHE[key] = rpr
    return deepcopy(cached)


_RPR_CACHE: dict = {}


def text_run(
    paragraph,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = 12,
    bold=False,
    strike=False,
    underline=False,
):
    """Append a run built as XML directly (much faster than python-docx's run API)."""
    r = OxmlElement("w:r")
    r.append(_rpr(font, size, bold, strike, underline))
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    paragraph._p.append(r)
    return r


def _cell_text(cell, label: str | None, ops: list[tuple[int, str]], side: str, note: str) -> None:
    """Fill a cell: the article label in bold, then the text with this side's changes marked."""
    cell.text = ""
    paragraphs = [cell.paragraphs[0]]
    current = paragraphs[0]
    if label:
        text_run(current, label + "\u3000", bold=True)
    for op, chunk in ops:
        if (side == "old" and op == 1) or (side == "new" and op == -1):
            continue
        parts = chunk.split("\n")
        for k, part in enumerate(parts):
            if k:
                current = cell.add_paragraph()
                current.paragraph_format.first_line_indent = Pt(24)
            if not part:
                continue
            if op == 0:
                text_run(current, part)
            elif op == -1:
                text_run(current, part, strike=True)
            else:
                text_run(current, part, bold=True, underline=True)
    if note:
        text_run(cell.add_paragraph(), note, size=10.5, font=HEADING_FONT)


def shade(cell, fill: str) -> None:
    """Fill a table cell with a background colour."""
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def repeat_header(row) -> None:
    """Repeat a table row at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def landscape_document(*, margin_cm: float):
    """Return a new A4 landscape document with centred page numbers, for wide tables."""
    out = new_docx()
    section = out.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(margin_cm)
    section.top_margin = section.bottom_margin = Cm(margin_cm)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_field(footer)
    return out


def write_comparison(
    stream: IO[bytes], left, right, rows: list[Row], *, include_unchanged: bool = False
) -> None:
    """Write the comparison of two texts as a two-column 修改对照表."""
    out = landscape_document(margin_cm=2.0)

    title = out.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text_run(title, f"《{right.title}》修改对照表", font=TITLE_FONT, size=18)
    sub = out.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text_run(sub, f"{left.label} → {right.label}", size=12)
    legend = out.add_paragraph()
    text_run(legend, "说明：删除的文字以删除线标示，增加的文字以加粗下划线标示。", size=10.5)

    shown = [r for r in rows if include_unchanged or r.changed]
    table = out.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    repeat_header(header)
    for cell, text in zip(header.cells, (left.label, right.label), strict=True):
        cell.text = ""
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text_run(p, text, font=HEADING_FONT, bold=True)
        shade(cell, "E7E6E6")
    chapter = None
    for row in shown:
        if row.chapter and row.chapter != chapter:
            chapter = row.chapter
            cells = table.add_row().cells
            merged = cells[0].merge(cells[1])
            merged.text = ""
            p = merged.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            text_run(p, chapter, font=HEADING_FONT, bold=True)
        ops = diff(row.old_text, row.new_text)
        cells = table.add_row().cells
        old_note = STATUS_NOTES["deleted"] if row.status == "deleted" else ""
        new_note = STATUS_NOTES.get(row.status, "") if row.status != "deleted" else ""
        if row.note:
            new_note = f"{new_note}{row.note}"
        _cell_text(cells[0], row.old_label, ops, "old", old_note)
        _cell_text(cells[1], row.new_label, ops, "new", new_note)
    if not shown:
        text_run(out.add_paragraph(), "两个文本的条文内容相同。")
    for column in table.columns:
        for cell in column.cells:
            cell.width = Cm(12.8)
    out.save(stream)
