"""The API described: /api/v1/openapi.json for tools, /api for people."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from concord.web import openapi

bp = Blueprint("api_docs", __name__)


@bp.get("/api/v1/openapi.json")
def openapi_json():
    """Return the OpenAPI 3 description of /api/v1 (no token needed)."""
    return jsonify(openapi.document())


@bp.get("/api")
def api_page():
    """Describe the API's endpoints, fields and limits to people."""
    operations = sorted(openapi.OPERATIONS, key=lambda op: (op.path, op.method))
    return render_template("api.html", operations=operations, describe=describe)


def describe(schema: dict) -> str:
    """Return a short human description of a field's schema: type, range, length, choices."""
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    kind = schema.get("type", "")
    if kind == "array":
        kind = f"[{describe(schema.get('items', {}))}]"
    if "maxLength" in schema:
        kind += f" ≤ {schema['maxLength']}"
    if "pattern" in schema and "maxLength" not in schema:
        kind += f" {schema['pattern']}"
    if "minimum" in schema or "maximum" in schema:
        hi = schema.get("maximum")
        kind += f" {schema.get('minimum', '')}…{'2³¹−1' if hi == openapi.MAX_ID else hi}"
    if schema.get("nullable"):
        kind += " | null"
    return kind
