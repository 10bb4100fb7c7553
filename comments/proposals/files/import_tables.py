"""Read an uploaded table (.csv or .xlsx) row by row, refusing it as soon as it passes a limit.

A few hundred kilobytes of .xlsx can unpack to gigabytes and a CSV field can be longer than the
csv module accepts; both are checked while streaming, so memory and time stay bounded whatever
arrives. Cells the app's own exports neutralised ('=…) are read back as they were.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator

from concord.i18n import gettext as _
from concord.limits import MAX_TEXT  # characters of one cell, as of one provision's text
from drafting.core.spreadsheets import restore
from drafting.errors import BadDocument, TooLarge

MAX_FILE_BYTES = 5 * 1024 * 1024  # an import file as uploaded
MAX_UNPACKED_BYTES = 30 * 1024 * 1024  # an .xlsx's parts, unpacked, all together
MAX_ROWS = 5000  # rows of data below the header
MAX_COLUMNS = 50


def read_rows(filename: str, data: bytes) -> list[list]:
    """Return the rows of a .csv/.txt or .xlsx upload, the header first, within the limits."""
    if len(data) > MAX_FILE_BYTES:
        raise TooLarge(
            _("{name} 超过 {mb} MB，请分成几个文件导入。", name=filename, mb=MAX_FILE_BYTES >> 20)
        )
    name = filename.lower()
    if name.endswith(".xlsx"):
        source = _xlsx_rows(filename, data)
    elif name.endswith((".csv", ".txt")):
        source = _csv_rows(data)
    else:
        raise BadDocument(_("请上传 .csv 或 .xlsx 文件，收到 {name}。", name=filename))
    rows: list[list] = []
    for line, raw in source:
        if len(rows) > MAX_ROWS:
            raise TooLarge(
                _("第 {line} 行：一次最多导入 {n} 行，请分成几个文件。", line=line, n=MAX_ROWS)
            )
        rows.append([_cell(value, line, col) for col, value in enumerate(raw[:MAX_COLUMNS], 1)])
    return rows


def _cell(value, line: int, col: int):
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise BadDocument(
                _(
                    "第 {line} 行第 {col} 列超过 {n} 字，请缩短后重新上传。",
                    line=line,
                    col=col,
                    n=MAX_TEXT,
                ),
                line=line,
            )
        return restore(value)
    return value


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadDocument(_("无法识别 CSV 文件的编码：请另存为 UTF-8 或 GBK。"))


def _csv_rows(data: bytes) -> Iterator[tuple[int, list]]:
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    line = 0
    while True:
        line += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # The csv module refuses a field over 131,072 characters (and stray NULs): say where.
            raise BadDocument(
                _(
                    "第 {line} 行无法读取：某一格过长（上限 {n} 字）或格式有误。",
                    line=line,
                    n=MAX_TEXT,
                ),
                line=line,
            ) from None
        yield line, row


def _xlsx_rows(filename: str, data: bytes) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    bad = _("{name} 不是有效的 Excel（.xlsx）文件。", name=filename)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # zipfile reads no more than each part's declared size, so the sum bounds the work.
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BadDocument(bad) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise TooLarge(
            _(
                "{name} 解压后超过 {mb} MB（表格过大或含超长单元格），请分成几个文件导入。",
                name=filename,
                mb=MAX_UNPACKED_BYTES >> 20,
            )
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError):
        raise BadDocument(bad) from None
    try:
        sheet = book.worksheets[0]
        for line, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
            yield line, list(row)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError):
        raise BadDocument(bad) from None
    finally:
        book.close()
