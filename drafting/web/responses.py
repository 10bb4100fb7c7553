"""Reading drafts from requests and writing them (and comparisons) as downloadable files."""

from __future__ import annotations

import io
from urllib.parse import quote

from flask import Response, render_template

from drafting.core.parsing import parse_text
from drafting.core.tree import Document
from drafting.errors import BadInput
from drafting.files.reading import parse_bytes
from drafting.i18n import gettext as _
from drafting.services.drafts import load_tree


def document_from_request(text: str | None, upload: tuple[str, bytes] | None) -> Document:
    """Parse pasted text or an uploaded .md/.txt/.docx file; nothing is stored if it fails."""
    if upload is not None:
        filename, data = upload
        if not data:
            raise BadInput(_("上传的文件 {name} 是空的。", name=filename))
        return parse_bytes(data, filename)
    if not isinstance(text, str) or not text.strip():
        raise BadInput(_("请粘贴条例文本或上传文件（.md、.txt、.docx）。"))
    return parse_text(text)


def download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    ascii_name = filename.encode("ascii", "ignore").decode() or "concord"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def export_response(session, draft, fmt: str) -> Response:
    """Return the draft as a .docx (customary layout) or Markdown (corpus format) download."""
    doc = load_tree(session, draft).document()
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
    raise BadInput(_("不支持的格式“{f}”：可选 docx、md。", f=fmt))


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
