"""Read Semantic Scholar Graph API papers: one paper, a batch, a search page, or JSON Lines.

The shapes are those of ``/graph/v1/paper/{id}`` (one object), ``POST /paper/batch`` (a JSON
list with ``null`` for each id it did not find), ``/paper/search`` and ``/paper/search/bulk``
(``total``, ``offset``/``next`` or ``token``, and the papers in ``data``); ``kg fetch s2`` writes
JSON Lines, one paper per line. From each paper:

==================================== ===========================================================
``title``, ``abstract``               text (``abstract`` may be ``null``)
``authors``                           names (``name``)
``publicationDate``, ``year``         the date and year
``paperId``                           the Semantic Scholar id
``externalIds``                       ``ArXiv``, ``DOI``, ``MAG`` and ``PubMed`` ids (``CorpusId``,
                                      ``DBLP``, ``ACL`` are not kept)
``url``                               the paper's page
``venue``                             where it was published, by name
``references``                        the works it cites (``cited_works``): each with its
                                      ``paperId``, and ``externalIds``, ``title`` and ``year``
                                      when the request asked for them
==================================== ===========================================================

A ``null`` in a batch is reported as a warning; a paper without a title, an error object
(``{"error": ...}``, ``{"message": ...}``) or a record that is not an object is skipped with a
Problem.

Examples
--------
>>> import io
>>> batch = '''[{"paperId": "a8ca46b171467ceb2d7652fbfb67fe701ad86092", "title": "LoRA",
...   "externalIds": {"ArXiv": "2106.09685", "CorpusId": 235458009},
...   "references": [{"paperId": null, "title": "Adapters"}]}, null]'''
>>> paper, problem = read(io.StringIO(batch), "batch.json")
>>> paper.s2_id[:8], paper.arxiv_id, [w.title for w in paper.cited_works]
('a8ca46b1', '2106.09685', ['Adapters'])
>>> print(problem)
batch.json:3: batch entry is null (Semantic Scholar found no paper for that id); nothing to read
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TextIO

from kg.corpus.identity import normalise_arxiv, normalise_doi, normalise_number, normalise_s2
from kg.readers import _json
from kg.readers._fields import clean, find_code_urls, iso_date, json_kind, warning
from kg.records import Paper, Problem, Source

NAME = "s2"

_PAPER_ID = re.compile(r'"paperId"\s*:')


def sniff(head: str) -> bool:
    """Whether ``head`` is JSON holding Semantic Scholar papers (a ``"paperId"`` key)."""
    return head.lstrip("\ufeff \t\r\n")[:1] in ("{", "[") and bool(_PAPER_ID.search(head))


def read(stream: TextIO, path: str) -> Iterator[Paper | Problem]:
    """Yield a Paper for each paper in ``stream`` and a Problem for each record that is not one."""
    return _json.read_records(stream, path, NAME, _paper)


def _paper(record: object, source: Source) -> Iterator[Paper | Problem]:
    if record is None:
        reason = "batch entry is null (Semantic Scholar found no paper for that id); nothing to read"
        yield warning(source, reason)
        return
    if not isinstance(record, dict):
        yield Problem(source.path, source.line, f"record is {json_kind(record)}, not a paper")
        return
    error = record.get("error") or (record.get("message") if "paperId" not in record else None)
    if isinstance(error, str):
        yield Problem(source.path, source.line, f"Semantic Scholar error object: {error}")
        return
    title = clean(record.get("title"))
    if not title:
        yield Problem(source.path, source.line, f"paper {record.get('paperId') or '(no paperId)'} has no title")
        return
    date, year = None, _year(record.get("year"))
    if isinstance(record.get("publicationDate"), str):
        try:
            date, year = iso_date(record["publicationDate"])
        except ValueError as error:
            yield warning(source, f"publicationDate dropped: {error}")
    abstract = clean(record.get("abstract"))
    yield Paper(
        title=title,
        abstract=abstract,
        authors=tuple(n for n in (clean(a.get("name")) for a in _dicts(record.get("authors"))) if n),
        date=date,
        year=year,
        url=record.get("url") if isinstance(record.get("url"), str) else None,
        code_urls=find_code_urls(abstract),
        cited_works=tuple(_reference(r, source) for r in _dicts(record.get("references")) if _named(r)),
        sources=(source,),
        venue=clean(record.get("venue")) or None,
        **_identifiers(record),
    )


def _dicts(value: object) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _year(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999 else None


def _identifiers(record: dict) -> dict[str, str | None]:
    external = record.get("externalIds") if isinstance(record.get("externalIds"), dict) else {}
    return {
        "s2_id": normalise_s2(record.get("paperId") if isinstance(record.get("paperId"), str) else None),
        "arxiv_id": normalise_arxiv(_str(external.get("ArXiv"))),
        "doi": normalise_doi(_str(external.get("DOI"))),
        "mag_id": normalise_number(external.get("MAG")),
        "pmid": normalise_number(external.get("PubMed")),
    }


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _named(reference: dict) -> bool:
    """Whether a reference names its work at all (an id or a title)."""
    return bool(reference.get("paperId") or reference.get("externalIds") or clean(reference.get("title")))


def _reference(reference: dict, source: Source) -> Paper:
    return Paper(clean(reference.get("title")), year=_year(reference.get("year")), sources=(source,),
                 **_identifiers(reference))
