"""Structure changes of the common text offered to a city: articles in, out or moved; divisions.

The common text's outline at the city's reference point is compared with its outline now (both
carry the common text's stable ids). A change the city has accepted or declined is settled by
its decision of that kind; a later move of the same article is offered again.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drafting.core.alignment import bigrams, dice
from drafting.core.outline import Entry, moved_articles, outline
from drafting.core.placenames import neutralise
from drafting.core.tree import Node
from drafting.models import PropagationDecision, Provision, Revision
from drafting.services.drafts import DraftTree, substitute_names
from drafting.services.matrix import Column, Matrix
from drafting.services.propagation_change import Change, newest_revision, subtree
from drafting.services.propagation_splits import fold_splits_and_merges

Decisions = dict[tuple[int, int, str], PropagationDecision]
# Decisions that show the city already knows of a common-text article.
KNOWN = ("modified", "inserted", "moved", "deleted", "split", "merged")
# How alike a city article must be to a deleted common article to count as its counterpart.
DELETED_LIKENESS = 0.6


def counterparts(matrix: Matrix, v: int) -> dict[int, list[int]]:
    """Return the city column's article ids per common-text article id."""
    out: dict[int, list[int]] = {}
    for row in matrix.rows:
        for key in row.cells[0].keys:
            out[key] = list(row.cells[v].keys)
    return out


def place_before(tree: DraftTree, pid: int) -> dict:
    """Return the place just before a provision of the city's draft."""
    parent = tree.parent_of.get(pid)
    siblings = tree.nodes[parent].children if parent is not None else tree.roots
    index = next(i for i, n in enumerate(siblings) if n.id == pid)
    if index > 0:
        return {"after": siblings[index - 1].id}
    return {"parent": parent, "at_start": True}


def city_place(
    current: list[Entry], by_common: dict[int, list[int]], tree: DraftTree, pid: int
) -> dict:
    """Return where the city's counterpart of common article `pid` belongs.

    After the counterpart of the article before it in its division, else before the counterpart
    of the one after it, else after any earlier counterpart, else at the end of the draft.
    """
    articles = [e for e in current if e.kind == "article"]
    index = next(i for i, e in enumerate(articles) if e.id == pid)
    me = articles[index]
    own = set(by_common.get(pid, []))

    def found(entry: Entry) -> list[int]:
        return [k for k in by_common.get(entry.id, []) if k not in own and k in tree.nodes]

    for entry in reversed(articles[:index]):
        if entry.container != me.container:
            break
        if found(entry):
            return {"after": found(entry)[-1]}
    for entry in articles[index + 1 :]:
        if entry.container != me.container:
            break
        if found(entry):
            return place_before(tree, found(entry)[0])
    for entry in reversed(articles[:index]):
        if found(entry):
            return {"after": found(entry)[-1]}
    return {"parent": None, "at_start": False}


def is_placed(tree: DraftTree, pid: int, place: dict) -> bool:
    """Return whether a city provision already stands at `place`."""
    parent = tree.parent_of.get(pid)
    siblings = tree.nodes[parent].children if parent is not None else tree.roots
    index = next(i for i, n in enumerate(siblings) if n.id == pid)
    if "after" in place:
        return index > 0 and siblings[index - 1].id == place["after"]
    if place.get("at_start"):
        return index == 0 and parent == place.get("parent")
    return index == len(siblings) - 1 and parent == place.get("parent")


def localised(node: Node, common: Column, city: Column) -> Node:
    """Return a copy of a common-text node with the city's names put in, as when adapting."""
    lead, own = common.draft.jurisdiction, city.draft.jurisdiction
    copy = Node(
        kind=node.kind,
        heading=substitute_names(node.heading, lead, own) if node.heading else node.heading,
        text=substitute_names(node.text, lead, own) if node.text else node.text,
        label=node.label,
        num=node.num,
        id=node.id,
    )
    copy.children = [localised(c, common, city) for c in node.children]
    return copy


def paragraphs(node: Node) -> str:
    """Return an article's paragraphs as lines, items with their labels."""
    lines = []
    for n in subtree(node):
        label = n.label if n.kind in ("item", "subitem") else ""
        lines.append(f"{label}{n.text or ''}")
    return "\n".join(lines)


def _last_moves(session: Session, ids: set[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.execute(
        select(Revision.provision_id, func.max(Revision.id))
        .where(Revision.provision_id.in_(ids), Revision.action == "move")
        .group_by(Revision.provision_id)
    )
    return dict(rows.all())


def _deleted_texts(session: Session, ids: set[int]) -> dict[int, Provision]:
    if not ids:
        return {}
    rows = session.scalars(select(Provision).where(Provision.id.in_(ids)))
    return {p.id: p for p in rows}


def structural_changes(
    session: Session,
    matrix: Matrix,
    v: int,
    reference: list[Entry],
    decisions: Decisions,
    *,
    reference_name: str,
) -> list[Change]:
    """Return the structure changes of the common text the city in column `v` has yet to decide."""
    common, city = matrix.pivot, matrix.columns[v]
    current = outline(common.tree.roots)
    ref = {e.id: e for e in reference}
    cur = {e.id: e for e in current}
    by_common = counterparts(matrix, v)
    draft_id = city.draft.id

    def decided(pid: int, *kinds: str) -> PropagationDecision | None:
        found = [decisions.get((draft_id, pid, k)) for k in kinds]
        found = [d for d in found if d is not None]
        return max(found, key=lambda d: d.id) if found else None

    def make(kind: str, pid: int, label: str, old: str, new: str, **extra) -> Change:
        node = common.tree.nodes.get(pid)
        return Change(
            city=city.draft,
            common_id=pid,
            common_label=label,
            common_revision=newest_revision(subtree(node)) if node is not None else 0,
            old_text=old,
            new_text=new,
            reference=reference_name,
            city_ids=[],
            city_label="",
            city_text="",
            city_revision=None,
            status="clean",
            proposed=None,
            failed=[],
            applied=[],
            kind=kind,
            **extra,
        )

    out: list[Change] = []
    # Divisions added and decided since the reference point, then removed again.
    known = {pid for (d, pid, k) in decisions if d == draft_id and k == "heading"}
    extra = [
        Entry(p.id, p.kind, None, "", "")
        for p in _deleted_texts(session, known - set(ref) - set(cur)).values()
    ]
    out.extend(
        _heading_changes(
            common, city, current, [*reference, *extra], ref, cur, by_common, decided, make
        )
    )
    for entry in current:
        if entry.kind != "article" or entry.id in ref or decided(entry.id, *KNOWN):
            continue
        change = make("inserted", entry.id, entry.label, "", entry.text)
        node = localised(common.tree.nodes[entry.id], common, city)
        change.node, change.proposed = node, paragraphs(node)
        change.place = city_place(current, by_common, city.tree, entry.id)
        change.cited = {
            a.num: by_common[a.id][0] for a in common.tree.articles() if by_common.get(a.id)
        }
        if by_common.get(entry.id):
            change.status = "already"
            _describe_city(change, city, by_common[entry.id])
        out.append(change)
    gone = {e.id for e in reference if e.kind == "article" and e.id not in cur}
    gone |= {pid for (d, pid, k) in decisions if d == draft_id and k == "inserted"} - set(cur)
    rows = _deleted_texts(session, gone)
    aligned = {k for keys in by_common.values() for k in keys}
    for pid in sorted(gone, key=lambda i: (i not in ref, i)):
        if decided(pid, "deleted") or pid not in rows or not rows[pid].deleted:
            continue
        text = ref[pid].text if pid in ref else decided(pid, *KNOWN).common_text
        label = ref[pid].label if pid in ref else ""
        change = make("deleted", pid, label, text, "")
        change.common_revision = rows[pid].revision_id or 0
        match = _likeliest(text, city, aligned, matrix.names)
        if match is None:
            change.status = "already"
        else:
            _describe_city(change, city, [match])
            aligned.add(match)
        out.append(change)
    last_moves = _last_moves(session, {e.id for e in reference if e.kind == "article"})
    for pid in sorted(moved_articles(reference, current, set(last_moves))):
        settled = decided(pid, "moved")
        if settled is not None and (settled.common_revision_id or 0) >= last_moves.get(pid, 0):
            continue
        entry = cur[pid]
        change = make("moved", pid, entry.label, ref[pid].label, entry.label)
        change.common_revision = common.tree.nodes[pid].revision or 0
        change.place = city_place(current, by_common, city.tree, pid)
        ids = [k for k in by_common.get(pid, []) if k in city.tree.nodes]
        if not ids:
            change.status = "no_counterpart"
        else:
            _describe_city(change, city, ids)
            if is_placed(city.tree, ids[0], change.place):
                change.status = "already"
        out.append(change)
    return fold_splits_and_merges(city, reference, current, out, by_common, matrix.names, make)


def _describe_city(change: Change, city: Column, ids: list[int]) -> None:
    nodes = [n for pid in ids for n in subtree(city.tree.nodes[pid])]
    change.city_ids = list(ids)
    change.city_label = "、".join(city.tree.nodes[i].label or "" for i in ids)
    change.city_text = "\n".join(paragraphs(city.tree.nodes[i]) for i in ids)
    change.city_revision = newest_revision(nodes)


def _likeliest(text: str, city: Column, taken: set[int], names: list[str]) -> int | None:
    """Return the city article most like a deleted common article, among those not aligned."""
    grams = bigrams(neutralise(text, names))
    best, best_score = None, DELETED_LIKENESS
    for article in city.tree.articles():
        if article.id in taken:
            continue
        score = dice(grams, bigrams(neutralise(paragraphs(article), names)))
        if score >= best_score:
            best, best_score = article.id, score
    return best


def _heading_changes(common, city, current, reference, ref, cur, by_common, decided, make):
    """Return the new, renamed and removed divisions the city has yet to decide."""
    out = []
    divisions = [e for e in reference if e.kind != "article"]
    divisions += [e for e in current if e.kind != "article" and e.id not in ref]
    for entry in divisions:
        now = cur.get(entry.id)
        settled = decided(entry.id, "heading")
        if settled is not None:
            before = settled.common_text or None
        else:
            before = ref[entry.id].text if entry.id in ref else None
        after = now.text if now is not None else None
        if before == after or (before is None and after is None):
            continue
        action = "added" if before is None else "removed" if after is None else "renamed"
        label = (now or entry).label
        change = make("heading", entry.id, label, before or "", after or "")
        change.action, change.division = action, entry.kind
        own = city_division(common, city, [*current, *reference], by_common, entry, before)
        lead, mine = common.draft.jurisdiction, city.draft.jurisdiction
        if after is not None:
            change.proposed = substitute_names(after, lead, mine)
        headings = {n.id: n.heading for n in city.tree.walk() if n.kind == entry.kind and n.heading}
        if action == "added":
            change.node = common.tree.nodes[entry.id]
            if change.proposed in headings.values():
                change.status = "already"
            else:
                change.place = division_place(common, city, current, by_common, entry)
                if change.place is None:
                    change.place, change.status = {}, "no_counterpart"
                held = [e.id for e in current if e.kind == "article" and e.container == entry.id]
                change.gather = [
                    k for pid in held for k in by_common.get(pid, []) if k in city.tree.nodes
                ]
        elif action == "renamed":
            if own is None:
                change.status = "no_counterpart"
            elif headings.get(own) == change.proposed:
                change.status = "already"
        elif own is None:
            change.status = "already"
        if own is not None and action != "added":
            change.city_ids = [own]
            change.city_label = city.tree.nodes[own].label or ""
            change.city_text = city.tree.nodes[own].heading or ""
            change.city_revision = city.tree.nodes[own].revision
        out.append(change)
    return out


def city_division(
    common: Column,
    city: Column,
    entries: list[Entry],
    by_common: dict[int, list[int]],
    entry: Entry,
    heading: str | None,
) -> int | None:
    """Return the city's division that answers a common-text division, by heading or content."""
    lead, mine = common.draft.jurisdiction, city.draft.jurisdiction
    wanted = {substitute_names(heading, lead, mine), heading} if heading else set()
    for node in city.tree.walk():
        if node.kind == entry.kind and (node.heading or "") in wanted:
            return node.id
    held = [e.id for e in entries if e.kind == "article" and e.container == entry.id]
    for pid in held:
        for k in by_common.get(pid, []):
            parent = city.tree.parent_of.get(k)
            if parent is not None and city.tree.nodes[parent].kind == entry.kind:
                return parent
    return None


def division_place(common, city, current, by_common, entry: Entry) -> dict | None:
    """Return where a new division goes in the city's draft: before its first article's twin."""
    tree = city.tree
    held = [e.id for e in current if e.kind == "article" and e.container == entry.id]
    for pid in held:
        ids = [k for k in by_common.get(pid, []) if k in tree.nodes]
        if ids:
            first = ids[0]
            if entry.kind == "section":
                return place_before(tree, first)
            # A chapter or part stands at the top level: after the division holding the article.
            top = first
            while tree.parent_of.get(top) is not None:
                top = tree.parent_of[top]
            if top == first:
                return place_before(tree, first)
            return {"after": top}
    if entry.kind != "section":
        return {"parent": None, "at_start": False}
    return None
