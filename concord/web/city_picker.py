"""Choosing jurisdictions in forms: grouped by province, filtered by name or code as one types."""

from __future__ import annotations

from flask import Flask

from concord.i18n import gettext as _


def by_province(jurisdictions) -> list[tuple[str, list]]:
    """Return (province name, its jurisdictions) in code order; a province heads its own group."""
    groups: dict[str, list] = {}
    for j in sorted(jurisdictions, key=lambda j: j.code):
        province = j if j.level == "province" else j.parent
        while province is not None and province.level != "province":
            province = province.parent
        groups.setdefault(province.name if province else _("其他"), []).append(j)
    return list(groups.items())


def init_app(app: Flask) -> None:
    """Give templates the grouping used by templates/_city_picker.html."""
    app.jinja_env.globals["by_province"] = by_province
