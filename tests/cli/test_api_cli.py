"""kg top, related, path, trend and communities: tables, --json, help and errors."""

import json

import pytest
from click.testing import CliRunner

from kg.cli import main

COMMANDS = ["top", "related", "path", "trend", "communities"]


@pytest.fixture(scope="module")
def export(example_graph, tmp_path_factory):
    return str(example_graph.write_json(tmp_path_factory.mktemp("exports") / "graph.json"))


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_top_prints_a_table_and_json(export):
    result = run("top", "--type", "paper", "-k", "3", "--graph", export)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["#", "name", "type", "pagerank", "papers"] and len(lines) == 4
    assert "Attention Is All You Need" in result.output
    rows = json.loads(run("top", "--type", "method", "--by", "papers", "-k", "5", "--json", "-g", export).output)
    assert len(rows) == 5 and all(r["type"] == "method" for r in rows)
    assert [r["papers"] for r in rows] == sorted((r["papers"] for r in rows), reverse=True)


def test_related_names_the_paper_and_gives_reasons(export):
    result = run("related", "BERT", "-k", "3", "-g", export)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Papers related to: BERT: Pre-training")
    assert "it cites this paper" in result.output
    rows = json.loads(run("related", "BERT", "--json", "-g", export).output)
    assert rows[0]["reason"] and rows[0]["shared"]


def test_path_prints_hops_with_evidence(export):
    result = run("path", "LoRA", "GPT-3", "-g", export)
    assert result.exit_code == 0, result.output
    assert "-[proposes]-> Low-Rank Adaptation" in result.output
    data = json.loads(run("path", "LoRA", "GPT-3", "--json", "-g", export).output)
    assert data["nodes"][-1] == "method:GPT 3" or data["hops"][-1]["target_name"] == "GPT-3"
    assert all(hop["evidence"] for hop in data["hops"])


def test_trend_prints_years_and_undated(export):
    result = run("trend", "BERT", "-g", export)
    assert result.exit_code == 0, result.output
    assert "2018" in result.output and "undated papers mentioning it: 0" in result.output
    data = json.loads(run("trend", "BERT", "--json", "-g", export).output)
    assert data["name"] == "BERT" and sum(y["papers"] for y in data["years"]) >= 2


def test_communities_prints_labelled_communities(export):
    result = run("communities", "-k", "3", "-g", export)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split() == ["#", "size", "papers", "label"]
    again = run("communities", "-k", "3", "-g", export)
    assert again.output == result.output
    rows = json.loads(run("communities", "--json", "--seed", "2", "-g", export).output)
    assert rows and all(r["label"] for r in rows)


@pytest.mark.parametrize("args, message", [
    (["related", "no such paper at all"], "kg: error: No paper named 'no such paper at all'"),
    (["path", "BERT", "zzzzzz"], "kg: error: No node named 'zzzzzz'"),
    (["trend", "Bertt"], None),  # a typo still finds BERT
])
def test_unknown_names_give_one_clean_line(export, args, message):
    result = run(*args, "-g", export)
    if message is None:
        assert result.exit_code == 0 and result.output.startswith("BERT")
    else:
        assert result.exit_code == 1 and result.output.strip().splitlines() == [result.output.strip()]
        assert result.output.startswith(message)


def test_a_missing_graph_file_is_reported(tmp_path):
    result = run("top", "-g", str(tmp_path / "nope.json"))
    assert result.exit_code == 1 and "no such file" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example: kg " + command in result.output
    assert "--json" in result.output and "--graph" in result.output
