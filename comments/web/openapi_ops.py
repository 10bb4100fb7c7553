"""The OpenAPI description of the comments package's /api/v1 endpoints (concord.web.openapi).

Rounds, comments, replies, dispositions and exports (comments.consultation.web.api), proposals and
their links (comments.proposals.web.api), stations, residents' opinions and the quarterly report
(comments.opinions.web.api). The same schemas validate each request at the input boundary
(concord.web.inputs), so they accept what the views accept: optional fields may be omitted or
null, and the services keep their own checks (dates, permissions, fields that depend on each
other) and their messages. Ids are integers, as in the drafting package's operations.
"""

from __future__ import annotations

from comments.consultation.models import CHANNELS, DECISIONS, SCOPES, VISIBILITIES
from comments.consultation.models import KINDS as COMMENT_KINDS
from comments.consultation.services.commenting import MAX_BODY
from comments.opinions.models import DIFFICULTIES, HANDLINGS, OFFICE_KINDS, STATION_KINDS
from comments.proposals.models import KINDS as PROPOSAL_KINDS
from comments.proposals.models import STATUSES
from concord.limits import MAX_NAME, MAX_PROPOSAL_TEXT, MAX_QUOTE
from concord.web.openapi import (
    CODE,
    ID,
    MAX_NOTE,
    MAX_TEXT,
    NULLABLE_ID,
    Operation,
    body,
    text,
)


def nullable(schema: dict) -> dict:
    """Return the schema that also admits null (the views treat null as absent)."""
    return {**schema, "nullable": True}


def choice(values, *, empty: bool = False) -> dict:
    """Return the schema of one of `values` (and the empty string, which a filter ignores)."""
    return {"type": "string", "enum": ([""] if empty else []) + list(values)}


# An ISO date (YYYY-MM-DD); the views parse it and name the field when it is not a date.
DATE = text(40, format="date")
# A jurisdiction code, or empty for the caller's own (queries and optional fields).
CODE_OR_EMPTY = {"type": "string", "pattern": "^([0-9]{6})?$", "maxLength": 6}
# `invited`: a list of codes, or a comma-separated string of them (forms.parse_codes).
CODES = {
    "anyOf": [
        {"type": "array", "items": CODE, "maxItems": 200},
        text(2_000),
    ]
}
# A proposal's submitters: a list of names or of {"name", "delegation"} objects. The
# spreadsheet forms proposal_fields also reads (a string of names, 是/否 for between_sessions)
# are left out of the JSON API: the boundary cannot name the field of a nullable anyOf.
SUBMITTER = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": text(MAX_NAME), "delegation": nullable(text(MAX_NAME))},
}
SUBMITTERS = nullable(
    {"type": "array", "items": {"anyOf": [text(MAX_NAME), SUBMITTER]}, "maxItems": 500}
)
# 2026Q4 (comments.opinions.core.quarters.parse_quarter).
QUARTER = text(20, pattern=r"^\s*[0-9]{4}\s*[Qq]\s*[1-4]\s*$")

OPERATIONS: list[Operation] = [
    # Consultation rounds, comments, replies, dispositions, exports (comments.consultation.web.api).
    Operation(
        "post",
        "/drafts/<int:draft_id>/rounds",
        "Open a consultation round on the draft (or on one of its versions)",
        json=body(
            ("title", "opens", "closes", "invited"),
            title=text(200),
            opens=DATE,
            closes=DATE,
            invited=CODES,
            visibility=nullable(choice(VISIBILITIES)),
            version=NULLABLE_ID,
        ),
        answers=(201,),
    ),
    Operation("get", "/drafts/<int:draft_id>/rounds", "The draft's consultation rounds"),
    Operation(
        "get",
        "/rounds/<int:round_id>",
        "A round with its comment counts by article and jurisdiction",
    ),
    Operation(
        "post",
        "/provisions/<int:provision_id>/comments",
        "Comment on a provision as the caller's jurisdiction, or record one received on paper, "
        "by e-mail or at a meeting (`channel`, `jurisdiction`, `unit`, `received_on`)",
        json=body(
            ("body",),
            body=text(MAX_BODY),
            kind=nullable(choice(COMMENT_KINDS)),
            quote=nullable(text(MAX_QUOTE)),
            proposed_text=nullable(text(MAX_TEXT)),
            replaces=nullable(choice(SCOPES)),
            round=NULLABLE_ID,
            channel=nullable(choice(CHANNELS)),
            jurisdiction=nullable(CODE_OR_EMPTY),
            unit=nullable(text(MAX_NAME)),
            received_on=nullable(DATE),
        ),
        answers=(201,),
    ),
    Operation(
        "get",
        "/drafts/<int:draft_id>/comments",
        "The draft's comments the caller may read, by city, status, article, kind or round",
        query={
            "jurisdiction": CODE_OR_EMPTY,
            "status": choice(("undecided", "decided", *DECISIONS), empty=True),
            "article": ID,
            "kind": choice(COMMENT_KINDS, empty=True),
            "round": ID,
        },
    ),
    Operation(
        "post",
        "/comments/<int:comment_id>/replies",
        "Reply in a comment's thread",
        json=body(("body",), body=text(MAX_BODY)),
        answers=(201,),
    ),
    Operation(
        "post",
        "/comments/<int:comment_id>/disposition",
        "Decide a comment; `apply` turns an adopted comment's proposed text into a revision: "
        "what `replaces` (`quote`, `clause`, `provision`; the comment's own by default) says, "
        "or the drafter's `text` for the paragraph commented on, merged from `base_revision`",
        json=body(
            ("decision",),
            decision=choice(DECISIONS),
            reason=nullable(text(5_000)),
            apply=nullable({"type": "boolean"}),
            replaces=nullable(choice(SCOPES)),
            text=nullable(text(MAX_TEXT)),
            base_revision=NULLABLE_ID,
        ),
    ),
    Operation(
        "get",
        "/comments/<int:comment_id>/adoption",
        "What adopting the comment would write: `replaces`, whether it was `inferred`, a "
        "`problem` (stale quote, duplicated words) and each paragraph's `current` and `text`",
        query={"replaces": choice(SCOPES, empty=True)},
    ),
    Operation(
        "patch",
        "/rounds/<int:round_id>",
        "The drafting city closes a round now (`open: false`), moves its closing date "
        "(`closes`) or reopens it (`open: true`, with `closes` when that date has passed)",
        json=body(open=nullable({"type": "boolean"}), closes=nullable(DATE)),
    ),
    Operation(
        "patch",
        "/comments/<int:comment_id>",
        "The author edits a comment until it is decided (409 after); the wording before is kept",
        json=body(
            body=nullable(text(MAX_BODY)),
            quote=nullable(text(MAX_QUOTE)),
            proposed_text=nullable(text(MAX_TEXT)),
            replaces=nullable(choice(SCOPES)),
        ),
    ),
    Operation(
        "delete",
        "/comments/<int:comment_id>",
        "The author withdraws a comment until it is decided (409 after); it stays, marked",
    ),
    Operation(
        "get",
        "/rounds/<int:round_id>/export",
        "The 意见采纳情况表 (or, with table=summary, the 征求意见汇总表) as .docx or CSV",
        query={
            "format": choice(("docx", "csv")),
            "table": choice(("dispositions", "summary")),
        },
        produces="application/octet-stream",
    ),
    # Proposals and their links to provisions (comments.proposals.web.api).
    Operation(
        "post",
        "/proposals",
        "Record a motion, a deputy's suggestion, a resident's opinion or an expert opinion",
        json=body(
            # kind and title are required, but proposal_fields names every bad field at once.
            kind=text(40),
            title=text(300),
            number=nullable(text(40)),
            text=nullable(text(MAX_PROPOSAL_TEXT)),
            submitters=SUBMITTERS,
            delegation=nullable(text(MAX_NAME)),
            jurisdiction=nullable(CODE_OR_EMPTY),
            project=NULLABLE_ID,
            session=nullable(text(MAX_NAME)),
            between_sessions=nullable({"type": "boolean"}),
            date=nullable(text(40)),
            channel=nullable(text(40)),
            status=nullable(text(20)),
            office=nullable(text(MAX_NAME)),
            deadline=nullable(text(40)),
            contact=nullable(text(500)),
            fed_into=NULLABLE_ID,
        ),
        answers=(201,),
    ),
    Operation(
        "get",
        "/proposals",
        "The proposals the caller may see, by project or kind",
        query={"project": ID, "kind": choice(PROPOSAL_KINDS, empty=True)},
    ),
    Operation(
        "get",
        "/proposals/<int:proposal_id>",
        "A proposal with its links (each provision's current label and text)",
    ),
    Operation(
        "post",
        "/proposals/<int:proposal_id>/links",
        "Link the proposal to a provision",
        json=body(("provision",), provision=ID, note=nullable(text(MAX_NOTE))),
        answers=(201,),
    ),
    # Stations, residents' opinions, the quarterly report (comments.opinions.web.api).
    Operation(
        "post",
        "/stations",
        "Create a deputy liaison station (kind station) or a deputy's own code (kind deputy)",
        json=body(
            ("name",),
            name=text(MAX_NAME),
            kind=nullable(choice(STATION_KINDS)),
            jurisdiction=nullable(CODE_OR_EMPTY),
            district=nullable(text(80)),
        ),
        answers=(201,),
    ),
    Operation(
        "get",
        "/stations/<int:station_id>/qr",
        "The QR code of a station's public intake page, as PNG or SVG",
        query={"format": choice(("png", "svg"))},
        produces="image/png",
    ),
    Operation(
        "get",
        "/opinions",
        "A jurisdiction's residents' opinions (the caller's by default), by status",
        query={"jurisdiction": CODE_OR_EMPTY, "status": choice(STATUSES, empty=True)},
    ),
    Operation(
        "post",
        "/opinions/<int:opinion_id>/triage",
        "Record an opinion's handling, assignee, difficulty, deadline, reply or closing",
        json=body(
            handling=nullable(choice(HANDLINGS)),
            assignee=nullable(text(MAX_NAME)),
            difficulty=nullable(choice(DIFFICULTIES)),
            deadline=nullable(text(40, format="date")),
            reply=nullable(text(5_000)),
            note=nullable(text(MAX_NOTE)),
            close={"type": "boolean"},
            office=NULLABLE_ID,
        ),
    ),
    Operation(
        "post",
        "/opinions/<int:opinion_id>/suggestion",
        "Turn an opinion into a deputy's suggestion, or feed it into one (`suggestion`)",
        json=body(suggestion=NULLABLE_ID),
        answers=(201,),
    ),
    Operation(
        "get",
        "/reports/quarterly",
        "The 民情民意专报 of a jurisdiction and quarter (2026Q4) as HTML, JSON or .docx: "
        "received, closed, satisfaction, reopened, offices, concerns (opinions by id)",
        query={
            "jurisdiction": CODE_OR_EMPTY,
            "quarter": QUARTER,
            "format": choice(("html", "docx", "json")),
        },
        produces="text/html",
    ),
    Operation(
        "get",
        "/offices",
        "A jurisdiction's directory of handling offices (the caller's by default)",
        query={"jurisdiction": CODE_OR_EMPTY},
    ),
    Operation(
        "post",
        "/offices",
        "Add a handling office (kind: street, department, district, organ, station, congress, "
        "other; handlings: the handling types it takes, none for any)",
        json=body(
            ("name",),
            name=text(MAX_NAME),
            kind=nullable(choice(OFFICE_KINDS)),
            jurisdiction=nullable(CODE_OR_EMPTY),
            handlings=nullable({"type": "array", "items": choice(HANDLINGS), "maxItems": 5}),
        ),
        answers=(201,),
    ),
]
