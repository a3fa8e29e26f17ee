"""Read papers from JSON Lines: one JSON object per line.

Each non-blank line is an object with a required ``title`` and these optional fields:

============== =====================================================================
``id``         the paper's id in this input (text or number), kept as ``local_id``
``abstract``   text; GitHub repository links in it become ``code_urls``
``authors``    a list of names, or one text with names separated by ``;``
``date``       ISO ``YYYY-MM-DD`` or ``YYYY-MM`` (a bare ``YYYY`` sets the year only)
``year``       a number or numeric text; the date's year wins when both are given
``url``        text
``doi``        text
``arxiv_id``   text (a JSON number would lose trailing zeros, so it is refused)
``references`` a list of ids of other papers, or one text separated by ``;``: the ids of
               this file's own records (``id``) or global identifiers (a DOI, an arXiv id,
               ``https://openalex.org/W...``); an ``id`` names a record of this file only
``venue``      the journal, conference or repository, by name
``author_count`` how many authors, when the names are not given
``organization``, ``listed`` text (``listed``: a listing date without a year, as written)
``code_urls``  a list of code repository links, besides those found in the abstract
============== =====================================================================

Unknown fields are ignored and blank lines are not records; ``null`` items of a list are left
out. A record with the ``id`` of an earlier line is kept, with a warning (references to that id
go to the earlier record). A line that is not a JSON
object with a title is skipped with a :class:`~kg.records.Problem`; an optional field of
the wrong type is dropped with a warning (a ``Problem`` with ``skipped=False``).

The field rules live in :mod:`kg.readers._fields` (:func:`paper_from_fields`,
:func:`find_code_urls`), which the CSV and Hugging Face readers share. ``openalex_id``,
``s2_id``, ``mag_id`` and ``pmid`` are read as identifiers too; ``kg enrich`` writes every
field above.

Examples
--------
>>> import io
>>> text = '{"title": "BERT", "year": "2019", "authors": "J. Devlin; M. Chang"}\\n\\n[1]\\n'
>>> paper, problem = read(io.StringIO(text), "papers.jsonl")
>>> paper.title, paper.authors, paper.year, str(paper.sources[0])
('BERT', ('J. Devlin', 'M. Chang'), 2019, 'papers.jsonl:1')
>>> print(problem)
papers.jsonl:3: line is a JSON list, not an object
>>> find_code_urls("Code: https://github.com/google/jax.git. Data: github.com/a-b/c_d/tree/main")
('https://github.com/google/jax', 'https://github.com/a-b/c_d')
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TextIO

from kg.readers._fields import CONVERTERS as _CONVERTERS  # noqa: F401  (the fields read)
from kg.readers._fields import find_code_urls, json_kind, paper_from_fields  # noqa: F401  (find_code_urls: re-exported)
from kg.records import Paper, Problem, Source

NAME = "jsonl"


def sniff(head: str) -> bool:
    """Whether ``head`` looks like JSON Lines: its first non-blank line starts with ``{``. The
    more specific JSON readers (arXiv snapshot, OpenAlex, Semantic Scholar, CSL-JSON) are asked
    first (sniff priority, see :mod:`kg.registry`)."""
    return head.lstrip("\ufeff \t\r\n").startswith("{")


def read(stream: TextIO, path: str) -> Iterator[Paper | Problem]:
    """Yield a Paper for each JSON object line of ``stream`` and a Problem for each bad one;
    a record whose ``id`` an earlier line has is kept, with a warning."""
    seen: dict[str, int] = {}
    for number, line in enumerate(stream, 1):
        if number == 1:
            line = line.lstrip("\ufeff")
        if line.strip():
            for item in _read_line(line, Source(path, number, NAME)):
                if isinstance(item, Paper) and item.local_id:
                    first = seen.setdefault(item.local_id, number)
                    if first != number:
                        yield Problem(path, number, f"id {item.local_id!r} is also the id of line {first}; "
                                      f"references to it go to line {first}", skipped=False)
                yield item


def _read_line(line: str, source: Source) -> Iterator[Paper | Problem]:
    try:
        value = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as error:
        reason = f"line is not valid JSON: {error.msg} (column {error.colno})"
        yield Problem(source.path, source.line, reason)
        return
    except RecursionError:
        yield Problem(source.path, source.line, "line is not valid JSON: nested too deeply")
        return
    if not isinstance(value, dict):
        yield Problem(source.path, source.line, f"line is {json_kind(value)}, not an object")
        return
    yield from paper_from_fields(value, source)
