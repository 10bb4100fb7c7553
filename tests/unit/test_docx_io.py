"""Word import (with automatic numbering and zip-bomb checks) and export in the customary layout."""

import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from drafting.core.parsing import parse_text
from drafting.errors import BadDocument
from drafting.files.docx_io import document_to_docx, format_number
from drafting.files.reading import parse_bytes, parse_path

CORPUS_STYLE = """# 某市红色资源保护条例

2024年6月28日 某市第十七届人民代表大会常务委员会第二十次会议通过

<!-- INFO END -->

## 第一章 总则

第一条 为了保护红色资源，制定本条例。

第二条 本条例适用于本市行政区域内红色资源的保护。

前款所称红色资源，是指下列物质资源：

（一）重要旧址；

（二）遗物、文献：

1. 手稿；

2. 书信。

## 附则

第三条 本条例自2025年7月1日起施行。
"""


def shape(doc):
    """Return the tree without warnings and source lines, as a round trip should keep it."""
    out = doc.to_json()
    out.pop("warnings")
    return out


NUMBERING = f"""<w:numbering {nsdecls("w")}>
  <w:abstractNum w:abstractNumId="7">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
      <w:lvlText w:val="第%1条"/><w:suff w:val="space"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
      <w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
      <w:lvlText w:val="%3."/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
</w:numbering>"""


def numbered_docx() -> bytes:
    """Build a .docx whose article and item labels come from Word's automatic numbering."""
    out = docx.Document()
    numbering = out.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(NUMBERING):
        numbering.append(child)

    def numbered(text, level):
        paragraph = out.add_paragraph(text)
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="3"/></w:numPr>'
            )
        )

    out.add_paragraph("某市自动编号条例")
    out.add_paragraph("（2024年6月28日通过）")
    out.add_heading("第一章　总则", level=2)
    numbered("为了试验，制定本条例。", 0)
    numbered("下列事项：", 0)
    numbered("甲；", 1)
    numbered("乙：", 1)
    numbered("子；", 2)
    numbered("丑。", 2)
    numbered("第三条 已有编号的段落不重复加编号。", 0)
    paragraph = out.add_paragraph("附则")
    paragraph.style = out.styles["Heading 2"]
    numbered("本条例自公布之日起施行。", 0)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def test_word_automatic_numbering_is_spelled_out():
    doc = parse_bytes(numbered_docx(), "auto.docx")
    assert doc.title == "某市自动编号条例"
    assert doc.meta == ["（2024年6月28日通过）"]
    assert [(n.kind, n.label, n.heading) for n in doc.body] == [
        ("chapter", "第一章", "总则"),
        ("chapter", None, "附则"),
    ]
    labels = [(a.label, a.text) for a, _ in doc.articles()]
    assert labels == [
        ("第一条", "为了试验，制定本条例。"),
        ("第二条", "下列事项："),
        ("第三条", "已有编号的段落不重复加编号。"),
        ("第四条", "本条例自公布之日起施行。"),
    ]
    second = doc.body[0].children[1]
    assert [(i.label, i.text) for i in second.children] == [("（一）", "甲；"), ("（二）", "乙：")]
    assert [(s.label, s.text) for s in second.children[1].children] == [
        ("1.", "子；"),
        ("2.", "丑。"),
    ]
    assert doc.warnings == []


@pytest.mark.parametrize(
    ("n", "fmt", "text"),
    [
        (12, "chineseCounting", "十二"),
        (3, "decimal", "3"),
        (2, "chineseLegalSimplified", "贰"),
        (3, "ideographTraditional", "丙"),
        (4, "lowerRoman", "iv"),
        (2, "upperLetter", "B"),
        (1, "decimalEnclosedCircle", "①"),
        (12, "decimalFullWidth", "１２"),
        (1, "bullet", ""),
    ],
)
def test_format_number(n, fmt, text):
    assert format_number(n, fmt) == text


def export(doc) -> bytes:
    buf = io.BytesIO()
    document_to_docx(doc, buf)
    return buf.getvalue()


def test_docx_round_trip():
    doc = parse_text(CORPUS_STYLE)
    back = parse_bytes(export(doc), "draft.docx")
    assert shape(back) == shape(doc)


def test_docx_round_trip_through_a_file(tmp_path):
    doc = parse_text(CORPUS_STYLE)
    path = tmp_path / "draft.docx"
    document_to_docx(doc, str(path))
    assert shape(parse_path(path)) == shape(doc)


def test_docx_layout():
    out = docx.Document(io.BytesIO(export(parse_text(CORPUS_STYLE))))
    section = out.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    title, meta = out.paragraphs[0], out.paragraphs[1]
    assert title.text == "某市红色资源保护条例"
    assert title.alignment == 1 or title.style.paragraph_format.alignment == 1
    title_fonts = title.style.element.rPr.find(qn("w:rFonts"))
    assert title_fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.style.font.size.pt == 22
    assert meta.style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体_GB2312"
    heading = out.paragraphs[2]
    assert heading.text == "第一章\u3000总则"
    assert heading.style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    article = out.paragraphs[3]
    label, body = article.runs
    assert (label.text, label.bold) == ("第一条", True)
    assert body.text.startswith("\u3000为了")
    assert article.paragraph_format.first_line_indent.pt == 32
    normal = out.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in footer


def test_docx_declares_font_fallbacks():
    with zipfile.ZipFile(io.BytesIO(export(parse_text(CORPUS_STYLE)))) as archive:
        fonts = archive.read("word/fontTable.xml").decode()
    assert "方正小标宋简体" in fonts and 'w:altName w:val="宋体"' in fonts


def test_renamed_text_file_is_a_bad_document(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("第一条 这不是 Word 文档。", encoding="utf-8")
    with pytest.raises(BadDocument, match="fake.docx.*不是有效的 Word 文档"):
        parse_path(path)


def test_broken_zip_is_a_bad_document():
    data = export(parse_text(CORPUS_STYLE))
    with pytest.raises(BadDocument, match="broken.docx"):
        parse_bytes(data[: len(data) // 2], "broken.docx")


def test_zip_without_a_document_part_is_a_bad_document():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(BadDocument, match="word/document.xml"):
        parse_bytes(buf.getvalue(), "other.docx")


def test_damaged_document_part_is_a_bad_document():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("word/document.xml", "<not xml")
    with pytest.raises(BadDocument, match="已损坏"):
        parse_bytes(buf.getvalue(), "damaged.docx")


def test_zip_bomb_is_refused_before_unpacking():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("word/media/bomb.bin", b"\0" * (30 * 1024 * 1024))
    with pytest.raises(BadDocument, match="压缩"):
        parse_bytes(buf.getvalue(), "bomb.docx")


def test_a_bold_label_typed_without_a_space_is_still_an_article():
    document = docx.Document()
    document.add_paragraph("物业管理条例")
    for label, text in (
        ("第四十七条", "　业主大会应当依法成立。"),
        ("第四十八条", "前期物业服务合同可以约定期限。"),
        ("第四十九条", "规定的事项，由业主大会决定。"),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(label).bold = True
        paragraph.add_run(text)
    # Not bold: a paragraph that opens with a citation stays a paragraph of the article before.
    document.add_paragraph("第四十九条第一款所称事项，是指共同事项。")
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_bytes(buffer.getvalue(), "物业.docx")
    articles = [a for a, _d in parsed.articles()]
    assert [a.label for a in articles] == ["第四十七条", "第四十八条", "第四十九条"]
    assert articles[1].text == "前期物业服务合同可以约定期限。"
    assert articles[2].text == "规定的事项，由业主大会决定。"
    assert articles[2].children[0].text == "第四十九条第一款所称事项，是指共同事项。"
