"""Exports change all at once: a killed or concurrent build never leaves a mixed folder."""

import os
import random
import signal
import sys

import networkx as nx
import pytest

from kg.errors import ExportError
from kg.fileio import folder_lock, replace_folder
from kg.knowledge_graph import KnowledgeGraph

EXPORTS = ["graph.html", "graph.json", "graph.ttl"]


def tiny_graph(marker: str) -> KnowledgeGraph:
    """A graph whose every export names ``marker`` (its one paper's title)."""
    graph = nx.MultiDiGraph(name="kg")
    graph.add_node("paper:a", kind="paper", label=marker, title=marker)
    graph.add_node("method:X", kind="method", label="X", aliases=[], paper_count=1)
    graph.add_edge("paper:a", "method:X", key="mentions", kind="mentions", sentence="X works.", field="abstract",
                   start=0, end=1, sent_start=0, sent_end=8, surface="X", extractor="gazetteer", confidence=0.9,
                   count=1)
    return KnowledgeGraph(graph)


def builds_in(folder) -> set[str]:
    """The markers of the builds whose exports are in ``folder``."""
    found = set()
    for name in EXPORTS:
        text = (folder / name).read_text(encoding="utf-8")
        found |= {marker for marker in (f"build-{i:02d}" for i in range(100)) if marker in text}
    return found


def leftovers(folder):
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.") and
                  not p.name.endswith(".lock")) + sorted(p.name for p in folder.glob(".*.tmp"))


def write_in_child(folder, marker: str, kill_at: int | None) -> int:
    """Write the exports of ``marker`` in a forked child that kills itself (SIGKILL) at its
    ``kill_at``-th Python function call; the child's exit status, or the number of calls it made."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        calls = 0

        def count(frame, event, arg):
            nonlocal calls
            if event == "call":
                calls += 1
                if calls == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)

        graph = tiny_graph(marker)
        sys.setprofile(count)
        graph.write_all(folder)
        sys.setprofile(None)
        os.write(write, str(calls).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        output = pipe.read()
    _, status = os.waitpid(pid, 0)
    return int(output) if output else -os.WTERMSIG(status)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_build_killed_at_any_moment_leaves_one_complete_build(tmp_path):
    folder = tmp_path / "exports"
    (tmp_path / "exports").mkdir()
    (folder / "notes.txt").write_text("mine")
    calls = write_in_child(folder, "build-00", kill_at=None)
    assert calls > 1000 and builds_in(folder) == {"build-00"}
    rng = random.Random(20)
    complete = "build-00"
    for run in range(1, 13):
        marker = f"build-{run:02d}"
        status = write_in_child(folder, marker, kill_at=rng.randint(1, calls))
        found = builds_in(folder)
        assert found in ({complete}, {marker}), (run, status, found)
        assert sorted(p.name for p in folder.iterdir()) == [*EXPORTS, "notes.txt"]
        complete = found.pop()
    assert (folder / "notes.txt").read_text() == "mine"
    tiny_graph("build-99").write_all(folder)
    assert leftovers(folder) == [] and builds_in(folder) == {"build-99"}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_two_builds_into_one_folder_at_once_leave_one_complete_build(tmp_path):
    folder = tmp_path / "exports"
    for run in range(3):
        children = []
        for marker in (f"build-{2 * run:02d}", f"build-{2 * run + 1:02d}"):
            pid = os.fork()
            if pid == 0:
                try:
                    tiny_graph(marker).write_all(folder)
                except BaseException:
                    os._exit(1)
                os._exit(0)
            children.append(pid)
        statuses = [os.waitpid(pid, 0)[1] for pid in children]
        assert statuses == [0, 0]
        assert len(builds_in(folder)) == 1 and leftovers(folder) == []
        assert sorted(p.name for p in folder.iterdir()) == EXPORTS


def test_leftovers_of_killed_writes_are_removed_by_the_next_build(tmp_path):
    folder = tmp_path / "exports"
    tiny_graph("build-01").write_all(folder)
    (tmp_path / ".exports.new-abc123").mkdir()
    (tmp_path / ".exports.new-abc123" / "graph.ttl").write_text("half")
    (folder / ".graph.json.x1y2.tmp").write_text("half")
    (tmp_path / ".exports-of-someone-else").mkdir()
    tiny_graph("build-02").write_all(folder)
    assert leftovers(folder) == [] and builds_in(folder) == {"build-02"}
    assert (tmp_path / ".exports-of-someone-else").is_dir()


def test_a_second_writer_waits_or_fails_with_a_clear_message(tmp_path):
    folder = tmp_path / "exports"
    tiny_graph("build-01").write_all(folder)
    with folder_lock(folder.resolve()):
        with pytest.raises(ExportError, match="another kg process is writing into .*exports"):
            tiny_graph("build-02").write_all(folder, wait=False)
    assert builds_in(folder) == {"build-01"}
    tiny_graph("build-02").write_all(folder, wait=False)
    assert builds_in(folder) == {"build-02"}


def test_other_files_and_stores_in_the_folder_are_kept(tmp_path):
    folder = tmp_path / "exports"
    store = folder / "graph.ttl.oxigraph" / "abc"
    store.mkdir(parents=True)
    (store / "LOADED").write_text("")
    (folder / "view.html").write_text("<p>view</p>")
    tiny_graph("build-01").write_all(folder)
    assert (store / "LOADED").is_file() and (folder / "view.html").read_text() == "<p>view</p>"
    assert sorted(p.name for p in folder.iterdir()) == [*EXPORTS, "graph.ttl.oxigraph", "view.html"]


def test_the_current_folder_is_never_replaced(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExportError, match="current folder"):
        replace_folder(".", [("graph.json", "{}")])
    assert list(tmp_path.iterdir()) == []
