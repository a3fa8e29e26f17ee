"""The graph for other tools: networkx copy, GraphML, GEXF and node-link JSON round trips."""

import json

import networkx as nx
import pytest

import kg


@pytest.fixture(scope="module")
def graph(example_graph):
    return example_graph


def test_to_networkx_is_an_independent_copy(graph):
    copy = kg.to_networkx(graph)
    assert nx.utils.graphs_equal(copy, graph.graph)
    copy.add_node("method:new", kind="method")
    assert "method:new" not in graph.graph


def test_node_link_round_trip_gives_an_equal_graph_with_builds_on(graph, tmp_path):
    data = json.loads(json.dumps(kg.node_link_data(graph)))
    back = kg.from_node_link_data(data)
    assert nx.utils.graphs_equal(back.graph, graph.graph)
    assert nx.is_isomorphic(back.graph, graph.graph)
    loaded = kg.load(graph.write_json(tmp_path / "graph.json"))
    assert sorted(loaded.graph.edges(keys=True, data=True)) == sorted(graph.graph.edges(keys=True, data=True))
    assert any(k == "builds_on" for _, _, k in loaded.graph.edges(keys=True))


def test_graphml_round_trip_restores_lists_and_types(graph, tmp_path):
    path = kg.write_graphml(graph, tmp_path / "graph.graphml")
    back = kg.read_graphml(path)
    assert nx.utils.graphs_equal(back.graph, graph.graph)
    lora = kg.find(back, "LoRA")
    assert isinstance(lora["aliases"], list)
    edge = next(d for *_, k, d in back.graph.edges(keys=True, data=True) if k == "builds_on")
    assert isinstance(edge["entities"], list) and edge["inferred"] is True


def test_graphml_and_gexf_are_deterministic(graph, tmp_path):
    loaded = kg.load(graph.write_json(tmp_path / "graph.json"))
    assert kg.to_graphml(graph) == kg.to_graphml(loaded)
    assert kg.to_gexf(graph) == kg.to_gexf(loaded)


def test_gexf_reads_in_networkx_as_a_static_graph_with_labels(graph, tmp_path):
    path = graph.write_gexf(tmp_path / "graph.gexf")
    text = path.read_text(encoding="utf-8")
    assert 'mode="static"' in text and "lastmodifieddate" not in text
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == graph.graph.number_of_nodes()
    assert back.number_of_edges() == graph.graph.number_of_edges()
    assert back.nodes["method:BERT"]["label"] == "BERT" and back.nodes["method:BERT"]["kind"] == "method"
    mention = next(d for u, v, d in back.edges(data=True) if d.get("kind") == "mentions")
    assert "name_start" in mention and "start" not in mention


def test_every_api_call_answers_the_same_on_a_loaded_graph(graph, tmp_path):
    loaded = kg.load(graph.write_json(tmp_path / "graph.json"))
    for g in (graph, loaded):
        assert isinstance(g, kg.KnowledgeGraph)
    calls = [
        lambda g: g.find("bert"), lambda g: kg.papers(g, since=2019), lambda g: kg.entities(g, type="task"),
        lambda g: g.methods_for("question answering"), lambda g: g.datasets_for("question answering"),
        lambda g: g.tasks_for("BERT"), lambda g: g.metrics_for("image classification"),
        lambda g: g.introduced_in("Transformer"), lambda g: g.proposed_by("Attention Is All You Need"),
        lambda g: g.related_papers("BERT"), lambda g: g.path("LoRA", "ImageNet"), lambda g: g.top(),
        lambda g: g.top(by="degree"), lambda g: g.communities(seed=1), lambda g: g.trend("Transformer"),
        lambda g: g.emerging(since=2019),
    ]
    for call in calls:
        assert call(graph) == call(loaded)
