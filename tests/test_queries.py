"""The sample queries in queries/ run on the example export and give the expected answers."""

from pathlib import Path

import pytest

QUERIES = Path(__file__).resolve().parents[1] / "queries"


@pytest.fixture(scope="module")
def store(example_graph):
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(example_graph.dumps("turtle").encode(), pyoxigraph.RdfFormat.TURTLE)
    return store


def run(store, name):
    result = store.query((QUERIES / f"{name}.rq").read_text(encoding="utf-8"))
    return [{v.value: row[v].value if row[v] is not None else None for v in result.variables} for row in result]


def test_every_query_has_a_header_and_answers(store):
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 5
    for path in files:
        header = path.read_text(encoding="utf-8").splitlines()[:3]
        assert header[0].startswith("# Question:") and header[1].startswith("# Parameters:")
        assert run(store, path.stem), path.name


def test_top_methods(store):
    rows = run(store, "top-methods")
    names = [r["name"] for r in rows]
    assert "Transformer" in names[:5]
    assert int(rows[0]["papers"]) >= int(rows[-1]["papers"])


def test_proposed_by(store):
    rows = {(r["title"], r["name"]) for r in run(store, "proposed-by")}
    assert ("LoRA: Low-Rank Adaptation of Large Language Models", "Low-Rank Adaptation") in rows
    assert ("Attention Is All You Need", "Transformer") in rows


def test_aliases(store):
    rows = {r["name"]: r["aliases"].split(" | ") for r in run(store, "aliases")}
    assert "LoRA" in rows["Low-Rank Adaptation"]


def test_citations(store):
    rows = {(r["citing"], r["cited"]) for r in run(store, "citations")}
    assert ("BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", "Attention Is All You Need") in rows


def test_entity_counts(store, example_graph):
    counts = {r["type"]: int(r["entities"]) for r in run(store, "entity-counts")}
    expected = {k: len(v) for k, v in example_graph.entities.items() if v}
    assert counts == expected
