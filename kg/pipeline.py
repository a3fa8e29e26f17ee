"""The whole path: read -> extract -> canonicalise -> build graph, as one function."""

from __future__ import annotations

import os
import time
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

from kg.corpus.read import Corpus, read_corpus
from kg.errors import NoInputError
from kg.extract import extract
from kg.extract.decide import decide as decide_names
from kg.extract.decide import load_model
from kg.extract.gazetteer import default_gazetteer
from kg.extract.nlp import load_pipeline, one_blas_thread
from kg.graph.build import build_graph
from kg.graph.builds_on import add_builds_on
from kg.graph.canonical import Canon, canonicalise
from kg.knowledge_graph import KnowledgeGraph
from kg.records import ExtractedPaper, Paper


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
) -> KnowledgeGraph:
    """Build the knowledge graph of the papers in ``inputs`` (files or folders).

    With no inputs it builds the bundled example corpus. ``title`` names the graph (its
    ``name``, the title of its page); by default :func:`corpus_title` of the inputs. Bad records and files are skipped
    and listed in ``.problems``; :class:`~kg.errors.NoInputError` only when nothing at all
    could be read. ``nlp`` defaults to the English spaCy pipeline with the ``recogniser`` given:
    ``"cnn"`` (shipped) or ``"transformer"`` (the optional extra ``kg[transformer]``).

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
    extracted, canon = extract_papers(list(corpus.papers.items()), nlp, progress, recogniser)
    return corpus, extracted, canon


def extract_papers(
    papers: list[tuple[str, Paper]], nlp=None, progress: bool = False, recogniser: str = "cnn", decide: bool = True
) -> tuple[list[ExtractedPaper], Canon]:
    """Extract ``(key, Paper)`` pairs and canonicalise their entities as one corpus; ``decide``:
    keep only the names the trained decider keeps (:mod:`kg.extract.decide`), retyped."""
    if nlp is None:
        nlp = load_pipeline(recogniser=recogniser)
    gazetteer = default_gazetteer()
    with one_blas_thread():
        extracted = list(extract(_with_progress(papers, progress), nlp=nlp, gazetteer=gazetteer))
    if decide:
        model = load_model()
        extracted = [decide_names(item, model) for item in extracted]
    return extracted, canonicalise(extracted, gazetteer)


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


def _with_progress(items, enabled: bool):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc="extracting", unit="paper", leave=False)
