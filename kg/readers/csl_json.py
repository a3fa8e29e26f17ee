"""Read CSL-JSON, the citation format Zotero, Mendeley and pandoc export: a JSON list of items.

From each item:

======================= ============================================================================
``title``               rich-text markup (``<i>``, ``<sup>``, ``<span class="nocase">``) removed
``author``              ``given`` + particles + ``family`` + ``suffix``, or a ``literal`` name
``issued``              ``date-parts`` (numbers or numeric text: year, month, day), else ``raw``
                        or ``literal`` text starting with an ISO date, else an EDTF date string
``DOI``, ``URL``        the DOI and URL; ``PMID`` too
``abstract``            text
``id``                  kept as the item's ``local_id`` (Zotero's item URI or a citation key)
======================= ============================================================================

The arXiv id comes from an arXiv DOI, or ``arXiv:...`` in ``number`` (Zotero's preprints), ``note``
or ``URL``. An item without a title is skipped with a Problem; a date that cannot be read is
dropped with a warning.

Examples
--------
>>> import io
>>> items = '''[{"id": "hu2021", "type": "article",
...   "title": "<span class=\\\\"nocase\\\\">LoRA</span>: Low-Rank Adaptation",
...   "author": [{"family": "Hu", "given": "Edward J."}, {"literal": "Google Research"}],
...   "issued": {"date-parts": [["2021", 6, 17]]}, "number": "arXiv:2106.09685", "DOI": "10.48550/arXiv.2106.09685"}]'''
>>> paper, = read(io.StringIO(items), "zotero.json")
>>> paper.title, paper.authors, paper.date, paper.arxiv_id, paper.local_id
('LoRA: Low-Rank Adaptation', ('Edward J. Hu', 'Google Research'), '2021-06-17', '2106.09685', 'hu2021')
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterator
from typing import TextIO

from kg.corpus.identity import arxiv_of_doi, find_arxiv, normalise_doi, normalise_number
from kg.readers import _json
from kg.readers._fields import clean, find_code_urls, iso_date, json_kind, warning
from kg.records import Paper, Problem, Source

NAME = "csl-json"

_CSL_KEYS = re.compile(r'"(?:issued|date-parts|container-title|citation-key|title-short|'
                       r'non-dropping-particle)"\s*:|"family"\s*:\s*"|'
                       r'"type"\s*:\s*"(?:article-journal|paper-conference|article-newspaper|chapter|'
                       r'entry-encyclopedia|post-weblog|manuscript)"')
_MARKUP = re.compile(r"</?(?:i|b|sc|sup|sub|span)(?:\s[^<>]*)?>", re.I)
_NAME_PARTS = ("given", "dropping-particle", "non-dropping-particle", "family", "suffix")


def sniff(head: str) -> bool:
    """Whether ``head`` is CSL-JSON: JSON with CSL's keys (``issued``, ``container-title``,
    ``family`` names, CSL item types). OpenAlex, Semantic Scholar and arXiv records are asked
    first (sniff priority, see :mod:`kg.registry`)."""
    return head.lstrip("\ufeff \t\r\n")[:1] in ("[", "{") and bool(_CSL_KEYS.search(head))


def read(stream: TextIO, path: str) -> Iterator[Paper | Problem]:
    """Yield a Paper for each item and a Problem for each item that cannot be read."""
    return _json.read_records(stream, path, NAME, _item)


def _item(item: object, source: Source) -> Iterator[Paper | Problem]:
    if not isinstance(item, dict):
        yield Problem(source.path, source.line, f"item is {json_kind(item)}, not a CSL-JSON object")
        return
    title = clean(html.unescape(_MARKUP.sub("", _text(item.get("title")))))
    if not title:
        yield Problem(source.path, source.line, f"item {item.get('id')!r} has no title")
        return
    try:
        date, year = _issued(item.get("issued"))
    except ValueError as error:
        yield warning(source, f"'issued' dropped: {error}")
        date, year = None, None
    doi = normalise_doi(_text(item.get("DOI")))
    url = _text(item.get("URL")) or None
    abstract = clean(_text(item.get("abstract")))
    arxiv = arxiv_of_doi(doi) or next(
        filter(None, (find_arxiv(_text(item.get(key))) for key in ("number", "note", "URL"))), None)
    local_id = item.get("id")
    yield Paper(
        title=title,
        abstract=abstract,
        authors=tuple(name for name in map(_name, item.get("author") or ()) if name),
        date=date,
        year=year,
        url=url,
        doi=doi,
        arxiv_id=arxiv,
        local_id=str(local_id) if isinstance(local_id, (str, int)) and not isinstance(local_id, bool) else None,
        pmid=normalise_number(item.get("PMID")),
        code_urls=find_code_urls(f"{abstract} {url or ''}"),
        sources=(source,),
    )


def _text(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else ""


def _name(author: object) -> str:
    if not isinstance(author, dict):
        return clean(author)
    if author.get("literal"):
        return clean(_text(author["literal"]))
    return " ".join(p for p in (clean(_text(author.get(k))) for k in _NAME_PARTS) if p)


def _issued(issued: object) -> tuple[str | None, int | None]:
    """``(date, year)`` from a CSL date: ``date-parts``, ``raw``/``literal`` text, or EDTF text."""
    if issued in (None, "", {}):
        return None, None
    if isinstance(issued, str):
        return iso_date(issued)
    if not isinstance(issued, dict):
        raise ValueError(f"expected a date object, got {json_kind(issued)}")
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return _date_parts(parts[0])
    for key in ("raw", "literal"):
        if isinstance(issued.get(key), str):
            return iso_date(issued[key].strip()[:10])
    raise ValueError(f"no date-parts in {issued!r}")


def _date_parts(parts: list) -> tuple[str | None, int]:
    """``(date, year)`` from ``[year, month, day]`` (numbers or numeric text); a month CSL uses
    for a season (13-24) or a day that does not exist leaves the year alone."""
    try:
        numbers = [int(str(p).strip()) for p in parts[:3]]
    except ValueError:
        raise ValueError(f"date-parts {parts!r} are not numbers") from None
    year = numbers[0]
    if not 1000 <= year <= 9999:
        raise ValueError(f"{year} is not a four-digit year")
    try:
        datetime.date(year, *(numbers[1:] + [1, 1])[:2])
    except ValueError:
        return None, year
    return ("-".join(f"{n:02d}" for n in numbers) if len(numbers) > 1 else None), year
