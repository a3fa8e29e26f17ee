"""``jobs``: extraction in worker processes gives the same exports, byte for byte, as in one."""

import json

import pytest

import kg
from kg import pipeline, registry


def all_exports(graph, folder):
    names = [plugin.name for plugin in registry.exporters()]
    graph.write_all(folder, formats=names)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 8 papers, so the 25 example papers are 4 tasks for the workers."""
    monkeypatch.setattr(pipeline, "CHUNK", 8)


def test_two_jobs_write_the_same_bytes_as_one(tmp_path, small_chunks):
    one = all_exports(kg.build(jobs=1), tmp_path / "one")
    two = all_exports(kg.build(jobs=2), tmp_path / "two")
    assert len(one) >= 5 and one.keys() == two.keys()
    for name in one:
        assert one[name] == two[name], name


def test_a_paper_that_fails_in_a_worker_is_kept_without_entities(tmp_path, small_chunks):
    from failing_component import boom_pipeline

    rows = [{"title": f"Paper {i}", "abstract": "We propose Low-Rank Adaptation (LoRA). We evaluate on GLUE."}
            for i in range(20)]
    rows[13]["abstract"] = "BOOM. We propose LoRA."
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    graph = kg.build([str(path)], nlp=boom_pipeline(), jobs=2)
    failed = [p for p in graph.problems if "entity extraction failed" in p.reason]
    assert [(p.line, p.skipped) for p in failed] == [(14, False)]
    assert "ValueError: cannot handle this text" in failed[0].reason
    assert len(graph.papers) == 20 and graph.find("LoRA") is not None
