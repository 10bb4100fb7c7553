"""Akoma Ntoso 3.0 (OASIS LegalDocML) out and in: a draft's tree with eIds from its provision ids.

编/章/节 are part/chapter/section, 条 is article; an article's first paragraph and each further
paragraph (款) are paragraphs, items (项) and sub-items (目) are points. The eId of a provision
carries its stable id (`art_p123`), so a file read back returns the same provisions; the
article's first paragraph, which is the article's own text, is `para_p<article id>`.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

from lxml import etree

from drafting.core.tree import Document, Node
from drafting.errors import BadDocument

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
SCHEMA = Path(__file__).with_name("schemas") / "akomantoso30.xsd"
MAX_BYTES = 20 * 1024 * 1024
PREFIX = {
    "part": "part",
    "chapter": "chp",
    "section": "sec",
    "article": "art",
    "clause": "para",
    "item": "point",
    "subitem": "point",
}
ELEMENT = {"part": "part", "chapter": "chapter", "section": "section", "article": "article"}
_EID = re.compile(r"_p(\d+)$")


def _el(tag: str, parent: etree._Element | None = None, text: str | None = None, **attrs):
    element = etree.Element(f"{{{NS}}}{tag}", nsmap={None: NS}) if parent is None else None
    if element is None:
        element = etree.SubElement(parent, f"{{{NS}}}{tag}")
    for key, value in attrs.items():
        element.set(key.rstrip("_"), value)
    if text is not None:
        element.text = text
    return element


def _eid(node: Node, n: int, within: str, kind: str | None = None) -> str:
    """Return the eId of a node: its stable provision id, else its place within its parent."""
    prefix = PREFIX[kind or node.kind]
    if node.id is not None:
        return f"{prefix}_p{node.id}"
    return f"{within}__{prefix}_{n}" if within else f"{prefix}_{n}"


def _frbr(parent, level: str, uri: str, day: str, *, country: bool = False, lang: bool = False):
    holder = _el(level, parent)
    suffix = {"FRBRWork": "", "FRBRExpression": "/zho@", "FRBRManifestation": "/zho@/!main.xml"}
    this = uri + suffix[level]
    _el("FRBRthis", holder, value_=this + ("/!main" if level == "FRBRWork" else ""))
    _el("FRBRuri", holder, value_=this)
    _el("FRBRdate", holder, date_=day, name_="draft")
    _el("FRBRauthor", holder, href_="#concord")
    if country:
        _el("FRBRcountry", holder, value_="cn")
    if lang:
        _el("FRBRlanguage", holder, language_="zho")


def document_to_akn(doc: Document, *, work: str, day: date, version: str = "") -> bytes:
    """Return a document as Akoma Ntoso 3.0 XML; `work` names it (e.g. cn-320300/draft-12)."""
    root = _el("akomaNtoso")
    act = _el("act", root, name_="regulation")
    meta = _el("meta", act)
    ident = _el("identification", meta, source_="#concord")
    uri = f"/akn/{work}"
    for level in ("FRBRWork", "FRBRExpression", "FRBRManifestation"):
        _frbr(
            ident,
            level,
            uri,
            day.isoformat(),
            country=level == "FRBRWork",
            lang=level == "FRBRExpression",
        )
    refs = _el("references", meta, source_="#concord")
    _el("TLCOrganization", refs, eId="concord", href_="/ontology/organization/concord")
    refs[-1].set("showAs", "Concord")
    preface = _el("preface", act)
    title = _el("p", preface, class_="title")
    _el("docTitle", title, doc.title)
    for line in doc.meta:
        _el("p", preface, line, class_="meta")
    if version:
        _el("p", preface, version, class_="version")
    body = _el("body", act)
    for n, node in enumerate(doc.body, start=1):
        _division(body, node, n, "")
    if not len(body):
        _el("hcontainer", body, name_="empty", eId="empty")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _division(parent, node: Node, n: int, within: str) -> None:
    eid = _eid(node, n, within)
    if node.kind == "article":
        _article(parent, node, eid)
        return
    element = _el(ELEMENT[node.kind], parent, eId=eid)
    _el("num", element, node.label or "")
    if node.heading:
        _el("heading", element, node.heading)
    for k, child in enumerate(node.children, start=1):
        _division(element, child, k, eid)
    if not any(c.kind in ELEMENT for c in node.children):
        # The schema wants a division to hold something; an empty one holds an empty container.
        _el("hcontainer", element, name_="empty", eId=eid + "__empty")


def _article(parent, node: Node, eid: str) -> None:
    element = _el("article", parent, eId=eid)
    _el("num", element, node.label or "")
    own_items = [c for c in node.children if c.kind == "item"]
    first = f"para_p{node.id}" if node.id is not None else f"{eid}__para_1"
    _holder(_el("paragraph", element, eId=first), node.text or "", own_items, first)
    for k, clause in enumerate((c for c in node.children if c.kind == "clause"), start=2):
        items = [c for c in clause.children if c.kind == "item"]
        para = _eid(clause, k, eid)
        _holder(_el("paragraph", element, eId=para), clause.text or "", items, para)


def _holder(element, text: str, points: list[Node], eid: str) -> None:
    if not points:
        _el("p", _el("content", element), text)
        return
    _el("p", _el("intro", element), text)
    for k, point in enumerate(points, start=1):
        point_eid = _eid(point, k, eid)
        child = _el("point", element, eId=point_eid)
        _el("num", child, point.label or "")
        subitems = [c for c in point.children if c.kind == "subitem"]
        _holder(child, point.text or "", subitems, point_eid)


@cache
def schema() -> etree.XMLSchema:
    """Return the Akoma Ntoso 3.0 schema shipped with Concord (read once)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def validate(data: bytes) -> list[str]:
    """Return the schema's complaints about an Akoma Ntoso file (none when it is valid)."""
    checker = schema()
    checker.validate(_parse(data))
    return [f"{e.line}: {e.message}" for e in checker.error_log]


def _parse(data: bytes) -> etree._Element:
    if len(data) > MAX_BYTES:
        raise BadDocument("Akoma Ntoso 文件过大。")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BadDocument(f"Akoma Ntoso 文件无法解析：{exc}") from exc


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _id_of(element) -> int | None:
    match = _EID.search(element.get("eId") or "")
    return int(match.group(1)) if match else None


def _text(element) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def akn_to_document(data: bytes) -> Document:
    """Read an Akoma Ntoso act back into a document, provisions keeping their ids."""
    root = _parse(data)
    act = root.find(_q("act"))
    if root.tag != _q("akomaNtoso") or act is None or act.find(_q("body")) is None:
        raise BadDocument("不是 Akoma Ntoso 3.0 的法规文件（缺少 akomaNtoso/act/body）。")
    preface = act.find(_q("preface"))
    title, meta = "", []
    if preface is not None:
        for p in preface.findall(_q("p")):
            if p.get("class") == "title":
                title = _text(p)
            elif p.get("class") == "meta":
                meta.append(_text(p))
    body = [_read(e) for e in act.find(_q("body")) if e.tag in {_q(t) for t in ELEMENT.values()}]
    return Document(title=title, meta=meta, body=body)


def _read(element) -> Node:
    kind = etree.QName(element).localname
    node = Node(kind=kind, id=_id_of(element), label=_text(element.find(_q("num"))) or None)
    if kind == "article":
        paragraphs = element.findall(_q("paragraph"))
        for k, para in enumerate(paragraphs):
            text, points = _read_holder(para, "item")
            if k == 0:
                node.text = text
                node.children.extend(points)
            else:
                clause = Node(kind="clause", text=text, id=_id_of(para))
                clause.children = points
                node.children.append(clause)
        return node
    node.heading = _text(element.find(_q("heading"))) or None
    node.children = [_read(e) for e in element if e.tag in {_q(t) for t in ELEMENT.values()}]
    return node


def _read_holder(element, kind: str) -> tuple[str, list[Node]]:
    content = element.find(_q("content"))
    if content is not None:
        return _text(content), []
    text = _text(element.find(_q("intro")))
    points = []
    for point in element.findall(_q("point")):
        inner, below = _read_holder(point, "subitem")
        item = Node(kind=kind, text=inner, id=_id_of(point), label=_text(point.find(_q("num"))))
        item.children = below
        points.append(item)
    return text, points
