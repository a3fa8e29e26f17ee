"""Canonicalisation across the whole corpus: one entity per concept, every merge recorded.

Names with one key (:func:`kg.names.name_key`: case except acronyms, plural, hyphens and
spaces) are one entity; an abbreviation defined anywhere in the corpus ("Low-Rank Adaptation
(LoRA)") joins its short and long forms everywhere; a gazetteer row joins its name and aliases.
Versions stay apart: ``GPT-4`` and ``GPT-4o`` have different keys.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from kg.errors import NotFoundError
from kg.names import TRAILING_BRACKETS, is_acronym, name_key
from kg.records import Entity, ExtractedPaper, Merge
from kg.schema import NARROWER


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class Canon:
    """The result of canonicalisation: entities by id, a lookup from (paper, name) to entity id,
    the merge log, version links, and the type vote behind each entity (type -> summed
    confidence of its mentions)."""

    entities: dict[str, Entity]
    entity_of: dict[str, str]
    merges: list[Merge]
    narrower: list[tuple[str, str, str]] = field(default_factory=list)
    votes: dict[str, dict[str, float]] = field(default_factory=dict)


def canonicalise(
    papers: Iterable[ExtractedPaper], gazetteer=(), min_concept_papers: int = 2
) -> Canon:
    """Merge the names found in all papers into entities.

    Concepts (untyped terms) found in fewer than ``min_concept_papers`` papers are dropped
    (typed entities, proposals and names from the gazetteer are always kept).
    """
    papers = list(papers)
    uf, merges = _UnionFind(), []
    gazetteer_rows = _join_gazetteer(uf, gazetteer, papers)
    _join_aliases(uf, papers, merges)
    _join_compounds(uf, {name_key(m.name) for p in papers for m in p.mentions})
    gazetteer_type = {uf.find(key): row for key, row in gazetteer_rows.items()}  # roots after every join
    groups = _group_mentions(uf, papers)
    entities, entity_of, votes = {}, {}, {}
    for root, group in sorted(groups.items()):
        entity = _make_entity(group, gazetteer_type.get(root), gazetteer, root)
        if entity is None or not _keep(entity, group, min_concept_papers):
            continue
        entities[entity.id] = entity
        votes[entity.id] = {t: round(v, 3) for t, v in group["types"].most_common()}
        for key in group["keys"]:
            entity_of[key] = entity.id
    _log_spelling_merges(groups, entities, entity_of, merges)
    return Canon(entities, entity_of, [m for m in merges if m.entity in entities], versions(entities), votes)


_VERSION = re.compile(r"^(.+?)(?:[\s\-_]?(?:v?\d+(?:\.\d+)*[a-zA-Z]?|[xX][lL]|large|base|small|tiny|mini|"
                      r"huge|giant|pro|plus|turbo|lite)|[\s\-_][SMLBH])$")  # ViT-B, not ESMM


def version_base(name: str) -> str | None:
    """The name a versioned name is a version of, if it looks like one.

    >>> version_base("ResNet-50"), version_base("GPT-4o"), version_base("Llama 2"), version_base("BERT")
    ('ResNet', 'GPT', 'Llama', None)
    >>> version_base("ViT-B"), version_base("ESMM")
    ('ViT', None)
    """
    match = _VERSION.match(name.strip())
    return match.group(1).rstrip(" -_") if match and match.group(1).strip(" -_") else None


def versions(entities: dict[str, Entity]) -> list[tuple[str, str, str]]:
    """``(broader id, narrower id, reason)`` for each entity that is a version of another
    entity of the same type ("ResNet-50" of "ResNet"): linked, never merged."""
    by_key = {(e.type, name_key(e.name)): e.id for e in entities.values()}
    for e in entities.values():
        for alias in e.aliases:
            by_key.setdefault((e.type, name_key(alias)), e.id)
    links = []
    for entity in sorted(entities.values(), key=lambda e: e.id):
        base = version_base(entity.name)
        broader = by_key.get((entity.type, name_key(base))) if base else None
        if broader and broader != entity.id:
            links.append((broader, entity.id, f"version: {entity.name} is a version of {base}"))
    return links


def explain(canon: Canon, name: str) -> dict:
    """Why an entity looks the way it does: its canonical name, type (with the vote of its
    decided mentions), aliases, papers, the evidence behind each alias and merge, and its
    broader or narrower versions.

    Raises :class:`~kg.errors.NotFoundError` (listing close names) when nothing matches.
    """
    wanted = name.lower()
    entity_id = canon.entity_of.get(name_key(name)) or (name if name in canon.entities else None)
    entity_id = entity_id or next((e.id for e in sorted(canon.entities.values(), key=lambda e: e.id)
                                   if wanted in (n.lower() for n in (e.name, *e.aliases))), None)
    if entity_id is None:
        close = sorted(e.name for e in canon.entities.values() if wanted in e.name.lower())[:10]
        hint = f" Close names: {', '.join(close)}" if close else ""
        raise NotFoundError(f"No entity named '{name}'.{hint}")
    entity = canon.entities[entity_id]
    return {
        "id": entity.id, "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
        "papers": list(entity.papers), "type_votes": canon.votes.get(entity_id, {}),
        "merges": [{"alias": m.alias, "reason": m.reason, "paper": m.paper, "sentence": m.sentence}
                   for m in canon.merges if m.entity == entity_id],
        "broader": [{"id": b, "name": canon.entities[b].name, "reason": why}
                    for b, n, why in canon.narrower if n == entity_id],
        NARROWER: [{"id": n, "name": canon.entities[n].name, "reason": why}
                     for b, n, why in canon.narrower if b == entity_id],
    }


def _join_gazetteer(uf, gazetteer, papers) -> dict[str, tuple[str, str]]:
    """Union each used gazetteer row's name and aliases; the key of its name -> (type, canonical name).

    The corpus's own definitions come first: an alias that papers define as something else
    ("Adaptive Sample with Reward (ASR)", not speech recognition) is not joined to the row.
    """
    used = {name_key(m.name) for p in papers for m in p.mentions if m.extractor == "gazetteer"}
    defined = _definitions(papers)
    found = {}
    for entry in gazetteer:
        keys = [name_key(entry.name)] + [name_key(a) for a in entry.aliases]
        if not used.intersection(keys):
            continue
        for key in keys[1:]:
            if key not in defined or set(defined[key]) & set(keys):
                uf.union(keys[0], key)
        found[keys[0]] = (entry.type, entry.name)
    return found


def _definitions(papers) -> dict[str, Counter]:
    """How often the corpus defines each short form (by key) as each long form (by key)."""
    definitions: dict[str, Counter] = defaultdict(Counter)
    for paper in papers:
        for alias in paper.aliases:
            definitions[name_key(alias.short)][name_key(alias.long)] += 1
    return definitions


def _join_compounds(uf, groups_keys) -> None:
    """Join keys that differ only by the spaces of a compound: "pre trained" and "pretrained",
    "fine tuning" and "finetuning"."""
    by_compact: dict[str, str] = {}
    for key in sorted(groups_keys):
        compact = key.replace(" ", "")
        if compact in by_compact:
            uf.union(by_compact[compact], key)
        else:
            by_compact[compact] = key


def _join_aliases(uf, papers, merges) -> None:
    """Join each short form with its long form, unless the corpus defines it two ways.

    An abbreviation whose definitions disagree ("CL" for continual and for contrastive
    learning) joins only a long form given by at least two thirds of its definitions.
    """
    definitions = _definitions(papers)
    for paper in papers:
        for alias in paper.aliases:
            short, long = name_key(alias.short), name_key(alias.long)
            counts = definitions[short]
            if counts[long] * 3 < sum(counts.values()) * 2:
                merges.append(Merge(long, alias.short, "ambiguous abbreviation, not merged",
                                    paper.key, alias.sentence))
                continue
            if uf.find(short) != uf.find(long):
                uf.union(short, long)
            merges.append(Merge(long, alias.short, "abbreviation", paper.key, alias.sentence))


def _group_mentions(uf, papers) -> dict[str, dict]:
    groups: dict[str, dict] = defaultdict(
        lambda: {"keys": set(), "names": Counter(), "types": Counter(), "papers": set(),
                 "strong": False, "seen": {}}
    )
    for paper in papers:
        for m in paper.mentions:
            key = name_key(m.name)
            group = groups[uf.find(key)]
            group["keys"].add(key)
            group["names"][m.name] += 1
            group["seen"].setdefault(m.name, (paper.key, m.sentence))
            group["types"][m.type] += m.confidence
            group["papers"].add(paper.key)
            group["strong"] |= m.extractor in ("gazetteer", "abbreviation", "proposal", "title")
    return groups


def _make_entity(group, from_gazetteer, gazetteer, root) -> Entity | None:
    if not group["names"]:
        return None
    kind = group["types"].most_common(1)[0][0]
    preferred = from_gazetteer[1] if from_gazetteer else None
    names = sorted(group["names"].items(), key=lambda item: (-_long_form(item[0]), -item[1], item[0]))
    name = preferred or names[0][0]
    aliases = _distinct_aliases(name, [n for n, _ in names])
    key = name_key(name)
    return Entity(f"{kind}:{key}", kind, name, aliases, tuple(sorted(group["papers"])))


def _long_form(name: str) -> int:
    """Prefer a spelled-out name (several words, not an acronym) as the canonical one."""
    return 1 if len(name.split()) > 1 or not is_acronym(name) else 0


def _distinct_aliases(name: str, names: list[str]) -> tuple[str, ...]:
    seen, aliases = {name.lower()}, []
    for other in names:
        if other.lower() not in seen:
            seen.add(other.lower())
            aliases.append(other)
    return tuple(sorted(aliases))


def _keep(entity: Entity, group, min_concept_papers: int) -> bool:
    if entity.type != "concept" or group["strong"]:
        return True
    return len(entity.papers) >= min_concept_papers


def _log_spelling_merges(groups, entities, entity_of, merges) -> None:
    for group in groups.values():
        for name in sorted(group["names"]):
            entity = entity_of.get(name_key(name))
            if entity and name != entities[entity].name:
                merges.append(Merge(entity, name, _spelling_reason(name, entities[entity].name),
                                    *group["seen"][name]))
    for i, merge in enumerate(merges):
        if merge.reason in ("abbreviation", "ambiguous abbreviation, not merged"):
            merges[i] = Merge(entity_of.get(merge.entity, ""), merge.alias, merge.reason,
                              merge.paper, merge.sentence)


def _spelling_reason(alias: str, name: str) -> str:
    if alias.lower() == name.lower():
        return "case"
    if name_key(alias) == name_key(name):
        if TRAILING_BRACKETS.search(alias) and not TRAILING_BRACKETS.search(name):
            return "spelling (trailing bracket)"
        return "spelling (plural, hyphen or space)"
    return "abbreviation or gazetteer alias"
