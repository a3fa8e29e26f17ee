"""Look one paper up in one service: by its ids first, then by its title.

======== ================================================== ==========================================
service  by id                                              by title
======== ================================================== ==========================================
openalex ``/works?filter=openalex:W..``, ``doi:..`` (an     ``/works?filter=title.search:<title>``,
         arXiv id as arXiv's DOI ``10.48550/arxiv.<id>``)   the first :data:`CANDIDATES` works
arxiv    ``/api/query?id_list=<arXiv id>``                  ``/api/query?search_query=ti:"<title>"``
s2       ``POST /graph/v1/paper/batch`` (``DOI:..``,        ``/graph/v1/paper/search?query=<title>``,
         ``ARXIV:..``, the S2 id)                           then the batch for the work taken
======== ================================================== ==========================================

What is sent: the paper's ids and its title, normalised (lower case, words only); never its
abstract or anything else. Each answer is read by the reader of that service's format
(:mod:`kg.readers.openalex`, :mod:`kg.readers.arxiv_atom`, :mod:`kg.readers.s2`), and the works
it gives are judged by :mod:`kg.fetch.match`.
"""

from __future__ import annotations

import io
import json
from xml.etree import ElementTree

from kg.corpus.identity import identifiers, normalise_title
from kg.fetch import arxiv as arxiv_service
from kg.fetch import openalex as openalex_service
from kg.fetch import s2 as s2_service
from kg.fetch.client import Client, Malformed, json_page
from kg.fetch.match import MATCHED, NONE, Match, by_id, by_title
from kg.readers import arxiv_atom, openalex, s2
from kg.readers.arxiv_atom import ATOM
from kg.records import Paper

CANDIDATES = 5
"""How many works of a title search are judged."""

S2_FIELDS = s2_service.FIELDS + ",venue"
S2_SEARCH_FIELDS = "paperId,externalIds,title,year,authors"

_openalex_page = json_page(lambda v: isinstance(v, dict) and isinstance(v.get("results"), list), "a 'results' list")
_s2_search = json_page(lambda v: isinstance(v, dict) and isinstance(v.get("data", []), list), "a 'data' list")
_s2_batch = json_page(lambda v: isinstance(v, list), "a list of papers")


def look_up_openalex(client: Client, base_url: str, paper: Paper, polite: dict) -> Match:
    """The OpenAlex work that is ``paper``: by OpenAlex id, DOI or arXiv id, else by title."""
    ids = _ids(paper)
    asked = [("openalex", f"openalex:{ids.get('openalex')}"), ("doi", f"doi:{ids.get('doi')}"),
             ("arxiv", f"doi:10.48550/arxiv.{ids.get('arxiv')}")]
    for scheme, value in asked:
        if scheme in ids:
            match = by_id(paper, _works(client, base_url, value, polite), "openalex", scheme)
            if match.status == MATCHED:
                return match
    return by_title(paper, _works(client, base_url, f"title.search:{normalise_title(paper.title)}", polite),
                    "openalex")


def look_up_arxiv(client: Client, base_url: str, paper: Paper, polite: dict) -> Match:
    """The arXiv entry that is ``paper``: by arXiv id, else by a phrase search of its title."""
    arxiv_id = _ids(paper).get("arxiv")
    if arxiv_id:
        params = {"id_list": arxiv_id, "max_results": 1}
        match = by_id(paper, client.get(f"{base_url}/api/query", params, _entries), "arxiv", "arxiv")
        if match.status == MATCHED:
            return match
    params = {"search_query": f'ti:"{normalise_title(paper.title)}"', "max_results": CANDIDATES}
    return by_title(paper, client.get(f"{base_url}/api/query", params, _entries), "arxiv")


def look_up_s2(client: Client, base_url: str, paper: Paper, polite: dict) -> Match:
    """The Semantic Scholar paper that is ``paper``: by S2 id, DOI or arXiv id, else by title."""
    known = _ids(paper)
    ids = [(scheme, prefix + known[scheme]) for scheme, prefix in (("s2", ""), ("doi", "DOI:"), ("arxiv", "ARXIV:"))
           if scheme in known]
    if ids:
        works = _s2_details(client, base_url, [value for _, value in ids])
        for (scheme, _), work in zip(ids, works):
            match = by_id(paper, [work] if work else [], "s2", scheme)
            if match.status == MATCHED:
                return match
    params = {"query": normalise_title(paper.title), "limit": CANDIDATES, "fields": S2_SEARCH_FIELDS}
    found = client.get(f"{base_url}/graph/v1/paper/search", params, _s2_search)
    match = by_title(paper, _read(s2.read, found, "s2 search"), "s2")
    if match.status != MATCHED or not match.work.s2_id:
        return match
    [details] = _s2_details(client, base_url, [match.work.s2_id])
    return Match(MATCHED, "s2", details or match.work, match.by, match.similarity)


LOOK_UPS = {"openalex": (look_up_openalex, openalex_service), "arxiv": (look_up_arxiv, arxiv_service),
            "s2": (look_up_s2, s2_service)}
"""Service name -> (look-up function, the fetch module with its ``BASE_URL`` and ``INTERVAL``)."""


def look_up(clients: dict[str, Client], base_urls: dict[str, str], paper: Paper, polite: dict) -> Match:
    """The first match, or ambiguity, that the services give in order; else no match from any."""
    for name, client in clients.items():
        match = LOOK_UPS[name][0](client, base_urls[name], paper, polite if name == "openalex" else {})
        if match.status != NONE:
            return match
    return Match(NONE, ", ".join(clients))


def _ids(paper: Paper) -> dict[str, str]:
    """The paper's identifiers, normalised, by scheme (the first of each)."""
    ids: dict[str, str] = {}
    for typed in identifiers(paper):
        scheme, value = typed.split(":", 1)
        ids.setdefault(scheme, value)
    return ids


def _works(client: Client, base_url: str, filter_: str, polite: dict) -> list[Paper]:
    params = {"filter": filter_, "per-page": CANDIDATES, "select": openalex_service.SELECT, **polite}
    return _read(openalex.read, client.get(f"{base_url}/works", params, _openalex_page), "openalex")


def _s2_details(client: Client, base_url: str, ids: list[str]) -> list[Paper | None]:
    """The details (with references) of each id, None where S2 has none."""
    found = client.post(f"{base_url}/graph/v1/paper/batch", {"fields": S2_FIELDS}, {"ids": ids}, _s2_batch)
    return [next(iter(_read(s2.read, item, "s2")), None) if isinstance(item, dict) else None for item in found]


def _read(read, value: object, where: str) -> list[Paper]:
    """The papers a reader makes of one parsed answer (what it cannot read is not a candidate)."""
    return [p for p in read(io.StringIO(json.dumps(value)), where) if isinstance(p, Paper)]


def _entries(body: bytes) -> list[Paper]:
    """The papers of an arXiv Atom feed; an error entry (a malformed id) counts as none."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise Malformed(f"not well-formed XML ({error})") from error
    if root.tag != f"{{{ATOM}}}feed":
        raise Malformed("not an Atom feed")
    text = body.decode("utf-8", errors="replace")
    return [p for p in arxiv_atom.read(io.StringIO(text), "arxiv") if isinstance(p, Paper)]
