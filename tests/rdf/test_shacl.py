"""SHACL shapes and ontology: real exports conform, broken graphs fail with messages a user
can act on, and the ontology describes every term an export uses."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from test_rdf_exports import hand_built_graph

from kg.cli import main
from kg.rdf.mapping import RDF_FORMATS, to_rdflib
from kg.rdf.validate import ontology_graph, validate
from kg.rdf.vocab import KG, OA, SCHEMA

SCHEMA_DOMAIN, SCHEMA_RANGE = SCHEMA.domainIncludes, SCHEMA.rangeIncludes
SUFFIX = {"turtle": "graph.ttl", "ntriples": "graph.nt", "jsonld": "graph.jsonld"}


@pytest.fixture(scope="module")
def exports(example_graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("shacl")
    return {fmt: example_graph.write(fmt, folder / SUFFIX[fmt]) for fmt in RDF_FORMATS}


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_the_example_export_conforms(exports, fmt):
    result = CliRunner().invoke(main, ["validate", str(exports[fmt])])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("triples)") and ": conforms (" in result.output


def test_a_hand_built_graph_with_every_edge_kind_conforms():
    report = validate(to_rdflib(hand_built_graph()))
    assert report.conforms, [str(v) for v in report.violations]


def broken(change):
    rdf = to_rdflib(hand_built_graph())
    change(rdf)
    return validate(rdf)


def statement_of(rdf, predicate):
    return next(s for s in rdf.subjects(RDF.predicate, predicate))


PAPER = URIRef("https://w3id.org/kg-papers/id/paper/arxiv/1706.03762")
TRANSFORMER = URIRef("https://w3id.org/kg-papers/id/method/transformer")


def drop_pref_label(rdf):
    rdf.remove((TRANSFORMER, SKOS.prefLabel, None))


def second_type(rdf):
    rdf.add((TRANSFORMER, RDF.type, KG.Dataset))


def wrong_offsets(rdf):
    position = next(rdf.subjects(RDF.type, OA.TextPositionSelector))
    rdf.set((position, OA.start, Literal(1, datatype=XSD.nonNegativeInteger)))


def missing_triple(rdf):
    rdf.remove((PAPER, KG.proposes, TRANSFORMER))


def no_confidence(rdf):
    rdf.remove((statement_of(rdf, SCHEMA.mentions), KG.confidence, None))


def confidence_above_one(rdf):
    rdf.set((statement_of(rdf, SCHEMA.mentions), KG.confidence, Literal("1.5", datatype=XSD.decimal)))


def no_support(rdf):
    rdf.remove((statement_of(rdf, KG.usedFor), KG.support, None))


def bad_date(rdf):
    rdf.set((PAPER, SCHEMA.datePublished, Literal("June 2017")))


def dangling_mention(rdf):
    rdf.add((PAPER, SCHEMA.mentions, URIRef("https://w3id.org/kg-papers/id/method/nowhere")))


@pytest.mark.parametrize("change, focus, message", [
    (drop_pref_label, "method:transformer", "exactly one skos:prefLabel"),
    (second_type, "method:transformer", "exactly one of the types kg:Method"),
    (wrong_offsets, "-evidence", "the text there differs"),
    (missing_triple, "statement:", "which is not in the export"),
    (no_confidence, "statement:", "needs kg:confidence"),
    (confidence_above_one, "statement:", "kg:confidence must be one xsd:decimal from 0 to 1"),
    (no_support, "statement:", "needs kg:support"),
    (bad_date, "arxiv:1706.03762", "schema:datePublished must be one xsd:date"),
    (dangling_mention, "arxiv:1706.03762", "schema:mentions must point to an entity"),
])
def test_a_broken_graph_fails_with_a_message_that_names_the_problem(change, focus, message):
    report = broken(change)
    assert not report.conforms
    assert any(focus in v.focus and message in v.message for v in report.violations), \
        [str(v) for v in report.violations]


def test_kg_validate_prints_violations_and_exits_1(tmp_path):
    rdf = to_rdflib(hand_built_graph())
    missing_triple(rdf)
    drop_pref_label(rdf)
    path = tmp_path / "graph.nt"
    rdf.serialize(path, format="nt", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "Violation: method:transformer skos:prefLabel: An entity needs exactly one skos:prefLabel" in result.output
    assert "2 violation(s) of the kg shapes" in result.output


def test_kg_validate_names_a_missing_file(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "graph.ttl")])
    assert result.exit_code == 1 and "no such file" in result.output


# --- the ontology -------------------------------------------------------------------------------

META = {RDF.type, RDFS.Class, RDF.Property, RDFS.subClassOf, RDFS.subPropertyOf}


def used_terms(rdf):
    classes = {o for o in rdf.objects(None, RDF.type)}
    properties = {p for p in rdf.predicates()}
    return (classes | properties) - META


@pytest.mark.parametrize("source", ["example", "hand-built"])
def test_the_ontology_describes_every_term_an_export_uses(source, example_graph):
    ontology = ontology_graph()
    rdf = to_rdflib(example_graph.graph if source == "example" else hand_built_graph())
    generic = URIRef("https://w3id.org/kg-papers/ns#benchmarkFor")  # an edge kind no one declared
    for term in sorted(used_terms(rdf) - {generic}):
        assert ontology.value(term, RDFS.label) and ontology.value(term, RDFS.comment), term
        if term in {o for o in rdf.objects(None, RDF.type)}:
            continue
        assert ontology.value(term, RDFS.domain) or ontology.value(term, SCHEMA_DOMAIN), term
        assert ontology.value(term, RDFS.range) or ontology.value(term, SCHEMA_RANGE), term


def test_the_ontology_and_the_vocabulary_module_agree():
    ontology = ontology_graph()
    declared = {s for s in ontology.subjects(RDFS.isDefinedBy, URIRef("https://w3id.org/kg-papers/ns"))}
    assert declared == {URIRef(KG[name]) for name in KG.__annotations__}
    for term in declared:
        kinds = set(ontology.objects(term, RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, term
        if OWL.Class not in kinds:
            assert ontology.value(term, RDFS.domain) and ontology.value(term, RDFS.range), term
