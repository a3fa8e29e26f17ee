"""Score the extractor against paper-level entity sets annotated by hand (``kg eval gold``).

The annotation format and the scoring rules are those of the project's annotation guidelines:
one JSON object per paper with ``title``, ``abstract``, lists of ``{"name", "aliases"}`` per
type (method, dataset, task, metric, concept) and ``proposed`` names. A predicted entity
matches a gold entity of the same type when any of its names equals any of the gold's after
:func:`normalise`; matching is one-to-one per paper and type. The headline is micro P/R/F1
over method, dataset, task and metric; a type-agnostic figure ignores types.

Examples
--------
>>> gold = [GoldPaper("p", "T", "A", {"method": (("low-rank adaptation", "LoRA"),)}, ("LoRA",))]
>>> pred = [PredPaper("p", {"method": (("LoRA", "Low-Rank Adaptation"), ("model",))}, (("LoRA",),))]
>>> report = score(gold, pred)
>>> report["micro"]["p"], report["micro"]["r"], report["proposals"]["f1"]
(50.0, 100.0, 100.0)
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

import networkx as nx

from kg import pipeline
from kg.errors import InputError
from kg.evaluate.benchmarks import prf
from kg.graph.canonical import Canon
from kg.names import name_key
from kg.records import ExtractedPaper, Paper, Problem
from kg.schema import CONCEPT, DATASET, ENTITY_TYPES, EVALUATED_ON, METHOD, METRIC, TASK, USED_FOR

CORE_TYPES = (METHOD, DATASET, TASK, METRIC)
RELATION_KINDS = (USED_FOR, EVALUATED_ON)  # the kinds the annotation holds
_WORDS = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class GoldPaper:
    """One annotated paper: ``entities`` maps a type to tuples of names (canonical name first)."""

    id: str
    title: str
    abstract: str
    entities: dict = field(default_factory=dict)
    proposed: tuple[str, ...] = ()
    relations: tuple[tuple[str, str, str], ...] = ()  # (head, kind, tail), deliberately incomplete


@dataclass(frozen=True)
class PredPaper:
    """What the extractor says of one paper, in the same shape; ``proposed`` holds the names of
    each entity it says the paper proposes."""

    id: str
    entities: dict = field(default_factory=dict)
    proposed: tuple[tuple[str, ...], ...] = ()
    relations: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()  # (head names, kind, tail names)


def normalise(name: str) -> str:
    """A name as the guidelines compare it: NFKC, case folded, punctuation and spaces as
    separators, words joined, a trailing ``s`` dropped from words longer than 3 letters.

    >>> normalise("Fine-tuning") == normalise("fine tuning"), normalise("LLMs"), normalise("loss")
    (True, 'llm', 'loss')
    """
    words = [w for w in _WORDS.split(unicodedata.normalize("NFKC", name).casefold()) if w]
    return "".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def read_gold(path: str, problems: list[Problem] | None = None) -> list[GoldPaper]:
    """The annotated papers of a JSON Lines file. A line that is no annotated paper is skipped
    and added to ``problems`` (file and line); an unreadable file raises :class:`InputError`."""
    papers = []
    try:
        with open(path, encoding="utf-8") as handle:
            lines = list(handle)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(path, None, f"cannot read: {getattr(error, 'strerror', None) or error}") from error
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            papers.append(_gold(json.loads(line)))
        except json.JSONDecodeError as error:
            _skip(problems, Problem(path, number, f"not JSON: {error.msg}"))
        except (KeyError, TypeError, AttributeError) as error:
            _skip(problems, Problem(path, number, f"not an annotated paper record (no or bad {error})"))
    if not papers:
        raise InputError(path, None, "no annotated paper records")
    return papers


def _skip(problems: list[Problem] | None, problem: Problem) -> None:
    if problems is None:
        raise InputError(problem.path, problem.line, problem.reason)
    problems.append(problem)


def _gold(record: dict) -> GoldPaper:
    entities = {t: tuple((e["name"], *e.get("aliases", ())) for e in record.get(t, ())) for t in ENTITY_TYPES}
    relations = tuple((str(h), str(k), str(t)) for h, k, t in record.get("relations", ()))
    return GoldPaper(str(record["id"]), record["title"], record.get("abstract") or "", entities,
                     tuple(record.get("proposed", ())), relations)


def predict(golds: list[GoldPaper], recogniser: str = "cnn", nlp=None) -> list[PredPaper]:
    """Run the extractor ``kg build`` uses over the gold papers' titles and abstracts, the
    papers canonicalised together as one corpus."""
    papers = [(g.id, Paper(g.title, g.abstract)) for g in golds]
    extracted, canon = pipeline.extract_papers(papers, nlp=nlp, recogniser=recogniser)
    by_id = {item.key: item for item in extracted}
    return [to_pred(by_id[g.id], canon) for g in golds]


def to_pred(item: ExtractedPaper, canon: Canon) -> PredPaper:
    """The paper-level entity sets of one extracted paper: each canonical entity once, named by
    its canonical name, its aliases and the surface forms in this paper."""
    names: dict[str, list[str]] = {}
    types: dict[str, str] = {}
    proposed: set[str] = set()
    for m in item.mentions:
        entity_id = canon.entity_of.get(name_key(m.name))
        if entity_id is None:
            continue
        entity = canon.entities[entity_id]
        forms = names.setdefault(entity_id, [entity.name, *entity.aliases])
        if m.name not in forms:
            forms.append(m.name)
        types[entity_id] = entity.type
        if m.proposed:
            proposed.add(entity_id)
    entities: dict[str, list] = {}
    for entity_id in sorted(names):
        entities.setdefault(types[entity_id], []).append(tuple(names[entity_id]))
    relations = set()
    for r in item.relations:
        head, tail = canon.entity_of.get(name_key(r.head)), canon.entity_of.get(name_key(r.tail))
        if head in names and tail in names:
            relations.add((tuple(names[head]), r.kind, tuple(names[tail])))
    return PredPaper(item.key, {t: tuple(v) for t, v in entities.items()},
                     tuple(tuple(names[e]) for e in sorted(proposed)), tuple(sorted(relations)))


def matches(gold: tuple, pred: tuple) -> int:
    """How many predicted entities match a gold one, one to one (a maximum bipartite matching)."""
    if not gold or not pred:
        return 0
    keys = [{normalise(n) for n in names} for names in gold]
    graph = nx.Graph()
    graph.add_nodes_from(("g", i) for i in range(len(gold)))
    for j, names in enumerate(pred):
        mine = {normalise(n) for n in names}
        graph.add_edges_from((("g", i), ("p", j)) for i, key in enumerate(keys) if key & mine)
    top = [("g", i) for i in range(len(gold))]
    return len(nx.bipartite.maximum_matching(graph, top_nodes=top)) // 2


def score(golds: list[GoldPaper], preds: list[PredPaper]) -> dict:
    """P/R/F1 per type, micro over the core types, type-agnostic, and proposals."""
    counts = {t: [0, 0, 0] for t in ENTITY_TYPES}
    agnostic = [0, 0, 0]
    proposals = [0, 0, 0]
    relations = {kind: [0, 0] for kind in RELATION_KINDS}  # found, gold
    for gold, pred in zip(golds, preds):
        for kind, (found, total) in relation_recall(gold, pred).items():
            relations[kind] = [relations[kind][0] + found, relations[kind][1] + total]
        for t in ENTITY_TYPES:
            g, p = gold.entities.get(t, ()), pred.entities.get(t, ())
            counts[t] = [counts[t][0] + matches(g, p), counts[t][1] + len(p), counts[t][2] + len(g)]
        g_all = tuple(e for t in CORE_TYPES for e in gold.entities.get(t, ()))
        p_all = tuple(e for t in CORE_TYPES for e in pred.entities.get(t, ()))
        agnostic = [agnostic[0] + matches(g_all, p_all), agnostic[1] + len(p_all), agnostic[2] + len(g_all)]
        g_prop = tuple(_names_of(gold, name) for name in gold.proposed)
        proposals = [proposals[0] + matches(g_prop, pred.proposed), proposals[1] + len(pred.proposed),
                     proposals[2] + len(g_prop)]
    core = [sum(counts[t][i] for t in CORE_TYPES) for i in range(3)]
    return {"papers": len(golds), "types": {t: prf(*counts[t]) for t in ENTITY_TYPES}, "micro": prf(*core),
            "agnostic": prf(*agnostic), "proposals": prf(*proposals),
            "relations": {k: {"recall": 100.0 * f / g if g else 0.0, "found": f, "gold": g}
                          for k, (f, g) in relations.items()}}


def relation_recall(gold: GoldPaper, pred: PredPaper) -> dict[str, tuple[int, int]]:
    """Per kind, how many of the paper's annotated relations the prediction states (the same
    kind, from an entity with a name of the gold head to one with a name of the gold tail) and
    how many there are. The annotation is deliberately incomplete, so there is no precision."""
    out = {}
    for kind in RELATION_KINDS:
        wanted = [(h, t) for h, k, t in gold.relations if k == kind]
        stated = [({normalise(n) for n in h}, {normalise(n) for n in t}) for h, k, t in pred.relations if k == kind]
        found = 0
        for head, tail in wanted:
            heads = {normalise(n) for n in _names_of(gold, head)}
            tails = {normalise(n) for n in _names_of(gold, tail)}
            found += any(heads & h and tails & t for h, t in stated)
        out[kind] = (found, len(wanted))
    return out


def _names_of(gold: GoldPaper, name: str) -> tuple[str, ...]:
    """A proposed name with the aliases of the gold entity it names."""
    key = normalise(name)
    for entities in gold.entities.values():
        for names in entities:
            if key in {normalise(n) for n in names}:
                return names
    return (name,)


def evaluate(path: str, recogniser: str = "cnn", nlp=None) -> dict:
    """Score the extractor on an annotated file: the report :func:`format_report` prints."""
    problems: list[Problem] = []
    golds = read_gold(path, problems)
    report = score(golds, predict(golds, recogniser, nlp))
    return {"benchmark": "gold", "path": str(path), "recogniser": recogniser, **report,
            "skipped": [str(p) for p in problems]}


def format_report(report: dict) -> str:
    """The report as a plain-text table."""
    skipped = f", {len(report['skipped'])} line(s) skipped" if report.get("skipped") else ""
    lines = [f"gold {report['path']} ({report['papers']} papers{skipped}, {report['recogniser']} recogniser)",
             f"{'entities':<16}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}{'pred':>8}"]
    rows = [(t, report["types"][t]) for t in CORE_TYPES]
    rows += [("micro", report["micro"]), ("type-agnostic", report["agnostic"]),
             (CONCEPT, report["types"][CONCEPT]), ("proposals", report["proposals"])]
    for name, s in rows:
        lines.append(f"{name:<16}{s['p']:>8.1f}{s['r']:>8.1f}{s['f1']:>8.1f}{s['gold']:>8}{s['pred']:>8}")
    lines.append(f"{'relations':<16}{'recall':>8}{'found':>8}{'gold':>8}  (the annotation is incomplete: no precision)")
    for kind, s in report.get("relations", {}).items():
        lines.append(f"{kind:<16}{s['recall']:>8.1f}{s['found']:>8}{s['gold']:>8}")
    return "\n".join(lines)
