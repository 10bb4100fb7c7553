"""The OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json and checked on input.

Each operation is declared once here, next to its Flask rule: its summary, query parameters and
JSON body. The same schemas describe the API to people (/api), to tools (openapi.json, which
schemathesis fuzzes in CI) and validate every API request at the input boundary
(concord.web.inputs), so a declared type or limit is also an enforced one.

Adding endpoints (e.g. the comments package's rounds, comments, proposals, stations, opinions,
reports): build `Operation(...)` entries with the helpers below and call
`register_operations([...])` from the package's `register(app)`. tests/test_openapi.py fails
while a rule under /api/v1 has no operation here, and tests/test_route_walk.py fuzzes every one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from concord.limits import MAX_DRAFT_CHARS, MAX_ID, MAX_NOTE, MAX_TEXT

# Ids are INTEGER columns: 32 bits on PostgreSQL (SQLite would take 64).
KINDS = ["part", "chapter", "section", "article", "clause", "item", "subitem"]
# drafting.services.propagation_change.KINDS
CHANGE_KINDS = ["modified", "inserted", "deleted", "moved", "split", "merged", "heading"]

ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
NULLABLE_ID = {**ID, "nullable": True}
CODE = {"type": "string", "pattern": "^[0-9]{6}$", "maxLength": 6}
# A text to compare: current, v<version id>, d<draft id>, version:<id>, draft:<id>, or a bare id.
REF = "^(current|[vd]?[0-9]{1,18}|(version|draft):[0-9]{1,18})$"


def text(limit: int, **more) -> dict:
    """Return the schema of a string of at most `limit` characters."""
    return {"type": "string", "maxLength": limit, **more}


def body(required: tuple[str, ...] = (), **properties) -> dict:
    """Return the schema of a JSON object body with these properties."""
    schema: dict = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


@dataclass
class Operation:
    """One API endpoint: method, Flask rule (without /api/v1), summary, inputs, answers."""

    method: str
    rule: str
    summary: str
    query: dict[str, dict] = field(default_factory=dict)
    json: dict | None = None
    multipart: dict | None = None
    public: bool = False
    answers: tuple[int, ...] = (200,)
    produces: str = "application/json"

    @property
    def path(self) -> str:
        return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", self.rule)

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.rule)


OPERATIONS: list[Operation] = [
    Operation("get", "/projects", "List the caller's projects"),
    Operation(
        "post",
        "/projects",
        "Create a project",
        json=body(
            ("title",),
            title=text(200, minLength=1),
            subject=text(MAX_TEXT),
            lead=CODE,
            participants={"type": "array", "items": CODE, "maxItems": 200},
        ),
        answers=(201,),
    ),
    Operation("get", "/projects/<int:project_id>", "One project"),
    Operation(
        "post",
        "/projects/<int:project_id>/drafts",
        "Create a draft from text, an uploaded file (multipart `file`) or the common text",
        json=body(
            jurisdiction=CODE,
            title=text(200),
            text=text(MAX_DRAFT_CHARS),
            common={"type": "boolean"},
            from_common={"type": "boolean"},
        ),
        multipart=body(
            jurisdiction=CODE,
            title=text(200),
            common=text(5),
            file={"type": "string", "format": "binary"},
        ),
        answers=(201,),
    ),
    Operation("get", "/drafts/<int:draft_id>", "The draft as the parse tree with stable ids"),
    Operation(
        "get",
        "/drafts/<int:draft_id>/export",
        "The draft as a file",
        query={"format": {"type": "string", "enum": ["docx", "md", "akn"]}, "version": ID},
        produces="application/octet-stream",
    ),
    Operation(
        "get",
        "/drafts/<int:draft_id>/compare",
        "The 修改对照表 against a version (v<id>) or another draft (<id>)",
        query={
            "against": text(40, pattern=REF),
            "with": text(40, pattern=REF),
            "format": {"type": "string", "enum": ["json", "html", "docx"]},
            "all": {"type": "string", "enum": ["0", "1"]},
        },
    ),
    Operation(
        "get",
        "/drafts/<int:draft_id>/review",
        "The legality review (合法性审查) of the current text or a version: the `review --json`"
        " findings, each with its `provision` id, `fingerprint` and any adviser's `decision`",
        query={"version": text(40, pattern=REF)},
    ),
    Operation(
        "post",
        "/drafts/<int:draft_id>/versions",
        "Save the draft as a named version",
        json=body(("name",), name=text(80, minLength=1), note=text(MAX_NOTE)),
        answers=(201,),
    ),
    Operation(
        "post",
        "/drafts/<int:draft_id>/provisions",
        "Insert a provision after a sibling or into a parent",
        json=body(
            ("kind", "text"),
            kind={"type": "string", "enum": KINDS},
            text=text(MAX_TEXT),
            after=NULLABLE_ID,
            parent=NULLABLE_ID,
            reason=text(MAX_NOTE),
        ),
        answers=(201,),
    ),
    Operation("get", "/provisions/<int:provision_id>", "One provision"),
    Operation(
        "patch",
        "/provisions/<int:provision_id>",
        "Edit a provision's text from a base revision (merged, or 409)",
        json=body(("text",), text=text(MAX_TEXT), base_revision=NULLABLE_ID, reason=text(MAX_NOTE)),
    ),
    Operation("delete", "/provisions/<int:provision_id>", "Delete a provision"),
    Operation(
        "post",
        "/provisions/<int:provision_id>/move",
        "Move a provision after another or to the start of a parent",
        json=body(after=NULLABLE_ID, parent=NULLABLE_ID),
    ),
    Operation("get", "/provisions/<int:provision_id>/history", "A provision's revisions"),
    Operation(
        "post",
        "/provisions/<int:provision_id>/restore",
        "Make an earlier revision current again",
        json=body(("revision",), revision=ID),
    ),
    Operation("get", "/projects/<int:project_id>/reconciliation", "The reconcile groups"),
    Operation(
        "post",
        "/projects/<int:project_id>/reconciliation/pins",
        "Pin a city article to a common-text article",
        json=body(("draft",), draft=ID, common=NULLABLE_ID, city=NULLABLE_ID),
        answers=(201,),
    ),
    Operation("delete", "/reconciliation/pins/<int:pin_id>", "Remove a pin"),
    Operation(
        "get",
        "/projects/<int:project_id>/propagation",
        "Common-text changes the cities have yet to accept or decline",
        query={"draft": ID},
    ),
    Operation(
        "post",
        "/projects/<int:project_id>/propagation/accept",
        "Apply a common-text change to a city's article",
        json=body(
            ("draft", "common"),
            draft=ID,
            common=ID,
            city_revision=NULLABLE_ID,
            reason=text(MAX_NOTE),
            kind={"type": "string", "enum": list(CHANGE_KINDS)},
            text=text(MAX_TEXT),
        ),
        answers=(201,),
    ),
    Operation(
        "post",
        "/projects/<int:project_id>/propagation/decline",
        "Keep the city's text despite a common-text change",
        json=body(
            ("draft", "common"),
            draft=ID,
            common=ID,
            reason=text(MAX_NOTE),
            kind={"type": "string", "enum": list(CHANGE_KINDS)},
        ),
        answers=(201,),
    ),
    Operation(
        "get",
        "/search",
        "Precedent and workspace search",
        query={
            "q": text(500),
            "scope": {"type": "string", "enum": ["precedent", "workspace", "all"]},
            "limit": {"type": "integer", "minimum": 1, "maximum": 100},
            "page": {"type": "integer", "minimum": 1, "maximum": 10_000},
            "level": text(40),
            "jurisdiction": text(40),
            "year_from": {"type": "integer", "minimum": 1949, "maximum": 2100},
            "year_to": {"type": "integer", "minimum": 1949, "maximum": 2100},
            "in_force": {"type": "string", "enum": ["0", "1", "true", "false", "on"]},
            "sort": {"type": "string", "enum": ["relevance", "date"]},
            "group": {"type": "string", "enum": ["0", "1", "true", "false", "on"]},
        },
    ),
    Operation("get", "/openapi.json", "This description", public=True, answers=(200,)),
]


def register_operations(operations: list[Operation]) -> None:
    """Add another package's endpoints to the description and the input checks."""
    known = {(op.method, op.rule) for op in OPERATIONS}
    OPERATIONS.extend(op for op in operations if (op.method, op.rule) not in known)


def find(method: str, rule: str) -> Operation | None:
    """Return the operation of a Flask rule (with /api/v1) and method, if declared."""
    rule = rule.removeprefix("/api/v1")
    return next((op for op in OPERATIONS if op.rule == rule and op.method == method.lower()), None)


ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}

REASONS = {
    400: "Bad input: the message names the field",
    401: "Missing, expired or revoked token",
    403: "Not permitted",
    404: "Not found, or not visible to the caller",
    409: "Conflict",
    413: "Body too large",
    422: "Unreadable document",
    503: "Database busy: retry after Retry-After seconds",
}


def document(server_url: str = "/api/v1") -> dict:
    """Return the OpenAPI 3.0 document of every declared operation."""
    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        params = [
            {"name": name, "in": "path", "required": True, "schema": ID} for name in op.path_params
        ]
        params += [
            {"name": name, "in": "query", "required": False, "schema": schema}
            for name, schema in op.query.items()
        ]
        responses: dict = {
            str(code): {
                "description": "OK",
                "content": {op.produces: {"schema": {"type": "object"}}}
                if op.produces == "application/json"
                else {op.produces: {}},
            }
            for code in op.answers
        }
        errors = (400, 404, 503) if op.public else (400, 401, 403, 404, 409, 413, 422, 503)
        for code in errors:
            responses[str(code)] = {
                "description": REASONS[code],
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        entry: dict = {
            "summary": op.summary,
            "operationId": f"{op.method}_{re.sub(r'[^a-z0-9]+', '_', op.path.lower()).strip('_')}",
            "parameters": params,
            "responses": responses,
        }
        if not op.public:
            entry["security"] = [{"bearer": []}]
        content = {}
        if op.json is not None:
            content["application/json"] = {"schema": op.json}
        if op.multipart is not None:
            content["multipart/form-data"] = {"schema": op.multipart}
        if content:
            entry["requestBody"] = {"required": True, "content": content}
        paths.setdefault(op.path, {})[op.method] = entry
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Concord API",
            "version": "1",
            "description": "区域协同立法工作台的 JSON 接口。Errors: "
            '{"error": {"code": "…", "message": "…"}}.',
        },
        "servers": [{"url": server_url}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR},
        },
        "paths": paths,
    }


def as_json_schema(schema: dict) -> dict:
    """Return an OpenAPI 3.0 schema as plain JSON Schema (`nullable` becomes a null type)."""
    if not isinstance(schema, dict):
        return schema
    out = {k: as_json_schema(v) if isinstance(v, dict) else v for k, v in schema.items()}
    if "properties" in out:
        out["properties"] = {k: as_json_schema(v) for k, v in out["properties"].items()}
    if out.pop("nullable", False):
        out = {"anyOf": [{"type": "null"}, out]}
    out.pop("format", None)
    return out
