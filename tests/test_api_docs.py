"""The README's Python API tour runs as written, and so do its command-line examples."""

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parents[1]


def section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", section("Python API"), flags=re.S)


def test_the_python_tour_runs(tmp_path, monkeypatch):
    pytest.importorskip("pandas")
    monkeypatch.chdir(tmp_path)
    [code] = blocks("python")
    exec(compile(code, "README.md (Python API)", "exec"), {})
    assert (tmp_path / "exports" / "graph.graphml").exists() and (tmp_path / "exports" / "graph.gexf").exists()


def test_the_command_line_examples_run(example_graph, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    example_graph.write_json(tmp_path / "exports" / "graph.json")
    [commands] = blocks("sh")
    for line in commands.strip().splitlines():
        args = shlex.split(line)
        assert args[0] == "kg"
        result = CliRunner().invoke(main, args[1:])
        assert result.exit_code == 0 and result.output.strip(), (line, result.output)
