"""Akoma Ntoso 3.0 export of drafts and named versions: valid against the schema, read back."""

from __future__ import annotations

from datetime import date

import pytest

from concord.db import unit_of_work
from drafting.core.parsing import parse_text
from drafting.errors import BadDocument
from drafting.files.akoma_ntoso import akn_to_document, document_to_akn, validate
from drafting.files.reading import parse_bytes
from drafting.services import structure, versions
from drafting.services.drafts import load_tree
from tests.helpers import SAMPLE_COMMON, bearer, make_draft, make_project, make_user


def _shape(nodes) -> list:
    """Return what a reader sees of a tree: kinds, labels, headings, texts and ids."""
    return [
        (
            n.kind,
            None if n.kind == "clause" else n.label,
            n.heading,
            n.text,
            n.id,
            _shape(n.children),
        )
        for n in nodes
    ]


def test_the_demo_common_text_validates_and_round_trips():
    doc = parse_text(SAMPLE_COMMON.read_text(encoding="utf-8"))
    data = document_to_akn(doc, work="cn-320300/act/regulation/common", day=date(2026, 12, 6))
    assert validate(data) == []
    back = akn_to_document(data)
    assert (back.title, back.meta) == (doc.title, doc.meta)
    assert _shape(back.body) == _shape(doc.body)
    items = [n for a, _d in back.articles() for n in a.children if n.kind == "item"]
    assert items and items[0].label == "（一）"


def test_an_invalid_file_is_reported_not_accepted():
    doc = parse_text(SAMPLE_COMMON.read_text(encoding="utf-8"))
    data = document_to_akn(doc, work="cn-320300/act/regulation/common", day=date(2026, 12, 6))
    broken = data.replace(b"<num>", b"<nummer>", 1).replace(b"</num>", b"</nummer>", 1)
    assert validate(broken)
    with pytest.raises(BadDocument):
        akn_to_document(b"<akomaNtoso><act>")
    with pytest.raises(BadDocument):
        akn_to_document(b'<?xml version="1.0"?><html/>')


@pytest.fixture
def common(session):
    lead = make_user(session, "lead", "320300")
    project = make_project(session, lead)
    draft = make_draft(session, lead, project, SAMPLE_COMMON.read_text(encoding="utf-8"))
    return {"lead": lead, "draft": draft}


def test_api_exports_a_draft_with_eids_from_its_provision_ids(client, session, common):
    draft, lead = common["draft"], common["lead"]
    tree = load_tree(session, draft)
    response = client.get(
        f"/api/v1/drafts/{draft.id}/export?format=akn", headers=bearer(session, lead)
    )
    assert response.status_code == 200
    assert response.mimetype == "application/akn+xml"
    assert validate(response.data) == []
    first = tree.articles()[0]
    assert f'eId="art_p{first.id}"'.encode() in response.data
    # Read back, it is the same structure with the same provision ids.
    back = parse_bytes(response.data, "export.xml")
    assert _shape(back.body) == _shape(tree.roots)


def test_a_named_version_exports_as_it_was_saved(client, session, common):
    draft, lead = common["draft"], common["lead"]
    version = versions.create_version(session, lead, draft, name="征求意见稿")
    first = load_tree(session, draft).articles()[0]
    with unit_of_work(session):
        structure.remove_provision(session, lead, first.id, reason="并入第二条")
    headers = bearer(session, lead)
    then = client.get(
        f"/api/v1/drafts/{draft.id}/export?format=akn&version={version.id}", headers=headers
    )
    now = client.get(f"/api/v1/drafts/{draft.id}/export?format=akn", headers=headers)
    assert validate(then.data) == [] and validate(now.data) == []
    assert f'eId="art_p{first.id}"'.encode() in then.data
    assert f'eId="art_p{first.id}"'.encode() not in now.data
    assert "征求意见稿".encode() in then.data
    missing = client.get(
        f"/api/v1/drafts/{draft.id}/export?format=akn&version=999999", headers=headers
    )
    assert missing.status_code == 404
