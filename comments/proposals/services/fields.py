"""The fields of a proposal read from a form, a JSON body or an imported row, with their errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from comments.proposals.models import KINDS, STATUSES
from concord.i18n import gettext as _


def kind_names() -> dict[str, str]:
    """Return the display name of each kind."""
    return {
        "motion": _("议案"),
        "suggestion": _("代表建议"),
        "opinion": _("民情民意"),
        "expert": _("专家意见"),
    }


def status_names() -> dict[str, str]:
    """Return the display name of each handling status."""
    return {
        "received": _("已收到"),
        "handling": _("办理中"),
        "replied": _("已答复"),
        "closed": _("已办结"),
    }


# Words people write in spreadsheets for each kind and status (Chinese and English).
KIND_WORDS = {
    "motion": "motion",
    "议案": "motion",
    "代表议案": "motion",
    "suggestion": "suggestion",
    "建议": "suggestion",
    "代表建议": "suggestion",
    "闭会期间代表建议": "suggestion",
    "opinion": "opinion",
    "民情民意": "opinion",
    "群众意见": "opinion",
    "意见": "opinion",
    "expert": "expert",
    "专家意见": "expert",
}
STATUS_WORDS = {
    **{s: s for s in STATUSES},
    "已收到": "received",
    "收到": "received",
    "办理中": "handling",
    "已答复": "replied",
    "答复": "replied",
    "已办结": "closed",
    "办结": "closed",
}
TRUE_WORDS = {"1", "true", "yes", "on", "是", "y", "闭会期间"}
FALSE_WORDS = {"", "0", "false", "no", "off", "否", "n"}


@dataclass
class ProposalFields:
    """What a user gives for one proposal, already checked and typed."""

    kind: str
    title: str
    number: str | None = None
    text: str = ""
    submitters: list[dict[str, Any]] = field(default_factory=list)
    delegation: str = ""
    jurisdiction: str | None = None
    project: int | None = None
    session: str = ""
    between_sessions: bool = False
    received_on: date | None = None
    channel: str = ""
    status: str = "received"
    office: str = ""
    deadline: date | None = None
    contact: str = ""
    fed_into: int | None = None


@dataclass
class FieldError:
    """A field that could not be read, with the reason in the user's language."""

    field: str
    message: str


def _text(data: dict, key: str, limit: int | None = None) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = str(value).strip()
    return out[:limit] if limit else out


def _date(data: dict, key: str, errors: list[FieldError]) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", raw)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    errors.append(
        FieldError(
            key, _("{field} 应为日期（如 2026-03-15），收到“{value}”。", field=key, value=raw)
        )
    )
    return None


def _int(data: dict, key: str, errors: list[FieldError]) -> int | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        errors.append(
            FieldError(key, _("{field} 应为编号（整数），收到“{value}”。", field=key, value=value))
        )
        return None


def _submitters(data: dict, errors: list[FieldError]) -> list[dict[str, Any]]:
    value = data.get("submitters")
    if value in (None, ""):
        return []
    delegation = _text(data, "delegation")
    if isinstance(value, str):
        names = [n.strip() for n in re.split(r"[、,，;；\n]", value) if n.strip()]
        return [{"name": n, "delegation": delegation} for n in names]
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, str) and item.strip():
                out.append({"name": item.strip(), "delegation": delegation})
            elif isinstance(item, dict) and str(item.get("name") or "").strip():
                out.append(
                    {
                        "name": str(item["name"]).strip(),
                        "delegation": str(item.get("delegation") or delegation).strip(),
                    }
                )
            else:
                errors.append(
                    FieldError(
                        "submitters",
                        _("submitters 中的每一项应为姓名，或含 name 和 delegation 的对象。"),
                    )
                )
                return []
        return out
    errors.append(FieldError("submitters", _("submitters 应为姓名列表。")))
    return []


def read_fields(data: dict) -> tuple[ProposalFields | None, list[FieldError]]:
    """Read a proposal from a mapping of field names to values; return it or the field errors."""
    errors: list[FieldError] = []
    kind_raw = _text(data, "kind")
    kind = KIND_WORDS.get(kind_raw.lower(), KIND_WORDS.get(kind_raw))
    if kind not in KINDS:
        errors.append(
            FieldError(
                "kind",
                _(
                    "kind 应为 motion、suggestion、opinion 或 expert（议案、代表建议、民情民意、专家意见），收到“{value}”。",  # noqa: E501
                    value=kind_raw,
                ),
            )
        )
    title = _text(data, "title")
    if not title:
        errors.append(FieldError("title", _("请填写标题（title）。")))
    elif len(title) > 300:
        errors.append(FieldError("title", _("标题（title）不能超过 300 字。")))
    number = _text(data, "number")
    if len(number) > 40:
        errors.append(FieldError("number", _("编号（number）不能超过 40 字。")))
    status_raw = _text(data, "status") or "received"
    status = STATUS_WORDS.get(status_raw.lower(), STATUS_WORDS.get(status_raw))
    if status is None:
        errors.append(
            FieldError(
                "status",
                _(
                    "status 应为 received、handling、replied 或 closed，收到“{value}”。",
                    value=status_raw,
                ),
            )
        )
    between_raw = _text(data, "between_sessions").lower()
    if between_raw not in TRUE_WORDS | FALSE_WORDS:
        errors.append(FieldError("between_sessions", _("between_sessions 应为是或否。")))
    channel = _text(data, "channel", 40)
    jurisdiction = _text(data, "jurisdiction") or None
    if jurisdiction is not None and not re.fullmatch(r"\d{6}", jurisdiction):
        errors.append(
            FieldError(
                "jurisdiction",
                _("jurisdiction 应为六位行政区划代码，收到“{value}”。", value=jurisdiction),
            )
        )
    fields = ProposalFields(
        kind=kind or "",
        title=title,
        number=number or None,
        text=_text(data, "text"),
        submitters=_submitters(data, errors),
        delegation=_text(data, "delegation", 120),
        jurisdiction=jurisdiction,
        project=_int(data, "project", errors),
        session=_text(data, "session", 120),
        between_sessions=between_raw in TRUE_WORDS,
        received_on=_date(data, "date", errors),
        channel=channel,
        status=status or "received",
        office=_text(data, "office", 120),
        deadline=_date(data, "deadline", errors),
        contact=_text(data, "contact"),
        fed_into=_int(data, "fed_into", errors),
    )
    return (None if errors else fields), errors
