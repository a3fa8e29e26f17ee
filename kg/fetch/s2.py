"""Semantic Scholar's Graph API: a search for paper ids, then ``/paper/batch`` for their details.

Relevance search (``/paper/search``) pages with ``offset`` and stops at 1,000 results, as the
API does; ``--bulk`` uses ``/paper/search/bulk``, paged with ``token``, without that limit. The
ids found are then asked for in batches (``POST /paper/batch``, at most 500 ids) with their
external ids and references (each with its ``paperId``, ``externalIds``, ``title`` and
``year``), which the ``s2`` reader turns into citations. An API key, when given, goes in the
``x-api-key`` header. The output is JSON Lines, one paper per line (ids the batch did not find
are left out). Paging stops at a page that adds no paper or does not move on.
"""

from __future__ import annotations

import json

from kg.fetch.client import Client, Page, json_page

NAME = "s2"
BASE_URL = "https://api.semanticscholar.org"
INTERVAL = 1.0
PAGE_SIZE = 100
SEARCH_LIMIT = 1000
BATCH = 500
FIELDS = ("paperId,externalIds,url,title,abstract,year,publicationDate,authors,"
          "references.paperId,references.externalIds,references.title,references.year")

_search = json_page(lambda v: isinstance(v, dict) and isinstance(v.get("data", []), list), "a 'data' list")
_batch = json_page(lambda v: isinstance(v, list), "a list of papers")


def start(query: str, options: dict) -> dict:
    """The state of a new fetch."""
    return {"token": None} if options.get("bulk") else {"offset": 0}


def page(client: Client, base_url: str, query: str, state: dict, size: int, options: dict) -> Page:
    """One page of search results, with each paper's details."""
    if "token" in state:
        params = {"query": query, "fields": "paperId", **({"token": state["token"]} if state["token"] else {})}
        found = client.get(f"{base_url}/graph/v1/paper/search/bulk", params, _search)
        token = found.get("token")
        after = {"token": token} if token and token != state["token"] and found.get("data") else None
    else:
        size = min(size, SEARCH_LIMIT - state["offset"])
        params = {"query": query, "offset": state["offset"], "limit": size, "fields": "paperId"}
        found = client.get(f"{base_url}/graph/v1/paper/search", params, _search)
        following = found.get("next")
        moves_on = isinstance(following, int) and state["offset"] < following < SEARCH_LIMIT
        after = {"offset": following} if moves_on else None
    ids = [p["paperId"] for p in found.get("data") or () if isinstance(p, dict) and p.get("paperId")]
    papers = _details(client, base_url, ids)
    return Page(papers, after if papers else None, found.get("total"))


def _details(client: Client, base_url: str, ids: list[str]) -> list[str]:
    papers = []
    for i in range(0, len(ids), BATCH):
        batch = client.post(f"{base_url}/graph/v1/paper/batch", {"fields": FIELDS}, {"ids": ids[i:i + BATCH]}, _batch)
        papers += [json.dumps(p, ensure_ascii=False) for p in batch if isinstance(p, dict)]
    return papers
