"""Fetch papers from arXiv, OpenAlex or Semantic Scholar into a file a reader takes.

``kg build`` never touches the network; this is the one part of ``kg`` that does, and only when
asked (``kg fetch``). :func:`fetch` pages through a service's results
(:mod:`kg.fetch.arxiv`, :mod:`kg.fetch.openalex`, :mod:`kg.fetch.s2`) with a polite
:class:`~kg.fetch.client.Client` (rate limit, contact in the User-Agent, retries honouring
``Retry-After``, on-disk cache) and a progress bar.

Resuming: records go to ``FILE.part`` page by page, and after each page ``FILE.fetch.json``
notes how far the fetch got. If the fetch stops (an error that outlasts the retries, Ctrl-C,
a crash), the same command goes on from there; ``restart=True`` starts over. When it ends,
the records become ``FILE`` (JSON Lines, or one Atom feed for arXiv) and both notes go.
"""

from __future__ import annotations

import importlib
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import FetchError, UnknownFormatError
from kg.fetch.client import Client
from kg.fileio import write_atomic

SERVICES = {"arxiv": "kg.fetch.arxiv", "openalex": "kg.fetch.openalex", "s2": "kg.fetch.s2"}
"""Service name -> module with ``start``, ``page`` (and ``finish`` when not JSON Lines)."""


@dataclass(frozen=True)
class FetchResult:
    """What a fetch wrote: the file, how many records, the service's total, whether it resumed,
    how many requests went out, and notes (works that could not be asked for)."""

    path: Path
    records: int
    total: int | None
    resumed: bool
    requests: int
    notes: tuple[str, ...] = ()


def service(name: str):
    """The module of the service called ``name``; the error lists the valid names."""
    if name not in SERVICES:
        raise UnknownFormatError(f"No service named {name!r}. Available: {', '.join(sorted(SERVICES))}")
    return importlib.import_module(SERVICES[name])


def user_agent(mailto: str | None) -> str:
    """``kg/<version>`` with the contact address, as the services ask of scripts."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("kg-papers")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        release = "0"
    return f"kg/{release} (https://w3id.org/kg-papers{'; mailto:' + mailto if mailto else ''})"


def fetch(
    name: str,
    query: str | None,
    output: str | os.PathLike,
    *,
    max_results: int = 100,
    mailto: str | None = None,
    references_of: Iterable[str | os.PathLike] = (),
    bulk: bool = False,
    api_key: str | None = None,
    base_url: str | None = None,
    cache_dir: str | os.PathLike | None = None,
    restart: bool = False,
    delay: float | None = None,
    retries: int = 5,
    page_size: int | None = None,
    progress: bool = False,
    deadline: float | None = 3600.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> FetchResult:
    """Fetch up to ``max_results`` records of ``query`` from service ``name`` into ``output``.

    ``references_of`` (OpenAlex only) fetches the works those files cite instead of a query.
    ``cache_dir=None`` turns the cache off; :func:`~kg.fetch.client.default_cache_dir` is the
    CLI's default. ``delay`` overrides the service's seconds between requests, ``page_size``
    its records per request. ``deadline`` bounds the whole fetch in seconds (what was fetched
    by then stays in ``FILE.part``, and the same call resumes it).
    """
    module = service(name)
    references_of = [str(p) for p in references_of]
    options = _options(module, query, references_of, bulk, mailto)
    output = Path(output)
    job = {"service": name, "query": query, "bulk": bulk, "references_of": references_of,
           "digest": (options.get("references") or {}).get("digest"), "base_url": base_url}
    notes = _notes(options)
    headers = {"x-api-key": api_key} if api_key else {}
    client_kwargs = dict(user_agent=user_agent(mailto), interval=module.INTERVAL if delay is None else delay,
                         retries=retries, cache_dir=cache_dir, headers=headers, deadline=deadline, sleep=sleep,
                         clock=clock)

    with Client(**client_kwargs) as client:
        run = _Run(output, job, restart)
        _pages(run, module, client, base_url or module.BASE_URL, query, options,
               max_results, page_size or module.PAGE_SIZE, progress)
        _finish(run, module, query)
        return FetchResult(output, run.count, run.total, run.resumed, client.requests, notes)


def _options(module, query, references_of, bulk, mailto) -> dict:
    if references_of and module.NAME != "openalex":
        raise FetchError("references_of works with openalex only")
    if bulk and module.NAME != "s2":
        raise FetchError("bulk search is Semantic Scholar's (s2) only")
    if not references_of and not (query or "").strip():
        raise FetchError("give a query (or, for openalex, references_of)")
    options = {"bulk": bulk, "mailto": mailto}
    if references_of:
        options["references"] = module.references(references_of)
    return options


def _notes(options: dict) -> tuple[str, ...]:
    wanted = options.get("references")
    if wanted and wanted["unknown"]:
        return (f"{wanted['unknown']} cited work(s) have no OpenAlex id, DOI or arXiv id; not fetched",)
    return ()


class _Run:
    """The files of one fetch: ``FILE.part`` (records so far) and ``FILE.fetch.json`` (how far)."""

    def __init__(self, output: Path, job: dict, restart: bool):
        self.output, self.job = output, job
        self.part = output.with_name(output.name + ".part")
        self.state_path = output.with_name(output.name + ".fetch.json")
        self.count, self.total, self.next, self.resumed = 0, None, None, False
        saved = self._saved(restart)
        if saved:
            with open(self.part, "r+b") as part:
                part.truncate(saved["bytes"])
            self.count, self.total, self.next, self.resumed = saved["count"], saved["total"], saved["next"], True
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            self.part.write_bytes(b"")

    def _saved(self, restart: bool) -> dict | None:
        if restart or not self.state_path.is_file():
            return None
        try:
            saved = json.loads(self.state_path.read_text(encoding="utf-8"))
        except ValueError:
            saved = {}
        if saved.get("job") != self.job or not self.part.is_file():
            raise FetchError(f"{self.state_path} belongs to an unfinished fetch of something else "
                             f"({saved.get('job')}); give --restart to start this one over")
        return saved

    def add(self, records: list[str], next_state: dict | None, total: int | None) -> None:
        """Append a page's records, then note the new position (so a stop loses nothing)."""
        with open(self.part, "a", encoding="utf-8", newline="\n") as part:
            part.writelines(record + "\n" for record in records)
            part.flush()
            os.fsync(part.fileno())
        self.count += len(records)
        self.total = total if total is not None else self.total
        self.next = next_state
        state = {"job": self.job, "count": self.count, "total": self.total, "next": next_state,
                 "bytes": self.part.stat().st_size}

        write_atomic(self.state_path, json.dumps(state, indent=1) + "\n")


def _pages(run: _Run, module, client, base_url, query, options, max_results, page_size, progress) -> None:
    from tqdm import tqdm

    state = run.next if run.resumed else module.start(query, options)
    bar = tqdm(total=max_results, initial=run.count, unit="paper", desc=f"fetching {module.NAME}",
               disable=not progress, leave=False)
    with bar:
        while state is not None and run.count < max_results:
            page = module.page(client, base_url, query, state, min(page_size, max_results - run.count), options)
            records = page.records[: max_results - run.count]
            state = page.next if page.next != state else None  # a page that does not move on ends the fetch
            run.add(records, state, page.total)
            if page.total is not None:
                bar.total = min(max_results, page.total)
            bar.update(len(records))


def _finish(run: _Run, module, query) -> None:
    """Turn ``FILE.part`` into ``FILE`` (an Atom feed for arXiv) and drop the notes."""
    if hasattr(module, "finish"):
        tmp = run.output.with_name(run.output.name + ".tmp")
        with open(run.part, encoding="utf-8") as records, open(tmp, "w", encoding="utf-8", newline="\n") as out:
            module.finish(records, out, query, run.total)
        os.replace(tmp, run.output)
        run.part.unlink()
    else:
        os.replace(run.part, run.output)
    run.state_path.unlink(missing_ok=True)
