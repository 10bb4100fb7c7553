"""The demo workspace carries a consultation worth looking at."""

from __future__ import annotations

from sqlalchemy import select

from comments.consultation.models import Comment, Disposition
from concord.db import request_session
from concord.demo import load_demo


def test_the_demo_loads_comments_from_four_cities_with_every_kind_of_disposition(app):
    with app.app_context():
        s = request_session()
        load_demo(s)
        comments = list(s.scalars(select(Comment).where(Comment.parent_id.is_(None))))
        decisions = set(s.scalars(select(Disposition.decision)))
    assert len(comments) >= 30
    assert len({c.jurisdiction_code for c in comments}) >= 4
    assert decisions == {"adopted", "partly_adopted", "not_adopted", "covered_elsewhere"}
    assert {"paper", "email", "meeting"} <= {c.channel for c in comments}
    assert all(c.unit for c in comments if c.channel != "online")
