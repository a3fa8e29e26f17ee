"""Inferred paper -> paper builds_on links: direction, dates, evidence, and the built graph."""

import networkx as nx
import pytest

import kg
from kg.graph.builds_on import add_builds_on, infer_builds_on, is_earlier


def graph_of(a_dates: dict, b_dates: dict, mentioned=("method:LoRA",), title="LoRA and GLUE for language models"):
    """Paper A (titled ``title``) proposes LoRA and GLUE; paper B mentions ``mentioned``."""
    graph = nx.MultiDiGraph()
    graph.add_node("paper:a", kind="paper", title=title, **a_dates)
    graph.add_node("paper:b", kind="paper", **b_dates)
    for entity in ("method:LoRA", "dataset:GLUE"):
        graph.add_node(entity, kind=entity.split(":")[0], label=entity.split(":")[1])
        graph.add_edge("paper:a", entity, key="mentions", kind="mentions", sentence=f"We propose {entity}.",
                       confidence=0.9)
        graph.add_edge("paper:a", entity, key="proposes", kind="proposes", sentence=f"We propose {entity}.")
    for i, entity in enumerate(mentioned):
        graph.add_edge("paper:b", entity, key="mentions", kind="mentions", sentence=f"B uses {entity}.",
                       confidence=0.5 + i / 10, field="abstract")
    return graph


def test_later_paper_builds_on_earlier_one_with_the_contract_attributes():
    graph = graph_of({"year": 2021}, {"year": 2023})
    assert add_builds_on(graph) == 1
    assert graph.edges["paper:b", "paper:a", "builds_on"] == {
        "kind": "builds_on", "entities": ["method:LoRA"], "entity": "method:LoRA", "sentence": "B uses method:LoRA.",
        "undated": False, "inferred": True}
    assert not graph.has_edge("paper:a", "paper:b")


def test_several_entities_give_one_edge_with_sorted_entities_and_the_best_sentence():
    graph = graph_of({"year": 2021}, {"year": 2023}, mentioned=("method:LoRA", "dataset:GLUE"))
    add_builds_on(graph)
    edge = graph.edges["paper:b", "paper:a", "builds_on"]
    assert edge["entities"] == ["dataset:GLUE", "method:LoRA"]
    assert (edge["entity"], edge["sentence"]) == ("dataset:GLUE", "B uses dataset:GLUE.")  # the more confident mention


@pytest.mark.parametrize("a, b", [
    ({"year": 2021}, {"year": 2021}),                                            # same year, no dates
    ({"date": "2021-06-17", "year": 2021}, {"date": "2021-06-17", "year": 2021}),  # same day
    ({"date": "2021-06", "year": 2021}, {"date": "2021-06-17", "year": 2021}),     # month vs day in it
    ({"year": 2023}, {"year": 2021}),                                            # A is later
])
def test_no_link_unless_a_is_earlier(a, b):
    graph = graph_of(a, b)
    assert add_builds_on(graph) == 0


def test_dates_are_compared_before_years():
    assert is_earlier({"date": "2021-03-01", "year": 2021}, {"date": "2021-06-17", "year": 2021})
    assert is_earlier({"date": "2021-12-01", "year": 2021}, {"year": 2022})  # one date: years decide
    assert is_earlier({"date": "2021-12-01", "year": 2021}, {"year": 2021}) is False


@pytest.mark.parametrize("a, b", [({"listed": "Sep 9"}, {"year": 2021}), ({"year": 2021}, {}), ({}, {})])
def test_unknown_dates_give_no_link(a, b):
    assert add_builds_on(graph_of(a, b)) == 0


@pytest.mark.parametrize("title", ["A Survey of Low-Rank Methods: LoRA and GLUE", "LoRA and GLUE: an Open-Source Library"])
def test_no_origin_in_a_survey_or_a_library(title):
    assert add_builds_on(graph_of({"year": 2021}, {"year": 2023}, title=title)) == 0


def test_a_lowercase_name_is_an_origin_only_where_the_title_names_it():
    graph = graph_of({"year": 2021}, {"year": 2023}, mentioned=("method:diff pruning",), title="Efficient transfer")
    graph.add_node("method:diff pruning", kind="method", label="diff pruning")
    graph.add_edge("paper:a", "method:diff pruning", key="proposes", kind="proposes")
    assert add_builds_on(graph) == 0
    graph.nodes["paper:a"]["title"] = "Parameter-Efficient Transfer Learning with Diff Pruning"
    assert add_builds_on(graph) == 1


@pytest.mark.parametrize("name", ["transfer learning", "fine-tuning", "adapters"])
def test_a_learning_paradigm_is_no_origin_even_in_a_title(name):
    entity = f"method:{name}"
    graph = graph_of({"year": 2019}, {"year": 2023}, mentioned=(entity,), title=f"Parameter-efficient {name} for NLP")
    graph.add_node(entity, kind="method", label=name)
    graph.add_edge("paper:a", entity, key="proposes", kind="proposes")
    assert add_builds_on(graph) == 0


def test_a_generic_class_is_no_origin():
    graph = graph_of({"year": 2021}, {"year": 2023}, mentioned=("method:language model",),
                     title="A language model for LoRA")
    graph.add_node("method:language model", kind="method", label="language model")
    graph.add_edge("paper:a", "method:language model", key="proposes", kind="proposes")
    assert add_builds_on(graph) == 0


def test_a_paper_does_not_build_on_itself_and_adding_twice_replaces():
    graph = graph_of({"year": 2021}, {"year": 2023})
    graph.add_edge("paper:a", "method:LoRA", key="mentions", kind="mentions", sentence="again")
    assert add_builds_on(graph) == add_builds_on(graph) == 1
    assert [(u, v) for u, v, k in graph.edges(keys=True) if k == "builds_on"] == [("paper:b", "paper:a")]
    assert infer_builds_on(graph)[0][:2] == ("paper:b", "paper:a")


def test_the_example_graph_has_dated_builds_on_links(example_graph):
    graph = example_graph.graph
    edges = [(u, v, d) for u, v, k, d in graph.edges(keys=True, data=True) if k == "builds_on"]
    assert ("paper:arxiv:1907.11692", "paper:arxiv:1810.04805") in {(u, v) for u, v, _ in edges}  # RoBERTa -> BERT
    for b, a, data in edges:
        assert data["inferred"] is True and data["undated"] is False
        assert is_earlier(graph.nodes[a], graph.nodes[b])
        for entity in data["entities"]:
            assert graph.has_edge(a, entity, "proposes") and graph.has_edge(b, entity, "mentions")
        assert data["sentence"] in {graph.edges[b, e, "mentions"]["sentence"] for e in data["entities"]}


def test_builds_on_links_survive_the_json_round_trip(example_graph, tmp_path):
    back = kg.load(example_graph.write_json(tmp_path / "graph.json"))
    mine = {(u, v): d for u, v, k, d in example_graph.graph.edges(keys=True, data=True) if k == "builds_on"}
    loaded = {(u, v): d for u, v, k, d in back.graph.edges(keys=True, data=True) if k == "builds_on"}
    assert mine == loaded and mine


def test_corpus_links_are_dated_one_way_and_name_their_evidence(corpus_graph):
    graph = corpus_graph.graph
    edges = {(u, v): d for u, v, k, d in graph.edges(keys=True, data=True) if k == "builds_on"}
    for (b, a), data in edges.items():
        assert data["undated"] is False and is_earlier(graph.nodes[a], graph.nodes[b]) is True
        assert (a, b) not in edges
        assert data["entity"] in data["entities"] and data["sentence"]


def test_a_name_several_papers_propose_gives_no_link():
    graph = nx.MultiDiGraph()
    graph.add_node("method:diff pruning", kind="method", label="diff pruning")
    for paper, year in (("paper:a", 2019), ("paper:b", 2020), ("paper:c", 2023)):
        graph.add_node(paper, kind="paper", year=year, title="Diff pruning for everything")
    for proposer in ("paper:a", "paper:b"):
        graph.add_edge(proposer, "method:diff pruning", key="proposes", kind="proposes")
    graph.add_edge("paper:c", "method:diff pruning", key="mentions", kind="mentions", sentence="We prune.")
    assert infer_builds_on(graph) == []
    graph.remove_edge("paper:b", "method:diff pruning", key="proposes")
    assert [(b, a) for b, a, _ in infer_builds_on(graph)] == [("paper:c", "paper:a")]
