"""`kg query` on the on-disk store beside the export: rebuilt only when the export changed,
output formats, parameters, packaging of the query library; `kg build --rdf-format`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import tomllib
from click.testing import CliRunner

from kg.cli import main
from kg.sparql import engine as sparql
from kg.sparql.result import Result
from kg.sparql.store import current_store, open_store, store_path

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture()
def export(example_graph, tmp_path):
    return example_graph.write("turtle", tmp_path / "graph.ttl")


def test_the_store_is_built_once_and_rebuilt_when_the_export_changes(export):
    first = current_store(export)
    assert first.parent == store_path(export) == export.parent / "graph.ttl.oxigraph"
    marker = (first / "LOADED").stat().st_mtime_ns
    assert current_store(export) == first and (first / "LOADED").stat().st_mtime_ns == marker
    os.utime(export, ns=(1, 1))  # touched, same content: the hash is the same, the store is kept
    assert current_store(export) == first and (first / "LOADED").stat().st_mtime_ns == marker
    export.write_text(export.read_text(encoding="utf-8") + "<http://x/a> <http://x/b> <http://x/c> .\n",
                      encoding="utf-8")
    second = current_store(export)
    assert second != first and not first.exists()
    assert sparql.run(open_store(export), "ASK { <http://x/a> <http://x/b> <http://x/c> }").boolean is True


def test_stores_of_other_formats_answer_the_same(example_graph, tmp_path):
    answers = set()
    for fmt, name in (("turtle", "graph.ttl"), ("ntriples", "graph.nt"), ("jsonld", "graph.jsonld")):
        path = example_graph.write(fmt, tmp_path / name)
        answers.add(json.dumps(sparql.query("entity-counts", data=path).records()))
    assert len(answers) == 1


def test_a_missing_export_says_to_build_first(tmp_path):
    result = run("query", "top-methods", "--data", tmp_path / "graph.ttl")
    assert result.exit_code == 1 and "run `kg build` first" in result.output


def test_kg_query_lists_the_library():
    result = run("query", "--list")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == list(sparql.library())
    assert "[--param task=...]" in result.output


def test_kg_query_with_a_parameter_prints_a_table(export):
    result = run("query", "top-methods-for-task", "--param", "task=question answering", "--data", export)
    assert result.exit_code == 0, result.output
    header, rule, *rows = result.output.splitlines()
    assert header.split() == ["task", "method", "name", "papers"] and set(rule) <= {"-", " "}
    assert rows[-1].startswith("(") and "question answering" in rows[0]


def test_a_missing_parameter_is_one_line(export):
    result = run("query", "top-methods-for-task", "--data", export)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        'kg: error: top-methods-for-task needs --param task=VALUE (a task name or alias, any case, e.g. "question answering")']



def test_kg_query_takes_the_spellings_kg_prints(export):
    result = run("query", "citing-papers", "--param", "paper=arxiv:1810.04805", "--data", export, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith("BERT: Pre-training of Deep Bidirectional Transformers")
    result = run("query", "top-methods-for-task", "--param", "task=question-answering", "--data", export)
    assert result.exit_code == 0 and "(0 rows)" not in result.output


def test_a_name_that_matches_nothing_is_an_error_on_stderr_not_zero_rows(export):
    result = CliRunner().invoke(main, ["query", "top-methods-for-task", "--param", "task=translaton",
                                       "--data", str(export), "--format", "csv"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("kg: error: No task named 'translaton' in the graph. Close names: ")

SMALL = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix kg: <https://w3id.org/kg-papers/ns#> .
kg:Method rdfs:subClassOf skos:Concept ; rdfs:label "method" .
<https://w3id.org/kg-papers/id/method/LoRA> a kg:Method ; skos:prefLabel "Low-Rank Adaptation" ; skos:altLabel "LoRA" .
"""


@pytest.mark.parametrize("fmt", sparql.FORMATS)
def test_output_formats(tmp_path, fmt):
    (tmp_path / "graph.ttl").write_text(SMALL, encoding="utf-8")
    # the parameter is resolved to the entity's own name, which the first column shows
    result = run("query", "aliases", "-p", "entity=lora", "--data", tmp_path / "graph.ttl", "--format", fmt)
    assert result.exit_code == 0, result.output
    text = result.output
    if fmt == "json":
        assert json.loads(text) == {"head": {"vars": ["entity", "type", "name", "alias"]}, "results": {"bindings": [
            {"entity": {"type": "literal", "value": "Low-Rank Adaptation"}, "type": {"type": "literal", "value": "method"},
             "name": {"type": "literal", "value": "Low-Rank Adaptation"}, "alias": {"type": "literal", "value": "LoRA"}}]}}
    elif fmt == "csv":
        assert text.splitlines() == ["entity,type,name,alias", "Low-Rank Adaptation,method,Low-Rank Adaptation,LoRA"]
    elif fmt == "tsv":
        assert text.splitlines() == ["?entity\t?type\t?name\t?alias", '"Low-Rank Adaptation"\t"method"\t"Low-Rank Adaptation"\t"LoRA"']
    else:
        assert text.splitlines() == ["entity               type    name                 alias",
                                     "-------------------  ------  -------------------  -----",
                                     "Low-Rank Adaptation  method  Low-Rank Adaptation  LoRA", "(1 row)"]


def test_csv_follows_the_sparql_results_format():
    from pyoxigraph import Literal, NamedNode

    result = Result(("a", "b"), ((NamedNode("http://x/1"), Literal('say "hi", twice')), (None, Literal("2"))))
    assert sparql.format_result(result, "csv") == 'a,b\r\nhttp://x/1,"say ""hi"", twice"\r\n,2\r\n'


def test_ask_and_construct_results(export):
    assert run("query", "ASK { ?s a <http://schema.org/ScholarlyArticle> }", "--data", export).output == "true\n"
    construct = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3"
    lines = run("query", construct, "--data", export).output.splitlines()
    assert len(lines) == 3 and all(line.endswith(" .") for line in lines)


def test_every_kg_folder_and_the_queries_are_packaged():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "kg").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts}  # packages and data folders
    assert found <= set(config["packages"])
    assert config["package-dir"]["kg.queries"] == "queries" and "*.rq" in config["package-data"]["kg.queries"]
    assert {"data/*.ttl", "data/*.jsonld"} <= set(config["package-data"]["kg"])


def test_build_writes_the_chosen_rdf_formats_and_plain_kg_query_finds_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("query", "entity-counts")
    assert result.exit_code == 1
    assert "exports: no RDF export in this folder (looked for graph.ttl, graph.nt, graph.jsonld)" in result.output
    result = run("build", "-q", "--rdf-format", "ntriples")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "exports").iterdir())
    assert "graph.nt" in written and "graph.ttl" not in written
    assert "graph.html" in written and "graph.json" in written
    plain, folder = run("query", "entity-counts"), run("query", "entity-counts", "--data", "exports")
    assert plain.exit_code == 0 and "method" in plain.output and plain.output == folder.output
    assert run("validate").output.startswith("exports/graph.nt: conforms")


def test_the_readme_sparql_examples_run(tmp_path, monkeypatch):
    import re
    import shlex

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## SPARQL\n"):text.index("\n## ", text.index("## SPARQL\n") + 1)]
    monkeypatch.chdir(tmp_path)
    commands = re.findall(r"```sh\n(.*?)```", section, flags=re.S)[0]
    for line in commands.strip().splitlines():
        args = shlex.split(line, comments=True)
        if args[1] == "serve" or "--endpoint" in args:
            continue  # tests/test_serve.py runs the server
        result = CliRunner().invoke(main, args[1:])
        assert result.exit_code == 0 and result.output.strip(), (line, result.output)
    code = re.findall(r"```python\n(.*?)```", section, flags=re.S)[0]
    from test_serve import free_port

    namespace = {}
    exec(compile(code.replace("port=7878", f"port={free_port()}"), "README.md (SPARQL)", "exec"), namespace)
    assert namespace["result"].records()
