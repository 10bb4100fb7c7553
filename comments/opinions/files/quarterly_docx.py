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


def _table(doc, header: list[str], rows: list[list[str]], widths: list[float] = ()) -> None:
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
    if widths:  # Word reads the cells' widths, LibreOffice the grid's: set both
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)


def _concerns(doc, report: QuarterlyReport) -> None:
    """Write the 规律性关键问题: each concern with its count, trend, districts and examples."""
    _para(doc, _("五、规律性关键问题"), font=HEADING_FONT)
    if not report.concerns:
        _para(doc, _("本季度没有反复出现的问题。"))
        return
    for i, c in enumerate(report.concerns[:10], start=1):
        trend = (
            _("比上季度增加 {n} 件", n=c.trend)
            if c.trend > 0
            else (_("比上季度减少 {n} 件", n=-c.trend) if c.trend < 0 else _("与上季度持平"))
        )
        places = "、".join(d for d, _n in c.districts)
        line = _(
            "（{i}）{t}：{n} 件，{trend}，涉及{p}。",
            i=_NUMERALS[i],
            t=c.title,
            n=c.count,
            trend=trend,
            p=places,
        )
        if c.suggestion_title:
            line += _("已形成代表建议《{s}》。", s=c.suggestion_title)
        _para(doc, line)
        for text in c.examples[:2]:
            _para(doc, f"—— {text}", size=14)


_NUMERALS = "〇一二三四五六七八九十"


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
        "本季度通过代表联络站、代表二维码和其他渠道共收到群众意见 {n} 件，已答复 {r} 件，平均 {d} 天答复，按期答复率 {s}；逾期 {late} 件；转为代表建议或议案 {k} 件，涉及法规条款 {c} 条。",  # noqa: E501
        n=report.total,
        r=report.replied,
        d=report.mean_days_to_reply if report.mean_days_to_reply is not None else "—",
        s=share,
        late=len(report.late),
        k=len(report.reached),
        c=report.clauses_reached,
    )
    _para(doc, summary)
    sat = report.satisfaction
    _para(
        doc,
        _(
            "群众对答复的评价 {n} 件：满意 {a} 件，基本满意 {b} 件，不满意 {c} 件，满意率 {r}（满意与基本满意之和占已评价件数）；因群众不满意或经审核重新办理 {o} 件。",  # noqa: E501
            n=sat.rated,
            a=sat.satisfied,
            b=sat.basically_satisfied,
            c=sat.unsatisfied,
            r=sat.percent,
            o=report.reopened,
        ),
    )
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
    _concerns(doc, report)
    _para(doc, _("六、按承办单位"), font=HEADING_FONT)
    rows = [
        [
            o.name,
            str(o.received),
            str(o.closed),
            str(o.overdue),
            "—" if o.median_days is None else str(o.median_days),
            o.satisfaction,
        ]
        for o in report.offices
    ]
    header = [_("承办单位"), _("收到"), _("办结"), _("逾期"), _("答复天数中位数"), _("满意率")]
    _table(doc, header, rows, widths=[5.4, 1.7, 1.7, 1.7, 2.6, 2.0])
    _para(doc, _("七、逾期未办结或逾期答复"), font=HEADING_FONT)
    if report.late:
        rows = [
            [x.number, _(x.category), x.station, x.deadline.isoformat(), str(x.days_late)]
            for x in report.late[:50]
        ]
        _table(
            doc,
            [_("受理编号"), _("类别"), _("联络站"), _("期限"), _("逾期天数")],
            rows,
            widths=[3.6, 2.8, 5.0, 2.6, 1.8],
        )
        if len(report.late) > 50:
            _para(doc, _("另有 {n} 件未列出。", n=len(report.late) - 50))
    else:
        _para(doc, _("本季度无逾期事项。"))
    if report.late_follow_ups:
        _para(doc, _("重点督办事项中跟进逾期的："), indent=True)
        rows = [
            [x.tracking_number or x.title, x.supervisor, x.due.isoformat(), str(x.days_late)]
            for x in report.late_follow_ups
        ]
        _table(
            doc,
            [_("事项"), _("督办人"), _("应跟进日期"), _("逾期天数")],
            rows,
            widths=[4.2, 5.2, 3.0, 1.8],
        )
    _para(doc, _("八、转化为代表建议、议案和法规条款"), font=HEADING_FONT)
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
        _table(
            doc,
            [_("建议或议案"), _("类型"), _("来源意见数"), _("涉及的条款")],
            rows,
            widths=[6.6, 2.2, 2.2, 3.8],
        )
    else:
        _para(doc, _("本季度尚无意见转为代表建议。"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
