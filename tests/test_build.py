"""End to end on the shared corpus and the bundled example: counts, RDF contract, determinism."""

import re
import subprocess
import sys

import networkx as nx
import pytest

import kg
from kg.exporters import turtle

SCHEMA = "http://schema.org/"


def test_corpus_counts_are_pinned(corpus_graph):
    stats = corpus_graph.stats
    assert (stats["files"], stats["records"], stats["papers"], stats["duplicates"]) == (3, 498, 484, 14)
    assert not [p for p in corpus_graph.problems if p.skipped]
    assert len(corpus_graph.papers) == 484


def test_same_paper_in_two_files_keeps_both_sources(corpus_graph):
    multi = [p for p in corpus_graph.papers if len({s.path for s in p.sources}) > 1]
    assert multi and all(len(p.sources) >= 2 for p in multi)


def test_acronym_defined_in_corpus_is_one_entity_with_both_names(corpus_graph):
    mdp = corpus_graph.find("MDP")
    assert mdp is not None and mdp["label"] == "Markov Decision Process"
    assert corpus_graph.find("Markov decision process")["id"] == mdp["id"]


def test_proposals_are_recorded(corpus_graph):
    graph = corpus_graph.graph
    surglavi = corpus_graph.find("SurgLaVi")
    proposers = [u for u, _, k in graph.in_edges(surglavi["id"], keys=True) if k == "proposes"]
    assert [graph.nodes[u]["title"][:8] for u in proposers] == ["SurgLaVi"]
    assert surglavi["kind"] == "dataset"


def test_every_mention_has_its_evidence_sentence(corpus_graph):
    graph = corpus_graph.graph
    for u, v, k, data in graph.edges(keys=True, data=True):
        if k == "mentions":
            text = graph.nodes[u]["title"] if data["field"] == "title" else graph.nodes[u]["abstract"]
            assert text[data["sent_start"]:data["sent_end"]] == data["sentence"]
            assert data["surface"] in data["sentence"]
            assert 0 < data["confidence"] <= 1


def test_turtle_parses_in_rdflib_and_pyoxigraph_alike(corpus_graph):
    import pyoxigraph
    import rdflib

    text = turtle.dumps(corpus_graph.graph)
    rdf = rdflib.Graph().parse(data=text, format="turtle")
    store = pyoxigraph.Store()
    store.load(text.encode(), pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(rdf) > 10_000
    articles = rdf.query(f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{SCHEMA}ScholarlyArticle> }}")
    assert int(next(iter(articles))[0]) == 484
    subclass = "SELECT ?c WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf> <http://www.w3.org/2004/02/skos/core#Concept> }"
    assert {str(r[0]).rsplit("#", 1)[1] for r in rdf.query(subclass)} == {"Method", "Dataset", "Task", "Metric", "Concept"}


def test_turtle_carries_the_contract(example_graph):
    import rdflib
    from rdflib.namespace import SKOS

    rdf = rdflib.Graph().parse(data=turtle.dumps(example_graph.graph), format="turtle")
    SCH = rdflib.Namespace(SCHEMA)
    CITO = rdflib.Namespace("http://purl.org/spar/cito/")
    lora = next(s for s, o in rdf.subject_objects(SKOS.prefLabel) if str(o) == "Low-Rank Adaptation")
    assert rdflib.Literal("LoRA") in set(rdf.objects(lora, SKOS.altLabel))
    assert len(list(rdf.subject_objects(CITO.cites))) > 10
    proposes = rdflib.URIRef("https://w3id.org/kg-papers/ns#proposes")
    assert (None, proposes, lora) in rdf
    paper = next(rdf.subjects(SCH.name, rdflib.Literal("LoRA: Low-Rank Adaptation of Large Language Models")))
    assert rdflib.Literal("2106.09685") in set(rdf.objects(paper, SCH.identifier))
    assert (paper, SCH.mentions, lora) in rdf and (paper, SCH.datePublished, None) in rdf


def test_iris_are_safe_whatever_a_name_contains():
    import rdflib

    graph = nx.MultiDiGraph()
    nasty = 'x <y> "z" {a} |b| ^c` \\d #e %f ?g 名前'
    graph.add_node("paper:title:0123", kind="paper", title=nasty)
    graph.add_node(f"method:{nasty}", kind="method", label=nasty, aliases=[nasty + "2"])
    graph.add_edge("paper:title:0123", f"method:{nasty}", key="mentions", kind="mentions")
    rdf = rdflib.Graph().parse(data=turtle.dumps(graph), format="turtle")
    assert rdflib.Literal(nasty) in set(rdf.objects())


@pytest.mark.parametrize("fmt", ["turtle", "json", "html"])
def test_two_builds_give_identical_bytes(example_graph, nlp, fmt):
    again = kg.build(nlp=nlp)
    assert example_graph.dumps(fmt) == again.dumps(fmt)


def test_identical_bytes_across_processes(tmp_path, example_graph):
    code = "import kg,sys; sys.stdout.write(kg.build().dumps('turtle'))"
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
        for seed in ("1", "2")
    }
    assert outputs == {example_graph.dumps("turtle")}


def test_json_round_trip_gives_the_same_graph(corpus_graph, tmp_path):
    path = corpus_graph.write_json(tmp_path / "graph.json")
    back = kg.load(path)
    assert nx.utils.graphs_equal(corpus_graph.graph, back.graph)
    assert sorted(back.graph.edges(keys=True)) == sorted(corpus_graph.graph.edges(keys=True))
    assert back.papers == corpus_graph.papers or len(back.papers) == 484


def test_html_page_needs_no_network(corpus_graph):
    page = corpus_graph.dumps("html")
    refs = re.findall(r"<(?:script|link)\b[^>]*(?:src|href)\s*=\s*[\"']?([^\"' >]+)", page, flags=re.I)
    assert not [r for r in refs if r.lower().startswith(("http:", "https:", "//"))]


def test_load_reports_a_missing_or_wrong_file(tmp_path):
    with pytest.raises(kg.InputError, match="no such file"):
        kg.load(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(kg.InputError, match="not a kg graph.json"):
        kg.load(tmp_path / "bad.json")


def test_nothing_readable_raises(tmp_path):
    (tmp_path / "empty.jsonl").write_text("")
    with pytest.raises(kg.NoInputError, match="file is empty"):
        kg.build([tmp_path / "empty.jsonl"])


def test_python_api_gives_papers_entities_and_writers(example_graph, tmp_path):
    assert len(example_graph.papers) == 25
    assert set(example_graph.entities) == {"method", "dataset", "task", "metric", "concept"}
    assert example_graph.entities["dataset"]
    written = example_graph.write_all(tmp_path)
    assert sorted(p.name for p in written) == ["graph.html", "graph.json", "graph.ttl"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_example_sources_name_the_file_from_the_package_not_the_install(example_graph):
    sources = [s for _, data in example_graph.graph.nodes(data=True) for s in data.get("sources", ())]
    assert sources and all(s.startswith("kg/data/example/papers.jsonl:") for s in sources)


def test_user_files_keep_the_path_as_given(tmp_path, blank_nlp, monkeypatch):
    import kg

    monkeypatch.chdir(tmp_path)
    (tmp_path / "papers.jsonl").write_text('{"title": "BERT", "abstract": "We propose BERT."}\n')
    graph = kg.build(["papers.jsonl"], nlp=blank_nlp)
    [sources] = [data["sources"] for _, data in graph.graph.nodes(data=True) if "sources" in data]
    assert sources == ["papers.jsonl:1"]
