"""Pages offer only what the user may do: each flag a page asks the permissions for has a test
that fails when the flag is forced on (`bench/permission_mutations.py`)."""

from __future__ import annotations

import pytest

from concord.db import unit_of_work
from drafting.services import matrix, pins
from tests.helpers import make_project
from tests.test_refusals import World


@pytest.fixture
def w(session):
    return World(session)


def test_a_commenter_is_offered_no_new_project(client, auth, w):
    auth.login("sqc")
    assert "/projects/new" not in client.get("/projects").get_data(as_text=True)


def test_a_partner_is_offered_no_audit_log_nor_other_cities_stages(client, auth, w):
    auth.login("sq")
    page = client.get(f"/projects/{w.project.id}").get_data(as_text=True)
    assert "/audit" not in page
    assert 'option value="371300"' not in page


def test_a_commenter_is_offered_no_new_draft_nor_stage(client, auth, w):
    auth.login("sqc")
    page = client.get(f"/projects/{w.project.id}").get_data(as_text=True)
    assert "/drafts/new" not in page
    assert "登记阶段变化" not in page


def test_a_partner_is_offered_no_edit_of_the_common_text(client, auth, w):
    auth.login("sq")
    assert "edit-link" not in client.get(f"/drafts/{w.common.id}").get_data(as_text=True)


def test_a_partner_may_not_restore_the_common_texts_history(client, auth, w):
    from drafting.services import editing

    with unit_of_work(w.session):
        editing.apply_edit(
            w.session,
            w.lead,
            w.article.id,
            text="修改后的第一条。",
            base_revision=w.article.revision,
        )
    auth.login("sq")
    page = client.get(f"/drafts/{w.common.id}/provisions/{w.article.id}/history")
    assert page.status_code == 200
    assert "/restore" not in page.get_data(as_text=True)


def test_the_new_draft_form_offers_a_partner_only_its_own_city(client, auth, w, session):
    fresh = make_project(session, w.lead, participants=("321300", "371300"), title="新项目")
    auth.login("sq")
    form = client.get(f"/projects/{fresh.id}/drafts/new").get_data(as_text=True)
    assert 'option value="321300"' in form
    assert 'option value="371300"' not in form
    assert 'name="common"' not in form


def test_another_city_may_not_pin_a_citys_alignments(w):
    result = matrix.project_reconciliation(w.session, w.other_city, w.project)
    assert pins.may_pin(w.other_city, result) == {w.city.id: False}


def test_only_the_texts_own_drafters_are_shown_its_deleted_articles_to_restore(client, auth, w):
    from drafting.services import structure

    with unit_of_work(w.session):
        structure.remove_provision(w.session, w.lead, w.second.id, reason="与第一条重复")
    auth.login("xz")
    assert 'id="deleted"' in client.get(f"/drafts/{w.common.id}").get_data(as_text=True)
    auth.login("sq")
    page = client.get(f"/drafts/{w.common.id}")
    assert page.status_code == 200 and 'id="deleted"' not in page.get_data(as_text=True)
