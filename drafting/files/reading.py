"""Regulation files in: choose the reader by extension (.md, .txt, .docx) and parse."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from drafting.core.alignment import reconcile_documents
from drafting.core.parsing import MAX_TEXT_BYTES, decode_text, file_suffix, parse_text
from drafting.core.tree import Document
from drafting.errors import BadDocument


def parse_bytes(data: bytes, filename: str) -> Document:
    """Parse an uploaded file's bytes, choosing the reader by the file name's extension."""
    if file_suffix(filename) == ".docx":
        # Imported here so that plain-text parsing does not load python-docx and lxml.
        from drafting.files.docx_reader import docx_lines

        return parse_text("\n".join(docx_lines(data, filename)), filename=filename)
    if file_suffix(filename) == ".xml":
        from drafting.files.akoma_ntoso import akn_to_document

        return akn_to_document(data)
    if len(data) > MAX_TEXT_BYTES:
        raise BadDocument(f"{filename}：文件过大（超过 {MAX_TEXT_BYTES // 1024 // 1024} MB）")
    return parse_text(decode_text(data, filename), filename=filename)


def parse_path(path: str | Path) -> Document:
    """Parse a .md, .txt or .docx file."""
    path = Path(path)
    file_suffix(path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadDocument(f"{path.name}：无法读取文件（{exc.strerror or exc}）") from exc
    return parse_bytes(data, path.name)


def parse_files_json(paths: list[str | Path]) -> list[dict]:
    """Parse several files into `parse --json` objects, each with its `file`."""
    out = []
    for path in paths:
        obj = {"file": str(path)}
        obj.update(parse_path(path).to_json())
        out.append(obj)
    return out


def reconcile_files(paths: Sequence[str | Path], *, names: Iterable[str] = ()) -> dict:
    """Parse regulation files and reconcile them, naming each by its file name."""
    paths = [Path(p) for p in paths]
    shown = [p.name for p in paths]
    if len(set(shown)) < len(shown):
        shown = [str(p) for p in paths]
    return reconcile_documents(
        [(name, parse_path(p)) for name, p in zip(shown, paths, strict=True)], names=names
    )
