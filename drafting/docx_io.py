"""Word (.docx) import and export of regulations; see docx_read and docx_write."""

from drafting.docx_read import check_zip, docx_lines, format_number
from drafting.docx_write import document_to_docx

__all__ = ["check_zip", "docx_lines", "document_to_docx", "format_number"]
