"""The JSON API under /api/v1: the same services and permissions as the pages."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.web import fields
from concord.web.auth import token_required
from drafting.errors import BadInput
from drafting.services import drafts, editing, projects, structure, versions
from drafting.web import responses as drafts_io

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Other packages add what is linked to a provision (proposals) without this module importing them:
# each hook takes (session, user, provision) and returns a list of JSON objects.
PROVISION_PROPOSALS: list = []


def json_body() -> dict:
    """Return the request's JSON object, or its form fields for multipart requests."""
    if request.mimetype == "multipart/form-data" or request.mimetype.endswith("urlencoded"):
        return request.form.to_dict()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadInput(_("请求体应为 JSON 对象。"))
    return data


@bp.before_request
@token_required
def _authenticated():
    """Require a bearer token on every API call."""


@bp.get("/projects")
def project_list():
    """List the caller's projects."""
    items = projects.visible_projects(request_session(), g.user)
    return jsonify({"projects": [projects.project_json(p) for p in items]})


@bp.post("/projects")
def project_create():
    """Create a project (`title`, `lead`, `participants`)."""
    data = json_body()
    participants = data.get("participants") or []
    if not isinstance(participants, list):
        raise BadInput(_("participants 应为行政区划代码的列表。"))
    project = projects.create_project(
        request_session(),
        g.user,
        title=str(data.get("title") or ""),
        subject=str(data.get("subject") or ""),
        lead=str(data.get("lead") or g.user.jurisdiction_code),
        participants=[str(c) for c in participants],
    )
    return jsonify(projects.project_json(project)), 201


@bp.get("/projects/<int:project_id>")
def project_get(project_id: int):
    """Return one project."""
    project = projects.get_project(request_session(), g.user, project_id)
    return jsonify(projects.project_json(project))


# ---------------------------------------------------------------- drafts


def _upload() -> tuple[str, bytes] | None:
    file = request.files.get("file")
    if file is None or not file.filename:
        return None
    return file.filename, file.read()


@bp.post("/projects/<int:project_id>/drafts")
def draft_create(project_id: int):
    """Create a draft from text, an uploaded file, or a copy of the common text."""
    s = request_session()
    project = projects.get_project(s, g.user, project_id)
    data = json_body()
    common = fields.flag(data.get("common"))
    jurisdiction = fields.text(data.get("jurisdiction") or g.user.jurisdiction_code)
    if fields.flag(data.get("from_common")):
        draft = drafts.derive_from_common(s, g.user, project, jurisdiction=jurisdiction)
    else:
        document = drafts_io.document_from_request(data.get("text"), _upload())
        with unit_of_work(s):
            draft = drafts.add_draft(
                s,
                g.user,
                project,
                jurisdiction=jurisdiction,
                document=document,
                title=fields.text(data.get("title")) or None,
                common=common,
            )
    return jsonify(drafts.draft_json(s, draft)), 201


@bp.get("/drafts/<int:draft_id>")
def draft_get(draft_id: int):
    """Return the draft as the parse tree with stable ids, revisions and labels."""
    s = request_session()
    return jsonify(drafts.draft_json(s, drafts.get_draft(s, g.user, draft_id)))


@bp.get("/drafts/<int:draft_id>/export")
def draft_export(draft_id: int):
    """Return the draft (or `version`) as .docx, Markdown or Akoma Ntoso XML."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    version_id = fields.optional_id(request.args.get("version"), "version")
    version_doc = (
        versions.version_document(s, draft, version_id) if version_id is not None else None
    )
    return drafts_io.export_response(s, draft, request.args.get("format", "docx"), version_doc)


@bp.get("/drafts/<int:draft_id>/compare")
def draft_compare(draft_id: int):
    """Return the 修改对照表 of this draft against a version or another draft."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    against = request.args.get("against")
    if not against:
        raise BadInput(_("缺少 against 参数（版本号或文本号）。"))
    left, right, rows = versions.comparison(
        s, g.user, draft, old=against, new=request.args.get("with", "current")
    )
    fmt = request.args.get("format", "json")
    if fmt in ("html", "docx"):
        return drafts_io.comparison_response(
            left, right, rows, fmt, include_unchanged=request.args.get("all") == "1"
        )
    if fmt != "json":
        raise BadInput(_("不支持的格式“{f}”：可选 html、docx、json。", f=fmt))
    return jsonify(
        {
            "old": {"label": left.label, "title": left.title},
            "new": {"label": right.label, "title": right.title},
            "rows": [r.to_json() for r in rows],
        }
    )


@bp.post("/drafts/<int:draft_id>/versions")
def version_create(draft_id: int):
    """Save the draft as a named version."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    data = json_body()
    v = versions.create_version(
        s, g.user, draft, name=str(data.get("name") or ""), note=str(data.get("note") or "")
    )
    return jsonify({"id": v.id, "name": v.name, "created_at": v.created_at.isoformat()}), 201


@bp.post("/drafts/<int:draft_id>/provisions")
def provision_insert(draft_id: int):
    """Insert a provision after a sibling or into a parent; numbering follows."""
    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    data = json_body()
    with unit_of_work(s):
        prov, changes = structure.add_provision(
            s,
            g.user,
            draft,
            kind=fields.text(data.get("kind")),
            text=data.get("text"),
            after=fields.optional_id(data.get("after"), "after"),
            parent=fields.optional_id(data.get("parent"), "parent"),
            reason=fields.text(data.get("reason")),
        )
    body = provision_json(s, prov)
    body["citations"] = changes
    return jsonify(body), 201


def provision_json(s, prov) -> dict:
    """Return a provision with its current label, text, revision and linked proposals."""
    tree = drafts.load_tree(s, prov.draft)
    node = tree.nodes.get(prov.id)
    return {
        "id": prov.id,
        "draft": prov.draft_id,
        "kind": prov.kind,
        "label": tree.full_label(prov.id) if node else None,
        "text": prov.heading if prov.heading is not None else prov.text,
        "revision": prov.revision_id,
        "deleted": prov.deleted,
        "node": node.to_json() if node else None,
        "proposals": [item for hook in PROVISION_PROPOSALS for item in hook(s, g.user, prov)],
    }


@bp.get("/provisions/<int:provision_id>")
def provision_get(provision_id: int):
    """Return one provision."""
    s = request_session()
    return jsonify(provision_json(s, drafts.get_provision(s, g.user, provision_id)))


def _base_revision(value) -> int | None:
    """Parse `base_revision`; a value that is no revision number is refused naming the field."""
    try:
        return fields.optional_id(value, "base_revision")
    except BadInput:
        raise BadInput(_("base_revision {r} 不是该条款的修订。", r=value)) from None


@bp.patch("/provisions/<int:provision_id>")
def provision_edit(provision_id: int):
    """Edit a provision's text from a base revision: merged, or 409 on a conflicting edit."""
    s = request_session()
    data = json_body()
    with unit_of_work(s):
        result = editing.apply_edit(
            s,
            g.user,
            provision_id,
            text=data.get("text"),
            base_revision=_base_revision(data.get("base_revision")),
            reason=fields.text(data.get("reason")),
        )
    return jsonify(result.to_json())


@bp.delete("/provisions/<int:provision_id>")
def provision_delete(provision_id: int):
    """Delete a provision; citations of it are reported."""
    s = request_session()
    with unit_of_work(s):
        changes = structure.remove_provision(s, g.user, provision_id)
    return jsonify({"deleted": provision_id, "citations": changes})


@bp.post("/provisions/<int:provision_id>/move")
def provision_move(provision_id: int):
    """Move a provision after another (`after`) or to the start of a parent (`parent`)."""
    s = request_session()
    data = json_body()
    with unit_of_work(s):
        changes = structure.relocate_provision(
            s,
            g.user,
            provision_id,
            after=fields.optional_id(data.get("after"), "after"),
            parent=fields.optional_id(data.get("parent"), "parent"),
        )
    prov = drafts.get_provision(s, g.user, provision_id)
    return jsonify({**provision_json(s, prov), "citations": changes})


@bp.get("/provisions/<int:provision_id>/history")
def provision_history(provision_id: int):
    """Return a provision's revisions, oldest first."""
    s = request_session()
    prov = drafts.get_provision(s, g.user, provision_id)
    return jsonify(
        {
            "provision": prov.id,
            "revisions": [
                {
                    "id": r.id,
                    "action": r.action,
                    "text": r.heading if r.heading is not None else r.text,
                    "base": r.base_id,
                    "merged": r.merged,
                    "reason": r.reason,
                    "author": r.author.username if r.author else None,
                    "at": r.created_at.isoformat(),
                }
                for r in editing.history(s, prov)
            ],
        }
    )


@bp.post("/provisions/<int:provision_id>/restore")
def provision_restore(provision_id: int):
    """Make an earlier revision (`revision`) current again."""
    s = request_session()
    drafts.get_provision(s, g.user, provision_id)
    data = json_body()
    revision = fields.required_id(
        data.get("revision"), "revision", _("缺少要恢复的修订号（revision）。")
    )
    return jsonify(editing.restore_revision(s, g.user, provision_id, revision).to_json())
