"""Enrich papers from the web services: ids, date, authors, venue and references for each paper.

:func:`enrich` reads the inputs as ``kg build`` would, looks each paper up in OpenAlex, then
(where OpenAlex has nothing) arXiv and Semantic Scholar (:mod:`kg.fetch.lookup`), takes a work
only by the rules of :mod:`kg.fetch.match`, and writes every paper, in corpus order, to a JSON
Lines file that is an ordinary input (:mod:`kg.readers.jsonl`): building from it needs no network
and gives the same graph every time.

Each line holds the paper as read, completed by the work taken, by the rules that merge two
records of one paper (:func:`~kg.corpus.merge.combine`): the input's title and values win, the
work fills what the input lacks (ids, date, venue), and the longer list of authors is kept.
``id`` is the paper's key in the inputs and ``references`` are the papers it cites: the input's citations (by key) and the work's references (by
identifier), so a reference between two papers of the file becomes a citation when it is built.
``read_from`` names the records it was read from; ``enrichment`` says which service gave what,
how it was found and how alike the titles were, or that no work or several were found.

It uses the fetch machinery: a polite :class:`~kg.fetch.client.Client` per service (its rate,
retries, ``Retry-After``, the page cache, so a second run asks nothing), a progress bar, and
resuming: each paper goes to ``FILE.part`` as it is looked up, so an interrupted run goes on
from the next paper.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from kg.corpus.identity import identifiers, typed_id
from kg.corpus.merge import combine
from kg.corpus.read import Corpus, read_corpus
from kg.errors import NoInputError, UnknownFormatError
from kg.fetch import _Run, user_agent
from kg.fetch.client import Client
from kg.fetch.lookup import LOOK_UPS, look_up
from kg.fetch.match import AMBIGUOUS, MATCHED, Match
from kg.records import Paper, Problem

SERVICES = ("openalex", "arxiv", "s2")
"""The services asked, in order; a later one only when the earlier ones found nothing."""

WORK_URLS = {"openalex": "https://openalex.org/{openalex_id}", "arxiv": "https://arxiv.org/abs/{arxiv_id}",
             "s2": "https://www.semanticscholar.org/paper/{s2_id}"}


@dataclass(frozen=True)
class EnrichResult:
    """What an enrichment wrote: the file, how many papers, matched per service, ambiguous and
    unmatched counts, whether it resumed, requests sent, and problems (the inputs' and one
    warning per ambiguous or unmatched paper, naming its file and line) and notes."""

    path: Path
    papers: int
    matched: dict[str, int]
    ambiguous: int
    unmatched: int
    resumed: bool
    requests: int
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()


def enrich(
    inputs: Iterable[str | os.PathLike],
    output: str | os.PathLike,
    *,
    services: Iterable[str] = SERVICES,
    format: str | None = None,
    mailto: str | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    cache_dir: str | os.PathLike | None = None,
    restart: bool = False,
    delay: float | None = None,
    retries: int = 5,
    progress: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> EnrichResult:
    """Look every paper of ``inputs`` up and write them, enriched, to ``output`` (JSON Lines).

    ``services`` are asked in order; ``base_url`` replaces every service's root URL (a mirror or
    a local test server); ``cache_dir=None`` turns the cache off; ``delay`` overrides each
    service's seconds between requests. The other options are those of :func:`kg.fetch.fetch`.
    Raises :class:`~kg.errors.NoInputError` when the inputs hold no paper.
    """
    services = _services(services)
    inputs = [str(p) for p in inputs]
    corpus = read_corpus(inputs, format)
    if not corpus.papers:
        reasons = "; ".join(str(p) for p in corpus.problems[:5]) or "no input"
        raise NoInputError(f"nothing could be read from the inputs: {reasons}")
    papers = list(corpus.papers.items())
    job = {"service": "enrich", "inputs": inputs, "services": services, "digest": _digest(papers),
           "base_url": base_url}
    output = Path(output)
    run = _Run(output, job, restart)
    with ExitStack() as stack:
        clients = {name: stack.enter_context(_client(name, mailto, api_key, cache_dir, delay, retries, sleep))
                   for name in services}
        base_urls = {name: base_url or LOOK_UPS[name][1].BASE_URL for name in services}
        polite = {"mailto": mailto} if mailto else {}
        _look_up_all(run, papers, corpus, clients, base_urls, polite, progress)
        requests = sum(client.requests for client in clients.values())
    lines = [json.loads(line) for line in run.part.read_text(encoding="utf-8").splitlines()]
    os.replace(run.part, output)
    run.state_path.unlink(missing_ok=True)
    return _result(output, lines, run.resumed, requests, corpus)


def enriched_record(key: str, paper: Paper, match: Match, corpus: Corpus) -> dict:
    """The JSON object written for one paper (see the module): ``None`` and empty values left out."""
    merged = combine([paper, match.work]) if match.work else paper
    references = [ref for ref in corpus.citations.get(key, ()) if ref in corpus.papers or typed_id(ref)]
    references += [ids[0] for ids in map(identifiers, match.work.cited_works if match.work else ()) if ids]
    record = {
        "id": key, "title": merged.title, "abstract": merged.abstract, "authors": list(merged.authors),
        "author_count": None if merged.authors else merged.author_count, "organization": merged.organization,
        "date": merged.date, "year": None if merged.date else merged.year, "listed": merged.listed,
        "url": merged.url, "venue": merged.venue, "doi": merged.doi, "arxiv_id": merged.arxiv_id,
        "openalex_id": merged.openalex_id, "s2_id": merged.s2_id, "mag_id": merged.mag_id, "pmid": merged.pmid,
        "code_urls": list(merged.code_urls), "references": list(dict.fromkeys(references)),
        "read_from": [str(s) for s in paper.sources], "enrichment": _provenance(match),
    }
    return {name: value for name, value in record.items() if value not in (None, "", [])}


def _services(services: Iterable[str]) -> list[str]:
    services = list(dict.fromkeys(services))
    unknown = [name for name in services if name not in LOOK_UPS]
    if unknown or not services:
        raise UnknownFormatError(f"No service named {', '.join(unknown) or '(none)'!r}. "
                                 f"Available: {', '.join(SERVICES)}")
    return services


def _client(name: str, mailto, api_key, cache_dir, delay, retries, sleep) -> Client:
    module = LOOK_UPS[name][1]
    headers = {"x-api-key": api_key} if api_key and name == "s2" else {}
    return Client(user_agent=user_agent(mailto), interval=module.INTERVAL if delay is None else delay,
                  retries=retries, cache_dir=cache_dir, headers=headers, sleep=sleep)


def _digest(papers: list[tuple[str, Paper]]) -> str:
    """What identifies the papers of a run (so a resumed run is of the same papers)."""
    text = "\n".join(f"{key}\t{paper.title}" for key, paper in papers)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _look_up_all(run: _Run, papers, corpus: Corpus, clients, base_urls, polite, progress: bool) -> None:
    from tqdm import tqdm

    start = run.count  # one line per paper looked up
    with tqdm(total=len(papers), initial=start, unit="paper", desc="enriching", disable=not progress,
              leave=False) as bar:
        for index in range(start, len(papers)):
            key, paper = papers[index]
            match = look_up(clients, base_urls, paper, polite)
            line = json.dumps(enriched_record(key, paper, match, corpus), ensure_ascii=False)
            run.add([line], {"index": index + 1} if index + 1 < len(papers) else None, len(papers))
            bar.update(1)


def _provenance(match: Match) -> dict:
    if match.status == MATCHED:
        return {"status": MATCHED, "service": match.service, "work": _work_url(match.service, match.work),
                "by": match.by, "title_similarity": match.similarity}
    if match.status == AMBIGUOUS:
        return {"status": AMBIGUOUS, "service": match.service,
                "candidates": [_work_url(match.service, work) for work in match.others]}
    return {"status": "unmatched", "asked": match.service.split(", ")}


def _work_url(service: str, work: Paper) -> str:
    return WORK_URLS[service].format(openalex_id=work.openalex_id, arxiv_id=work.arxiv_id, s2_id=work.s2_id)


def _result(output: Path, lines: list[dict], resumed: bool, requests: int, corpus: Corpus) -> EnrichResult:
    found = [record.get("enrichment", {}) for record in lines]
    matched: dict[str, int] = {}
    for status in found:
        if status.get("status") == MATCHED:
            matched[status["service"]] = matched.get(status["service"], 0) + 1
    reports = [_report(record, status) for record, status in zip(lines, found) if status.get("status") != MATCHED]
    ambiguous = sum(status.get("status") == AMBIGUOUS for status in found)
    return EnrichResult(output, len(lines), matched, ambiguous, len(reports) - ambiguous, resumed, requests,
                        (*corpus.problems, *reports), _notes(corpus))


def _report(record: dict, found: dict) -> Problem:
    """The warning for a paper left as read: where it was read, and why."""
    path, _, line = (record.get("read_from") or [""])[0].rpartition(":")
    title = record["title"]
    if found.get("status") == AMBIGUOUS:
        reason = (f"{len(found['candidates'])} works in {found['service']} fit {title!r} equally "
                  f"({', '.join(found['candidates'])}); none taken, written as read")
    else:
        reason = f"no work in {', '.join(found.get('asked', ()))} is {title!r}; written as read"
    return Problem(path, int(line) if line.isdigit() else None, reason, skipped=False)


def _notes(corpus: Corpus) -> tuple[str, ...]:
    """What the enriched file cannot say: citations of works known only by a title."""
    untyped = sum(1 for targets in corpus.citations.values() for ref in targets
                  if ref not in corpus.papers and not typed_id(ref))
    if not untyped:
        return ()
    return (f"{untyped} citation(s) of works known only by their title (no identifier) are not written",)
