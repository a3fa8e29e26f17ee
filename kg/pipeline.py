"""The whole path: read -> extract -> canonicalise -> build graph, as one function."""

from __future__ import annotations

import os
import time
from contextlib import closing
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from kg.batch.cache import Extraction, ExtractionCache, extractor_version, paper_key
from kg.batch.pool import map_chunks
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
    jobs: int = 1,
    cache: str | os.PathLike | None = None,
) -> KnowledgeGraph:
    """Build the knowledge graph of the papers in ``inputs`` (files or folders).

    With no inputs it builds the bundled example corpus. ``title`` names the graph (its
    ``name``, the title of its page); by default :func:`corpus_title` of the inputs. Bad records and files are skipped
    and listed in ``.problems``; :class:`~kg.errors.NoInputError` only when nothing at all
    could be read. ``nlp`` defaults to the English spaCy pipeline with the ``recogniser`` given:
    ``"cnn"`` (shipped) or ``"transformer"`` (the optional extra ``kg[transformer]``).
    ``min_confidence`` leaves out the stated relations (used_for, evaluated_on, measures,
    compares, narrower) whose confidence is lower. ``jobs`` is the number of processes that
    extract (the exports are the same bytes whatever it is); ``cache`` a folder of per-paper
    extraction results, so that a rebuild extracts only new or changed papers
    (:func:`extract_papers`). ``.stats`` counts the papers ``extracted`` and read from the ``cached`` results.

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
    counts: dict = {}
    corpus, extracted, canon = extract_corpus(inputs, format, nlp=nlp, progress=progress, stubs=stubs,
                                              recogniser=recogniser, jobs=jobs, cache=cache, stats=counts)
    if min_confidence > 0:
        extracted = [replace(item, relations=tuple(r for r in item.relations if r.confidence >= min_confidence))
                     for item in extracted]
    graph = build_graph(extracted, canon, corpus.citations)
    graph.graph["name"] = title or corpus_title(inputs)
    add_builds_on(graph)
    stats = {"files": len(corpus.files), "records": corpus.records, "papers": len(corpus.papers),
             "duplicates": corpus.duplicates, **counts, "seconds": round(time.perf_counter() - started, 2)}
    return KnowledgeGraph(graph, problems=corpus.problems, merges=canon.merges, stats=stats)


def extract_corpus(
    inputs: Iterable[str | os.PathLike] | str | None = None,
    format: str | None = None,
    nlp=None,
    progress: bool = False,
    stubs: bool = True,
    recogniser: str = "cnn",
    jobs: int = 1,
    cache: str | os.PathLike | None = None,
    stats: dict | None = None,
) -> tuple[Corpus, list[ExtractedPaper], Canon]:
    """Read ``inputs`` (none: the example corpus), extract every paper and canonicalise the
    entities across the corpus: the stages ``build`` runs before the graph is assembled.
    ``jobs``, ``cache`` and ``stats`` are :func:`extract_papers`'s.

    Raises :class:`~kg.errors.NoInputError` when nothing at all could be read.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    corpus = read_corpus(list(inputs or [example_corpus()]), format, stubs=stubs)
    if not corpus.papers:
        reasons = "; ".join(str(p) for p in corpus.problems[:5]) or "no input"
        raise NoInputError(f"nothing could be read from the inputs: {reasons}")
    extracted, canon = extract_papers(list(corpus.papers.items()), nlp, progress, recogniser,
                                      problems=corpus.problems, jobs=jobs, cache=cache, stats=stats)
    return corpus, extracted, canon


CHUNK = 64
"""Papers per unit of extraction work (one worker's task, one ``nlp.pipe`` batch), the same whatever ``jobs`` is."""


def extract_papers(
    papers: list[tuple[str, Paper]], nlp=None, progress: bool = False, recogniser: str = "cnn", decide: bool = True,
    problems: list[Problem] | None = None, jobs: int = 1, cache: str | os.PathLike | None = None,
    stats: dict | None = None, chunk_size: int | None = None,
) -> tuple[list[ExtractedPaper], Canon]:
    """Extract ``(key, Paper)`` pairs and canonicalise their entities as one corpus; ``decide``:
    keep only the names the trained decider keeps (:mod:`kg.extract.decide`), retyped.

    No paper ends the run: a paper whose extraction fails is kept without entities, an over-long
    text is read in part (:mod:`kg.extract.guard`) and a paper with too many names keeps the
    first ones, each with a warning (naming the paper's file and line) added to ``problems``.
    ``jobs`` > 1 extracts chunks of ``chunk_size`` (default :data:`CHUNK`) papers in that many worker processes (each
    loads the pipeline once; ``nlp``, when given, is sent to them), with the same result as one.
    ``cache`` is a folder of per-paper results (:mod:`kg.batch.cache`): papers whose text and
    extractor are unchanged are read from it, the others extracted and stored; it is not used
    with a caller's own ``nlp``. ``stats`` (a dict), when given, gets the counts ``extracted``
    and ``cached``.
    """
    problems = problems if problems is not None else []
    counts = stats if stats is not None else {}
    found = extractions(papers, nlp, recogniser, decide, jobs, cache if nlp is None else None, counts,
                        chunk_size or CHUNK)
    extracted = []
    with closing(found):
        for (key, paper), item in zip(papers, _with_progress(found, progress, len(papers))):
            extracted.append(ExtractedPaper(key, paper, item.mentions, item.aliases, item.relations))
            problems.extend(_problem(paper, reason) for reason in item.warnings)
    canon = canonicalise(extracted, default_gazetteer())
    for item in extracted:
        _, left_out = co_occurring(item, canon)
        if left_out:
            problems.append(_problem(item.paper, f"co_occurs edges limited to its {MAX_CO_OCCURRING} most mentioned "
                                                 f"entities; {left_out} more left out"))
    return extracted, canon


def extractions(papers: list[tuple[str, Paper]], nlp=None, recogniser: str = "cnn", decide: bool = True,
                jobs: int = 1, cache: str | os.PathLike | None = None, stats: dict | None = None,
                chunk_size: int = CHUNK) -> Iterator[Extraction]:
    """The :class:`~kg.batch.cache.Extraction` of every paper, in order: read from ``cache`` when
    it holds the paper, else extracted (in ``jobs`` processes) and stored there."""
    stats = stats if stats is not None else {}
    store = ExtractionCache(cache) if cache is not None else None
    version = extractor_version(recogniser, decide) if store is not None else ""
    keys = [paper_key(paper, version) for _, paper in papers] if store is not None else []
    hits = store.get(keys) if store is not None else {}
    missing = [(i, pair) for i, pair in enumerate(papers) if store is None or keys[i] not in hits]
    stats.update(extracted=len(missing), cached=len(papers) - len(missing))
    chunks = [missing[start:start + chunk_size] for start in range(0, len(missing), chunk_size)]
    results = _extract_chunks([[pair for _, pair in chunk] for chunk in chunks], nlp, recogniser, decide, jobs)
    done: list[Extraction] = []
    try:
        for i, (key, _) in enumerate(papers):
            if store is not None and keys[i] in hits:
                yield hits[keys[i]]
                continue
            if not done:
                chunk, done = chunks.pop(0), list(next(results))[::-1]
                if store is not None:
                    store.put([(keys[j], item) for (j, _), item in zip(chunk, reversed(done))])
            yield done.pop()
    finally:
        results.close()
        if store is not None:
            store.close()


def _extract_chunks(chunks: list[list[tuple[str, Paper]]], nlp, recogniser: str, decide: bool,
                    jobs: int) -> Iterator[list[Extraction]]:
    """:func:`extract_chunk` of every chunk, in order: here, or in ``jobs`` worker processes."""
    if jobs > 1 and len(chunks) > 1:
        yield from map_chunks(_worker_chunk, chunks, min(jobs, len(chunks)), initializer=_start_worker,
                              initargs=(nlp, recogniser, decide))
        return
    if not chunks:
        return
    tools = _tools(nlp, recogniser, decide)
    with one_blas_thread():
        for chunk in chunks:
            yield extract_chunk(chunk, tools)


def extract_chunk(chunk: list[tuple[str, Paper]], tools) -> list[Extraction]:
    """Extract, decide and cap the papers of one chunk with ``tools`` (nlp, gazetteer, decider or
    None): one :class:`~kg.batch.cache.Extraction` per paper, each paper's failure isolated."""
    nlp, gazetteer, model = tools
    found = []
    for item, warnings, complete in extract_noted(chunk, nlp, gazetteer, batch_size=max(1, len(chunk))):
        item, more, decided = _bounded(item, model)
        found.append(Extraction(item.mentions, item.aliases, item.relations, tuple(warnings + more),
                                complete and decided))
    return found


_WORKER: dict = {}
"""A worker process's tools, loaded once by :func:`_start_worker`."""


def _start_worker(nlp, recogniser: str, decide: bool) -> None:
    from threadpoolctl import threadpool_limits

    _WORKER["limits"] = threadpool_limits(limits=1, user_api="blas")
    _WORKER["tools"] = _tools(nlp, recogniser, decide)


def _worker_chunk(chunk: list[tuple[str, Paper]]) -> list[Extraction]:
    return extract_chunk(chunk, _WORKER["tools"])


def _tools(nlp, recogniser: str, decide: bool):
    return (nlp if nlp is not None else load_pipeline(recogniser=recogniser), default_gazetteer(),
            load_model() if decide else None)


def extract_each(papers: list[tuple[str, Paper]], nlp, gazetteer, problems: list[Problem],
                 batch_size: int = 64) -> Iterator[ExtractedPaper]:
    """:func:`kg.extract.extract` of every paper, in order, each paper's failure isolated: when a
    batch fails, its papers are extracted one at a time and a paper that still fails is yielded
    without entities, with a warning. Over-long texts are read in part (:func:`clip_text`)."""
    for item, warnings, _ in extract_noted(papers, nlp, gazetteer, batch_size):
        problems.extend(_problem(item.paper, reason) for reason in warnings)
        yield item


def extract_noted(papers: list[tuple[str, Paper]], nlp, gazetteer,
                  batch_size: int = 64) -> Iterator[tuple[ExtractedPaper, list[str], bool]]:
    """:func:`extract_each` yielding ``(item, warnings, complete)``: each paper with the reasons of
    its own warnings, and False when its extraction failed."""
    clipped, notes = [], {}
    for key, paper in papers:
        short, cut = clip_text(paper)
        notes[key] = [f"{field} of {len(getattr(paper, field)):,} characters; entities read from its first "
                      f"{len(getattr(short, field)):,} only" for field in cut]
        clipped.append((key, short))
    full, done, one = dict(papers), 0, None
    while done < len(clipped):
        try:
            for item in extract(clipped[done:], nlp=nlp, gazetteer=gazetteer, batch_size=batch_size):
                while clipped[done][0] != item.key:  # a paper without text yields nothing
                    yield ExtractedPaper(clipped[done][0], full[clipped[done][0]]), notes[clipped[done][0]], True
                    done += 1
                yield replace(item, paper=full[item.key]), notes[item.key], True
                done += 1
        except Exception:  # noqa: BLE001 - any failure is one batch's; find the paper
            one = one or Extractor(nlp, gazetteer)
            for key, paper in clipped[done:done + batch_size]:
                item, error = _extract_one(key, paper, full[key], nlp, one)
                yield item, notes[key] + ([error] if error else []), error is None
                done += 1
        else:
            for key, _ in clipped[done:]:
                yield ExtractedPaper(key, full[key]), notes[key], True
            done = len(clipped)


def _extract_one(key: str, paper: Paper, full: Paper, nlp, extractor: Extractor) -> tuple[ExtractedPaper, str | None]:
    """One paper through ``nlp`` and ``extractor``; on failure, the paper without entities and the warning."""
    try:
        docs = [(field, nlp(text)) for field, text in (("title", paper.title), ("abstract", paper.abstract)) if text]
        return replace(extractor(key, paper, docs), paper=full), None
    except Exception as error:  # noqa: BLE001 - reported, and the paper is kept
        return ExtractedPaper(key, full), f"entity extraction failed ({_one_line(error)}); paper kept without entities"


def _bounded(item: ExtractedPaper, model) -> tuple[ExtractedPaper, list[str], bool]:
    """The paper decided (when ``model``) and capped to :data:`MAX_ENTITIES` names, its warnings,
    and False when the decision failed."""
    if model is not None:
        try:
            item = decide_names(item, model)
        except Exception as error:  # noqa: BLE001 - reported, and the paper is kept
            return ExtractedPaper(item.key, item.paper), [f"entity decision failed ({_one_line(error)}); "
                                                          "paper kept without entities"], False
    item, dropped = cap_entities(item)
    if dropped:
        return item, [f"{MAX_ENTITIES + dropped:,} distinct names; kept the first {MAX_ENTITIES}, "
                      f"{dropped:,} left out"], True
    return item, [], True


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
