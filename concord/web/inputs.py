"""The input boundary: every id, number, string, list and JSON body is checked where it arrives.

- Path ids (`<int:…>` in any rule) lie in 1 … 2^31-1, else the route does not match (404).
- Query and form fields: no control characters (tab and line breaks aside), bounded lengths, no
  number too large for the database.
- JSON bodies: UTF-8, at most MAX_DEPTH levels deep, no lone surrogates or control characters
  in keys or strings, integers within 64 bits, finite numbers; under /api/v1 the body and query
  must also match the operation's schema in concord.web.openapi (types, lengths, ranges).
Anything else is a 400 whose message names the field.
"""

from __future__ import annotations

import json
import math
import re
from urllib.parse import urlsplit

from flask import Flask, g, request
from werkzeug.routing import IntegerConverter

from concord.i18n import gettext as _
from concord.web import openapi
from drafting.errors import BadInput

MAX_ID = openapi.MAX_ID
MAX_DEPTH = 32
MAX_QUERY_VALUE = 4_096
MAX_FORM_VALUE = openapi.MAX_DRAFT_CHARS
MAX_FIELDS = 2_000
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")
LONG_NUMBER = re.compile(r"[0-9]{19,}")
# Fields that carry ids or counts: a whole number beyond MAX_ID there is refused by name.
NUMBER_FIELDS = {
    "after", "parent", "provision", "revision", "base_revision", "city_revision", "revoke",
    "draft", "common", "city", "against", "with", "page", "limit", "at", "edited", "part",
    "after_article", "anchor", "article", "year_from", "year_to", "days",
}  # fmt: skip
NUMBER = re.compile(r"^(?:[a-z]+:?)?0*([0-9]{1,40})$")


class IdConverter(IntegerConverter):
    """`<int:…>` that matches only database ids (1 … 2^63-1); anything else is a 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def safe_next(target: str | None) -> str | None:
    """Return `target` if it is a path on this site to go to next, else None."""
    if not target or not isinstance(target, str) or len(target) > 2_000:
        return None
    if CONTROL.search(target) or any(c in target for c in "\\\n\r\t"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _refuse(field: str, message: str) -> BadInput:
    return BadInput(_("字段 {field}：{problem}", field=field, problem=message), field=field)


def check_text(field: str, value: str, limit: int) -> None:
    """Refuse a string with control characters, lone surrogates or more than `limit` characters."""
    if len(value) > limit:
        raise _refuse(field, _("过长（上限 {n} 个字符）。", n=limit))
    if SURROGATE.search(value):
        raise _refuse(field, _("含有无效的 Unicode 字符。"))
    if CONTROL.search(value):
        raise _refuse(field, _("含有控制字符，请删除后重试。"))


def _check_fields(items, limit: int) -> None:
    for n, (key, value) in enumerate(items):
        if n >= MAX_FIELDS:
            raise BadInput(_("请求的字段过多（上限 {n} 个）。", n=MAX_FIELDS))
        check_text(key[:40] or "?", key, 200)
        check_text(key, value, limit)
        if len(value) <= 40 and LONG_NUMBER.search(value):
            raise _refuse(key, _("数字过大。"))
        number = NUMBER.match(value.strip()) if key in NUMBER_FIELDS else None
        if number and int(number.group(1)) > MAX_ID:
            raise _refuse(key, _("数字过大。"))


def _walk(value, path: str, depth: int) -> None:
    """Check a parsed JSON value without recursion limits of our own making."""
    stack = [(value, path, depth)]
    while stack:
        item, where, level = stack.pop()
        if level > MAX_DEPTH:
            raise _refuse(where or "body", _("嵌套过深（上限 {n} 层）。", n=MAX_DEPTH))
        if isinstance(item, str):
            check_text(where or "body", item, MAX_FORM_VALUE)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if abs(item) > MAX_ID:
                raise _refuse(where or "body", _("数字过大。"))
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise _refuse(where or "body", _("应为有限的数字。"))
        elif isinstance(item, dict):
            for key, sub in item.items():
                check_text(where or "body", key, 200)
                stack.append((sub, f"{where}.{key}" if where else key, level + 1))
        elif isinstance(item, list):
            for i, sub in enumerate(item):
                stack.append((sub, f"{where}[{i}]", level + 1))


def _reject_constant(name: str):
    raise ValueError(name)


def parse_json(raw: bytes):
    """Parse a JSON body strictly, or raise BadInput saying what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(_("请求体不是有效的 UTF-8 文本。")) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise BadInput(_("JSON 嵌套过深（上限 {n} 层）。", n=MAX_DEPTH)) from None
    except ValueError:
        raise BadInput(_("请求体不是有效的 JSON。")) from None
    _walk(data, "", 0)
    return data


def type_name(kind: str) -> str:
    """Return the name of a JSON type in the request's language."""
    names = {
        "string": _("字符串"),
        "integer": _("整数"),
        "number": _("数字"),
        "boolean": _("布尔值（true 或 false）"),
        "array": _("列表"),
        "object": _("对象"),
    }
    return names.get(kind, kind)


def _types(schema) -> list[str]:
    """Return the JSON types a schema (or a list of anyOf alternatives) admits, null left out."""
    if isinstance(schema, list):
        return [k for alternative in schema for k in _types(alternative)]
    if not isinstance(schema, dict):
        return []
    wanted = schema.get("type")
    kinds = wanted if isinstance(wanted, list) else [wanted] if wanted else []
    kinds = [k for k in kinds if k != "null"]
    return kinds + _types(schema.get("anyOf", []))


def _schema_error(err) -> BadInput:
    """Turn a jsonschema error into a message that names the field and the rule."""
    path = ".".join(str(p) for p in err.absolute_path)
    rule, schema = err.validator, err.schema
    if rule == "required":
        missing = next((f for f in err.validator_value if f not in (err.instance or {})), "?")
        name = f"{path}.{missing}" if path else missing
        return BadInput(_("缺少字段 {field}。", field=name), field=name)
    field = path or "body"
    if rule in ("anyOf", "type"):
        # A nullable field is an anyOf with null; its other side may itself be an anyOf.
        kinds = _types(err.validator_value if rule == "anyOf" else schema)
        if not kinds:
            return _refuse(field, _("取值无效。"))
        return _refuse(field, _("应为{kind}。", kind=" / ".join(type_name(k) for k in kinds)))
    if rule == "maxLength":
        return _refuse(field, _("过长（上限 {n} 个字符）。", n=err.validator_value))
    if rule == "minLength":
        return _refuse(field, _("不能为空。"))
    if rule in ("minimum", "maximum"):
        return _refuse(
            field,
            _(
                "超出允许范围（{lo}–{hi}）。",
                lo=schema.get("minimum", "…"),
                hi=schema.get("maximum", "…"),
            ),
        )
    if rule == "enum":
        return _refuse(
            field, _("可选值为 {values}。", values=", ".join(map(str, err.validator_value)))
        )
    if rule == "maxItems":
        return _refuse(field, _("最多 {n} 项。", n=err.validator_value))
    if rule == "pattern":
        return _refuse(field, _("格式不正确。"))
    return _refuse(field, _("取值无效。"))


def validate(instance, schema: dict) -> None:
    """Raise BadInput naming the first field of `instance` that `schema` (OpenAPI 3.0) refuses."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(openapi.as_json_schema(schema))
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    if errors:
        raise _schema_error(errors[0])


def _query_values(op: openapi.Operation) -> dict:
    """Return the declared query parameters converted to their types, for validation."""
    out: dict = {}
    for name, schema in op.query.items():
        if name not in request.args:
            continue
        raw = request.args.get(name, "")
        if schema.get("type") == "integer":
            if not re.fullmatch(r"-?[0-9]{1,19}", raw.strip()):
                raise _refuse(name, _("应为{kind}。", kind=type_name("integer")))
            out[name] = int(raw)
        else:
            out[name] = raw
    return out


def check_request() -> None:
    """Check the request's fields and body before any view sees them."""
    _check_fields(request.args.items(multi=True), MAX_QUERY_VALUE)
    is_json = request.is_json
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and not is_json:
        _check_fields(request.form.items(multi=True), MAX_FORM_VALUE)
    data = None
    if is_json and request.content_length != 0:
        raw = request.get_data(cache=True)
        data = parse_json(raw) if raw else None
    if not request.path.startswith("/api/") or getattr(g, "user", None) is None:
        return  # the API answers 401 before looking at the input of an unknown caller
    rule = request.url_rule
    op = openapi.find(request.method, rule.rule) if rule is not None else None
    if op is None:
        return
    if op.query:
        validate(_query_values(op), {"type": "object", "properties": op.query})
    if op.json is not None and is_json:
        validate(data, op.json)


def init_app(app: Flask) -> None:
    """Bound `<int:…>` ids in every rule and check every request's input before the views."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(check_request)
