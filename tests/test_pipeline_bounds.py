"""No single paper ends a build: over-long texts, lone surrogates, extractor failures, huge name lists."""

import json

import pytest

import kg
from kg.extract.guard import MAX_ENTITIES, MAX_TEXT_CHARS
from kg.extract.nlp import blank_pipeline
from kg.graph.build import MAX_CO_OCCURRING

GOOD = {"title": "LoRA: Low-Rank Adaptation", "abstract": "We propose Low-Rank Adaptation (LoRA). We evaluate on GLUE."}


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return str(path)


def warnings_at(graph, path, line):
    return [p.reason for p in graph.problems if p.path == path and p.line == line and not p.skipped]


def lora_found(graph):
    return graph.find("LoRA") is not None


def test_an_abstract_over_the_parser_limit_is_read_in_part_and_kept_whole(tmp_path, blank_nlp):
    huge = ("We fine-tune BERT on GLUE. " * 50_000).strip()  # 1.35 M characters: over spaCy's 1,000,000
    path = write_jsonl(tmp_path / "papers.jsonl", [GOOD, {"title": "Huge", "abstract": huge}])
    graph = kg.build([path], nlp=blank_nlp)
    [warning] = warnings_at(graph, path, 2)
    assert "abstract of 1,349,999 characters" in warning and "read from its first" in warning
    assert lora_found(graph) and len(graph.papers) == 2
    assert max(len(p.abstract) for p in graph.papers) == len(huge)


def test_lone_surrogates_are_replaced_with_a_warning_and_every_export_writes(tmp_path, blank_nlp):
    bad = {"title": "Bad \ud800 title", "abstract": "We use GPT-3.", "url": "https://x.org/\udfff",
           "authors": ["A\udc80n"]}
    path = write_jsonl(tmp_path / "papers.jsonl", [GOOD, bad])
    graph = kg.build([path], nlp=blank_nlp)
    [warning] = warnings_at(graph, path, 2)
    assert "lone surrogate" in warning and "title, authors, url" in warning
    written = graph.write_all(tmp_path / "out")
    assert [p.name for p in written] == ["graph.ttl", "graph.html", "graph.json"]
    titles = sorted(p.title for p in kg.load(tmp_path / "out" / "graph.json").papers)
    assert titles == ["Bad \ufffd title", GOOD["title"]]


@pytest.fixture
def failing_nlp():
    """A blank pipeline whose last component fails on any text holding 'BOOM'."""
    from spacy.language import Language

    @Language.component("fails_on_boom")
    def fails_on_boom(doc):
        if "BOOM" in doc.text:
            raise ValueError("cannot handle\nthis text")
        return doc

    nlp = blank_pipeline()
    nlp.add_pipe("fails_on_boom")
    return nlp


def test_a_paper_the_extractor_fails_on_is_kept_without_entities_with_one_warning(tmp_path, failing_nlp):
    rows = [{"title": f"Paper {i}", "abstract": "We evaluate BERT on GLUE."} for i in range(70)]
    rows[40] = {"title": "Paper BOOM", "abstract": "We use GPT-3."}
    rows.append(GOOD)
    path = write_jsonl(tmp_path / "papers.jsonl", rows)
    graph = kg.build([path], nlp=failing_nlp)
    [warning] = warnings_at(graph, path, 41)
    assert warning == ("entity extraction failed (ValueError: cannot handle this text); "
                       "paper kept without entities")
    assert len(graph.papers) == 71 and lora_found(graph)
    boom = next(n for n, a in graph.graph.nodes(data=True) if a.get("title") == "Paper BOOM")
    assert graph.graph.out_degree(boom) == 0
    bert = graph.find("BERT")["id"]
    assert len([u for u, _, k in graph.graph.in_edges(bert, keys=True) if k == "mentions"]) == 69


def test_a_paper_naming_hundreds_of_entities_is_capped_with_warnings(tmp_path, blank_nlp):
    names = ", ".join(f"Q{i}Former" for i in range(400))
    path = write_jsonl(tmp_path / "papers.jsonl", [GOOD, {"title": "Many", "abstract": f"We compare {names}."}])
    graph = kg.build([path], nlp=blank_nlp)
    warnings = warnings_at(graph, path, 2)
    assert f"400 distinct names; kept the first {MAX_ENTITIES}, 150 left out" in warnings
    assert any(w.startswith(f"co_occurs edges limited to its {MAX_CO_OCCURRING} most mentioned") for w in warnings)
    co_occurs = graph.counts()["edges"]["co_occurs"]
    assert co_occurs <= MAX_CO_OCCURRING * (MAX_CO_OCCURRING - 1) // 2 + 10


def test_bounds_leave_ordinary_papers_alone(example_graph):
    assert not [p for p in example_graph.problems]
    assert all(len(p.abstract) < MAX_TEXT_CHARS for p in example_graph.papers)
