"""The home page: the signed-in user's tasks with counts, gathered from every package.

Packages add a counter with `add_task_counter(app, counter)`; a counter takes (session, user)
and returns `Task`s. The list lives on the app, so each app (and each test) has its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g, redirect, render_template, url_for

from concord.db import request_session
from concord.i18n import gettext as _
from concord.notifications import events as notifications

COUNTERS = "concord_home_tasks"


@dataclass(frozen=True)
class Task:
    """One line of the home page: what (in the request's language), how many, where to go."""

    label: str
    count: int
    url: str


def add_task_counter(app: Flask, counter) -> None:
    """Add a package's counter of the user's tasks to the home page."""
    counters = app.extensions.setdefault(COUNTERS, [])
    if counter not in counters:
        counters.append(counter)


def render_home():
    """Render the user's tasks with counts (visitors go to the sign-in form)."""
    if g.user is None:
        return redirect(url_for("account.login"))
    s = request_session()
    tasks = [
        Task(_("未读通知"), notifications.unread_count(s, g.user), url_for("account.inbox")),
    ]
    for counter in current_app.extensions.get(COUNTERS, []):
        tasks.extend(counter(s, g.user))
    return render_template("home.html", tasks=tasks)
