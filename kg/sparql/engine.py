"""SPARQL over an export: the query library, parameters bound as RDF terms, and results.

A query is a library name (``top-methods-for-task``; :func:`library` lists them), a ``.rq``
file or SPARQL text. :func:`query` runs it on the embedded pyoxigraph store kept beside the
export (:mod:`kg.sparql.store`) or on any SPARQL 1.1 endpoint (:mod:`kg.sparql.endpoint`).

Parameters are RDF terms, never text put into the query: on the embedded store they are
pyoxigraph ``substitutions`` (SPARQL SEP-0007), so a value holding quotes or braces is just a
string. A library query declares its parameters in its header (``?task (string): ...``); a
parameter must be a projected variable of the query, as SEP-0007 asks.

Examples
--------
>>> q = load_query("top-methods-for-task")
>>> q.question
'Which methods are mentioned most often by papers about a task?'
>>> [p.name for p in q.parameters]
['task']
>>> bind(q, {"task": 'x" } DROP ALL'})["task"]
<Literal value=x" } DROP ALL datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kg.errors import NotFoundError, QueryError
from kg.sparql.endpoint import query_endpoint
from kg.sparql.names import resolve_params
from kg.sparql.result import Result
from kg.sparql.store import find_export, open_store

#: Output formats of :func:`format_result`.
FORMATS = ("table", "csv", "tsv", "json")
PARAMETER_TYPES = ("string", "integer", "iri")
_HEADER = re.compile(r"^#\s*(Question|Parameters|Example):\s*(.*)$")
_PARAMETER = re.compile(r"\?(\w+)\s*\((\w+)\)\s*:\s*([^;]*)")
_VARIABLE = re.compile(r"[?$](\w+)")


@dataclass(frozen=True)
class Parameter:
    """A parameter of a library query: variable name, RDF type of its value, description."""

    name: str
    type: str = "string"
    description: str = ""


@dataclass(frozen=True)
class LibraryQuery:
    """A SPARQL query with its header: the question it answers, its parameters, an example."""

    name: str
    text: str
    question: str = ""
    parameters: tuple[Parameter, ...] = ()
    example: str = ""


def parse_header(name: str, text: str) -> LibraryQuery:
    """A :class:`LibraryQuery` from SPARQL text whose leading comments may hold
    ``# Question:``, ``# Parameters:`` and ``# Example:`` lines."""
    found = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            found[match.group(1)] = match.group(2).strip()
    parameters = tuple(Parameter(m.group(1), m.group(2).lower(), m.group(3).strip())
                       for m in _PARAMETER.finditer(found.get("Parameters", "")))
    for parameter in parameters:
        if parameter.type not in PARAMETER_TYPES:
            raise QueryError(f"{name}: parameter ?{parameter.name} has type {parameter.type!r}; "
                             f"use one of {', '.join(PARAMETER_TYPES)}")
    return LibraryQuery(name, text, found.get("Question", ""), parameters, found.get("Example", ""))


def library() -> dict[str, LibraryQuery]:
    """The query library (``queries/*.rq``, installed as ``kg.queries``), by name."""
    from importlib.resources import files

    folder = files("kg.queries")
    paths = sorted((p for p in folder.iterdir() if p.name.endswith(".rq")), key=lambda p: p.name)
    return {p.name[:-3]: parse_header(p.name[:-3], p.read_text(encoding="utf-8")) for p in paths}


def load_query(query: str) -> LibraryQuery:
    """The query named ``query`` in the library, read from the ``.rq`` file ``query``, or the
    SPARQL text ``query`` itself."""
    queries = library()
    if query in queries:
        return queries[query]
    if query.endswith(".rq") or (len(query) < 250 and "\n" not in query and Path(query).is_file()):
        path = Path(query)
        if not path.is_file():
            raise NotFoundError(f"No query file {query}")
        return parse_header(path.stem, path.read_text(encoding="utf-8"))
    if not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", query, flags=re.I):
        raise NotFoundError(f"No query named {query!r}. Available: {', '.join(queries)} "
                            "(or give a .rq file or SPARQL text)")
    return parse_header("<query>", query)


def bind(query: LibraryQuery, params: dict[str, str]) -> dict:
    """The parameter values as pyoxigraph terms, checked against what ``query`` declares.

    A declared parameter gets its declared type; in a query without a header, ``<...>`` is
    an IRI and anything else a string. Unknown names and missing values are errors that list
    the parameters.
    """
    declared = {p.name: p for p in query.parameters}
    variables = set(_VARIABLE.findall(_without_comments(query.text)))
    for name in params:
        if name not in declared and (query.parameters or name not in variables):
            choices = ", ".join(declared) or ", ".join(sorted(variables)) or "none"
            raise QueryError(f"{query.name} has no parameter {name!r}. Parameters: {choices}")
    missing = [p for p in query.parameters if p.name not in params]
    if missing:
        needed = "; ".join(f"--param {p.name}=VALUE ({p.description or p.type})" for p in missing)
        raise QueryError(f"{query.name} needs {needed}")
    return {name: term(value, declared[name].type if name in declared else _guess_type(value))
            for name, value in params.items()}


def _guess_type(value: str) -> str:
    return "iri" if value.startswith("<") and value.endswith(">") else "string"


def term(value: str, type: str = "string"):
    """``value`` as a pyoxigraph term of the given parameter type."""
    from pyoxigraph import Literal, NamedNode

    if type == "iri":
        try:
            return NamedNode(value[1:-1] if value.startswith("<") and value.endswith(">") else value)
        except ValueError as error:
            raise QueryError(f"not an IRI: {value!r}") from error
    if type == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryError(f"not an integer: {value!r}")
        return Literal(str(int(value)), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return Literal(value)


def _without_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def query(source: str, data=None, params: dict[str, str] | None = None,
          endpoint: str | None = None) -> Result:
    """Run a library query, ``.rq`` file or SPARQL text with ``params`` bound as RDF terms,
    on the export ``data`` (through its on-disk store) or on the SPARQL endpoint ``endpoint``.
    ``data`` may be a folder, by default ``exports/``: its ``graph.ttl``, ``graph.nt`` or
    ``graph.jsonld`` (:func:`~kg.sparql.store.find_export`).

    A library query's parameter that names an entity or a paper (``task``, ``method``,
    ``dataset``, ``metric``, ``entity``, ``paper``) is resolved as :func:`kg.find` resolves
    names (:mod:`kg.sparql.names`); a name that matches nothing raises
    :class:`~kg.errors.NotFoundError` with the closest names."""
    chosen = load_query(source)
    bind(chosen, params or {})  # unknown or missing parameters fail before the export is read
    execute = partial(query_endpoint, endpoint) if endpoint else partial(run, open_store(find_export(data)))
    return execute(chosen.text, bind(chosen, resolve_params(chosen, params or {}, execute)))


def run(store, text: str, bindings: dict | None = None) -> Result:
    """Run SPARQL ``text`` on a pyoxigraph ``store`` with ``bindings`` (name -> term)."""
    from pyoxigraph import QueryBoolean, QuerySolutions, Variable

    substitutions = {Variable(name): value for name, value in (bindings or {}).items()}
    try:
        answer = store.query(text, substitutions=substitutions or None)
    except (SyntaxError, ValueError, RuntimeError, OSError) as error:
        raise QueryError(f"the query cannot run: {error}") from error
    if isinstance(answer, QueryBoolean):
        return Result(boolean=bool(answer))
    if isinstance(answer, QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        return Result(variables, tuple(tuple(row[v] for v in variables) for row in answer))
    return Result(triples=tuple(answer))


def format_result(result: Result, format: str = "table") -> str:
    """The result as text: an aligned ``table``, or the SPARQL 1.1 ``csv``, ``tsv`` or ``json``
    results format. An ASK result is ``true``/``false``; a graph result is N-Triples."""
    if format not in FORMATS:
        raise QueryError(f"No output format {format!r}. Available: {', '.join(FORMATS)}")
    if result.triples:
        return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in result.triples)
    if result.boolean is not None:
        if format == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    return {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json}[format](result)


def _plain(term) -> str:
    if term is None:
        return ""
    return f"_:{term.value}" if type(term).__name__ == "BlankNode" else term.value


def _table(result: Result, width: int = 80) -> str:
    cells = [[_plain(t).replace("\n", " ") for t in row] for row in result.rows]
    cells = [[c if len(c) <= width else c[:width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(v)] + [len(row[i]) for row in cells]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(result.variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _csv(result: Result) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    writer.writerows([_plain(t) for t in row] for row in result.rows)
    return out.getvalue()


def _tsv(result: Result) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json(result: Result) -> str:
    bindings = [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
    data = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _json_term(term) -> dict:
    kind = type(term).__name__
    if kind == "NamedNode":
        return {"type": "uri", "value": term.value}
    if kind == "BlankNode":
        return {"type": "bnode", "value": term.value}
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        found["datatype"] = term.datatype.value
    return found
