"""Search pages and API: precedents for legal advisers, and the drafts of the user's projects."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request

from concord.db import request_session
from concord.i18n import gettext as _
from concord.web.auth import login_required, token_required
from drafting.errors import BadInput, ConcordError, NotFound
from drafting.services.projects import visible_projects
from search.index import index_exists
from search.services import precedents as services

bp = Blueprint("search", __name__)
api = Blueprint("search_api", __name__, url_prefix="/api/v1")

LEVELS = ("法律", "行政法规", "部门规章", "地方性法规", "司法解释", "宪法")
SCOPES = {"precedent": "precedent", "workspace": "draft", "all": "all"}


def _allowed_projects() -> list[str]:
    return [str(p.id) for p in visible_projects(request_session(), g.user)]


def run_query(args) -> dict:
    """Search with the filters of a request's query string, limited to the user's projects."""
    scope = args.get("scope", "precedent")
    if scope not in SCOPES:
        raise BadInput(_("未知的检索范围“{s}”：可选 precedent、workspace、all。", s=scope))
    folder = current_app.config["INDEX_DIR"]
    if not index_exists(folder):
        if not args.get("q", "").strip():
            raise BadInput(_("请输入检索词，或用引号括起的短语。"))
        # Nothing indexed yet (a new installation): an empty answer that says why.
        return {
            "query": args.get("q", ""),
            "total": 0,
            "took_ms": 0.0,
            "hits": [],
            "groups": [],
            "total_groups": 0,
            "page": 1,
            "limit": 20,
            "relaxed": False,
            "index": {"state": "missing", "done": 0, "total": 0},
            "notices": [_("检索索引尚未建立：请运行 concord precedents import 导入法规。")],
        }
    return services.search(
        folder,
        args.get("q", ""),
        limit=args.get("limit", 20),
        page=args.get("page", 1),
        level=[v for v in args.getlist("level") if v] or None,
        jurisdiction=args.get("jurisdiction") or None,
        year_from=args.get("year_from") or None,
        year_to=args.get("year_to") or None,
        in_force_only=args.get("in_force") in ("1", "true", "on"),
        sort=args.get("sort", "relevance"),
        kind=SCOPES[scope],
        projects=_allowed_projects(),
        group_by_law=args.get("group", "1") in ("1", "true", "on"),
    )


@bp.get("/search")
@login_required
def search_page():
    """Search statutes and the workspace, results grouped by law with their best articles."""
    result, error, status = None, None, 200
    if request.args.get("q") is not None:
        try:
            result = run_query(request.args)
        except ConcordError as err:
            error = err.message
            status = err.status if request.args.get("q", "").strip() else 200

    def page_url(n: int) -> str:
        from flask import url_for

        params = request.args.to_dict(flat=False)
        params["page"] = [str(n)]
        return url_for("search.search_page", **params)

    return render_template(
        "search/search.html",
        result=result,
        error=error,
        args=request.args,
        levels=LEVELS,
        page_url=page_url,
    ), status


@bp.get("/search/law")
@login_required
def law_page():
    """Show a whole law (or draft) with the article that was hit in view."""
    data = services.law_articles(
        current_app.config["INDEX_DIR"],
        request.args.get("path", ""),
        projects=_allowed_projects(),
    )
    return render_template(
        "search/law.html",
        law=data,
        target=request.args.get("article", ""),
        query=request.args.get("q", ""),
    )


@bp.get("/drafts/<int:draft_id>/provisions/<int:provision_id>/similar")
@login_required
def similar(draft_id: int, provision_id: int):
    """List the provisions closest to an article: higher-level law first, then other texts."""
    from drafting.core.tree import article_text
    from drafting.services import drafts

    s = request_session()
    draft = drafts.get_draft(s, g.user, draft_id)
    tree = drafts.load_tree(s, draft)
    article = tree.nodes.get(provision_id)
    if article is None or article.kind != "article":
        raise NotFound(_("找不到该条款。"))
    text = article_text(article)
    folder = current_app.config["INDEX_DIR"]
    precedents, workspace, error = [], [], None
    try:
        precedents = services.similar_provisions(folder, text, limit=10)
    except ConcordError as err:
        error = err.message
    try:
        workspace = [
            h
            for h in services.similar_provisions(
                folder, text, limit=12, kind="draft", projects=[str(draft.project_id)]
            )
            if str(h.get("draft")) != str(draft.id) and not h["key"].startswith("version:")
        ][:8]
    except ConcordError:
        workspace = []
    return render_template(
        "search/similar.html",
        draft=draft,
        project=draft.project,
        article=article,
        text=text,
        precedents=precedents,
        workspace=workspace,
        error=error,
    )


@api.get("/search")
@token_required
def api_search():
    """Search precedents (or `scope=workspace|all`) with the same fields as `search --json`."""
    return jsonify(run_query(request.args))
