"""A SPARQL 1.1 Protocol client (over httpx) for any endpoint: Oxigraph, Fuseki, QLever, GraphDB.

The protocol has no parameter binding, so :func:`with_values` adds the parameters as a
``VALUES`` block at the start of each WHERE group of the query, each value written as an RDF term
by pyoxigraph (N-Triples syntax, every quote and backslash escaped): a value is one token of
the query whatever it holds, and it binds the variable as the embedded store's substitution
does for the library's queries.

Examples
--------
>>> from pyoxigraph import Literal
>>> print(with_values('SELECT ?t WHERE { ?s ?p ?t }', {"t": Literal('a"} }')}))
SELECT ?t WHERE { VALUES (?t) { ("a\\"} }") } ?s ?p ?t }
"""

from __future__ import annotations

import re

from kg.errors import QueryError
from kg.sparql.result import Result

_TOKENS = re.compile(
    r'''(?P<comment>\#[^\n]*)
      | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                   |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<name>[?$]?[A-Za-z_][\w.-]*:?[\w.-]*)
      | (?P<brace>\{)
      | (?P<other>.)''', re.X | re.S)
RESULTS_JSON = "application/sparql-results+json"
ACCEPT = f"{RESULTS_JSON}, application/n-triples;q=0.9, text/turtle;q=0.8"


def with_values(text: str, bindings: dict) -> str:
    """``text`` with a ``VALUES`` block binding ``bindings`` (name -> pyoxigraph term) as the
    first element of every WHERE group, sub-queries' included (as a substitution binds the
    variable everywhere)."""
    if not bindings:
        return text
    names = sorted(bindings)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(str(bindings[n]) for n in names)}) }}"
    for offset in reversed(_where_braces(text)):
        text = text[:offset + 1] + block + text[offset + 1:]
    return text


def _where_braces(text: str) -> list[int]:
    """The offsets of the ``{`` that open WHERE groups: each one after the keyword WHERE, or the
    first brace of a SELECT, ASK or DESCRIBE query written without the keyword."""
    found, first, construct, after_where = [], None, False, False
    for match in _TOKENS.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "name" and not token.startswith(("?", "$")) and ":" not in token:
            construct = construct or token.upper() == "CONSTRUCT"
            after_where = after_where or token.upper() == "WHERE"
        elif kind == "brace":
            first = match.start() if first is None else first
            if after_where:
                found.append(match.start())
                after_where = False
    if not found and first is not None and not construct:
        found = [first]
    if not found:
        raise QueryError("the query has no WHERE group to bind parameters in")
    return found


def query_endpoint(url: str, text: str, bindings: dict | None = None, timeout: float = 60.0) -> Result:
    """Run ``text`` on the SPARQL endpoint ``url`` (POST, form-encoded, as the protocol
    requires every endpoint to accept) with ``bindings`` added as a VALUES block."""
    import httpx

    try:
        response = httpx.post(url, data={"query": with_values(text, bindings or {})},
                              headers={"Accept": ACCEPT}, timeout=timeout)
    except httpx.HTTPError as error:
        raise QueryError(f"cannot reach the SPARQL endpoint {url}: {error}") from error
    if response.status_code != 200:
        raise QueryError(f"the SPARQL endpoint {url} answered {response.status_code}: {response.text.strip()[:500]}")
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if media_type in (RESULTS_JSON, "application/json"):
        return parse_results_json(response.json())
    return _graph_result(response.content, media_type, url)


def _graph_result(content: bytes, media_type: str, url: str) -> Result:
    from pyoxigraph import RdfFormat, parse

    rdf_format = RdfFormat.from_media_type(media_type) if media_type else None
    if rdf_format is None:
        raise QueryError(f"the SPARQL endpoint {url} answered with an unknown media type {media_type!r}")
    return Result(triples=tuple(parse(content, format=rdf_format)))


def parse_results_json(data: dict) -> Result:
    """A :class:`~kg.sparql.result.Result` from SPARQL 1.1 Query Results JSON."""
    if "boolean" in data:
        return Result(boolean=bool(data["boolean"]))
    variables = tuple(data["head"]["vars"])
    rows = tuple(tuple(_term(b[v]) if v in b else None for v in variables) for b in data["results"]["bindings"])
    return Result(variables, rows)


def _term(value: dict):
    from pyoxigraph import BlankNode, Literal, NamedNode

    kind = value["type"]
    if kind == "uri":
        return NamedNode(value["value"])
    if kind == "bnode":
        return BlankNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], language=value["xml:lang"])
    if "datatype" in value:
        return Literal(value["value"], datatype=NamedNode(value["datatype"]))
    return Literal(value["value"])
