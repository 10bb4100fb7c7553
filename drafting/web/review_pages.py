"""The legality review (合法性审查): a draft's page, its .docx, decisions, any document, the API."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from concord.db import request_session, unit_of_work
from concord.i18n import gettext as _
from concord.permissions.workspace import may_decide_review
from concord.web import fields
from concord.web.auth import login_required, token_required
from drafting.core.review.levels import LEVEL_NAMES
from drafting.core.review.model import KIND_NAMES, SEVERITY_NAMES
from drafting.errors import ConcordError
from drafting.services import review, review_decisions
from drafting.web import responses as drafts_io

bp = Blueprint("review", __name__)
api = Blueprint("review_api", __name__, url_prefix="/api/v1")


def statutes():
    """Return the statute source the app was assembled with."""
    return current_app.extensions["concord_statutes"]


@bp.app_context_processor
def _names():
    return {
        "review_kind_name": lambda k: _(KIND_NAMES.get(k, k)),
        "review_severity_name": lambda s: _(SEVERITY_NAMES.get(s, s)),
        "review_level_name": lambda lv: _(LEVEL_NAMES.get(lv, lv)),
    }


@bp.get("/drafts/<int:draft_id>/review")
@login_required
def draft_review(draft_id: int):
    """Run the review of a draft's current text or a named version and show the findings."""
    s = request_session()
    version = request.args.get("version") or None
    draft, result = review.review_draft(s, g.user, draft_id, statutes(), version=version)
    if request.args.get("format") == "docx":
        data = review.opinion_docx(draft, result)
        return drafts_io.download(data, f"{draft.title}合法性审查意见.docx", drafts_io.DOCX)
    return render_template(
        "drafting/review.html",
        draft=draft,
        project=draft.project,
        result=result,
        version=version or "current",
        may_decide=may_decide_review(g.user, draft),
        kinds=KIND_NAMES,
    )


@bp.post("/drafts/<int:draft_id>/review/decisions")
@login_required
def decide(draft_id: int):
    """Confirm or dismiss one finding with a note; shown next time the review is run."""
    s = request_session()
    form = request.form
    try:
        with unit_of_work(s):
            review_decisions.decide(
                s,
                g.user,
                draft_id,
                provision_id=fields.optional_id(form.get("provision"), "provision") or 0,
                fingerprint=fields.text(form.get("fingerprint")),
                label=fields.text(form.get("label")),
                kind=fields.text(form.get("kind")),
                decision=fields.text(form.get("decision")),
                note=fields.text(form.get("note")),
            )
    except ConcordError as err:
        if err.status in (403, 404):
            raise
        flash(err.message)
        return redirect(url_for("review.draft_review", draft_id=draft_id)), 303
    flash(_("已记录对{label}审查意见的处理。", label=form.get("label", "")))
    anchor = f"a{form.get('provision') or 0}"
    return redirect(url_for("review.draft_review", draft_id=draft_id) + f"#{anchor}"), 303


@bp.route("/review", methods=["GET", "POST"])
@login_required
def any_document():
    """Review any document (a 公告, a department's draft): upload or paste it, choose its level."""
    result, error, status = None, None, 200
    form = request.form
    if request.method == "POST":
        try:
            upload = None
            file = request.files.get("file")
            if file is not None and file.filename:
                upload = (file.filename, file.read())
            document = drafts_io.document_from_request(form.get("text"), upload)
            level = review.parse_level(form.get("level"))
            province = fields.text(form.get("province")).strip() or None
            result = review.review_document(statutes(), document, level, province)
        except ConcordError as err:
            error, status = err.message, err.status
    return render_template(
        "drafting/review_any.html",
        result=result,
        error=error,
        form=form,
        levels=review.level_choices(),
        provinces=review.provinces(request_session()),
    ), status


@api.get("/drafts/<int:draft_id>/review")
@token_required
def api_draft_review(draft_id: int):
    """Return the review of a draft's current text (or `version`) as the `review --json` object."""
    version = request.args.get("version") or None
    draft, result = review.review_draft(
        request_session(), g.user, draft_id, statutes(), version=version
    )
    return jsonify({"draft": draft.id, **result.to_json()})


def article_marks(draft, article) -> list[dict]:
    """Mark an article on the draft page with its last review's most severe finding."""
    cache = g.setdefault("review_marks", {})
    if draft.id not in cache:
        cache[draft.id] = review.marks_of(request_session(), draft.id)
    severity = cache[draft.id].get(article.id)
    if not severity:
        return []
    return [
        {
            "url": url_for("review.draft_review", draft_id=draft.id) + f"#a{article.id}",
            "label": _("审查：{s}", s=_(SEVERITY_NAMES[severity])),
            "cls": f"review-mark review-{severity}",
            "title": _("合法性审查意见"),
        }
    ]
