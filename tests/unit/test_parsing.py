"""Parsing regulations from Markdown and plain text into the `parse --json` tree."""

import pytest

from drafting.core.parsing import parse_text
from drafting.errors import BadDocument
from drafting.files.markdown import document_to_markdown
from drafting.files.reading import parse_bytes, parse_files_json, parse_path

CORPUS_STYLE = """# 某市红色资源保护条例

2024年6月28日 某市第十七届人民代表大会常务委员会第二十次会议通过

2024年9月27日 某省第十四届人民代表大会常务委员会第十一次会议批准

<!-- INFO END -->

## 第一章 总则

第一条 为了保护红色资源，制定本条例。

第二条 本条例适用于本市行政区域内红色资源的保护。

前款所称红色资源，是指下列物质资源：

（一）重要旧址；

（二）遗物、文献：

1. 手稿；

2. 书信。

## 第二章 保护

第三条 下列行为应当禁止：

（一）损毁；

（二）涂污。

违反前款规定的，依照第十二条处理。

## 附则

第四条 本条例自2025年7月1日起施行。
"""


def shape(doc):
    """Return the tree without warnings and source lines, as a round trip should keep it."""
    out = doc.to_json()
    out.pop("warnings")
    return out


def kinds(nodes):
    return [(n.kind, n.label, n.num) for n in nodes]


def test_corpus_markdown_gives_the_contract_tree():
    doc = parse_text(CORPUS_STYLE)
    assert doc.title == "某市红色资源保护条例"
    assert doc.meta == [
        "2024年6月28日 某市第十七届人民代表大会常务委员会第二十次会议通过",
        "2024年9月27日 某省第十四届人民代表大会常务委员会第十一次会议批准",
    ]
    assert kinds(doc.body) == [
        ("chapter", "第一章", 1),
        ("chapter", "第二章", 2),
        ("chapter", None, None),
    ]
    assert doc.body[0].heading == "总则" and doc.body[2].heading == "附则"
    first, second = doc.body[0].children
    assert (first.label, first.num, first.text) == ("第一条", 1, "为了保护红色资源，制定本条例。")
    assert second.text == "本条例适用于本市行政区域内红色资源的保护。"
    (clause,) = second.children
    assert (clause.kind, clause.num) == ("clause", 2)
    assert kinds(clause.children) == [("item", "（一）", 1), ("item", "（二）", 2)]
    assert kinds(clause.children[1].children) == [("subitem", "1.", 1), ("subitem", "2.", 2)]
    assert clause.children[1].children[0].text == "手稿；"
    assert doc.warnings == []


def test_items_of_the_first_paragraph_belong_to_the_article():
    doc = parse_text(CORPUS_STYLE)
    third = doc.body[1].children[0]
    assert [c.kind for c in third.children] == ["item", "item", "clause"]
    assert third.children[2].num == 2
    assert third.children[2].text == "违反前款规定的，依照第十二条处理。"


def test_to_json_follows_the_contract():
    out = parse_text(CORPUS_STYLE).to_json()
    assert out["body"][0] == {
        "kind": "chapter",
        "num": 1,
        "label": "第一章",
        "heading": "总则",
        "children": out["body"][0]["children"],
    }
    article = out["body"][0]["children"][0]
    assert article == {
        "kind": "article",
        "num": 1,
        "label": "第一条",
        "text": "为了保护红色资源，制定本条例。",
        "children": [],
    }
    clause = out["body"][0]["children"][1]["children"][0]
    assert clause["kind"] == "clause" and clause["num"] == 2 and "label" not in clause


def test_lines_are_recorded():
    doc = parse_text(CORPUS_STYLE)
    lines = CORPUS_STYLE.split("\n")
    first = doc.body[0].children[0]
    assert lines[first.line - 1].startswith("第一条")
    assert lines[doc.body[1].line - 1] == "## 第二章 保护"


def test_plain_text_with_bracketed_meta_and_full_width_spaces():
    text = (
        "\ufeff某市养犬管理条例\n"
        "（2024年6月28日某市第十七届人民代表大会常务委员会第二十次会议通过）\n\n"
        "第一章　总则\n"
        "第一条　为了规范养犬行为，制定本条例。\n"
        "第二条\u3000\u3000本条例适用于本市。\n"
        "　　养犬人应当遵守下列规定：\n"
        "　　(一)依法登记；\n"
        "　　(二)文明养犬。\n"
        "第五章法律责任\n"
        "第三条违反本条例的，依法处理。\n"
    )
    doc = parse_text(text)
    assert doc.title == "某市养犬管理条例"
    assert doc.meta == ["（2024年6月28日某市第十七届人民代表大会常务委员会第二十次会议通过）"]
    assert kinds(doc.body) == [("chapter", "第一章", 1), ("chapter", "第五章", 5)]
    second = doc.body[0].children[1]
    assert second.text == "本条例适用于本市。"
    clause = second.children[0]
    assert clause.text == "养犬人应当遵守下列规定："
    assert kinds(clause.children) == [("item", "（一）", 1), ("item", "（二）", 2)]
    third = doc.body[1].children[0]
    assert (third.label, third.text) == ("第三条", "违反本条例的，依法处理。")
    assert [w.message for w in doc.warnings] == ["第一章 之后是 第五章（缺少第二章）"]


def test_a_body_line_that_opens_with_a_chapter_number_is_not_a_heading():
    text = "第一条 总则。\n第五章规定的处罚，由市人民政府决定。\n"
    doc = parse_text(text)
    (article,) = doc.body
    assert article.children[0].text == "第五章规定的处罚，由市人民政府决定。"


def test_a_paragraph_that_opens_with_a_citation_is_not_an_article():
    doc = parse_text("第一条 甲。\n第二条 乙。\n第一条规定的情形除外。\n第三条 丙。\n")
    assert [a.label for a, _ in doc.articles()] == ["第一条", "第二条", "第三条"]
    assert doc.body[1].children[0].text == "第一条规定的情形除外。"
    assert doc.warnings == []


def test_inserted_articles_have_num_and_sub():
    doc = parse_text("第十条 甲。\n第十条之一 乙。\n第十条之二 丙。\n第十一条 丁。\n")
    got = [(a.num, a.sub, a.label) for a, _ in doc.articles()]
    assert got == [
        (10, None, "第十条"),
        (10, 1, "第十条之一"),
        (10, 2, "第十条之二"),
        (11, None, "第十一条"),
    ]
    assert doc.to_json()["body"][1]["sub"] == 1
    assert [w.message for w in doc.warnings] == ["首条是 第十条（缺少第一条）"]


def test_skipped_and_repeated_numbers_warn():
    doc = parse_text("第一条 甲。\n第二条 乙。\n第二条 丙。\n第四条 丁。\n第三条 戊。\n")
    assert [(w.line, w.message) for w in doc.warnings] == [
        (3, "第二条 重复"),
        (4, "第二条 之后是 第四条（缺少第三条）"),
        (5, "第四条 之后是 第三条（编号倒退）"),
    ]
    assert len(list(doc.articles())) == 5


def test_label_on_its_own_line_takes_the_next_paragraph():
    doc = parse_text("第一条\n为了规范管理，制定本条例。\n第二条 乙。\n")
    assert doc.body[0].text == "为了规范管理，制定本条例。"
    assert doc.body[0].children == []


def test_table_of_contents_is_skipped():
    text = (
        "某市条例\n目录\n第一章 总则\n第二章 管理\n  第一节 一般规定\n附则\n\n"
        "第一章 总则\n第一条 甲。\n第二章 管理\n第一节 一般规定\n第二条 乙。\n附则\n第三条 丙。\n"
    )
    doc = parse_text(text)
    assert kinds(doc.body) == [
        ("chapter", "第一章", 1),
        ("chapter", "第二章", 2),
        ("chapter", None, None),
    ]
    assert kinds(doc.body[1].children) == [("section", "第一节", 1)]
    assert doc.warnings == []


def test_contents_without_the_word_mulu_are_skipped():
    text = (
        "# 条例\n\n## 第一章 总则\n\n## 第二章 附则\n\n## 第一章 总则\n\n第一条 甲。\n\n"
        "## 第二章 附则\n\n第二条 乙。\n"
    )
    doc = parse_text(text)
    assert [len(c.children) for c in doc.body] == [1, 1]
    assert doc.warnings == []


def test_parts_chapters_and_sections_nest():
    text = (
        "# 法\n\n## 第一编 总则\n\n### 第一章 任务\n\n第一条 甲。\n\n### 第二章 犯罪\n\n"
        "#### 第一节 责任\n\n第二条 乙。\n\n#### 第二节 预备\n\n第三条 丙。\n\n"
        "## 第二编 分则\n\n### 第一章 危害\n\n第四条 丁。\n"
    )
    doc = parse_text(text)
    assert kinds(doc.body) == [("part", "第一编", 1), ("part", "第二编", 2)]
    assert kinds(doc.body[0].children) == [("chapter", "第一章", 1), ("chapter", "第二章", 2)]
    assert kinds(doc.body[0].children[1].children) == [
        ("section", "第一节", 1),
        ("section", "第二节", 2),
    ]
    # Chapters start again at one in each 编.
    assert doc.warnings == []
    _, divisions = list(doc.articles())[2]
    assert [d.label for d in divisions] == ["第一编", "第二章", "第二节"]


def test_chapters_may_run_straight_through_parts():
    text = (
        "## 第一编 总则\n### 第一章 甲\n第一条 甲。\n## 第二编 分则\n### 第二章 乙\n第二条 乙。\n"
    )
    assert parse_text(text).warnings == []


def test_wrapped_heading_is_joined():
    doc = parse_text(
        "## 第一章 听取和审议人民政府、人民法院和\n\n人民检察院的专项工作报告\n\n第一条 甲。\n"
    )
    assert doc.body[0].heading == "听取和审议人民政府、人民法院和人民检察院的专项工作报告"


def test_subitems_in_brackets_and_with_dun_comma():
    doc = parse_text("第一条 包括：\n（一）文献：\n（1）手稿；\n2、书信。\n")
    item = doc.body[0].children[0]
    assert kinds(item.children) == [("subitem", "1.", 1), ("subitem", "2.", 2)]


def test_text_outside_articles_is_kept_as_meta_with_a_warning():
    doc = parse_text(
        "# 条例\n\n<!-- INFO END -->\n\n## 序言\n\n为了纪念。\n\n## 第一章 总则\n\n第一条 甲。\n"
    )
    assert doc.meta == ["为了纪念。"]
    assert doc.warnings[0].line == 7


def test_no_articles_is_a_bad_document():
    with pytest.raises(BadDocument, match="未找到任何条文"):
        parse_text("一、将刑法第一条修改为……\n二、本决定自公布之日起施行。", filename="决定.md")
    with pytest.raises(BadDocument, match="未找到任何条文"):
        parse_text("")


def test_parse_path_reads_markdown_and_text(tmp_path):
    md = tmp_path / "a.md"
    md.write_text(CORPUS_STYLE, encoding="utf-8")
    txt = tmp_path / "b.txt"
    txt.write_bytes("某条例\n第一条 为了管理。\n".encode("gb18030"))
    assert parse_path(md).title == "某市红色资源保护条例"
    assert parse_path(txt).body[0].text == "为了管理。"
    out = parse_files_json([md, txt])
    assert [o["file"] for o in out] == [str(md), str(txt)]
    assert out[1]["title"] == "某条例"


def test_utf16_with_bom_is_read():
    data = "某条例\n第一条 为了管理。\n".encode("utf-16")
    assert parse_bytes(data, "c.txt").body[0].label == "第一条"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"%PDF-1.4", "不支持的文件类型"),
        ("noext", b"x", "不支持的文件类型"),
        ("b.txt", b"\x00\x01\x02\xff\xfe\x00", "无法识别文件编码"),
        ("c.md", "第一条 甲".encode() + b"\x80\x00", "无法识别文件编码"),
    ],
)
def test_unreadable_files_are_bad_documents(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(BadDocument, match=message) as info:
        parse_path(path)
    assert name in info.value.message


def test_missing_file_is_a_bad_document(tmp_path):
    with pytest.raises(BadDocument, match="无法读取"):
        parse_path(tmp_path / "missing.md")


def test_markdown_round_trip():
    doc = parse_text(CORPUS_STYLE)
    text = document_to_markdown(doc)
    assert text.startswith("# 某市红色资源保护条例\n")
    assert "## 第一章 总则" in text and "（一）重要旧址；" in text
    assert shape(parse_text(text)) == shape(doc)


def test_markdown_round_trip_of_plain_text_variants():
    text = "条例\n第一章　总则\n第一条　甲：\n(一)乙；\n第二条\n丙。\n　　丁。\n附则\n第三条 戊。\n"
    doc = parse_text(text)
    assert shape(parse_text(document_to_markdown(doc))) == shape(doc)
