"""kg eval gold: the scoring rules of the annotation guidelines, on hand-made cases."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.evaluate.gold import GoldPaper, PredPaper, matches, normalise, read_gold, score


def gold(**entities):
    return GoldPaper("p", "Title", "Abstract", {k: tuple(v) for k, v in entities.items()})


def test_names_normalise_as_the_guidelines_say():
    assert normalise("Fine-tuning") == normalise("fine tuning") == normalise("FINE_TUNING")
    assert normalise("LLMs") == normalise("LLM") and normalise("loss") == "loss"
    assert normalise("ﬁne-tuning") == normalise("fine-tuning")  # NFKC
    assert normalise("GPT-4") != normalise("GPT-4o")


def test_an_alias_matches_either_way():
    assert matches((("low-rank adaptation", "LoRA"),), (("LoRA",),)) == 1
    assert matches((("ViT",),), (("Vision Transformer", "ViT"),)) == 1
    assert matches((("BERT",),), (("RoBERTa",),)) == 0


def test_matching_is_one_to_one():
    # two predictions hitting one gold entity: one true and one false positive
    assert matches((("LoRA", "low-rank adaptation"),), (("LoRA",), ("low-rank adaptation",))) == 1
    report = score([gold(method=[("LoRA", "low-rank adaptation")])],
                   [PredPaper("p", {"method": (("LoRA",), ("low-rank adaptation",))})])
    assert report["micro"]["tp"] == 1 and report["micro"]["pred"] == 2 and report["micro"]["p"] == 50.0
    # a prediction that could match two gold entities is used where it is needed
    assert matches((("A", "B"), ("B",)), (("B",), ("A",))) == 2


def test_a_type_mismatch_counts_only_in_the_type_agnostic_figure():
    report = score([gold(dataset=[("ImageNet",)])], [PredPaper("p", {"method": (("ImageNet",),)})])
    assert report["micro"]["tp"] == 0 and report["types"]["method"]["pred"] == 1
    assert report["agnostic"]["tp"] == 1 and report["agnostic"]["f1"] == 100.0


def test_concepts_stay_out_of_the_headline():
    report = score([gold(concept=[("transfer learning",)])], [PredPaper("p", {"concept": (("transfer learning",),)})])
    assert report["micro"]["gold"] == 0 and report["types"]["concept"]["f1"] == 100.0


def test_proposals_match_through_the_gold_entity_aliases():
    paper = GoldPaper("p", "T", "A", {"method": (("Hi-End-MAE", "Hierarchical Encoder-driven MAE"),)}, ("Hi-End-MAE",))
    report = score([paper], [PredPaper("p", {}, (("Hierarchical Encoder-driven MAE",),))])
    assert report["proposals"]["tp"] == 1


def test_bad_lines_are_skipped_and_named(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "a", "title": "T", "abstract": "A"}\n{"title": "no id"}\n{oops\n', encoding="utf-8")
    problems = []
    assert [g.id for g in read_gold(str(path), problems)] == ["a"]
    assert [str(p) for p in problems] == [f"{path}:2: not an annotated paper record (no or bad 'id')",
                                          f"{path}:3: not JSON: Expecting property name enclosed in double quotes"]
    with pytest.raises(InputError, match=f"{path}:2"):
        read_gold(str(path))
    result = CliRunner().invoke(main, ["eval", "gold", str(path)])
    assert result.exit_code == 0
    assert f"kg: skipped: {path}:3: not JSON" in result.output and "(1 papers, 2 line(s) skipped" in result.output


def test_kg_eval_gold_scores_the_extractor(tmp_path):
    record = {"id": "x", "title": "BERT for question answering",
              "abstract": "We fine-tune BERT on SQuAD and report F1 and exact match on question answering. " * 3,
              "method": [{"name": "BERT", "aliases": []}], "dataset": [{"name": "SQuAD", "aliases": []}],
              "task": [{"name": "question answering", "aliases": []}], "metric": [{"name": "F1", "aliases": []}],
              "concept": [], "proposed": [], "relations": []}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "gold", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["papers"] == 1 and report["micro"]["gold"] == 4
    assert report["micro"]["tp"] >= 3  # BERT, SQuAD and question answering at least
    table = CliRunner().invoke(main, ["eval", "gold", str(path)]).output
    assert "micro" in table and "type-agnostic" in table and "proposals" in table
