"""Draft pages: reading, editing, history, versions and comparison."""

from flask import Blueprint, abort

from .auth import login_required

bp = Blueprint("drafts", __name__)


@bp.get("/drafts/<int:draft_id>")
@login_required
def draft_page(draft_id: int):
    """Show a draft."""
    abort(404)


@bp.get("/projects/<int:project_id>/drafts/new")
@login_required
def draft_new(project_id: int):
    """Create a draft."""
    abort(404)


@bp.get("/projects/<int:project_id>/reconciliation")
@login_required
def reconciliation(project_id: int):
    """Show the reconciliation matrix."""
    abort(404)
