"""Word (.docx) import and export of regulations; see docx_read and docx_write."""

from drafting.files.docx_reader import check_zip, docx_lines, format_number
from drafting.files.docx_writer import document_to_docx

__all__ = ["check_zip", "docx_lines", "document_to_docx", "format_number"]
