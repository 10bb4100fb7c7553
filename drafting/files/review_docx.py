"""The 合法性审查意见 as a Word table: one row per finding, the upper provision beside it."""

from __future__ import annotations

from typing import IO

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from drafting.core.review.levels import LEVEL_NAMES
from drafting.core.review.model import SEVERITY_NAMES
from drafting.files.comparison_docx import landscape_document, repeat_header, shade, text_run
from drafting.files.docx_writer import HEADING_FONT, TITLE_FONT

WIDTHS = (1.2, 2.4, 7.4, 8.0, 6.9)


def write_opinion(stream: IO[bytes], title: str, where: str, result, *, gettext) -> None:
    """Write the review of a text as a 合法性审查意见 table."""
    _ = gettext
    out = landscape_document(margin_cm=1.8)
    head = out.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text_run(head, _("《{title}》合法性审查意见", title=title), font=TITLE_FONT, size=18)
    sub = out.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    counts = result.counts()
    text_run(
        sub,
        _(
            "{where} · {version} · {level} · 需修改 {v} 项，待确认 {r} 项，提示 {n} 项",
            where=where,
            version=result.version or _("当前文本"),
            level=_(LEVEL_NAMES[result.level]),
            v=counts["violation"],
            r=counts["review"],
            n=counts["note"],
        ),
        size=11,
    )
    if not result.findings:
        text_run(out.add_paragraph(), _("未发现与上位法不一致之处。"))
        out.save(stream)
        return
    table = out.add_table(rows=1, cols=len(WIDTHS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    repeat_header(table.rows[0])
    headers = (_("序号"), _("条款"), _("条文"), _("审查意见"), _("上位法依据"))
    for cell, name in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        text_run(cell.paragraphs[0], name, font=HEADING_FONT, bold=True, size=11)
        shade(cell, "E7E6E6")
    n = 0
    for group in result.groups():
        for f in group.findings:
            n += 1
            cells = table.add_row().cells
            for cell in cells:
                cell.text = ""
            text_run(cells[0].paragraphs[0], str(n), size=10.5)
            text_run(cells[1].paragraphs[0], group.article.label, bold=True, size=10.5)
            _lines(cells[2], group.article.text)
            p = cells[3].paragraphs[0]
            text_run(p, f"【{_(SEVERITY_NAMES[f.severity])}】", bold=True, size=10.5)
            text_run(p, f.message(_), size=10.5)
            d = result.decision(f)
            if d is not None:
                done = _("已确认") if d.decision == "confirmed" else _("不予采纳")
                note = done + (f"：{d.note}" if d.note else "")
                text_run(cells[3].add_paragraph(), note, font=HEADING_FONT, size=10)
            if f.upper is not None:
                q = cells[4].paragraphs[0]
                text_run(q, f"《{f.upper.law}》{f.upper.label}", bold=True, size=10.5)
                if f.upper.date:
                    text_run(q, f"（{f.upper.date}）", size=9)
                _lines(cells[4], f.upper.text, first=False)
    # LibreOffice reads the grid's column widths, Word the cells': set both.
    table.autofit = False
    for column, width in zip(table.columns, WIDTHS, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, WIDTHS, strict=True):
            cell.width = Cm(width)
    out.save(stream)


def _lines(cell, text: str, first: bool = True) -> None:
    for k, line in enumerate(text.split("\n")):
        p = cell.paragraphs[0] if first and k == 0 else cell.add_paragraph()
        text_run(p, line, size=10.5)
