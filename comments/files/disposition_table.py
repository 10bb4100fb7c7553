"""The 意见采纳情况表 and 征求意见汇总表 as Word tables (customary layout) and as CSV for Excel."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEAD_FONT = "黑体"

DISPOSITION_COLUMNS = ("序号", "条款", "意见内容", "提出单位", "处理情况", "理由")
DISPOSITION_WIDTHS = (1.2, 2.6, 9.0, 3.2, 2.4, 7.0)
SUMMARY_COLUMNS = ("条款", "条文", "序号", "提出单位", "意见内容")
SUMMARY_WIDTHS = (2.2, 7.4, 1.2, 3.2, 11.4)


@dataclass
class TableRow:
    """One comment as the tables print it."""

    number: int
    article: str
    label: str
    article_text: str
    quote: str
    body: str
    proposed: str
    unit: str
    decision: str
    reason: str

    def opinion(self) -> str:
        """Return the comment as one cell: the quoted words, the comment, the proposed text."""
        parts = []
        if self.quote:
            parts.append(f"针对“{self.quote}”：")
        parts.append(self.body)
        if self.proposed:
            parts.append(f"建议修改为：{self.proposed}")
        return "\n".join(parts)


def _rpr(font: str, size: float, bold: bool = False):
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    rpr.append(fonts)
    if bold:
        rpr.append(OxmlElement("w:b"))
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(int(size * 2)))
        rpr.append(el)
    return rpr


def _paragraph(text: str, *, font: str, size: float, bold: bool = False, center: bool = False):
    p = OxmlElement("w:p")
    if center:
        ppr = OxmlElement("w:pPr")
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), "center")
        ppr.append(jc)
        p.append(ppr)
    r = OxmlElement("w:r")
    r.append(_rpr(font, size, bold))
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if k:
            r.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = line
        r.append(t)
    p.append(r)
    return p


def _cell(text: str, width_cm: float, *, header: bool = False, vmerge: str | None = None):
    tc = OxmlElement("w:tc")
    tcpr = OxmlElement("w:tcPr")
    w = OxmlElement("w:tcW")
    w.set(qn("w:w"), str(int(width_cm * 567)))
    w.set(qn("w:type"), "dxa")
    tcpr.append(w)
    if vmerge is not None:
        vm = OxmlElement("w:vMerge")
        if vmerge:
            vm.set(qn("w:val"), vmerge)
        tcpr.append(vm)
    tc.append(tcpr)
    if header:
        tc.append(_paragraph(text, font=HEAD_FONT, size=11, bold=True, center=True))
    else:
        tc.append(_paragraph(text, font=BODY_FONT, size=10.5))
    return tc


def _row(cells: list, *, header: bool = False):
    tr = OxmlElement("w:tr")
    if header:
        trpr = OxmlElement("w:trPr")
        trpr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
        tr.append(trpr)
    for tc in cells:
        tr.append(tc)
    return tr


def _document(title: str, subtitle: str):
    doc = new_docx()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(2.0)
    body = doc.element.body
    body.insert(len(body) - 1, _paragraph(title, font=TITLE_FONT, size=20, center=True))
    body.insert(len(body) - 1, _paragraph(subtitle, font=BODY_FONT, size=12, center=True))
    _page_numbers(section)
    return doc


def _page_numbers(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        r = OxmlElement("w:r")
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r.append(instr)
        p._p.append(r)


def _table(doc, columns, widths):
    tbl = doc.add_table(rows=0, cols=len(columns))
    tbl.style = "Table Grid"
    el = tbl._tbl
    el.append(
        _row([_cell(c, w, header=True) for c, w in zip(columns, widths, strict=True)], header=True)
    )
    return el


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def disposition_docx(title: str, subtitle: str, rows: list[TableRow]) -> bytes:
    """Return the 意见采纳情况表: 序号 | 条款 | 意见内容 | 提出单位 | 处理情况 | 理由."""
    doc = _document(f"{title}意见采纳情况表", subtitle)
    tbl = _table(doc, DISPOSITION_COLUMNS, DISPOSITION_WIDTHS)
    w = DISPOSITION_WIDTHS
    for r in rows:
        values = (str(r.number), r.label, r.opinion(), r.unit, r.decision, r.reason)
        tbl.append(_row([_cell(v, width) for v, width in zip(values, w, strict=True)]))
    return _save(doc)


def summary_docx(title: str, subtitle: str, rows: list[TableRow]) -> bytes:
    """Return the 征求意见汇总表: comments grouped by article, the article's text once per group."""
    doc = _document(f"{title}征求意见汇总表", subtitle)
    tbl = _table(doc, SUMMARY_COLUMNS, SUMMARY_WIDTHS)
    w = SUMMARY_WIDTHS
    previous = None
    for r in rows:
        first = r.article != previous
        previous = r.article
        merge = "restart" if first else ""
        cells = [
            _cell(r.article if first else "", w[0], vmerge=merge),
            _cell(r.article_text if first else "", w[1], vmerge=merge),
            _cell(str(r.number), w[2]),
            _cell(r.unit, w[3]),
            _cell(r.opinion(), w[4]),
        ]
        tbl.append(_row(cells))
    return _save(doc)


def disposition_csv(rows: list[TableRow]) -> bytes:
    """Return the 意见采纳情况表 as CSV in UTF-8 with a BOM, which Excel opens correctly."""
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel")
    writer.writerow(DISPOSITION_COLUMNS)
    for r in rows:
        writer.writerow([r.number, r.label, r.opinion(), r.unit, r.decision, r.reason])
    return out.getvalue().encode("utf-8-sig")


def summary_csv(rows: list[TableRow]) -> bytes:
    """Return the 征求意见汇总表 as CSV in UTF-8 with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel")
    writer.writerow(SUMMARY_COLUMNS)
    for r in rows:
        writer.writerow([r.article, r.article_text, r.number, r.unit, r.opinion()])
    return out.getvalue().encode("utf-8-sig")
