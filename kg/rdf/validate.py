"""Check an RDF export against the SHACL shapes in ``kg/data/shapes.ttl``.

:func:`validate` returns a :class:`Report`: whether the export conforms and one
:class:`Violation` per problem (the node, the property, the offending value and a message
that says what to fix), sorted so two runs print the same lines.

pySHACL checks the SHACL Core constraints. RDFS inference is off (pySHACL takes about 20
times longer with it); the shapes use the ``rdfs:subClassOf`` triples every export carries
instead. The shapes' SHACL-SPARQL constraints (``sh:sparql``) are run here on pyoxigraph,
once per constraint over the whole graph, keeping the solutions whose ``$this`` is a target
of the shape: pySHACL parses and runs such a query once per focus node with rdflib's engine,
about 0.3 s each, which is hours for the 9,600 statements of the corpus export. The result is
the same for these queries (none uses ``$this`` inside a sub-query or ``BOUND``).

Examples
--------
>>> import kg
>>> report = validate(kg.build().dumps("turtle"), format="turtle")
>>> report.conforms, report.violations
(True, ())
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.rdf.mapping import PREFIXES

#: rdflib's parser name for each export suffix.
SUFFIX_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json-ld": "json-ld"}
_FORMAT_ALIASES = {"turtle": "turtle", "ntriples": "nt", "nt": "nt", "jsonld": "json-ld", "json-ld": "json-ld"}


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the focus node, the property path, the value and the message."""

    severity: str
    focus: str
    path: str
    value: str
    message: str

    def __str__(self) -> str:
        where = " ".join(part for part in (self.focus, self.path) if part)
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {where}: {self.message}{value}"


@dataclass(frozen=True)
class Report:
    """The outcome of :func:`validate`."""

    conforms: bool
    violations: tuple[Violation, ...]
    triples: int


def shapes_graph():
    """The shapes as an ``rdflib.Graph``."""
    return _package_graph("shapes.ttl")


def ontology_graph():
    """The ontology (``kg/data/ontology.ttl``) as an ``rdflib.Graph``."""
    return _package_graph("ontology.ttl")


def _package_graph(name: str):
    from importlib.resources import files

    from rdflib import Graph

    return Graph().parse(data=files("kg").joinpath("data", name).read_text(encoding="utf-8"), format="turtle")


def validate(data, format: str | None = None) -> Report:
    """Validate an export: a path (format from the suffix), RDF text (give ``format``:
    ``turtle``, ``ntriples`` or ``jsonld``) or an ``rdflib.Graph``."""
    import pyshacl
    from rdflib import Graph

    graph = data if isinstance(data, Graph) else read_export(data, format)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    core, constraints = _split_sparql(shapes_graph())
    conforms, results, _ = pyshacl.validate(graph, shacl_graph=core, inference="none", advanced=False,
                                            allow_warnings=True)
    found = [*_violations(results, graph), *_sparql_violations(graph, constraints)]
    violations = tuple(sorted(set(found), key=lambda v: (v.focus, v.path, v.message, v.value)))
    return Report(bool(conforms) and not any(v.severity == "Violation" for v in violations), violations, len(graph))


def read_export(data, format: str | None = None):
    """An export as an ``rdflib.Graph``, from a path (format from the suffix) or from text."""
    from rdflib import Graph

    where = "<export>"
    if isinstance(data, (str, os.PathLike)) and format is None:
        path, where = Path(data), str(data)
        if path.suffix not in SUFFIX_FORMATS:
            raise InputError(where, None, f"unknown RDF suffix; use one of {', '.join(SUFFIX_FORMATS)}")
        if not path.is_file():
            raise InputError(where, None, "no such file (run `kg build` first)")
        data, format = path.read_text(encoding="utf-8"), SUFFIX_FORMATS[path.suffix]
    parser = _FORMAT_ALIASES.get(format or "turtle", format)
    try:
        return Graph().parse(data=data, format=parser)
    except Exception as error:  # rdflib raises many unrelated types for bad syntax
        raise InputError(where, None, f"not valid {parser}: {error}") from error


def _split_sparql(shapes):
    """The shapes without their ``sh:sparql`` constraints, and those constraints as
    ``(targets query, severity, message, select query)`` tuples."""
    from rdflib.namespace import SH

    constraints = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        prefixes = "".join(f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
                           for source in shapes.objects(constraint, SH.prefixes)
                           for d in shapes.objects(source, SH.declare))
        query = prefixes + str(shapes.value(constraint, SH.select)).replace("$this", "?this")
        severity = str(shapes.value(shape, SH.severity, default=SH.Violation)).rsplit("#", 1)[-1]
        constraints.append((_targets_query(shapes, shape), severity, str(shapes.value(constraint, SH.message)), query))
        shapes.remove((shape, SH.sparql, constraint))
    return shapes, constraints


def _targets_query(shapes, shape) -> str:
    """A query for the focus nodes of ``shape`` (``sh:targetNode``, ``sh:targetClass`` with
    subclasses, ``sh:targetSubjectsOf``)."""
    from rdflib.namespace import RDFS, SH

    parts = [f"{{ VALUES ?n {{ <{node}> }} }}" for node in shapes.objects(shape, SH.targetNode)]
    parts += [f"{{ ?n a ?c . ?c <{RDFS.subClassOf}>* <{cls}> }}" for cls in shapes.objects(shape, SH.targetClass)]
    parts += [f"{{ ?n <{prop}> ?o }}" for prop in shapes.objects(shape, SH.targetSubjectsOf)]
    return f"SELECT DISTINCT ?n WHERE {{ {' UNION '.join(parts) or '{ FILTER(false) }'} }}"


def _sparql_violations(graph, constraints):
    from pyoxigraph import RdfFormat, Store

    store = Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), RdfFormat.N_TRIPLES)
    names = graph.namespace_manager
    for targets_query, severity, message, query in constraints:
        targets = {row["n"] for row in store.query(targets_query)}
        result = store.query(query)
        variables = [v.value for v in result.variables]
        for row in result:
            if row["this"] not in targets:
                continue
            values = {name: row[name] for name in variables if row[name] is not None}
            yield Violation(severity, _short_term(values["this"], names), _short_term(values.get("path"), names),
                            _short_term(values.get("value"), names), _fill(message, values, names))


def _fill(message: str, values: dict, names) -> str:
    """``message`` with ``{?name}`` replaced by the solution's value of ``?name``."""
    import re

    return re.sub(r"\{[?$](\w+)\}", lambda m: _short_term(values.get(m.group(1)), names) or m.group(0), message)


def _short_term(term, names) -> str:
    """A pyoxigraph term as :func:`_short` writes rdflib terms."""
    from rdflib import Literal, URIRef

    if term is None:
        return ""
    if hasattr(term, "datatype"):
        return _short(Literal(term.value, datatype=URIRef(term.datatype.value)), names)
    return _short(URIRef(term.value), names)


def _violations(results, data_graph):
    from rdflib.namespace import SH

    names = data_graph.namespace_manager
    for result in results.subjects(SH.resultSeverity, None):
        value = results.value(result, SH.value)
        yield Violation(
            severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            focus=_short(results.value(result, SH.focusNode), names),
            path=_short(results.value(result, SH.resultPath), names),
            value=_short(value, names) if value is not None else "",
            message=" ".join(str(m) for m in results.objects(result, SH.resultMessage)),
        )


def _short(term, names) -> str:
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return term.n3(names)
    if isinstance(term, Literal) and term.datatype not in (None, XSD.string):
        return str(term)
    if isinstance(term, Literal):
        return repr(str(term)) if len(str(term)) <= 80 else repr(str(term)[:77] + "...")
    return str(term)
