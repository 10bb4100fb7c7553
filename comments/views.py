"""Comment pages (arrive with their issue)."""

from flask import Blueprint

bp = Blueprint("comments", __name__)
