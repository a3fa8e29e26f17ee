"""Read the arXiv metadata snapshot: JSON Lines, one record per arXiv paper.

This is the file arXiv publishes in bulk (``arxiv-metadata-oai-snapshot.json``, JSON Lines
despite its suffix). From each record:

=================== ==============================================================================
``id``              the arXiv id (``0704.0001``, ``hep-th/9901001``), version dropped
``title``           line breaks and runs of spaces made one space
``abstract``        the same
``authors_parsed``  ``[last, first, suffix]`` lists, made ``first last suffix`` with LaTeX accents
                    decoded; when absent, ``authors`` (one text, ``,`` and ``and`` between names)
``versions``        the date of ``v1`` (``"Mon, 2 Apr 2007 19:18:42 GMT"``)
``doi``             the first DOI, when the field holds several
=================== ==============================================================================

``categories``, ``journal-ref``, ``comments`` and ``update_date`` are not kept (GitHub links in
``comments`` become ``code_urls``). The URL is the abstract page.

Examples
--------
>>> import io, json
>>> record = {"id": "0704.0001", "submitter": "Pavel Nadolsky", "title": "Calculation of\\n  prompt diphoton",
...           "authors": "C. Bal\\\\'azs, E. L. Berger",
...           "authors_parsed": [["Bal\\\\'azs", "C.", ""], ["Berger", "E. L.", ""]],
...           "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
...           "doi": "10.1103/PhysRevD.76.013009", "abstract": "  A fully differential calculation\\n"}
>>> paper, = read(io.StringIO(json.dumps(record)), "snapshot.json")
>>> paper.arxiv_id, paper.title, paper.authors, paper.date
('0704.0001', 'Calculation of prompt diphoton', ('C. Balázs', 'E. L. Berger'), '2007-04-02')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import TextIO

from kg.corpus.identity import normalise_arxiv, normalise_doi
from kg.readers import _json
from kg.readers._fields import clean, find_code_urls, json_kind, warning
from kg.readers._latex import latex_to_text
from kg.records import Paper, Problem, Source

NAME = "arxiv-snapshot"

_SNAPSHOT_KEYS = re.compile(r'"(?:submitter|authors_parsed|journal-ref|report-no|update_date)"\s*:')
_AUTHOR_SEPARATOR = re.compile(r",\s*(?:and\s+)?|\s+and\s+")


def sniff(head: str) -> bool:
    """Whether ``head`` is JSON Lines of arXiv snapshot records (keys such as ``submitter``)."""
    return head.lstrip("\ufeff \t\r\n").startswith("{") and bool(_SNAPSHOT_KEYS.search(head))


def read(stream: TextIO, path: str) -> Iterator[Paper | Problem]:
    """Yield a Paper for each snapshot record and a Problem for each line that is not one."""
    return _json.read_records(stream, path, NAME, _record)


def _record(record: object, source: Source) -> Iterator[Paper | Problem]:
    if not isinstance(record, dict):
        yield Problem(source.path, source.line, f"record is {json_kind(record)}, not an object")
        return
    written_id = record.get("id")
    arxiv_id = normalise_arxiv(written_id) if isinstance(written_id, str) else None
    title = clean(record.get("title"))
    if not arxiv_id or not title:
        missing = "title" if arxiv_id else f"arXiv id (id is {written_id!r})"
        yield Problem(source.path, source.line, f"record has no {missing}")
        return
    date = _first_version_date(record.get("versions"))
    if date == "":
        yield warning(source, "the date of v1 in 'versions' is not a date; no date kept")
    abstract = clean(record.get("abstract"))
    doi = record.get("doi") if isinstance(record.get("doi"), str) else ""
    yield Paper(
        title=title,
        abstract=abstract,
        authors=_authors(record),
        date=date or None,
        year=int(date[:4]) if date else None,
        url=f"https://arxiv.org/abs/{arxiv_id}",
        doi=normalise_doi((doi.split() or [""])[0]),
        arxiv_id=arxiv_id,
        code_urls=find_code_urls(f"{abstract} {clean(record.get('comments'))}"),
        sources=(source,),
    )


def _authors(record: dict) -> tuple[str, ...]:
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = (_name(parts) for parts in parsed if isinstance(parts, list))
    else:
        names = _AUTHOR_SEPARATOR.split(clean(record.get("authors")))
    return tuple(name for name in (latex_to_text(n) for n in names) if name)


def _name(parts: list) -> str:
    """``first last suffix`` from the snapshot's ``[last, first, suffix]``."""
    last, first, suffix = ([clean(p) for p in parts] + ["", "", ""])[:3]
    return " ".join(part for part in (first, last, suffix) if part)


def _first_version_date(versions: object) -> str | None:
    """The ISO date of ``v1``; None without versions, ``""`` when its date cannot be read."""
    versions = [v for v in versions if isinstance(v, dict)] if isinstance(versions, list) else []
    if not versions:
        return None
    first = next((v for v in versions if v.get("version") == "v1"), versions[0])
    try:
        return parsedate_to_datetime(first.get("created") or "").date().isoformat()
    except (TypeError, ValueError):
        return ""
