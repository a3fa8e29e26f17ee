"""The OpenAlex reader: single works, /works pages, JSON Lines; abstracts rebuilt exactly."""

import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.corpus.read import choose_reader
from kg.readers import openalex
from kg.records import Paper, Problem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "openalex"


def read(name_or_text, path="works.json"):
    text = (FIXTURES / name_or_text).read_text(encoding="utf-8") if name_or_text.endswith(".json") else name_or_text
    return list(openalex.read(io.StringIO(text), path))


def test_single_work():
    [paper] = read("work.json")
    assert paper.title == "LoRA: Low-Rank Adaptation of Large Language Models & More"  # <i> dropped, &amp; decoded
    assert (paper.openalex_id, paper.mag_id, paper.pmid) == ("W3168997536", "3168997536", "34567890")
    assert paper.doi == "10.48550/arxiv.2106.09685" and paper.arxiv_id == "2106.09685"
    assert paper.authors == ("Edward J. Hu", "Yelong Shen", "Weizhu Chen")  # raw_author_name when no display_name
    assert (paper.date, paper.year, paper.url) == ("2021-06-17", 2021, "https://arxiv.org/abs/2106.09685")
    assert paper.sources[0].format == "openalex" and paper.sources[0].line == 1


def test_abstract_is_rebuilt_exactly_from_the_inverted_index():
    [paper] = read("work.json")
    assert paper.abstract == ("We propose LoRA, which freezes the pretrained weights and trains the rank "
                              "decomposition matrices; the constructor stays.")


def test_referenced_works_are_citations_and_related_works_are_not():
    [paper] = read("work.json")
    assert [w.openalex_id for w in paper.cited_works] == ["W2963403868", "W2896457183", "W3030163527"]
    assert all(w.title == "" and w.sources == paper.sources for w in paper.cited_works)
    assert "W2194775991" not in {w.openalex_id for w in paper.cited_works}  # a related work


def test_works_page_with_meta_and_results():
    items = read("works-page.json")
    attention, bert = [i for i in items if isinstance(i, Paper)]
    [problem] = [i for i in items if isinstance(i, Problem)]
    assert attention.arxiv_id == "1706.03762"  # from the arXiv location
    assert attention.doi is None and attention.abstract == "" and attention.authors == ("Ashish Vaswani",)
    assert bert.doi == "10.18653/v1/n19-1423" and bert.arxiv_id == "1810.04805"
    assert [i.sources[0].line for i in (attention, bert)] == [4, 28]
    assert problem.line == 21 and "W4000000001 has no title" in problem.reason


def test_json_lines_as_kg_fetch_writes_them():
    works = [json.loads((FIXTURES / "work.json").read_text()), {"id": "https://openalex.org/W9", "title": "Second"}]
    text = "\n".join(json.dumps(w) for w in works) + "\n[1]\n{broken\n"
    items = read(text, "works.jsonl")
    assert [p.openalex_id for p in items if isinstance(p, Paper)] == ["W3168997536", "W9"]
    assert [(p.line, p.reason.split(":")[0]) for p in items if isinstance(p, Problem)] == [
        (3, "record is a number, not an OpenAlex work"), (4, "line is not valid JSON")]


def test_a_bad_date_is_dropped_with_a_warning():
    items = read('{"id": "https://openalex.org/W1", "title": "T", "publication_year": 2020, "publication_date": "2020-13-45"}')
    warning, paper = items
    assert not warning.skipped and "publication_date" in warning.reason
    assert (paper.date, paper.year) == (None, 2020)


def test_sniff_claims_openalex_only():
    for name in ("work.json", "works-page.json"):
        head = (FIXTURES / name).read_text(encoding="utf-8")[:4096]
        assert choose_reader(Path(name), head, None).name == "openalex"


WORD = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=8)


@settings(max_examples=100, deadline=None)
@given(st.lists(WORD, max_size=40))
def test_inverted_index_round_trips(words):
    index = {}
    for position, word in enumerate(words):
        index.setdefault(word, []).append(position)
    shuffled = {word: list(reversed(positions)) for word, positions in reversed(list(index.items()))}
    assert openalex.rebuild_abstract(shuffled) == " ".join(words)
