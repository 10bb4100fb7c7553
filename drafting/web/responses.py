"""Reading drafts from requests and writing them (and comparisons) as downloadable files."""

from __future__ import annotations

import io

from flask import Response, render_template

from concord.i18n import gettext as _
from concord.limits import MAX_ARTICLES, MAX_PARAGRAPHS, MAX_TEXT
from concord.web.downloads import DOCX, download
from drafting.core.parsing import parse_text
from drafting.core.tree import Document
from drafting.errors import BadInput, TooLarge
from drafting.files.reading import parse_bytes
from drafting.services.drafts import load_tree

# Stated limits of one draft (README, /api): enough for the longest codes (民法典: 1,260 articles),
# small enough that storing one keeps SQLite's write lock for seconds, not minutes.
# Paragraphs (non-blank lines) of one text: four times 民法典 (2,295 in the corpus, the longest);
# storing 10,000 takes 5-10 s on a shared 2-core machine, well inside a worker's 30 s timeout.


def document_from_request(text: str | None, upload: tuple[str, bytes] | None) -> Document:
    """Parse pasted text or an uploaded .md/.txt/.docx file; nothing is stored if it fails."""
    if upload is not None:
        filename, data = upload
        if not data:
            raise BadInput(_("上传的文件 {name} 是空的。", name=filename))
        return within_limits(parse_bytes(data, filename))
    if not isinstance(text, str) or not text.strip():
        raise BadInput(_("请粘贴条例文本或上传文件（.md、.txt、.docx）。"))
    lines = sum(1 for line in text.splitlines() if line.strip())
    if lines > MAX_PARAGRAPHS:
        raise too_many_paragraphs(lines)
    return within_limits(parse_text(text))


def too_many_paragraphs(count: int) -> TooLarge:
    """Return the 413 for a text with more paragraphs than a draft may hold."""
    return TooLarge(
        _("文本有 {n} 段，超过每个文本 {max} 段的上限。", n=count, max=MAX_PARAGRAPHS),
        field="text",
    )


def within_limits(doc: Document) -> Document:
    """Refuse a document with more articles, or longer paragraphs, than a draft may hold."""
    from drafting.errors import BadDocument

    articles = sum(1 for _a in doc.articles())
    if articles > MAX_ARTICLES:
        raise BadDocument(
            _("文本有 {n} 条，超过每个文本 {max} 条的上限。", n=articles, max=MAX_ARTICLES)
        )
    stack = list(doc.body)
    paragraphs = len(doc.meta)
    while stack:
        node = stack.pop()
        paragraphs += 1
        if len(node.text or "") > MAX_TEXT or len(node.heading or "") > MAX_TEXT:
            raise BadDocument(
                _(
                    "{label} 过长（每段上限 {max} 字）。",
                    label=node.label or node.kind,
                    max=MAX_TEXT,
                )
            )
        stack.extend(node.children)
    if paragraphs > MAX_PARAGRAPHS:
        raise too_many_paragraphs(paragraphs)
    return doc


def export_response(session, draft, fmt: str, version_doc=None) -> Response:
    """Return the draft (or a named version) as .docx, Markdown or Akoma Ntoso 3.0 XML."""
    version, doc = version_doc or (None, load_tree(session, draft).document())
    if fmt == "md":
        from drafting.files.markdown import document_to_markdown

        return download(
            document_to_markdown(doc).encode("utf-8"), f"{draft.title}.md", "text/markdown"
        )
    if fmt == "docx":
        from drafting.files.docx_writer import document_to_docx

        buffer = io.BytesIO()
        document_to_docx(doc, buffer)
        return download(buffer.getvalue(), f"{draft.title}.docx", DOCX)
    if fmt == "akn":
        return akn_response(draft, doc, version)
    raise BadInput(_("不支持的格式“{f}”：可选 docx、md、akn。", f=fmt))


def akn_response(draft, doc: Document, version=None) -> Response:
    """Return a draft (or one of its named versions) as Akoma Ntoso 3.0 XML."""
    from drafting.files.akoma_ntoso import document_to_akn

    work = f"cn-{draft.jurisdiction_code}/act/regulation/draft-{draft.id}"
    when = (version.created_at if version is not None else draft.updated_at).date()
    if version is not None:
        work += f"/version-{version.id}"
    data = document_to_akn(doc, work=work, day=when, version=version.name if version else "")
    name = f"{draft.title}{'·' + version.name if version else ''}.xml"
    return download(data, name, "application/akn+xml")


def comparison_response(left, right, rows, fmt: str, *, include_unchanged: bool) -> Response:
    """Return the 修改对照表 as a .docx download or a printable HTML page."""
    if fmt == "docx":
        from drafting.services.versions import comparison_docx

        data = comparison_docx(left, right, rows, include_unchanged=include_unchanged)
        return download(data, f"{right.title}修改对照表.docx", DOCX)
    html = render_template(
        "drafting/compare_table.html",
        left=left,
        right=right,
        rows=rows,
        include_unchanged=include_unchanged,
        standalone=True,
    )
    return Response(html, mimetype="text/html")
