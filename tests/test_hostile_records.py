"""Property: records with hostile strings in every field never end a build, and what is kept
round-trips exactly through every export."""

import json
import tempfile
from pathlib import Path

import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg
from kg.corpus.clean import clean_text

# Every code point, lone surrogates, controls, bidi marks and line separators included.
HOSTILE = st.text(st.characters(exclude_categories=()), max_size=40) | st.sampled_from(
    ["\ud800", "\udfff x", "\x00", "\u202e\u2066evil", "a\u2028b\u2029c", "\r\n", "<script>alert(1)</script>",
     '"; DROP TABLE --', "\\u0000", "]]>", "${x}", "\ufeff", "😀\u200d👩", "%00", "..\\..\\x", "\x1b[31m"])


@st.composite
def records(draw):
    count = draw(st.integers(1, 4))
    rows = []
    for i in range(count):
        row = {"title": draw(HOSTILE) + f" #{i}", "id": draw(HOSTILE) + f"/{i}"}
        for name in ("abstract", "url", "doi", "arxiv_id"):
            if draw(st.booleans()):
                row[name] = draw(HOSTILE)
        if draw(st.booleans()):
            row["authors"] = draw(st.lists(HOSTILE | st.none(), max_size=3))
        if draw(st.booleans()):
            row["references"] = draw(st.lists(HOSTILE | st.none(), max_size=3))
        if draw(st.booleans()):
            row["date"] = draw(HOSTILE | st.sampled_from(["2021-02-03", "2020"]))
        rows.append(row)
    return rows


def expected_title(title: str) -> str:
    return clean_text(" ".join(title.split()))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=records())
def test_hostile_records_never_end_a_build_and_round_trip(blank_nlp, rows):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "papers.jsonl"
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        graph = kg.build([str(path)], nlp=blank_nlp)
        written = graph.write_all(Path(folder) / "out")
        assert sorted(p.name for p in written) == ["graph.html", "graph.json", "graph.ttl"]

        titles = sorted(expected_title(row["title"]) for row in rows)
        corpus = sorted(a["title"] for _, a in graph.graph.nodes(data=True) if a.get("kind") == "paper"
                        and not a.get("stub"))
        assert corpus == titles
        loaded = kg.load(Path(folder) / "out" / "graph.json")
        assert sorted(a["title"] for _, a in loaded.graph.nodes(data=True) if a.get("kind") == "paper"
                      and not a.get("stub")) == titles
        rdf = rdflib.Graph().parse(Path(folder) / "out" / "graph.ttl", format="turtle")
        literals = {str(o) for o in rdf.objects()}
        assert set(titles) <= literals
