"""An input's own ids belong to its file: two files numbering their records alike cite right."""

import itertools
import json

import pytest

from kg.corpus.read import read_corpus

CSV = """id,title,year,references
1,Deep Residual Learning for Image Recognition,2015,
2,Densely Connected Convolutional Networks,2016,1
3,Squeeze-and-Excitation Networks,2017,1;2
4,Aggregated Residual Transformations,2016,99
"""

JSONL = [
    {"id": 1, "title": "Attention Is All You Need", "year": 2017},
    {"id": 2, "title": "BERT: Pre-training of Deep Bidirectional Transformers", "year": 2018, "references": [1]},
    {"id": 3, "title": "Language Models are Few-Shot Learners", "year": 2020, "references": ["1", "2", "3"]},
    {"id": "x", "title": "Deep Residual Learning for Image Recognition", "year": 2015, "references": ["4"]},
]

CITES = {
    ("Densely Connected Convolutional Networks", "Deep Residual Learning for Image Recognition"),
    ("Squeeze-and-Excitation Networks", "Deep Residual Learning for Image Recognition"),
    ("Squeeze-and-Excitation Networks", "Densely Connected Convolutional Networks"),
    ("BERT: Pre-training of Deep Bidirectional Transformers", "Attention Is All You Need"),
    ("Language Models are Few-Shot Learners", "Attention Is All You Need"),
    ("Language Models are Few-Shot Learners", "BERT: Pre-training of Deep Bidirectional Transformers"),
}
"""Every citation of the two files; ResNet (in both files) cites nothing: the JSON Lines file
has no record 4, so its reference ``4`` is not ResNeXt (record 4 of the CSV)."""


@pytest.fixture
def files(tmp_path):
    csv, jsonl = tmp_path / "a.csv", tmp_path / "b.jsonl"
    csv.write_text(CSV, encoding="utf-8")
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in JSONL), encoding="utf-8")
    return csv, jsonl


def cites(corpus):
    title = {key: paper.title for key, paper in corpus.papers.items()}
    return {(title[a], title[b]) for a, targets in corpus.citations.items() for b in targets}


@pytest.mark.parametrize("order", list(itertools.permutations(range(2))))
def test_local_ids_name_papers_of_their_own_file_in_either_order(files, order):
    corpus = read_corpus([files[i] for i in order])
    assert len(corpus.papers) == 7  # ResNet, in both files, is one paper
    assert cites(corpus) == CITES
    assert corpus.stubs == {}


@pytest.mark.parametrize("order", list(itertools.permutations(range(2))))
def test_dangling_references_name_the_file_and_line_that_hold_them(files, order):
    csv, jsonl = files
    corpus = read_corpus([files[i] for i in order])
    assert sorted((p.path, p.line, p.reason) for p in corpus.problems) == [
        (str(csv), 5, "reference '99' is not a paper in the input; not linked"),
        (str(jsonl), 4, "reference '4' is not a paper in the input; not linked"),
    ]


def test_global_ids_used_as_own_ids_reach_across_files(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.csv"
    a.write_text(json.dumps({"id": "10.1000/lstm", "title": "Long Short-Term Memory"}) + "\n", encoding="utf-8")
    b.write_text("id,title,references\n1,Sequence to Sequence Learning,https://doi.org/10.1000/LSTM\n",
                 encoding="utf-8")
    corpus = read_corpus([b, a])
    assert cites(corpus) == {("Sequence to Sequence Learning", "Long Short-Term Memory")}
    assert corpus.stubs == {} and corpus.problems == []


def test_paper_keys_are_global(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(json.dumps({"title": "Adam", "arxiv_id": "1412.6980"}) + "\n", encoding="utf-8")
    b.write_text(json.dumps({"title": "AdamW", "references": ["arxiv:1412.6980"]}) + "\n", encoding="utf-8")
    assert cites(read_corpus([b, a])) == {("AdamW", "Adam")}
