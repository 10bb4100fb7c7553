"""Every guarded action refuses the users without the right, and changes nothing when it does.

One test per guarded service function (and per check made in the web layer), so that removing
any single permission check makes a test here fail: `python bench/permission_mutations.py`
removes each check in turn and reports which test caught it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from concord.db import unit_of_work
from drafting.core.parsing import parse_text
from drafting.errors import NotFound, NotPermitted
from drafting.models import (
    STAGES,
    AlignmentPin,
    AuditEntry,
    Draft,
    Participant,
    Project,
    PropagationDecision,
    Provision,
    Revision,
    StageEvent,
    Version,
)
from drafting.services import (
    article_tools,
    audit_log,
    drafts,
    editing,
    matrix,
    pins,
    projects,
    propagation_decisions,
    review_decisions,
    revision_import,
    structure,
    versions,
)
from tests.helpers import (
    SMALL_REGULATION,
    bearer,
    csrf_of,
    make_draft,
    make_project,
    make_user,
)

TABLES = (
    Project,
    Participant,
    StageEvent,
    Draft,
    Provision,
    Revision,
    Version,
    AlignmentPin,
    PropagationDecision,
    AuditEntry,
)


def _counts(session) -> dict[str, int]:
    session.rollback()
    return {t.__name__: session.scalar(select(func.count()).select_from(t)) for t in TABLES}


class World:
    """A project led by 徐州 (xz) with 宿迁 (sq) and 菏泽 (hz); 淮北 (hb) is outside it."""

    def __init__(self, session):
        self.session = session
        self.lead = make_user(session, "xz", "320300", "drafter")
        self.partner = make_user(session, "sq", "321300", "drafter")
        self.commenter = make_user(session, "sqc", "321300", "commenter")
        self.other_city = make_user(session, "hz", "371300", "drafter")
        self.outsider = make_user(session, "hb", "340600", "drafter")
        self.project = make_project(session, self.lead, participants=("321300", "371300"))
        self.common = make_draft(session, self.lead, self.project)
        self.version = versions.create_version(session, self.lead, self.common, name="征求意见稿")
        self.city = drafts.derive_from_common(
            session, self.partner, self.project, jurisdiction="321300"
        )
        tree = drafts.load_tree(session, self.common)
        self.article, self.second = tree.articles()[0], tree.articles()[1]
        self.city_article = drafts.load_tree(session, self.city).articles()[0]
        self.pin = pins.pin_alignment(
            session,
            self.partner,
            self.project,
            draft=self.city.id,
            common=self.article.id,
            city=self.city_article.id,
        )


@pytest.fixture
def w(session):
    return World(session)


def _refused(w, call, error):
    before = _counts(w.session)
    with pytest.raises(error):
        call()
    assert _counts(w.session) == before


# ---------------------------------------------------------------- reading


def test_outsiders_do_not_see_drafts_provisions_versions_or_the_matrix(w):
    s, out = w.session, w.outsider
    _refused(w, lambda: drafts.get_draft(s, out, w.common.id), NotFound)
    _refused(w, lambda: drafts.get_provision(s, out, w.article.id), NotFound)
    _refused(w, lambda: projects.get_project(s, out, w.project.id), NotFound)
    _refused(w, lambda: matrix.project_reconciliation(s, out, w.project), NotFound)


def test_a_version_of_another_project_cannot_be_compared(w):
    s = w.session
    other_project = make_project(s, w.outsider, participants=())
    theirs = make_draft(s, w.outsider, other_project)
    call = lambda: versions.comparison(s, w.outsider, theirs, old=f"v{w.version.id}")  # noqa: E731
    _refused(w, call, NotFound)


def test_projects_of_other_cities_are_not_listed(w):
    assert w.project.id not in [p.id for p in projects.visible_projects(w.session, w.outsider)]
    assert w.project.id in [p.id for p in projects.visible_projects(w.session, w.commenter)]


# ---------------------------------------------------------------- projects


def test_commenters_create_no_projects_and_drafters_only_their_own(w):
    s = w.session

    def create(user, lead):
        return lambda: projects.create_project(s, user, title="新项目", lead=lead, participants=[])

    _refused(w, create(w.commenter, "321300"), NotPermitted)
    # Refused before the input is even looked at.
    empty = lambda: projects.create_project(  # noqa: E731
        s, w.commenter, title="", lead="321300", participants=[]
    )
    _refused(w, empty, NotPermitted)
    _refused(w, create(w.partner, "320300"), NotPermitted)


def test_only_the_lead_reads_the_audit_log_and_adds_participants(w):
    s, p = w.session, w.partner
    f = audit_log.AuditFilter()
    _refused(w, lambda: audit_log.audit_page(s, p, w.project, f, page=1), NotPermitted)
    _refused(w, lambda: audit_log.audit_rows(s, p, w.project, f), NotPermitted)
    _refused(w, lambda: projects.add_participant(s, p, w.project, "340600"), NotPermitted)
    _refused(w, lambda: projects.add_participant(s, w.outsider, w.project, "340600"), NotFound)


def test_a_city_records_only_its_own_stages(w):
    s = w.session
    call = lambda: projects.record_stage(  # noqa: E731
        s, w.partner, w.project, jurisdiction="320300", stage=STAGES[1]
    )
    _refused(w, call, NotPermitted)


# ---------------------------------------------------------------- drafts


def test_a_city_creates_drafts_only_for_itself(w):
    s = w.session
    doc = parse_text(SMALL_REGULATION)
    call = lambda: drafts.add_draft(  # noqa: E731
        s, w.partner, w.project, jurisdiction="371300", document=doc
    )
    _refused(w, call, NotPermitted)
    derive = lambda: drafts.derive_from_common(  # noqa: E731
        s, w.commenter, w.project, jurisdiction="371300"
    )
    _refused(w, derive, NotPermitted)


def test_a_partner_city_cannot_edit_the_common_text(w):
    s, p, a = w.session, w.partner, w.article
    edit = lambda: editing.apply_edit(  # noqa: E731
        s, p, a.id, text="改。", base_revision=a.revision
    )
    _refused(w, edit, NotPermitted)
    form = [editing.ParagraphEdit(a.id, "改。", a.revision)]
    _refused(w, lambda: editing.edit_article(s, p, w.common, form), NotPermitted)
    _refused(w, lambda: editing.restore_revision(s, p, a.id, a.revision), NotPermitted)
    outsider = lambda: editing.apply_edit(  # noqa: E731
        s, w.outsider, a.id, text="改。", base_revision=a.revision
    )
    _refused(w, outsider, NotFound)


def test_a_partner_city_cannot_change_the_common_texts_structure(w):
    s, p = w.session, w.partner
    insert = lambda: structure.add_provision(  # noqa: E731
        s, p, w.common, kind="article", text="新。"
    )
    _refused(w, insert, NotPermitted)
    _refused(w, lambda: structure.remove_provision(s, p, w.article.id), NotPermitted)
    move = lambda: structure.relocate_provision(s, p, w.article.id, after=w.second.id)  # noqa: E731
    _refused(w, move, NotPermitted)


def test_a_partner_city_cannot_use_the_article_menu_on_the_common_text(w):
    s, p, a = w.session, w.partner, w.article
    insert = lambda: article_tools.insert_near(s, p, w.common, a.id, before=True, text="新。")  # noqa: E731
    _refused(w, insert, NotPermitted)
    # Refused as not theirs before anything is checked of the request (here: no such 款).
    split = lambda: article_tools.divide_article(s, p, w.common, a.id, at=0)  # noqa: E731
    _refused(w, split, NotPermitted)
    with unit_of_work(s):
        structure.remove_provision(s, w.lead, w.second.id, reason="重复")
    restore = lambda: article_tools.restore_provision(s, p, w.second.id)  # noqa: E731
    _refused(w, restore, NotPermitted)


def test_only_advisers_and_the_drafts_own_drafters_decide_review_findings(w):
    s = w.session
    decide = lambda: review_decisions.decide(  # noqa: E731
        s,
        w.partner,
        w.common.id,
        provision_id=w.article.id,
        fingerprint="f",
        label="第一条",
        kind="penalty_not_allowed",
        decision="confirmed",
        note="",
    )
    _refused(w, decide, NotPermitted)


def test_a_partner_city_cannot_save_versions_of_or_import_into_the_common_text(w):
    s, p = w.session, w.partner
    _refused(w, lambda: versions.create_version(s, p, w.common, name="第二稿"), NotPermitted)
    doc = parse_text(SMALL_REGULATION.replace("制定本条例", "特制定本条例"))
    call = lambda: revision_import.update_from_document(s, p, w.common, doc)  # noqa: E731
    _refused(w, call, NotPermitted)
    # A revised file that only adds the adoption history changes no provision, only the draft.
    meta = "（2025年3月1日XX市第十七届人民代表大会常务委员会第二十次会议通过）"
    history = parse_text(SMALL_REGULATION.replace("条例\n", f"条例\n\n{meta}\n", 1))
    call = lambda: revision_import.update_from_document(s, p, w.common, history)  # noqa: E731
    _refused(w, call, NotPermitted)
    s.refresh(w.common)
    assert meta not in (w.common.meta or [])


# ---------------------------------------------------------------- reconciliation


def test_another_city_cannot_pin_or_unpin_a_citys_alignment(w):
    s, o = w.session, w.other_city
    pin = lambda: pins.pin_alignment(  # noqa: E731
        s, o, w.project, draft=w.city.id, city=w.city_article.id
    )
    _refused(w, pin, NotPermitted)
    _refused(w, lambda: pins.unpin_alignment(s, o, w.pin.id), NotPermitted)
    _refused(w, lambda: pins.unpin_alignment(s, w.outsider, w.pin.id), NotFound)


def test_another_city_cannot_decide_a_citys_common_text_changes(w):
    s, o = w.session, w.other_city
    accept = lambda: propagation_decisions.accept_change(  # noqa: E731
        s, o, w.project, draft=w.city.id, common=w.article.id
    )
    _refused(w, accept, NotPermitted)
    decline = lambda: propagation_decisions.decline_change(  # noqa: E731
        s, o, w.project, draft=w.city.id, common=w.article.id, reason="不需要"
    )
    _refused(w, decline, NotPermitted)


# ---------------------------------------------------------------- pages and API


def test_commenters_get_403_on_the_new_project_form(client, auth, w):
    auth.login("sqc")
    assert client.get("/projects/new").status_code == 403


def test_a_partner_city_gets_403_importing_into_or_editing_the_common_text(client, auth, w):
    import io

    auth.login("sq")
    url = f"/drafts/{w.common.id}/import"
    before = _counts(w.session)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_of(client, f"/drafts/{w.common.id}"),
            "file": (io.BytesIO(SMALL_REGULATION.encode()), "revised.md"),
        },
    )
    assert response.status_code == 403
    edit = f"/drafts/{w.common.id}/provisions/{w.article.id}/edit"
    assert client.get(edit).status_code == 403
    assert _counts(w.session) == before


def test_the_api_refuses_a_partners_edit_with_403_and_an_outsiders_with_404(client, w):
    body = {"text": "改。", "base_revision": w.article.revision}
    path = f"/api/v1/provisions/{w.article.id}"
    before = _counts(w.session)
    partner = client.patch(path, json=body, headers=bearer(w.session, w.partner))
    outsider = client.patch(path, json=body, headers=bearer(w.session, w.outsider))
    assert (partner.status_code, outsider.status_code) == (403, 404)
    assert partner.get_json()["error"]["code"] == "forbidden"
    counts = _counts(w.session)
    assert {k: v for k, v in counts.items() if k != "AuditEntry"} == {
        k: v for k, v in before.items() if k != "AuditEntry"
    }
