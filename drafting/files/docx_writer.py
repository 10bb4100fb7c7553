"""Write a Document as a .docx in the customary layout of a draft regulation."""

from __future__ import annotations

from typing import IO

from docx import Document as new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from drafting.core.tree import DIVISIONS, Document, Node

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
META_FONT = "楷体_GB2312"
HEADING_FONT = "黑体"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# Word shows altName when a font is missing, so a machine without the 方正/GB2312 fonts
# still renders the right family instead of falling back to a Latin face.
FALLBACKS = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    META_FONT: "楷体",
    HEADING_FONT: "SimHei",
    PAGE_FONT: "SimSun",
}
HEADING_STYLE = {"part": "Heading 1", "chapter": "Heading 2", "section": "Heading 3"}
TITLE_STYLE = "法规标题"
META_STYLE = "题注"
INDENT = Pt(32)  # two characters of 三号 (16 pt)


def document_to_docx(doc: Document, path_or_stream: str | IO[bytes]) -> None:
    """Write the draft as a .docx: A4, 小标宋 title, 黑体 headings, 仿宋 body, page numbers."""
    out = new_docx()
    _page_setup(out)
    _styles(out)
    _font_fallbacks(out)
    title = out.add_paragraph(doc.title, style=TITLE_STYLE)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in doc.meta:
        out.add_paragraph(line, style=META_STYLE)
    # Looking a style up by name scans them all; resolve the few we use once.
    headings = {kind: out.styles[name] for kind, name in HEADING_STYLE.items()}
    for node in doc.body:
        _write(out, node, headings)
    out.save(path_or_stream)


def _page_setup(out) -> None:
    section = out.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    # GB/T 9704 margins for official documents.
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(footer.add_run("— "), PAGE_FONT, 14)
    page_field(footer)
    _font(footer.add_run(" —"), PAGE_FONT, 14)


def page_field(paragraph) -> None:
    """Append a PAGE field, which Word fills with the page number."""
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        _font(run, PAGE_FONT, 14)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def set_fonts(rpr, east_asian: str) -> None:
    """Set a run's Chinese (east Asian) and Latin fonts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def _font(run_or_style, east_asian: str, size: float, bold: bool | None = None) -> None:
    font = run_or_style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    element = run_or_style.element
    set_fonts(element.get_or_add_rPr(), east_asian)


def _styles(out) -> None:
    styles = out.styles
    normal = styles["Normal"]
    _font(normal, BODY_FONT, 16)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False
    title = styles.add_style(TITLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    # Keep style ids ASCII, as Word itself does, while the shown names stay Chinese.
    title.style_id = "RegulationTitle"
    title.base_style = normal
    _font(title, TITLE_FONT, 22)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(16)
    meta = styles.add_style(META_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    meta.style_id = "RegulationNote"
    meta.base_style = normal
    _font(meta, META_FONT, 16)
    meta.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name in HEADING_STYLE.values():
        heading = styles[name]
        _font(heading, HEADING_FONT, 16, bold=False)
        heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.paragraph_format.space_before = Pt(16)
        heading.paragraph_format.space_after = Pt(16)
        heading.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        heading.paragraph_format.line_spacing = Pt(28)


def _font_fallbacks(out) -> None:
    part = next(
        (r.target_part for r in out.part.rels.values() if r.reltype.endswith("/fontTable")), None
    )
    if part is None:
        return
    root = etree.fromstring(part.blob)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    present = {f.get(f"{w}name") for f in root.iter(f"{w}font")}
    for name, alt in FALLBACKS.items():
        if name in present:
            continue
        font = etree.SubElement(root, f"{w}font", {f"{w}name": name})
        etree.SubElement(font, f"{w}altName", {f"{w}val": alt})
        etree.SubElement(font, f"{w}charset", {f"{w}val": "86"})  # GB2312
        etree.SubElement(font, f"{w}family", {f"{w}val": "auto"})
        etree.SubElement(font, f"{w}pitch", {f"{w}val": "variable"})
    # The default template's font table is a plain part: its bytes are what gets saved.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _indented(out, text: str = ""):
    paragraph = out.add_paragraph(text)
    paragraph.paragraph_format.first_line_indent = INDENT
    ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), "200")
    return paragraph


def _write(out, node: Node, headings: dict) -> None:
    if node.kind in DIVISIONS:
        words = "\u3000".join(w for w in (node.label, node.heading) if w)
        out.add_paragraph(words, style=headings[node.kind])
    elif node.kind == "article":
        paragraph = _indented(out)
        label = paragraph.add_run(node.label or "")
        label.bold = True
        paragraph.add_run("\u3000" + (node.text or ""))
    elif node.kind == "clause":
        _indented(out, node.text or "")
    else:
        _indented(out, f"{node.label or ''}{node.text or ''}")
    for child in node.children:
        _write(out, child, headings)
