"""The 民情民意专报 as a Word document: figures, charts and tables in the official style."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from concord.i18n import gettext as _

if TYPE_CHECKING:
    from comments.opinions.services.quarterly import QuarterlyReport

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"


def _fonts(run, east_asian: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def _para(doc, text: str, *, font=BODY_FONT, size=16, bold=False, centre=False, indent=True):
    p = doc.add_paragraph()
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.line_spacing = Pt(28)
    _fonts(p.add_run(text), font, size, bold)
    return p


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _fonts(cell.paragraphs[0].add_run(text), HEADING_FONT, 11)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            _fonts(cell.paragraphs[0].add_run(text), BODY_FONT, 11)


def quarterly_docx(report: QuarterlyReport, charts: dict[str, bytes]) -> bytes:
    """Return the report as .docx bytes, A4 portrait, charts embedded as pictures."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    _para(doc, _("民情民意专报"), font=TITLE_FONT, size=22, centre=True)
    _para(doc, f"{report.jurisdiction_name}　{report.label}", size=16, centre=True)
    share = f"{round(100 * report.replied_in_time / report.replied)}%" if report.replied else "—"
    summary = _(
        "本季度各代表联络站和代表二维码共收到群众意见 {n} 件，已答复 {r} 件，平均 {d} 天答复，按期答复率 {s}；逾期 {late} 件；转为代表建议或议案 {k} 件，涉及法规条款 {c} 条。",  # noqa: E501
        n=report.total,
        r=report.replied,
        d=report.mean_days_to_reply if report.mean_days_to_reply is not None else "—",
        s=share,
        late=len(report.late),
        k=len(report.reached),
        c=report.clauses_reached,
    )
    _para(doc, summary)
    sections = [
        (_("一、按类别"), report.by_category, "category"),
        (_("二、按区县"), report.by_district, "district"),
        (_("三、按渠道"), report.by_channel, None),
        (_("四、按办理方式"), report.by_handling, "handling"),
    ]
    for heading, counts, chart in sections:
        _para(doc, heading, font=HEADING_FONT, indent=True)
        if chart and chart in charts:
            doc.add_picture(io.BytesIO(charts[chart]), width=Cm(14.5))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _table(doc, [_("项目"), _("件数")], [[_(label), str(n)] for label, n in counts])
    _para(doc, _("五、逾期未办结或逾期答复"), font=HEADING_FONT)
    if report.late:
        rows = [
            [x.number, _(x.category), x.station, x.deadline.isoformat(), str(x.days_late)]
            for x in report.late[:50]
        ]
        _table(doc, [_("受理编号"), _("类别"), _("联络站"), _("期限"), _("逾期天数")], rows)
        if len(report.late) > 50:
            _para(doc, _("另有 {n} 件未列出。", n=len(report.late) - 50))
    else:
        _para(doc, _("本季度无逾期事项。"))
    _para(doc, _("六、转化为代表建议、议案和法规条款"), font=HEADING_FONT)
    if report.reached:
        rows = [
            [
                r.title,
                _("议案") if r.kind == "motion" else _("代表建议"),
                str(r.opinions),
                "、".join(r.clauses) or "—",
            ]
            for r in report.reached
        ]
        _table(doc, [_("建议或议案"), _("类型"), _("来源意见数"), _("涉及的条款")], rows)
    else:
        _para(doc, _("本季度尚无意见转为代表建议。"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
