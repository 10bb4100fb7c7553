"""The demo workspace in samples/ is consistent: files parse cleanly, references resolve."""

import json

import pytest

from drafting.files.reading import parse_path
from tests.helpers import REPO

SAMPLES = REPO / "samples"
SPEC = json.loads((SAMPLES / "workspace.json").read_text(encoding="utf-8"))
FILES = sorted({v["file"] for p in SPEC["projects"] for d in p["drafts"] for v in d["versions"]})


@pytest.mark.parametrize("name", FILES)
def test_every_sample_draft_parses_without_warnings(name):
    doc = parse_path(SAMPLES / name)
    assert not doc.warnings, [w.message for w in doc.warnings]
    assert sum(1 for _ in doc.articles()) >= 10


def _labels(name):
    return {a.label for a, _d in parse_path(SAMPLES / name).articles()}


def test_every_reference_in_the_workspace_resolves(session):
    from drafting.models import Jurisdiction

    users = {u["username"]: u for u in SPEC["users"]}
    for u in SPEC["users"]:
        assert session.get(Jurisdiction, u["jurisdiction"]) is not None, u
    assert {u["role"] for u in SPEC["users"]} == {"admin", "drafter", "commenter", "adviser"}
    for p in SPEC["projects"]:
        codes = {x["jurisdiction"] for x in p["participants"]}
        assert p["lead"] in codes
        versions = {}
        for d in p["drafts"]:
            assert d["jurisdiction"] in codes
            for v in d["versions"]:
                versions[("common" if d.get("common") else d["jurisdiction"], v["name"])] = v[
                    "file"
                ]
        for c in p["comments"]:
            r = p["rounds"][c["round"]]
            assert c["author"] in users
            assert c["article"] in _labels(versions[(r["draft"], r["version"])]), c
        for pr in p["proposals"]:
            for link in pr["links"]:
                common = versions[("common", link.get("version", "征求意见稿"))]
                assert link["article"] in _labels(common), link


def test_the_reconciliation_truth_covers_every_city_file():
    manifest = json.loads((SAMPLES / "huaihai" / "manifest.json").read_text(encoding="utf-8"))
    cities = manifest["cities"]
    assert len(cities) == 6
    for entry in cities:
        labels = _labels(entry["file"])
        assert entry["articles"] == len(labels)
        assert entry["mapping"], entry["name"]


def test_the_six_city_versions_align_with_the_common_text_as_recorded():
    """Every (common article, city article) pair of the manifest, and no other, is aligned."""
    from drafting.core.alignment import align, document_articles

    manifest = json.loads((SAMPLES / "huaihai" / "manifest.json").read_text(encoding="utf-8"))
    common = document_articles(parse_path(SAMPLES / "huaihai" / "common-征求意见稿.md"))
    for city in manifest["cities"]:
        articles = document_articles(parse_path(SAMPLES / city["file"]))
        groups = align([common, articles], names=["徐州市", city["name"]])
        left = {a.key: a.label for a in common}
        right = {a.key: a.label for a in articles}
        found = {(left[a], right[b]) for g in groups for a in g.members[0] for b in g.members[1]}
        truth = {(a, b) for e in city["mapping"] for a in e["common"] for b in e["city"]}
        assert found == truth, (city["name"], sorted(truth - found), sorted(found - truth))
