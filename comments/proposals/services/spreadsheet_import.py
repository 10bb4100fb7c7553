"""Import proposals from CSV (UTF-8 or GBK) or .xlsx: preview with errors per row, all or none."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from comments.proposals.files.import_tables import read_rows
from comments.proposals.models import Proposal
from comments.proposals.services.fields import FieldError, ProposalFields, read_fields
from comments.proposals.services.proposals import add_proposal
from concord.accounts.models import User
from concord.i18n import gettext as _
from concord.permissions import proposals as rules
from concord.permissions.workspace import sees_project
from drafting.errors import BadDocument, BadInput
from drafting.models import Jurisdiction, Project

# Column headings people use, Chinese or English, mapped to the field names of read_fields.
HEADINGS = {
    "类别": "kind",
    "类型": "kind",
    "kind": "kind",
    "编号": "number",
    "number": "number",
    "标题": "title",
    "title": "title",
    "内容": "text",
    "正文": "text",
    "text": "text",
    "提出人": "submitters",
    "领衔代表": "submitters",
    "submitters": "submitters",
    "代表团": "delegation",
    "delegation": "delegation",
    "地区": "jurisdiction",
    "行政区划代码": "jurisdiction",
    "jurisdiction": "jurisdiction",
    "项目": "project",
    "project": "project",
    "届次": "session",
    "会议": "session",
    "session": "session",
    "闭会期间": "between_sessions",
    "between_sessions": "between_sessions",
    "日期": "date",
    "收到日期": "date",
    "date": "date",
    "渠道": "channel",
    "channel": "channel",
    "状态": "status",
    "status": "status",
    "承办单位": "office",
    "office": "office",
    "答复期限": "deadline",
    "deadline": "deadline",
    "联系方式": "contact",
    "contact": "contact",
}
# The preview page lists this many rows (a 5,000-row file is still checked whole).
PREVIEW_ROWS = 200


@dataclass
class Row:
    """One line of the file: what it holds and what is wrong with it."""

    line: int
    values: dict
    fields: ProposalFields | None
    errors: list[FieldError] = field(default_factory=list)


@dataclass
class Preview:
    """The rows of a file as they would be imported."""

    filename: str
    rows: list[Row]
    unknown_columns: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def shown(self) -> list[Row]:
        """Return the rows the preview page lists: the wrong ones first, at most PREVIEW_ROWS."""
        return (self.errors or self.rows)[:PREVIEW_ROWS]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def read_upload(filename: str, data: bytes) -> tuple[list[tuple[int, dict]], list[str]]:
    """Return the file's rows as (line number, {field: value}) and the columns not understood."""
    if not data:
        raise BadDocument(_("上传的文件 {name} 是空的。", name=filename))
    table = read_rows(filename, data)
    while table and not any(str(c or "").strip() for c in table[0]):
        table.pop(0)
    if not table:
        raise BadDocument(_("{name} 中没有任何内容。", name=filename))
    header = [str(c or "").strip() for c in table[0]]
    columns = [HEADINGS.get(h, HEADINGS.get(h.lower())) for h in header]
    if "title" not in columns or "kind" not in columns:
        raise BadDocument(
            _("第 1 行应为表头，至少包括“类别”和“标题”两列；收到：{cols}。", cols="、".join(header))
        )
    unknown = [h for h, c in zip(header, columns, strict=True) if c is None and h]
    rows = []
    for offset, raw in enumerate(table[1:], start=2):
        if not any(str(c if c is not None else "").strip() for c in raw):
            continue
        values = {}
        for col, value in zip(columns, raw, strict=False):
            if col is not None:
                values[col] = value
        rows.append((offset, values))
    return rows, unknown


def preview_import(session: Session, user: User, filename: str, data: bytes) -> Preview:
    """Read a file and check every row as it would be recorded; store nothing."""
    table, unknown = read_upload(filename, data)
    seen: dict[tuple, int] = {}
    rows: list[Row] = []
    for line, values in table:
        fields, errors = read_fields(values)
        if fields is not None:
            errors = _check_row(session, user, fields, seen, line)
        rows.append(
            Row(line=line, values=values, fields=fields if not errors else None, errors=errors)
        )
    return Preview(filename=filename, rows=rows, unknown_columns=unknown)


def _check_row(
    session: Session, user: User, f: ProposalFields, seen: dict, line: int
) -> list[FieldError]:
    errors: list[FieldError] = []
    code = f.jurisdiction or user.jurisdiction_code
    if session.get(Jurisdiction, code) is None:
        errors.append(FieldError("jurisdiction", _("未知的行政区划代码 {code}。", code=code)))
    elif not rules.may_record(user, code):
        errors.append(FieldError("jurisdiction", _("只能登记本地区的建议和意见。")))
    if f.project is not None:
        project = session.get(Project, f.project)
        if project is None or not sees_project(user, project):
            errors.append(FieldError("project", _("找不到项目 {id}。", id=f.project)))
    if f.fed_into is not None:
        errors.append(FieldError("fed_into", _("导入时不能指定汇入关系，请导入后在页面上关联。")))
    if f.number:
        key = (code, f.kind, f.session, f.number)
        if key in seen:
            errors.append(
                FieldError(
                    "number",
                    _("编号 {number} 与第 {line} 行重复。", number=f.number, line=seen[key]),
                )
            )
        seen.setdefault(key, line)
        if session.scalar(
            select(Proposal.id).where(
                Proposal.jurisdiction_code == code,
                Proposal.kind == f.kind,
                Proposal.session == f.session,
                Proposal.number == f.number,
            )
        ):
            errors.append(FieldError("number", _("编号 {number} 已登记过。", number=f.number)))
    return errors


def confirm_import(session: Session, user: User, filename: str, data: bytes) -> int:
    """Record every row of the file, or none of them if any row is wrong; return the count."""
    preview = preview_import(session, user, filename, data)
    if not preview.rows:
        raise BadInput(_("文件中没有可导入的行。"))
    if preview.errors:
        raise BadInput(
            _("有 {n} 行有错误，未导入任何内容。请修改后重新上传。", n=len(preview.errors)),
            lines=[r.line for r in preview.errors],
        )
    for row in preview.rows:
        add_proposal(session, user, row.fields)
    session.commit()
    return len(preview.rows)
