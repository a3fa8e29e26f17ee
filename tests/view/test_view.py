"""Choosing what a page draws (kg.view.select.select) and the `kg view` command."""

from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import NotFoundError
from kg.exporters import json as json_export
from kg.view.select import find, importance, neighbourhood, paper_year, select, undirected
from kg.view.topics import salience


def small_graph() -> nx.MultiDiGraph:
    """Papers of three years (one undated) around two methods, a dataset and a metric."""
    graph = nx.MultiDiGraph(name="small")
    papers = {"paper:a": 2019, "paper:b": 2021, "paper:c": 2023, "paper:d": None}
    for node, year in papers.items():
        graph.add_node(node, kind="paper", label=f"Paper {node[-1].upper()}", title=f"Paper {node[-1].upper()}",
                       **({"year": year} if year else {}))
    graph.add_node("method:lora", kind="method", label="Low-Rank Adaptation", aliases=["LoRA"])
    graph.add_node("method:bert", kind="method", label="BERT", aliases=[])
    graph.add_node("dataset:glue", kind="dataset", label="GLUE", aliases=["General Language Understanding"])
    graph.add_node("metric:acc", kind="metric", label="accuracy", aliases=[])
    for paper, entity in [("paper:a", "method:bert"), ("paper:a", "dataset:glue"), ("paper:b", "method:lora"),
                          ("paper:b", "dataset:glue"), ("paper:c", "method:lora"), ("paper:d", "metric:acc")]:
        graph.add_edge(paper, entity, key="mentions", kind="mentions", sentence="...")
    graph.add_edge("dataset:glue", "method:lora", key="co_occurs", kind="co_occurs", weight=1)
    graph.add_edge("method:bert", "metric:acc", key="co_occurs", kind="co_occurs", weight=1)
    graph.add_edge("paper:c", "paper:b", key="cites", kind="cites")
    return graph


def test_the_whole_graph_is_selected_as_it_is():
    graph = small_graph()
    chosen = select(graph)
    assert chosen.graph is graph and chosen.left_out == 0 and chosen.notes == ()
    assert (chosen.total_nodes, chosen.total_edges) == (8, 9)
    assert set(chosen.importance) == set(graph)


@pytest.mark.parametrize("name", ["method:lora", "Low-Rank Adaptation", "low-rank  adaptation", "lora", "LoRA"])
def test_find_by_id_name_or_alias(name):
    assert find(small_graph(), name) == "method:lora"


def test_find_prefers_a_name_to_an_alias_and_the_more_important_node():
    graph = small_graph()
    graph.add_node("concept:lora", kind="concept", label="LoRA")
    assert find(graph, "lora") == "concept:lora"
    graph.add_node("task:lora", kind="task", label="LoRA")
    graph.add_edge("paper:a", "task:lora", key="mentions")
    assert find(graph, "lora") == "task:lora"


def test_find_failure_lists_close_matches():
    with pytest.raises(NotFoundError, match=r"No node named 'Low-Rank Adaptaon nets'.*Close names: "
                                            r"Low-Rank Adaptation"):
        find(small_graph(), "Low-Rank Adaptaon nets")
    with pytest.raises(NotFoundError, match="No close name either"):
        find(small_graph(), "zzzz")


def test_focus_draws_the_neighbourhood_without_following_co_occurrence():
    graph = small_graph()
    chosen = select(graph, focus="LoRA")
    assert set(chosen.graph) == {"method:lora", "paper:b", "paper:c"}
    assert chosen.focus == "method:lora" and chosen.left_out == 5
    assert chosen.notes == ("Showing 3 of 8 nodes: 5 left out.",
                            "Neighbourhood of Low-Rank Adaptation (method), 1 link(s) deep: 3 nodes.")
    assert set(select(graph, focus="LoRA", depth=2).graph) == {"method:lora", "paper:b", "paper:c", "dataset:glue"}
    assert set(select(graph, focus="LoRA", depth=0).graph) == {"method:lora"}
    assert neighbourhood(graph, "paper:a", 1) == {"paper:a", "method:bert", "dataset:glue"}


def test_the_subgraph_keeps_every_edge_between_selected_nodes():
    chosen = select(small_graph(), focus="LoRA", depth=2)
    assert set(chosen.graph.edges(keys=True)) == {
        ("paper:b", "method:lora", "mentions"), ("paper:c", "method:lora", "mentions"),
        ("paper:b", "dataset:glue", "mentions"), ("dataset:glue", "method:lora", "co_occurs"),
        ("paper:c", "paper:b", "cites")}


def test_since_keeps_recent_papers_and_their_entities():
    chosen = select(small_graph(), since=2021)
    assert set(chosen.graph) == {"paper:b", "paper:c", "method:lora", "dataset:glue"}
    assert "Papers from 2021 on: 2 of 4 papers (1 without a year left out), 4 nodes in all." in chosen.notes


def test_an_entity_no_paper_links_to_is_kept_by_since():
    graph = small_graph()
    graph.add_node("concept:lonely", kind="concept", label="lonely")
    assert "concept:lonely" in select(graph, since=2030).graph


def test_types_keep_those_kinds_and_the_focus():
    chosen = select(small_graph(), types=["method", "dataset"])
    assert set(chosen.graph) == {"method:lora", "method:bert", "dataset:glue"}
    assert set(select(small_graph(), focus="Paper B", types=["method"]).graph) == {"paper:b", "method:lora"}


def test_an_unknown_type_lists_the_choices():
    with pytest.raises(NotFoundError, match="No node type 'methods'. Available: concept, dataset, method"):
        select(small_graph(), types=["methods"])


def test_max_nodes_keeps_the_most_important_and_says_how_to_see_the_rest():
    graph = small_graph()
    weights = salience(graph, importance(graph))
    chosen = select(graph, max_nodes=3, command="kg view g.json")
    assert set(chosen.graph) == set(sorted(graph, key=lambda n: (-weights[n], n))[:3])
    assert chosen.notes[0] == "Showing 3 of 8 nodes: 5 left out."
    assert chosen.notes[1] == ("Only the 3 most important of 8 nodes (by PageRank, generic terms discounted) are "
                               "drawn. To see the rest, run "
                               "kg view g.json --max-nodes 8 (all of them) or kg view g.json --focus NAME "
                               "(one neighbourhood).")


def test_max_nodes_never_drops_the_focus():
    chosen = select(small_graph(), focus="accuracy", depth=2, max_nodes=1)
    assert set(chosen.graph) == {"metric:acc"}


def test_bad_numbers_are_refused():
    with pytest.raises(ValueError):
        select(small_graph(), max_nodes=0)
    with pytest.raises(ValueError):
        select(small_graph(), depth=-1)


def test_importance_is_pagerank_of_the_undirected_graph():
    graph = small_graph()
    ranks = importance(graph)
    assert ranks == pytest.approx(nx.pagerank(undirected(graph), weight=None))
    assert abs(sum(ranks.values()) - 1) < 1e-9
    assert max(ranks, key=ranks.get) in {"dataset:glue", "method:lora"}


def test_importance_uses_a_pagerank_attribute_only_when_every_node_has_one():
    graph = small_graph()
    nx.set_node_attributes(graph, {node: 1.0 for node in graph}, "pagerank")
    assert set(importance(graph).values()) == {1.0}
    graph.nodes["paper:a"]["pagerank"] = None
    assert set(importance(graph).values()) != {1.0}


def test_undirected_has_one_edge_per_linked_pair_in_a_fixed_order():
    graph = small_graph()
    skeleton = undirected(graph)
    assert list(skeleton) == sorted(graph)
    assert skeleton.number_of_edges() == 9
    assert list(skeleton.edges) == list(undirected(small_graph()).edges)


def test_paper_year_from_year_or_date():
    assert paper_year({"year": 2020, "date": "2019-01-01"}) == 2020
    assert paper_year({"date": "2019-01-01"}) == 2019
    assert paper_year({"year": True}) is None and paper_year({}) is None


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "exports" / "graph.json"
    json_export.write(small_graph(), path)
    return path


def test_kg_view_writes_the_page_beside_the_export(export):
    result = run("view", str(export))
    assert result.exit_code == 0, result.output
    page = export.with_name("view.html")
    assert result.output.startswith(f"Wrote {page} (")
    assert "8 of 8 nodes, 9 of 9 edges" in result.output
    assert '<script type="application/json" id="kg-data">' in page.read_text(encoding="utf-8")


def test_kg_view_options_select_and_the_notes_are_printed(export, tmp_path):
    out = tmp_path / "lora.html"
    result = run("view", str(export), "--focus", "LoRA", "--depth", "2", "--types", "method, paper",
                 "--max-nodes", "2", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "2 of 8 nodes" in result.output
    assert f"run kg view {export} --focus LoRA --depth 2 --types 'method, paper' --max-nodes 3." in result.output
    page = out.read_text(encoding="utf-8")
    assert "Neighbourhood of Low-Rank Adaptation (method), 2 link(s) deep: 4 nodes." in page


def test_kg_view_errors_are_one_line(export, tmp_path):
    result = run("view", str(export), "--focus", "nothing like it")
    assert result.exit_code == 1
    assert result.output.startswith("kg: error: No node named 'nothing like it'")
    result = run("view", str(tmp_path / "missing.json"))
    assert result.exit_code == 1 and "missing.json: no such file" in result.output
    result = run("view", str(export), "--max-nodes", "0")
    assert result.exit_code == 2 and "--max-nodes" in result.output


def test_kg_view_has_help_with_an_example():
    result = run("view", "--help")
    assert result.exit_code == 0
    for option in ("--focus", "--depth", "--types", "--since", "--max-nodes", "--output", "Example: kg view"):
        assert option in result.output


def test_the_readme_viewer_examples_run(tmp_path, monkeypatch):
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Viewer\n")
    section = readme[start:readme.index("\n## ", start + 1)]
    commands = re.findall(r"```sh\n(.*?)```", section, flags=re.S)[0].strip().splitlines()
    monkeypatch.chdir(tmp_path)
    json_export.write(small_graph(), tmp_path / "exports" / "graph.json")
    for line in commands:
        args = shlex.split(line)
        assert args[:2] == ["kg", "view"]
        result = run(*args[1:])
        assert result.exit_code == 0, (line, result.output)
        assert (tmp_path / args[args.index("-o") + 1]).exists()


def test_the_page_layout_does_not_depend_on_the_installed_networkx(monkeypatch):
    """networkx.spring_layout places nodes differently from one release to the next (3.4, the
    last for Python 3.10, and 3.5 differ), which made the page differ between Python versions;
    kg's own seeded spring layout gives the same pixels whichever networkx is installed."""
    from kg.view import layout

    def refuse(*args, **kwargs):
        raise AssertionError("the page layout must not call networkx.spring_layout")

    monkeypatch.setattr(nx, "spring_layout", refuse)
    skeleton = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("c", "x")])
    spots = layout.layout(skeleton, ["a", "b", "c", "x", "y"], [["a", "b", "c"], ["x", "y"]])
    assert spots == layout.layout(skeleton, ["a", "b", "c", "x", "y"], [["a", "b", "c"], ["x", "y"]])
    assert spots == {"a": (-53, 45), "b": (0, 16), "c": (-63, 0), "x": (123, -99), "y": (182, -138)}
