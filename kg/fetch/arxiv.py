"""arXiv's API: ``/api/query``, paged with ``start``; the output is one Atom feed of every entry.

A query with a field prefix (``ti:``, ``abs:``, ``au:``, ``cat:``, ``all:``...) is sent as written;
any other text is searched as a phrase in all fields (``all:"..."``). Results come newest first
(``sortBy=submittedDate``), which keeps pages stable while new papers arrive. arXiv asks for one
request every three seconds. A page with no entries before ``totalResults`` is reached (arXiv
does this now and then) counts as unreadable and is asked for again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TextIO
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from kg.errors import FetchError
from kg.fetch.client import Client, Malformed, Page
from kg.readers.arxiv_atom import ARXIV, ATOM, OPENSEARCH

NAME = "arxiv"
BASE_URL = "https://export.arxiv.org"
INTERVAL = 3.0
PAGE_SIZE = 100

_FIELD = re.compile(r"^\s*(?:ti|au|abs|co|jr|cat|rn|id|all|submittedDate|lastUpdatedDate):", re.I)


def search_query(query: str) -> str:
    """The ``search_query`` for a user's query.

    >>> search_query("low-rank adaptation"), search_query("ti:LoRA AND cat:cs.CL")
    ('all:"low-rank adaptation"', 'ti:LoRA AND cat:cs.CL')
    """
    return query if _FIELD.match(query) else f'all:"{query.strip()}"'


def start(query: str, options: dict) -> dict:
    """The state of a new fetch."""
    return {"start": 0}


def page(client: Client, base_url: str, query: str, state: dict, size: int, options: dict) -> Page:
    """One page of results from ``state["start"]``."""
    params = {"search_query": search_query(query), "start": state["start"], "max_results": size,
              "sortBy": "submittedDate", "sortOrder": "descending"}
    entries, total = client.get(f"{base_url}/api/query", params, _parse)
    after = state["start"] + len(entries)
    return Page(entries, {"start": after} if entries and after < total else None, total)


def _parse(body: bytes) -> tuple[list[str], int]:
    """The entries of a feed (each as self-contained XML, in a JSON string) and totalResults."""
    ElementTree.register_namespace("atom", ATOM)
    ElementTree.register_namespace("arxiv", ARXIV)
    ElementTree.register_namespace("opensearch", OPENSEARCH)
    try:
        feed = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise Malformed(f"not well-formed XML ({error})") from error
    total = _number(feed.findtext(f"{{{OPENSEARCH}}}totalResults"))
    first = _number(feed.findtext(f"{{{OPENSEARCH}}}startIndex"))
    if feed.tag != f"{{{ATOM}}}feed" or total is None:
        raise Malformed("not an arXiv Atom feed (no opensearch:totalResults)")
    entries = feed.findall(f"{{{ATOM}}}entry")
    errors = [e for e in entries if "/api/errors" in (e.findtext(f"{{{ATOM}}}id") or "")]
    if errors:
        message = " ".join((errors[0].findtext(f"{{{ATOM}}}summary") or "").split())
        raise FetchError(f"arXiv refused the query: {message}")
    if not entries and (first or 0) < total:
        raise Malformed(f"no entries at {first} of {total} (arXiv sends such pages now and then)")
    for entry in entries:
        entry.tail = None
    return [json.dumps(ElementTree.tostring(e, encoding="unicode")) for e in entries], total


def _number(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def finish(records: Iterable[str], out: TextIO, query: str, total: int | None) -> None:
    """Write the fetched entries as one Atom feed, which the ``arxiv-atom`` reader takes."""
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="{ATOM}" xmlns:arxiv="{ARXIV}" '
              f'xmlns:opensearch="{OPENSEARCH}">\n')
    out.write(f"  <title>kg fetch arxiv: {escape(query)}</title>\n")
    if total is not None:
        out.write(f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n")
    for line in records:
        out.write(f"  {json.loads(line)}\n")
    out.write("</feed>\n")
