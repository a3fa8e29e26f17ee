"""Read OpenAlex work objects: one work, a ``/works`` page (``meta`` + ``results``), or JSON Lines.

``kg fetch openalex`` writes JSON Lines, one work per line; OpenAlex snapshot files are the
same. From each work:

=============================== ===============================================================
``title`` (``display_name``)    the title; inline HTML (``<i>``, ``<sup>``) removed, entities decoded
``abstract_inverted_index``     the abstract, rebuilt exactly: each word at each of its positions,
                                joined by single spaces
``authorships``                 author names (``author.display_name``, else ``raw_author_name``)
``publication_date``, ``_year`` the date and year
``id``, ``ids``, ``doi``        OpenAlex id, DOI, MAG id and PubMed id; the arXiv id from an arXiv
                                DOI or an arxiv.org location
``primary_location``            the URL (``landing_page_url``), else the DOI link; the venue
                                (``source.display_name``)
``referenced_works``            the works it cites (``cited_works``, each by its OpenAlex id)
=============================== ===============================================================

``related_works`` are OpenAlex's suggestions of similar works, not citations, and are not read.
A work without a title, or a record that is not a JSON object, is skipped with a Problem.

Examples
--------
>>> import io, json
>>> work = {"id": "https://openalex.org/W1", "title": "LoRA", "publication_year": 2021,
...         "doi": "https://doi.org/10.48550/arXiv.2106.09685",
...         "abstract_inverted_index": {"We": [0], "propose": [1], "LoRA.": [2]},
...         "referenced_works": ["https://openalex.org/W2"], "related_works": ["https://openalex.org/W3"]}
>>> paper, = read(io.StringIO(json.dumps(work)), "works.jsonl")
>>> paper.openalex_id, paper.arxiv_id, paper.abstract, [w.openalex_id for w in paper.cited_works]
('W1', '2106.09685', 'We propose LoRA.', ['W2'])
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import TextIO

from kg.corpus.identity import arxiv_of_doi, find_arxiv, normalise_doi, normalise_number, normalise_openalex
from kg.readers import _json
from kg.readers._fields import clean, find_code_urls, iso_date, json_kind, warning
from kg.records import Paper, Problem, Source

NAME = "openalex"

_WORK_ID = re.compile(r'"id"\s*:\s*"https://openalex\.org/W\d+"')
_MARKUP = re.compile(r"</?(?:i|b|em|strong|sup|sub|scp|sc|span|p|br|mml:[a-z]+)(?:\s[^<>]*)?/?>", re.I)


def sniff(head: str) -> bool:
    """Whether ``head`` is JSON holding OpenAlex works (an ``"id": "https://openalex.org/W..."``)."""
    return head.lstrip("\ufeff \t\r\n")[:1] in ("{", "[") and bool(_WORK_ID.search(head))


def read(stream: TextIO, path: str) -> Iterator[Paper | Problem]:
    """Yield a Paper for each work in ``stream`` and a Problem for each record that is not one."""
    return _json.read_records(stream, path, NAME, _work)


def rebuild_abstract(index: object) -> str:
    """The abstract text from an ``abstract_inverted_index`` (word -> positions); ``""`` if none.

    >>> rebuild_abstract({"fine-tuning": [1, 3], "Full": [0], "is": [2]})
    'Full fine-tuning is fine-tuning'
    """
    if not isinstance(index, dict):
        return ""
    words: dict[int, str] = {}
    for word, positions in index.items():
        for position in positions if isinstance(positions, list) else ():
            if isinstance(position, int):
                words.setdefault(position, word)
    return " ".join(words[position] for position in sorted(words))


def clean_title(title: str) -> str:
    """A title with inline HTML markup removed, entities decoded and white space collapsed."""
    return clean(html.unescape(_MARKUP.sub("", title)))


def _work(work: object, source: Source) -> Iterator[Paper | Problem]:
    if not isinstance(work, dict):
        yield Problem(source.path, source.line, f"record is {json_kind(work)}, not an OpenAlex work")
        return
    openalex_id = normalise_openalex(_text(work.get("id")))
    title = clean_title(_text(work.get("title")) or _text(work.get("display_name")))
    if not title:
        yield Problem(source.path, source.line, f"work {openalex_id or '(no id)'} has no title")
        return
    date, year = None, work.get("publication_year")
    year = year if isinstance(year, int) and not isinstance(year, bool) else None
    if _text(work.get("publication_date")):
        try:
            date, year = iso_date(work["publication_date"])
        except ValueError as error:
            yield warning(source, f"publication_date dropped: {error}")
    ids = work.get("ids") if isinstance(work.get("ids"), dict) else {}
    doi = normalise_doi(_text(work.get("doi")) or _text(ids.get("doi")))
    abstract = rebuild_abstract(work.get("abstract_inverted_index"))
    yield Paper(
        title=title,
        abstract=abstract,
        authors=_authors(work.get("authorships")),
        date=date,
        year=year,
        url=_url(work, doi),
        doi=doi,
        arxiv_id=arxiv_of_doi(doi) or _arxiv_location(work),
        openalex_id=openalex_id or normalise_openalex(_text(ids.get("openalex"))),
        mag_id=normalise_number(ids.get("mag")),
        pmid=normalise_number(ids.get("pmid")),
        code_urls=find_code_urls(abstract),
        cited_works=_cited(work.get("referenced_works"), source),
        sources=(source,),
        venue=_venue(work),
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _authors(authorships: object) -> tuple[str, ...]:
    names = []
    for authorship in authorships if isinstance(authorships, list) else ():
        if not isinstance(authorship, dict):
            continue
        author = authorship.get("author") if isinstance(authorship.get("author"), dict) else {}
        name = clean(author.get("display_name")) or clean(authorship.get("raw_author_name"))
        if name:
            names.append(name)
    return tuple(names)


def _locations(work: dict) -> Iterator[dict]:
    for key in ("primary_location", "best_oa_location"):
        if isinstance(work.get(key), dict):
            yield work[key]
    yield from (loc for loc in work.get("locations") or () if isinstance(loc, dict))


def _url(work: dict, doi: str | None) -> str | None:
    for location in _locations(work):
        if _text(location.get("landing_page_url")):
            return location["landing_page_url"]
    return f"https://doi.org/{doi}" if doi else _text(work.get("id")) or None


def _venue(work: dict) -> str | None:
    location = work.get("primary_location") if isinstance(work.get("primary_location"), dict) else {}
    source = location.get("source") if isinstance(location.get("source"), dict) else {}
    return clean(source.get("display_name")) or None


def _arxiv_location(work: dict) -> str | None:
    for location in _locations(work):
        for key in ("landing_page_url", "pdf_url"):
            found = find_arxiv(_text(location.get(key)))
            if found:
                return found
    return None


def _cited(referenced: object, source: Source) -> tuple[Paper, ...]:
    works = []
    for reference in referenced if isinstance(referenced, list) else ():
        openalex_id = normalise_openalex(_text(reference))
        if openalex_id:
            works.append(Paper("", openalex_id=openalex_id, sources=(source,)))
    return tuple(works)
