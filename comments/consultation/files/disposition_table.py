"""The 意见采纳情况表 and 征求意见汇总表 as Word tables (customary layout) and as CSV for Excel."""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

from drafting.core.spreadsheets import csv_bytes

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


def _rpr(font: str, size: float, bold: bool = False) -> str:
    """Return run properties as XML text (rows are built as text, parsed once: python-docx's
    element API took 4 s for 2,000 rows)."""
    f = escape(font, {'"': "&quot;"})
    return (
        f'<w:rPr><w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>'
        + ("<w:b/>" if bold else "")
        + f'<w:sz w:val="{int(size * 2)}"/><w:szCs w:val="{int(size * 2)}"/></w:rPr>'
    )


_BODY_RPR = _rpr(BODY_FONT, 10.5)
_HEAD_RPR = _rpr(HEAD_FONT, 11, bold=True)


def _paragraph(text: str, rpr: str, *, center: bool = False) -> str:
    ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    lines = "<w:br/>".join(
        f'<w:t xml:space="preserve">{escape(_printable(line))}</w:t>' for line in text.split("\n")
    )
    return f"<w:p>{ppr}<w:r>{rpr}{lines}</w:r></w:p>"


def _printable(text: str) -> str:
    """Drop control characters that XML cannot carry."""
    return "".join(ch for ch in text if ch >= " " or ch == "\t")


def _cell(text: str, width_cm: float, *, header: bool = False, vmerge: str | None = None) -> str:
    merge = ""
    if vmerge is not None:
        merge = f'<w:vMerge w:val="{vmerge}"/>' if vmerge else "<w:vMerge/>"
    para = _paragraph(text, _HEAD_RPR, center=True) if header else _paragraph(text, _BODY_RPR)
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{int(width_cm * 567)}" w:type="dxa"/>{merge}</w:tcPr>'
        f"{para}</w:tc>"
    )


def _row(cells: list[str], *, header: bool = False) -> str:
    # A header row repeats at the top of every page.
    trpr = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def _document(title: str, subtitle: str):
    doc = new_docx()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(2.0)
    body = doc.element.body
    for text, rpr in ((title, _rpr(TITLE_FONT, 20)), (subtitle, _rpr(BODY_FONT, 12))):
        body.insert(len(body) - 1, parse_xml(_wrap(_paragraph(text, rpr, center=True))))
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


def _wrap(xml: str) -> str:
    return xml.replace("<w:p>", f"<w:p {nsdecls('w')}>", 1)


def _table(doc, columns, widths, rows: list[str]) -> None:
    """Add a bordered table whose header row repeats on every page, with the rows given as XML."""
    header = _row(
        [_cell(c, w, header=True) for c, w in zip(columns, widths, strict=True)], header=True
    )
    grid = "".join(f'<w:gridCol w:w="{int(w * 567)}"/>' for w in widths)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="0" w:type="auto"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{header}{''.join(rows)}</w:tbl>"
    )
    body = doc.element.body
    body.insert(len(body) - 1, parse_xml(xml))


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def disposition_docx(title: str, subtitle: str, rows: list[TableRow]) -> bytes:
    """Return the 意见采纳情况表: 序号 | 条款 | 意见内容 | 提出单位 | 处理情况 | 理由."""
    doc = _document(f"{title}意见采纳情况表", subtitle)
    w = DISPOSITION_WIDTHS
    xml = []
    for r in rows:
        values = (str(r.number), r.label, r.opinion(), r.unit, r.decision, r.reason)
        xml.append(_row([_cell(v, width) for v, width in zip(values, w, strict=True)]))
    _table(doc, DISPOSITION_COLUMNS, w, xml)
    return _save(doc)


def summary_docx(title: str, subtitle: str, rows: list[TableRow]) -> bytes:
    """Return the 征求意见汇总表: comments grouped by article, the article's text once per group."""
    doc = _document(f"{title}征求意见汇总表", subtitle)
    w = SUMMARY_WIDTHS
    xml = []
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
        xml.append(_row(cells))
    _table(doc, SUMMARY_COLUMNS, w, xml)
    return _save(doc)


def disposition_csv(rows: list[TableRow]) -> bytes:
    """Return the 意见采纳情况表 as CSV for Excel (formulas neutralised)."""
    return csv_bytes(
        DISPOSITION_COLUMNS,
        ([r.number, r.label, r.opinion(), r.unit, r.decision, r.reason] for r in rows),
    )


def summary_csv(rows: list[TableRow]) -> bytes:
    """Return the 征求意见汇总表 as CSV for Excel (formulas neutralised)."""
    return csv_bytes(
        SUMMARY_COLUMNS,
        ([r.article, r.article_text, r.number, r.unit, r.opinion()] for r in rows),
    )
