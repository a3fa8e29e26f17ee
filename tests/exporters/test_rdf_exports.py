"""The RDF exports (Turtle, N-Triples, JSON-LD): the same graph in rdflib and pyoxigraph,
deterministic, no blank nodes, and the statement records with their evidence."""

from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, SKOS, XSD

from kg import registry
from kg.rdf.mapping import PREFIXES, RDF_FORMATS, literal, ntriples_lines, to_rdflib
from kg.rdf.vocab import KG, OA, SCHEMA, entity_iri, paper_iri

CITO = Namespace("http://purl.org/spar/cito/")
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}
OXIGRAPH_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "jsonld": "JSON_LD"}


def rdflib_read(text, fmt):
    return Graph().parse(data=text, format=RDFLIB_FORMATS[fmt])


def oxigraph_read(text, fmt):
    """The export read by pyoxigraph, as an rdflib graph for comparison."""
    import pyoxigraph

    graph = Graph()
    for t in pyoxigraph.parse(text.encode("utf-8"), format=getattr(pyoxigraph.RdfFormat, OXIGRAPH_FORMATS[fmt])):
        graph.add(tuple(_rdflib_term(term) for term in (t.subject, t.predicate, t.object)))
    return graph


def _rdflib_term(term):
    if not hasattr(term, "datatype"):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == str(XSD.string) else Literal(term.value, datatype=URIRef(datatype))


def hand_built_graph():
    """Papers, entities and every edge kind the exports handle, with the attributes the graph
    stage gives them (builds_on and entity-entity relations included)."""
    g = nx.MultiDiGraph()
    g.add_node("paper:arxiv:1706.03762", kind="paper", title="Attention Is All You Need", date="2017-06-12",
               abstract="We propose the Transformer. It uses attention.", arxiv_id="1706.03762",
               authors=["A. Vaswani"], url="https://arxiv.org/abs/1706.03762", code_urls=["https://github.com/x/y", "not a url"])
    g.add_node("paper:title:00ff", kind="paper", title="BERT on SQuAD", year=2018, author_count=3,
               abstract="We fine-tune the Transformer on SQuAD for question answering.", listed="Oct 11")
    g.add_node("method:transformer", kind="method", label="Transformer", aliases=["transformers"], paper_count=2)
    g.add_node("dataset:SQuAD", kind="dataset", label="SQuAD", aliases=[], paper_count=1)
    g.add_node("task:question answering", kind="task", label="question answering", aliases=["QA"], paper_count=1)
    g.add_node("concept:MoE.", kind="concept", label="MoE.", aliases=[], paper_count=1)
    abstract = g.nodes["paper:arxiv:1706.03762"]["abstract"]
    evidence = dict(sentence="We propose the Transformer.", field="abstract", start=15, end=26, sent_start=0,
                    sent_end=27, surface="Transformer", extractor="proposal", confidence=0.85, count=2)
    assert abstract[15:26] == "Transformer"
    g.add_edge("paper:arxiv:1706.03762", "method:transformer", key="mentions", kind="mentions", **evidence)
    g.add_edge("paper:arxiv:1706.03762", "method:transformer", key="proposes", kind="proposes", **evidence)
    g.add_edge("paper:arxiv:1706.03762", "concept:MoE.", key="mentions", kind="mentions",
               **{**evidence, "sentence": "It uses attention.", "start": 28, "end": 30, "sent_start": 28,
                  "surface": "It", "extractor": "name", "confidence": 0.5, "count": 1})
    bert = "We fine-tune the Transformer on SQuAD for question answering."
    for entity, start, end, extractor in (("method:transformer", 17, 28, "gazetteer"), ("dataset:SQuAD", 32, 37, "gazetteer"),
                                          ("task:question answering", 42, 60, "noun_chunk")):
        g.add_edge("paper:title:00ff", entity, key="mentions", kind="mentions", sentence=bert, field="abstract",
                   start=start, end=end, sent_start=0, sent_end=len(bert), surface=bert[start:end],
                   extractor=extractor, confidence=0.9, count=1)
    g.add_edge("paper:title:00ff", "paper:arxiv:1706.03762", key="cites", kind="cites")
    g.add_node("paper:doi:10.1000/x", kind="paper", stub=True, label="doi:10.1000/x", doi="10.1000/x")
    g.add_edge("paper:title:00ff", "paper:doi:10.1000/x", key="cites", kind="cites")
    g.add_edge("paper:title:00ff", "paper:arxiv:1706.03762", key="builds_on", kind="builds_on",
               entities=["method:transformer"], sentence=bert, undated=False, inferred=True)
    g.add_edge("method:transformer", "task:question answering", key="used_for", kind="used_for", sentence=bert,
               field="abstract", start=17, end=60, sent_start=0, sent_end=len(bert), extractor="relation_model",
               confidence=0.7, paper="paper:title:00ff", support=1)
    g.add_edge("dataset:SQuAD", "task:question answering", key="benchmark_for", kind="benchmark_for",
               sentence=bert, field="abstract", start=32, end=60, sent_start=0, extractor="pattern",
               confidence=0.6, paper="paper:title:00ff", support=2)
    g.add_edge("dataset:SQuAD", "task:question answering", key="co_occurs", kind="co_occurs", weight=1)
    return g


@pytest.fixture(scope="module", params=[hand_built_graph, "example"], ids=["hand-built", "example"])
def graph(request, example_graph):
    return example_graph.graph if request.param == "example" else request.param()


def test_rdf_formats_are_registered():
    assert set(RDF_FORMATS) <= {p.name for p in registry.exporters()}


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdflib_and_pyoxigraph_read_every_export_to_the_same_graph(graph, fmt):
    reference = to_rdflib(graph)
    text = registry.exporter(fmt).load().dumps(graph)
    assert len(reference) > 50
    assert isomorphic(rdflib_read(text, fmt), reference)
    assert isomorphic(oxigraph_read(text, fmt), reference)


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_exports_have_no_blank_nodes(graph, fmt):
    rdf = rdflib_read(registry.exporter(fmt).load().dumps(graph), fmt)
    assert not [t for triple in rdf for t in triple if not isinstance(t, (URIRef, Literal))]


def test_ntriples_is_sorted_and_canonical(graph):
    text = registry.exporter("ntriples").load().dumps(graph)
    lines = text.splitlines(keepends=True)
    assert lines == sorted(set(lines)) and all(line.endswith(" .\n") for line in lines)


def test_turtle_falls_back_to_full_iris_for_a_name_ending_in_a_dot():
    text = registry.exporter("turtle").load().dumps(hand_built_graph())
    assert "<https://w3id.org/kg-papers/id/concept/MoE.>" in text and "@prefix concept:" not in text
    assert "method:transformer" in text


def test_jsonld_uses_the_shipped_context(graph):
    from kg.exporters.jsonld import context

    data = json.loads(registry.exporter("jsonld").load().dumps(graph))
    assert data["@context"] == context()
    assert {k: v for k, v in context().items() if isinstance(v, str) and v.endswith(("/", "#"))} == PREFIXES
    ids = [node["@id"] for node in data["@graph"]]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_exports_are_identical_across_processes(fmt, tmp_path):
    import kg

    path = kg.KnowledgeGraph(hand_built_graph()).write_json(tmp_path / "graph.json")
    code = f"import kg, sys; sys.stdout.write(kg.load({str(path)!r}).dumps({fmt!r}))"
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2", "3")}
    assert outputs == {registry.exporter(fmt).load().dumps(hand_built_graph())}


# --- what the triples say -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rdf():
    return to_rdflib(hand_built_graph())


def statement(rdf, s, p, o):
    found = [st for st in rdf.subjects(RDF.subject, s) if (st, RDF.predicate, p) in rdf and (st, RDF.object, o) in rdf]
    assert len(found) == 1, (s, p, o)
    return found[0]


PAPER, CITING = paper_iri("arxiv:1706.03762"), paper_iri("title:00ff")
TRANSFORMER, QA, SQUAD = entity_iri("method:transformer"), entity_iri("task:question answering"), entity_iri("dataset:SQuAD")


def test_a_mention_has_a_statement_record_with_its_evidence(rdf):
    st = statement(rdf, PAPER, KG.proposes, TRANSFORMER)
    assert (PAPER, KG.proposes, TRANSFORMER) in rdf and (PAPER, SCHEMA.mentions, TRANSFORMER) in rdf
    assert (st, RDF.type, KG.Statement) in rdf and (st, PROV.wasDerivedFrom, PAPER) in rdf
    assert rdf.value(st, KG.confidence) == Literal("0.85", datatype=XSD.decimal)
    assert rdf.value(st, KG.mentionCount) == Literal(2)
    assert rdf.value(rdf.value(st, PROV.wasAttributedTo), URIRef("http://www.w3.org/2000/01/rdf-schema#label")) == Literal("proposal")
    evidence = rdf.value(st, KG.evidence)
    assert rdf.value(evidence, OA.hasSource) == PAPER and rdf.value(evidence, KG.field) == Literal("abstract")
    selectors = {rdf.value(s, RDF.type): s for s in rdf.objects(evidence, OA.hasSelector)}
    quote, position = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
    parts = [str(rdf.value(quote, p) or "") for p in (OA.prefix, OA.exact, OA.suffix)]
    assert parts == ["We propose the ", "Transformer", "."]
    assert (rdf.value(position, OA.start).toPython(), rdf.value(position, OA.end).toPython()) == (15, 26)


def test_statement_iris_are_minted_from_the_triple(rdf):
    st = statement(rdf, PAPER, SCHEMA.mentions, TRANSFORMER)
    other = statement(rdf, PAPER, KG.proposes, TRANSFORMER)
    assert str(st).startswith("https://w3id.org/kg-papers/id/statement/") and st != other
    assert str(rdf.value(st, KG.evidence)) == f"{st}-evidence"


def test_builds_on_is_a_cito_link_with_an_inferred_record(rdf):
    assert (CITING, CITO.cites, PAPER) in rdf and (CITING, CITO.usesMethodIn, PAPER) in rdf
    assert (CITING, CITO.usesDataFrom, PAPER) not in rdf and (CITING, KG.buildsOn, PAPER) not in rdf
    st = statement(rdf, CITING, CITO.usesMethodIn, PAPER)
    assert rdf.value(st, KG.inferred) == Literal(True) and rdf.value(st, KG.undated) == Literal(False)
    assert set(rdf.objects(st, KG.sharedEntity)) == {TRANSFORMER}
    assert set(rdf.objects(st, PROV.wasDerivedFrom)) == {CITING, PAPER}
    quote = next(rdf.objects(rdf.value(st, KG.evidence), OA.hasSelector))
    assert str(rdf.value(quote, OA.exact)).startswith("We fine-tune")


def test_builds_on_without_a_method_or_dataset_uses_kg_builds_on():
    g = hand_built_graph()
    g.edges["paper:title:00ff", "paper:arxiv:1706.03762", "builds_on"]["entities"] = ["task:question answering"]
    rdf = to_rdflib(g)
    assert (CITING, KG.buildsOn, PAPER) in rdf and (CITING, CITO.usesMethodIn, PAPER) not in rdf
    g.edges["paper:title:00ff", "paper:arxiv:1706.03762", "builds_on"]["entities"] = ["method:transformer", "dataset:SQuAD"]
    rdf = to_rdflib(g)
    assert (CITING, CITO.usesMethodIn, PAPER) in rdf and (CITING, CITO.usesDataFrom, PAPER) in rdf
    assert set(rdf.objects(statement(rdf, CITING, CITO.usesDataFrom, PAPER), KG.sharedEntity)) == {SQUAD}


def test_entity_relations_are_exported_with_support(rdf):
    st = statement(rdf, TRANSFORMER, KG.usedFor, QA)
    assert (TRANSFORMER, KG.usedFor, QA) in rdf and rdf.value(st, KG.support) == Literal(1)
    assert rdf.value(st, PROV.wasDerivedFrom) == CITING
    generic = URIRef("https://w3id.org/kg-papers/ns#benchmarkFor")
    assert (SQUAD, generic, QA) in rdf and rdf.value(statement(rdf, SQUAD, generic, QA), KG.support) == Literal(2)
    assert rdf.value(generic, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) == Literal("benchmark_for")
    assert not list(rdf.subject_objects(URIRef("https://w3id.org/kg-papers/ns#coOccurs")))


def test_without_relations_nothing_about_them_is_written():
    g = hand_built_graph()
    g.remove_edges_from([(u, v, k) for u, v, k in list(g.edges(keys=True)) if k in ("builds_on", "used_for", "benchmark_for")])
    text = "".join(ntriples_lines(g))
    assert "usedFor" not in text and "benchmarkFor" not in text and "inferred" not in text


def test_papers_and_entities_keep_the_contract(rdf):
    stub = paper_iri("doi:10.1000/x")
    assert (CITING, CITO.cites, stub) in rdf and rdf.value(stub, SCHEMA.name) is None
    assert rdf.value(stub, SCHEMA.identifier) == Literal("10.1000/x")
    assert rdf.value(PAPER, SCHEMA.datePublished) == Literal("2017-06-12", datatype=XSD.date)
    assert rdf.value(CITING, SCHEMA.datePublished) == Literal("2018", datatype=XSD.gYear)
    assert rdf.value(CITING, KG.authorCount) == Literal(3) and rdf.value(CITING, KG.listedOn) == Literal("Oct 11")
    assert set(rdf.objects(PAPER, SCHEMA.codeRepository)) == {URIRef("https://github.com/x/y")}
    assert rdf.value(QA, SKOS.prefLabel) == Literal("question answering") and (QA, SKOS.altLabel, Literal("QA")) in rdf


@given(st.text())
def test_literals_are_escaped_as_pyoxigraph_writes_them(text):
    from pyoxigraph import Literal as OxLiteral

    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return
    assert literal(text) == str(OxLiteral(text))
