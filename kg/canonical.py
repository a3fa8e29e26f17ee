"""Canonicalisation across the whole corpus: one entity per concept, every merge recorded.

Names that differ only in case (acronyms keep theirs), plural, or hyphens and spaces are one
entity; an abbreviation defined anywhere in the corpus ("Low-Rank Adaptation (LoRA)") joins
its short and long forms everywhere; a gazetteer row joins its name and aliases. Versions
stay apart: ``GPT-4`` and ``GPT-4o`` have different keys.

Examples
--------
>>> name_key("Large Language Models"), name_key("large-language model")
('large language model', 'large language model')
>>> name_key("LLMs"), name_key("GPT-4o"), name_key("GPT-4")
('LLM', 'GPT 4o', 'GPT 4')
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from kg.extract.gazetteer import is_acronym
from kg.records import ExtractedPaper

_SPLIT = re.compile(r"[\s\-‐‑–_/]+")
_PLURAL_ACRONYM = re.compile(r"^([A-Z][A-Za-z0-9]*[A-Z0-9])s$")
_NO_SINGULAR = ("ss", "us", "is", "ics", "ness", "sis")


@dataclass(frozen=True)
class Entity:
    """A canonical entity: id, type, preferred name, aliases and the papers that mention it."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    papers: tuple[str, ...]


@dataclass(frozen=True)
class Merge:
    """A record that ``alias`` was merged into entity ``entity`` and why."""

    entity: str
    alias: str
    reason: str
    paper: str = ""
    sentence: str = ""


def _singular(word: str) -> str:
    match = _PLURAL_ACRONYM.match(word)
    if match:
        return match.group(1)
    if is_acronym(word) or len(word) <= 3 or not word.endswith("s") or word.endswith(_NO_SINGULAR):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The key under which spellings of one name meet: case folded except acronyms,
    hyphens and spaces alike, the last word singular."""
    words = [w for w in _SPLIT.split(name.strip()) if w]
    if not words:
        return ""
    words[-1] = _singular(words[-1])
    return " ".join(w if is_acronym(w) else w.lower() for w in words)


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
    and the merge log."""

    entities: dict[str, Entity]
    entity_of: dict[str, str]
    merges: list[Merge]


def canonicalise(
    papers: Iterable[ExtractedPaper], gazetteer=(), min_concept_papers: int = 2
) -> Canon:
    """Merge the names found in all papers into entities.

    Concepts (untyped terms) found in fewer than ``min_concept_papers`` papers are dropped
    (typed entities, proposals and names from the gazetteer are always kept).
    """
    papers = list(papers)
    uf, merges = _UnionFind(), []
    gazetteer_type = _join_gazetteer(uf, gazetteer, papers)
    _join_aliases(uf, papers, merges)
    groups = _group_mentions(uf, papers)
    entities, entity_of = {}, {}
    for root, group in sorted(groups.items()):
        entity = _make_entity(group, gazetteer_type.get(root), gazetteer, root)
        if entity is None or not _keep(entity, group, min_concept_papers):
            continue
        entities[entity.id] = entity
        for key in group["keys"]:
            entity_of[key] = entity.id
    _log_spelling_merges(groups, entities, entity_of, merges)
    return Canon(entities, entity_of, [m for m in merges if m.entity in entities])


def _join_gazetteer(uf, gazetteer, papers) -> dict[str, tuple[str, str]]:
    """Union each used gazetteer row's name and aliases; root -> (type, canonical name)."""
    used = {name_key(m.name) for p in papers for m in p.mentions if m.extractor == "gazetteer"}
    found = {}
    for entry in gazetteer:
        keys = [name_key(entry.name)] + [name_key(a) for a in entry.aliases]
        if not used.intersection(keys):
            continue
        for key in keys[1:]:
            uf.union(keys[0], key)
        found[keys[0]] = (entry.type, entry.name)
    return {uf.find(k): v for k, v in found.items()}


def _join_aliases(uf, papers, merges) -> None:
    for paper in papers:
        for alias in paper.aliases:
            short, long = name_key(alias.short), name_key(alias.long)
            if uf.find(short) != uf.find(long):
                uf.union(short, long)
            merges.append(Merge(long, alias.short, "abbreviation", paper.key, alias.sentence))


def _group_mentions(uf, papers) -> dict[str, dict]:
    groups: dict[str, dict] = defaultdict(
        lambda: {"keys": set(), "names": Counter(), "types": Counter(), "papers": set(),
                 "strong": False}
    )
    for paper in papers:
        for m in paper.mentions:
            key = name_key(m.name)
            group = groups[uf.find(key)]
            group["keys"].add(key)
            group["names"][m.name] += 1
            group["types"][m.type] += m.confidence if m.type != "concept" else 0.01
            group["papers"].add(paper.key)
            group["strong"] |= m.extractor in ("gazetteer", "abbreviation", "proposal", "title")
    return groups


def _make_entity(group, from_gazetteer, gazetteer, root) -> Entity | None:
    if not group["names"]:
        return None
    kind, preferred = from_gazetteer or (group["types"].most_common(1)[0][0], None)
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
                merges.append(Merge(entity, name, _spelling_reason(name, entities[entity].name)))
    for i, merge in enumerate(merges):
        if merge.reason == "abbreviation":
            merges[i] = Merge(entity_of.get(merge.entity, ""), merge.alias, merge.reason,
                              merge.paper, merge.sentence)


def _spelling_reason(alias: str, name: str) -> str:
    if alias.lower() == name.lower():
        return "case"
    if name_key(alias) == name_key(name):
        return "spelling (plural, hyphen or space)"
    return "abbreviation or gazetteer alias"
