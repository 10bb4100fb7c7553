"""Search pages: precedent search for legal advisers."""

from flask import Blueprint, render_template

from drafting.auth import login_required

bp = Blueprint("search", __name__)


@bp.get("/search")
@login_required
def search_page():
    """Search statutes and the workspace."""
    return render_template("search/search.html")
