"""The floor plan holds: no import cycles among kg's modules, kg's own imports at the top of
files, nothing imports the CLI, and ``import kg`` loads no extraction module."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

KG = Path(__file__).resolve().parents[1] / "kg"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(KG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(KG.rglob("*.py"))}


def kg_imports(path: Path):
    """``(imported module, line, inside a function)`` for every import of a kg module in ``path``."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            targets = []
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - child.level + 1] + [base]).strip(".")
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in child.names]
            found.extend((t, child.lineno, nested) for t in targets if t in MODULES and t != name)
            visit(child, nested)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    for name, path in MODULES.items():
        graph.add_edges_from((name, target) for target, _, _ in kg_imports(path))
    return graph


def test_the_module_list_is_real():
    assert {"kg", "kg.pipeline", "kg.cli", "kg.readers.jsonl", "kg.extract.ner", "kg.schema"} <= set(MODULES)
    assert import_graph().number_of_edges() > 200


def test_no_import_cycles():
    cycles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert cycles == []


def test_a_cycle_would_be_found():
    graph = import_graph()
    graph.add_edge("kg.records", "kg.pipeline")  # what a careless import would add
    assert any(len(c) > 1 for c in nx.strongly_connected_components(graph))


def test_nothing_outside_the_cli_imports_it():
    importers = sorted(u for u, v in import_graph().edges if v.startswith("kg.cli") and not u.startswith("kg.cli"))
    assert importers == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_kg_modules_are_imported_at_the_top_of_files(name):
    inside = [f"line {line}: {target}" for target, line, nested in kg_imports(MODULES[name]) if nested]
    assert inside == []


def test_import_kg_loads_no_extraction_module():
    code = "import sys, kg; print(' '.join(sorted(m for m in sys.modules if m.startswith(('kg.extract', 'spacy')))))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_build_is_there_on_first_use():
    code = "import kg; print(kg.build.__module__, 'build' in dir(kg))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["kg.pipeline", "True"]
