"""Tell a split or merged common-text article from an unrelated insertion or deletion.

An article X followed by a new article Y, whose texts together read like X's text at the
reference point, was split; an article X that now reads like X and the deleted article after it
was merged. Each is offered to the city as one change keyed on X, with Y as its partner.
"""

from __future__ import annotations

from collections.abc import Callable

from drafting.core.alignment import bigrams, dice
from drafting.core.outline import Entry
from drafting.core.placenames import neutralise
from drafting.services.matrix import Column
from drafting.services.propagation_change import Change

# How alike the article before and the articles after must read to count as one split or merge.
LIKENESS = 0.85


def _alike(a: str, b: str, names: list[str]) -> bool:
    """Return whether two texts read alike and are about as long (bigram sets ignore repeats)."""
    if not a or not b or not 0.8 <= len(a) / len(b) <= 1.25:
        return False
    return dice(bigrams(neutralise(a, names)), bigrams(neutralise(b, names))) >= LIKENESS


def fold_splits_and_merges(
    city: Column,
    reference: list[Entry],
    current: list[Entry],
    changes: list[Change],
    by_common: dict[int, list[int]],
    names: list[str],
    make: Callable[..., Change],
) -> list[Change]:
    """Replace an insertion (deletion) that is the other half of a split (merge) by one change."""
    ref = {e.id: e for e in reference}
    cur = {e.id: e for e in current}
    now = [e for e in current if e.kind == "article"]
    then = [e for e in reference if e.kind == "article"]
    folded: list[Change] = []
    absorbed: set[tuple[str, int]] = set()
    for change in changes:
        if change.kind == "inserted":
            index = next(i for i, e in enumerate(now) if e.id == change.common_id)
            x = now[index - 1] if index else None
            if x is None or x.id not in ref or x.container != cur[change.common_id].container:
                continue
            old, new = ref[x.id].text, f"{x.text}\n{change.new_text}"
            # The article kept must have lost about the new one's length, not just a word.
            shrunk = len(old) - len(x.text) >= len(change.new_text) / 2
            if not shrunk or not _alike(old, new, names):
                continue
            split = make("split", x.id, x.label, old, new)
            split.partner = change.common_id
            split.settled_text, split.partner_text = x.text, change.new_text
            _city_split(split, city, by_common, x.id, change, names)
            folded.append(split)
            absorbed.add(("inserted", change.common_id))
        elif change.kind == "deleted" and change.common_id in ref:
            index = next(i for i, e in enumerate(then) if e.id == change.common_id)
            x = then[index - 1] if index else None
            if x is None or x.id not in cur:
                continue
            old, new = f"{x.text}\n{change.old_text}", cur[x.id].text
            grown = len(new) - len(x.text) >= len(change.old_text) / 2
            if not grown or not _alike(old, new, names):
                continue
            merged = make("merged", x.id, cur[x.id].label, old, new)
            merged.partner = change.common_id
            merged.partner_text = change.old_text
            _city_merge(merged, city, by_common, x.id, change)
            folded.append(merged)
            absorbed.add(("deleted", change.common_id))
    kept = [c for c in changes if (c.kind, c.common_id) not in absorbed]
    return kept + folded


def _city_split(split, city, by_common, x_id, inserted, names) -> None:
    """Find the city's article to split and the paragraph that opens its second half."""
    own = [k for k in by_common.get(x_id, []) if k in city.tree.nodes]
    theirs = [k for k in by_common.get(inserted.common_id, []) if k in city.tree.nodes]
    if not own:
        split.status = "no_counterpart"
        return
    if theirs and set(theirs) != set(own):
        split.status = "already"
        return
    article = city.tree.nodes[own[0]]
    split.city_ids = [article.id]
    split.city_label = article.label or ""
    split.city_text = "\n".join(n.text or "" for n in [article, *article.children])
    split.city_revision = article.revision
    opening = (inserted.node.text or "") if inserted.node is not None else ""
    grams = bigrams(neutralise(opening, names))
    clauses = [c for c in article.children if c.kind == "clause"]
    scored = [(dice(grams, bigrams(neutralise(c.text or "", names))), c.id) for c in clauses]
    best = max(scored, default=(0.0, None))
    if best[0] < 0.5:
        split.status = "structure"
        return
    split.place = {"at": best[1]}


def _city_merge(merged, city, by_common, x_id, deleted) -> None:
    """Find the city's two consecutive articles to merge, or see it done already."""
    own = [k for k in by_common.get(x_id, []) if k in city.tree.nodes]
    other = [k for k in deleted.city_ids if k not in own]
    pair = own if len(own) == 2 else own[:1] + other[:1]
    if not own:
        merged.status = "no_counterpart"
        return
    if len(pair) < 2:
        merged.status = "already"
        return
    articles = [a.id for a in city.tree.articles()]
    first, second = pair
    if articles.index(second) != articles.index(first) + 1:
        merged.status = "structure"
    merged.city_ids = [first, second]
    merged.city_label = "、".join(city.tree.nodes[i].label or "" for i in pair)
    merged.city_text = "\n".join(city.tree.nodes[i].text or "" for i in pair)
    merged.city_revision = max(city.tree.nodes[i].revision or 0 for i in pair)
