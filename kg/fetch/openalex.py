"""OpenAlex: ``/works?search=`` paged with ``cursor``, or the works a corpus cites (``--references-of``).

Requests carry ``mailto`` when a contact is given (OpenAlex's polite pool) and ask only for
the fields the ``openalex`` reader uses (``select``). The output is JSON Lines, one work per line.

``--references-of FILES`` reads FILES as ``kg build`` would and asks for the works they cite that
are not among them (their stub papers): by OpenAlex id, else by DOI (an arXiv id as arXiv's
DOI), 50 to a request with ``filter=openalex:W1|W2...`` or ``filter=doi:...``. Building the
corpus with the output file turns those stubs into papers: one snowballing step.
"""

from __future__ import annotations

import hashlib
import json

from kg.corpus.read import read_corpus
from kg.fetch.client import Client, Page, json_page

NAME = "openalex"
BASE_URL = "https://api.openalex.org"
INTERVAL = 0.1
PAGE_SIZE = 200
BATCH = 50
SELECT = ("id,doi,title,display_name,publication_year,publication_date,ids,authorships,"
          "abstract_inverted_index,referenced_works,primary_location,locations,best_oa_location,type")

_parse = json_page(lambda v: isinstance(v, dict) and isinstance(v.get("results"), list)
                   and isinstance(v.get("meta"), dict), "'meta' and a 'results' list")


def start(query: str | None, options: dict) -> dict:
    """The state of a new fetch: the first cursor, or the first batch of cited works."""
    return {"batch": 0} if options.get("references") is not None else {"cursor": "*"}


def page(client: Client, base_url: str, query: str | None, state: dict, size: int, options: dict) -> Page:
    """One page of search results, or one batch of cited works."""
    polite = {"mailto": options["mailto"]} if options.get("mailto") else {}
    if "batch" in state:
        return _batch(client, base_url, state["batch"], options["references"], polite)
    params = {"search": query, "per-page": size, "cursor": state["cursor"], "select": SELECT, **polite}
    data = client.get(f"{base_url}/works", params, _parse)
    cursor = data["meta"].get("next_cursor")
    works = [json.dumps(work, ensure_ascii=False) for work in data["results"]]
    return Page(works, {"cursor": cursor} if cursor and works else None, data["meta"].get("count"))


def references(paths: list[str]) -> dict:
    """What ``--references-of`` asks for: the batches of ids of the works ``paths`` cite outside
    themselves (``filter`` values), how many such works have no id OpenAlex takes, and a digest."""
    corpus = read_corpus(paths)
    openalex, dois, unknown = set(), set(), 0
    for stub in corpus.stubs.values():
        doi = stub.doi or (f"10.48550/arxiv.{stub.arxiv_id}" if stub.arxiv_id else None)
        if stub.openalex_id:
            openalex.add(stub.openalex_id)
        elif doi:
            dois.add(doi.lower())
        else:
            unknown += 1
    batches = [f"openalex:{'|'.join(chunk)}" for chunk in _chunks(sorted(openalex))]
    batches += [f"doi:{'|'.join(chunk)}" for chunk in _chunks(sorted(dois))]
    digest = hashlib.sha256("\n".join(batches).encode()).hexdigest()[:16]
    return {"batches": batches, "works": len(openalex) + len(dois), "unknown": unknown, "digest": digest}


def _chunks(items: list[str]) -> list[list[str]]:
    return [items[i:i + BATCH] for i in range(0, len(items), BATCH)]


def _batch(client: Client, base_url: str, index: int, wanted: dict, polite: dict) -> Page:
    batches = wanted["batches"]
    if index >= len(batches):
        return Page([], None, wanted["works"])
    params = {"filter": batches[index], "per-page": PAGE_SIZE, "select": SELECT, **polite}
    data = client.get(f"{base_url}/works", params, _parse)
    works = [json.dumps(work, ensure_ascii=False) for work in data["results"]]
    return Page(works, {"batch": index + 1} if index + 1 < len(batches) else None, wanted["works"])
