"""Query parameters that name an entity or a paper, resolved as the Python API resolves names.

A library query declares ``?task``, ``?method``, ``?dataset``, ``?metric``, ``?entity`` or
``?paper`` parameters; the queries themselves only match a name exactly (up to case). Before
such a query runs, :func:`resolve_params` reads the names in the export (labels, aliases,
titles, identifiers and the paper ids ``kg`` prints, such as ``arxiv:1810.04805``) into a small
graph and resolves each value with :func:`kg.analytics.lookup.resolve` or
:func:`~kg.analytics.lookup.resolve_paper`: case, plural, hyphen/space, aliases and one typo.
The value is then replaced by the node's own name, so ``task=question-answering`` finds the
task ``question answering``. A name that matches nothing raises
:class:`~kg.errors.NotFoundError` with the closest names instead of answering no rows.
"""

from __future__ import annotations

from urllib.parse import unquote

from kg.analytics.lookup import resolve, resolve_paper
from kg.schema import MENTIONS, PROPOSES

#: The parameter names that name a node, and the node kinds each may name.
ENTITY_PARAMETERS = {"task": ("task",), "method": ("method",), "dataset": ("dataset",), "metric": ("metric",),
                     "entity": ("method", "dataset", "task", "metric")}

_PREFIXES = """PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kg: <https://w3id.org/kg-papers/ns#>
"""
_ENTITIES = _PREFIXES + """SELECT ?node ?kind ?label ?alias WHERE {
  ?node a ?class ; skos:prefLabel ?label .
  ?class rdfs:subClassOf skos:Concept ; rdfs:label ?kind .
  OPTIONAL { ?node skos:altLabel ?alias }
}"""
_PAPERS = _PREFIXES + """SELECT ?node ?title ?identifier ?date WHERE {
  ?node a schema:ScholarlyArticle .
  OPTIONAL { ?node schema:name ?title }
  OPTIONAL { ?node schema:identifier ?identifier }
  OPTIONAL { ?node schema:datePublished ?date }
}"""
_LINKS = _PREFIXES + """SELECT ?paper ?entity ?proposes WHERE {
  { ?paper schema:mentions ?entity . BIND(false AS ?proposes) }
  UNION { ?paper kg:proposes ?entity . BIND(true AS ?proposes) }
}"""
_ID = "https://w3id.org/kg-papers/id/"


def resolvable(query) -> list[str]:
    """The names of the parameters of a library query that name an entity or a paper."""
    return [p.name for p in query.parameters if p.type == "string" and (p.name in ENTITY_PARAMETERS
                                                                         or p.name == "paper")]


def resolve_params(query, params: dict[str, str], run) -> dict[str, str]:
    """``params`` with every value that names an entity or a paper replaced by that node's
    own name (an entity's label; a paper's title, else an identifier).

    ``run`` runs SPARQL text on the export and returns a :class:`~kg.sparql.result.Result`.
    Raises :class:`~kg.errors.NotFoundError` (with the closest names) when a value names nothing.
    """
    wanted = [name for name in resolvable(query) if name in params]
    if not wanted:
        return dict(params)
    graph = names_graph(run)
    resolved = dict(params)
    for name in wanted:
        if name == "paper":
            attrs = graph.nodes[resolve_paper(graph, params[name])]
            resolved[name] = attrs.get("title") or next(iter(attrs.get("aliases", ())), params[name])
        else:
            resolved[name] = graph.nodes[resolve(graph, params[name], ENTITY_PARAMETERS[name], strict=True)]["label"]
    return resolved


def names_graph(run):
    """A ``networkx`` graph of the export's papers and entities with their names, and the
    mentions and proposes links between them: what :mod:`kg.analytics.lookup` needs."""
    import networkx as nx

    graph, entities = nx.MultiDiGraph(), {}
    for row in run(_ENTITIES).records():
        node = entities.setdefault(row["node"], f"{row['kind']}:{_key(row['node'])}")
        graph.add_node(node, kind=row["kind"], label=row["label"])
        attrs = graph.nodes[node]
        if row["alias"] and row["alias"] not in attrs.setdefault("aliases", []):
            attrs["aliases"].append(row["alias"])
    for row in run(_PAPERS).records():
        node = _paper_node(row["node"])
        graph.add_node(node, kind="paper")
        attrs = graph.nodes[node]
        for field, value in (("title", row["title"]), ("date", row["date"])):
            if value:
                attrs[field] = value
        if row["identifier"] and row["identifier"] not in attrs.setdefault("aliases", []):
            attrs["aliases"].append(row["identifier"])
    for row in run(_LINKS).records():
        paper, entity = _paper_node(row["paper"]), entities.get(row["entity"])
        if paper in graph and entity:
            graph.add_edge(paper, entity, key=PROPOSES if row["proposes"] == "true" else MENTIONS)
    return graph


def _key(iri: str) -> str:
    """The part of an entity IRI after its kind (``.../id/task/question_answering``)."""
    return unquote(iri.rpartition("/")[2]).replace("_", " ")


def _paper_node(iri: str) -> str:
    """The node id ``kg`` prints for a paper IRI (``.../id/paper/arxiv/1810.04805`` is
    ``paper:arxiv:1810.04805``)."""
    scheme, _, value = iri[len(_ID) + len("paper/"):].partition("/")
    value = unquote(value)
    return f"paper:{scheme}:{value.replace('_', ' ') if scheme == 'title' else value}"
