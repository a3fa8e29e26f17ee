"""The whole path: read -> extract -> canonicalise -> build graph, as one function."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from kg.corpus.read import Corpus, read_corpus
from kg.errors import NoInputError
from kg.extract import Extractor, extract
from kg.extract.decide import decide as decide_names
from kg.extract.decide import load_model
from kg.extract.gazetteer import default_gazetteer
from kg.extract.guard import MAX_ENTITIES, cap_entities, clip_text
from kg.extract.nlp import load_pipeline, one_blas_thread
from kg.graph.build import MAX_CO_OCCURRING, build_graph, co_occurring
from kg.graph.builds_on import add_builds_on
from kg.graph.canonical import Canon, canonicalise
from kg.knowledge_graph import KnowledgeGraph
from kg.records import ExtractedPaper, Paper, Problem


def example_corpus() -> str:
    """The path of the bundled example corpus (25 well-known ML papers).

    Examples
    --------
    >>> import kg
    >>> kg.example_corpus().endswith("papers.jsonl")
    True
    """
    return str(resources.files("kg") / "data" / "example" / "papers.jsonl")


def corpus_title(inputs: Iterable[str | os.PathLike] | str | None = None) -> str:
    """A name for the corpus read from ``inputs``: a file's name without its extension, a
    folder's name, the folder that holds all the files, or "Example corpus".

    Examples
    --------
    >>> corpus_title(["corpus/hf-daily-papers/a.txt", "corpus/hf-daily-papers/b.txt"])
    'hf-daily-papers'
    >>> corpus_title("papers.bib"), corpus_title(None)
    ('papers', 'Example corpus')
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    paths = [Path(os.path.abspath(path)) for path in inputs or []]
    if not paths:
        return "Example corpus"
    if len(paths) == 1:
        return paths[0].stem if paths[0].suffix else paths[0].name
    common = Path(os.path.commonpath(paths))
    return common.name or f"{paths[0].stem} and {len(paths) - 1} more"


def build(
    inputs: Iterable[str | os.PathLike] | str | None = None,
    format: str | None = None,
    nlp=None,
    progress: bool = False,
    stubs: bool = True,
    recogniser: str = "cnn",
    title: str | None = None,
    min_confidence: float = 0.0,
) -> KnowledgeGraph:
    """Build the knowledge graph of the papers in ``inputs`` (files or folders).

    With no inputs it builds the bundled example corpus. ``title`` names the graph (its
    ``name``, the title of its page); by default :func:`corpus_title` of the inputs. Bad records and files are skipped
    and listed in ``.problems``; :class:`~kg.errors.NoInputError` only when nothing at all
    could be read. ``nlp`` defaults to the English spaCy pipeline with the ``recogniser`` given:
    ``"cnn"`` (shipped) or ``"transformer"`` (the optional extra ``kg[transformer]``).
    ``min_confidence`` leaves out the stated relations (used_for, evaluated_on, measures,
    compares, narrower) whose confidence is lower.

    Examples
    --------
    >>> import kg
    >>> g = kg.build()
    >>> len(g.papers), g.graph.number_of_nodes() > 100
    (25, True)
    >>> g.find("LoRA")["label"]
    'Low-Rank Adaptation'
    """
    started = time.perf_counter()
    corpus, extracted, canon = extract_corpus(inputs, format, nlp=nlp, progress=progress, stubs=stubs,
                                              recogniser=recogniser)
    if min_confidence > 0:
        extracted = [replace(item, relations=tuple(r for r in item.relations if r.confidence >= min_confidence))
                     for item in extracted]
    graph = build_graph(extracted, canon, corpus.citations)
    graph.graph["name"] = title or corpus_title(inputs)
    add_builds_on(graph)
    stats = {"files": len(corpus.files), "records": corpus.records, "papers": len(corpus.papers),
             "duplicates": corpus.duplicates, "seconds": round(time.perf_counter() - started, 2)}
    return KnowledgeGraph(graph, problems=corpus.problems, merges=canon.merges, stats=stats)


def extract_corpus(
    inputs: Iterable[str | os.PathLike] | str | None = None,
    format: str | None = None,
    nlp=None,
    progress: bool = False,
    stubs: bool = True,
    recogniser: str = "cnn",
) -> tuple[Corpus, list[ExtractedPaper], Canon]:
    """Read ``inputs`` (none: the example corpus), extract every paper and canonicalise the
    entities across the corpus: the stages ``build`` runs before the graph is assembled.

    Raises :class:`~kg.errors.NoInputError` when nothing at all could be read.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    corpus = read_corpus(list(inputs or [example_corpus()]), format, stubs=stubs)
    if not corpus.papers:
        reasons = "; ".join(str(p) for p in corpus.problems[:5]) or "no input"
        raise NoInputError(f"nothing could be read from the inputs: {reasons}")
    extracted, canon = extract_papers(list(corpus.papers.items()), nlp, progress, recogniser,
                                      problems=corpus.problems)
    return corpus, extracted, canon


def extract_papers(
    papers: list[tuple[str, Paper]], nlp=None, progress: bool = False, recogniser: str = "cnn", decide: bool = True,
    problems: list[Problem] | None = None,
) -> tuple[list[ExtractedPaper], Canon]:
    """Extract ``(key, Paper)`` pairs and canonicalise their entities as one corpus; ``decide``:
    keep only the names the trained decider keeps (:mod:`kg.extract.decide`), retyped.

    No paper ends the run: a paper whose extraction fails is kept without entities, an over-long
    text is read in part (:mod:`kg.extract.guard`) and a paper with too many names keeps the
    first ones, each with a warning (naming the paper's file and line) added to ``problems``.
    """
    problems = problems if problems is not None else []
    if nlp is None:
        nlp = load_pipeline(recogniser=recogniser)
    gazetteer = default_gazetteer()
    model = load_model() if decide else None
    with one_blas_thread():
        extracted = [_bounded(item, model, problems)
                     for item in _with_progress(extract_each(papers, nlp, gazetteer, problems), progress, len(papers))]
    canon = canonicalise(extracted, gazetteer)
    for item in extracted:
        _, left_out = co_occurring(item, canon)
        if left_out:
            problems.append(_problem(item.paper, f"co_occurs edges limited to its {MAX_CO_OCCURRING} most mentioned "
                                                 f"entities; {left_out} more left out"))
    return extracted, canon


def extract_each(papers: list[tuple[str, Paper]], nlp, gazetteer, problems: list[Problem],
                 batch_size: int = 64) -> Iterator[ExtractedPaper]:
    """:func:`kg.extract.extract` of every paper, in order, each paper's failure isolated: when a
    batch fails, its papers are extracted one at a time and a paper that still fails is yielded
    without entities, with a warning. Over-long texts are read in part (:func:`clip_text`)."""
    clipped = []
    for key, paper in papers:
        short, cut = clip_text(paper)
        for field in cut:
            problems.append(_problem(paper, f"{field} of {len(getattr(paper, field)):,} characters; entities "
                                            f"read from its first {len(getattr(short, field)):,} only"))
        clipped.append((key, short))
    full, done, one = dict(papers), 0, None
    while done < len(clipped):
        try:
            for item in extract(clipped[done:], nlp=nlp, gazetteer=gazetteer, batch_size=batch_size):
                while clipped[done][0] != item.key:  # a paper without text yields nothing
                    yield ExtractedPaper(clipped[done][0], full[clipped[done][0]])
                    done += 1
                yield replace(item, paper=full[item.key])
                done += 1
        except Exception:  # noqa: BLE001 - any failure is one batch's; find the paper
            one = one or Extractor(nlp, gazetteer)
            for key, paper in clipped[done:done + batch_size]:
                yield _extract_one(key, paper, full[key], nlp, one, problems)
                done += 1
        else:
            for key, _ in clipped[done:]:
                yield ExtractedPaper(key, full[key])
            done = len(clipped)


def _extract_one(key: str, paper: Paper, full: Paper, nlp, extractor: Extractor,
                 problems: list[Problem]) -> ExtractedPaper:
    """One paper through ``nlp`` and ``extractor``; on failure, the paper without entities and a warning."""
    try:
        docs = [(field, nlp(text)) for field, text in (("title", paper.title), ("abstract", paper.abstract)) if text]
        return replace(extractor(key, paper, docs), paper=full)
    except Exception as error:  # noqa: BLE001 - reported, and the paper is kept
        problems.append(_problem(full, f"entity extraction failed ({_one_line(error)}); paper kept without entities"))
        return ExtractedPaper(key, full)


def _bounded(item: ExtractedPaper, model, problems: list[Problem]) -> ExtractedPaper:
    """The paper decided (when ``model``) and capped to :data:`MAX_ENTITIES` names."""
    if model is not None:
        try:
            item = decide_names(item, model)
        except Exception as error:  # noqa: BLE001 - reported, and the paper is kept
            problems.append(_problem(item.paper, f"entity decision failed ({_one_line(error)}); "
                                                 "paper kept without entities"))
            return ExtractedPaper(item.key, item.paper)
    item, dropped = cap_entities(item)
    if dropped:
        problems.append(_problem(item.paper, f"{MAX_ENTITIES + dropped:,} distinct names; kept the first "
                                             f"{MAX_ENTITIES}, {dropped:,} left out"))
    return item


def _problem(paper: Paper, reason: str) -> Problem:
    """A warning about a paper, at the file and line of its first record."""
    source = paper.sources[0] if paper.sources else None
    where = source.path if source else f"paper {paper.title[:60]!r}"
    return Problem(where, source.line if source else None, reason, skipped=False)


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__


@lru_cache(maxsize=1)
def example_graph() -> KnowledgeGraph:
    """The graph of the bundled example corpus, built once per process and shared.

    Handy for trying the API (and used by its doctests). Treat it as read-only:
    ``kg.example_graph().to_networkx()`` gives a copy to change.

    Examples
    --------
    >>> import kg
    >>> kg.example_graph() is kg.example_graph(), len(kg.example_graph().papers)
    (True, 25)
    """
    return build()


def _with_progress(items, enabled: bool, total: int | None = None):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="extracting", unit="paper", leave=False, total=total)
