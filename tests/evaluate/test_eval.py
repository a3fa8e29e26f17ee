"""Benchmark readers and scoring (no model): SciERC JSON, TDMSci CoNLL, exact-match P/R/F1."""

import json

import pytest

from kg.errors import InputError, UnknownFormatError
from kg.evaluate.benchmarks import (
    GoldDoc,
    PredDoc,
    format_report,
    read_benchmark,
    read_scierc,
    read_tdmsci,
    score,
    to_scierc,
)

SCIERC_LINE = json.dumps({
    "doc_key": "X1",
    "sentences": [["We", "use", "CRF", "for", "parsing", "."], ["BLEU", "-LRB-", "score", "-RRB-", "on", "WSJ"]],
    "ner": [[[2, 2, "Method"], [4, 4, "Task"]], [[6, 6, "Metric"], [11, 11, "Material"], [6, 8, "Generic"]]],
    "relations": [[[2, 2, 4, 4, "USED-FOR"]], [[11, 11, 6, 6, "EVALUATE-FOR"], [6, 6, 11, 11, "PART-OF"]]],
    "clusters": [],
})


def test_scierc_offsets_are_document_level_and_inclusive():
    [doc] = read_scierc([SCIERC_LINE])
    assert doc.id == "X1" and doc.sent_starts == (0, 6)
    assert doc.words[7] == "(" and doc.words[9] == ")"
    assert doc.entities == {(2, 3, "method"), (4, 5, "task"), (6, 7, "metric"), (11, 12, "dataset")}
    assert doc.relations == {((2, 3), (4, 5), "used_for"), ((11, 12), (6, 7), "evaluated_on")}


def test_tdmsci_bio_tags_become_spans():
    lines = ["We\t0\tO", "study\t3\tO", "machine\t9\tB-TASK", "translation\t17\tI-TASK", "", "BLEU\t0\tB-METRIC", ""]
    docs = list(read_tdmsci(lines))
    assert [d.entities for d in docs] == [{(2, 4, "task")}, {(0, 1, "metric")}]


def test_bad_input_names_file_and_line(tmp_path):
    with pytest.raises(InputError, match="x.conll:2"):
        list(read_tdmsci(["a\t0\tO", "broken line"], "x.conll"))
    with pytest.raises(UnknownFormatError, match="scierc, tdmsci"):
        read_benchmark("conll2003", str(tmp_path / "x"))


def test_scores_are_exact_match_and_concept_stays_out_of_micro():
    gold = [GoldDoc("d", ("a",) * 6, (0,), frozenset({(0, 1, "method"), (2, 4, "task"), (5, 6, "concept")}))]
    pred = [PredDoc("d", frozenset({(0, 1, "method"), (2, 3, "task"), (5, 6, "concept")}))]
    report = score(gold, pred, ("method", "task"))
    assert report["types"]["task"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "tp": 0, "pred": 1, "gold": 1}
    assert report["micro"]["f1"] == 50.0 and report["types"]["concept"]["f1"] == 100.0


def test_relations_are_scored_in_scierc_direction():
    assert to_scierc((0, 1), (4, 5), "used_for") == ((0, 1), (4, 5), "used_for")
    assert to_scierc((0, 1), (4, 5), "evaluated_on") == ((4, 5), (0, 1), "evaluated_on")
    assert to_scierc((0, 1), (4, 5), "narrower") == ((4, 5), (0, 1), "narrower")
    assert to_scierc((4, 5), (0, 1), "compares") == ((0, 1), (4, 5), "compares")
    [gold] = read_scierc([SCIERC_LINE])
    pred = PredDoc("X1", gold.entities, frozenset({((2, 3), (4, 5), "used_for"), ((0, 1), (2, 3), "used_for")}))
    report = score([gold], [pred], ("method",))
    assert report["relations"]["used_for"]["p"] == 50.0 and report["relations"]["used_for"]["r"] == 100.0
    assert report["relations"]["evaluated_on"]["r"] == 0.0
    assert "used_for" in format_report({"benchmark": "scierc", "path": "x", "docs": 1, **report})


def test_gold_relations_with_a_generic_argument_are_counted():
    record = json.loads(SCIERC_LINE)
    record["relations"][1].append([6, 8, 11, 11, "USED-FOR"])  # "BLEU ( score" is Generic
    [gold] = read_scierc([json.dumps(record)])
    report = score([gold], [PredDoc("X1", gold.entities)], ("method",))
    assert report["relations"]["used_for"]["gold"] == 2 and report["relations"]["used_for"]["generic"] == 1
    assert report["relations"]["evaluated_on"]["generic"] == 0 and report["relations"]["all"]["generic"] == 1
    assert format_report({"benchmark": "scierc", "path": "x", "docs": 1, **report}).splitlines()[-1].split()[-1] == "1"


def test_gold_entities_score_the_relation_stage_alone(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main
    from kg.evaluate.benchmarks import evaluate

    path = tmp_path / "dev.json"
    path.write_text(json.dumps({
        "doc_key": "C1", "sentences": [["CRF", "outperforms", "HMM", "on", "parsing", "."]],
        "ner": [[[0, 0, "Method"], [2, 2, "Method"], [4, 4, "Task"]]],
        "relations": [[[0, 0, 2, 2, "COMPARE"]]], "clusters": []}) + "\n")
    report = evaluate("scierc", str(path), gold_entities=True)
    assert report["recogniser"] == "gold" and report["micro"]["f1"] == 100.0
    assert report["relations"]["compares"]["tp"] == 1  # the "A outperforms B" pattern on the gold spans
    result = CliRunner().invoke(main, ["eval", "scierc", str(path), "--gold-entities"])
    assert result.exit_code == 0 and "(1 docs, gold entities: relations alone)" in result.output
