"""`kg explain`: an entity's canonical name, aliases, papers and the evidence for each merge."""

import pytest
from click.testing import CliRunner

from kg.errors import NotFoundError
from kg.graph.canonical import canonicalise, explain, version_base, versions
from kg.records import Alias, ExtractedPaper, Mention, Paper


def mention(name, type="method", extractor="ner", sentence=None):
    sentence = sentence or f"We use {name}."
    return Mention(name, type, "abstract", 7, 7 + len(name), sentence, 0, len(sentence), extractor, 0.7)


def corpus():
    define = "We propose Low-Rank Adaptation (LoRA)."
    return [
        ExtractedPaper("a", Paper("a"), (mention("Low-Rank Adaptation", sentence=define), mention("LoRA", sentence=define)),
                       (Alias("LoRA", "Low-Rank Adaptation", define),)),
        ExtractedPaper("b", Paper("b"), (mention("LoRA", "concept", "name"), mention("ResNet"), mention("ResNet-50"))),
        ExtractedPaper("c", Paper("c"), (mention("low-rank adaptations"), mention("GPT-4"), mention("GPT-4o"))),
    ]


def test_explain_lists_aliases_papers_and_merge_evidence():
    found = explain(canonicalise(corpus()), "lora")
    assert found["name"] == "Low-Rank Adaptation" and found["type"] == "method"
    assert found["papers"] == ["a", "b", "c"]
    reasons = {(m["alias"], m["reason"], m["paper"]) for m in found["merges"]}
    assert ("LoRA", "abbreviation", "a") in reasons
    assert ("low-rank adaptations", "spelling (plural, hyphen or space)", "c") in reasons
    assert all(m["sentence"] for m in found["merges"])
    assert found["type_votes"] == {"method": 2.1, "concept": 0.7}  # three method mentions, one concept


def test_the_explanation_shows_the_type_vote():
    from kg.cli.extract import format_explanation

    text = format_explanation(explain(canonicalise(corpus()), "lora"))
    assert "type vote (summed confidence of the decided mentions): method 2.1, concept 0.7" in text


def test_versions_are_linked_not_merged():
    canon = canonicalise(corpus())
    assert {"method:ResNet", "method:ResNet 50", "method:GPT 4", "method:GPT 4o"} <= set(canon.entities)
    assert ("method:ResNet", "method:ResNet 50") in {(b, n) for b, n, _ in versions(canon.entities)}
    found = explain(canon, "ResNet")
    assert [n["name"] for n in found["narrower"]] == ["ResNet-50"]
    assert version_base("GPT-4o") == "GPT" and version_base("Transformer") is None


def test_unknown_name_lists_close_names():
    with pytest.raises(NotFoundError, match="Close names: ResNet"):
        explain(canonicalise(corpus()), "Res")


def test_explain_command_help():
    from kg.cli import main

    result = CliRunner().invoke(main, ["explain", "--help"])
    assert result.exit_code == 0 and "aliases" in result.output
    for command in ("eval", "extract"):
        assert CliRunner().invoke(main, [command, "--help"]).exit_code == 0


def test_extract_jsonl_and_explain_on_a_small_input(tmp_path, nlp):
    import json

    from kg.cli import main

    papers = tmp_path / "papers.jsonl"
    papers.write_text(
        json.dumps({"id": "2106.09685", "title": "LoRA: Low-Rank Adaptation of Large Language Models",
                    "abstract": "We propose Low-Rank Adaptation (LoRA). LoRA outperforms fine-tuning on GLUE."}) + "\n"
        + json.dumps({"id": "x2", "title": "Adapters revisited",
                      "abstract": "We compare LoRA with adapters for question answering on SQuAD."}) + "\n")
    result = CliRunner().invoke(main, ["extract", str(papers), "--jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 2
    assert set(records[0]) == {"schema", "id", "title", "entities", "proposed", "relations"}
    lora = next(e for r in records for e in r["entities"] if e["name"] == "Low-Rank Adaptation")
    assert lora["type"] == "method" and "LoRA" in lora["aliases"] and 0 <= lora["confidence"] <= 1
    mention = lora["mentions"][0]
    assert {"text", "field", "start", "end", "sentence", "sent_start", "sent_end", "extractor"} <= set(mention)
    explained = CliRunner().invoke(main, ["explain", "LoRA", str(papers)])
    assert explained.exit_code == 0 and "Low-Rank Adaptation" in explained.output and "abbreviation" in explained.output
    missing = CliRunner().invoke(main, ["explain", "NoSuchThing", str(papers)])
    assert missing.exit_code == 1 and "No entity named" in missing.output


def test_extract_names_a_bad_line_and_keeps_the_good_papers(tmp_path, nlp):
    import json

    from kg.cli import main

    papers = tmp_path / "papers.jsonl"
    papers.write_text(json.dumps({"id": "x1", "title": "Adapters", "abstract": "We propose FooNet for parsing."})
                      + '\n{"id": "x2", "title": "Broken\n')
    result = CliRunner().invoke(main, ["extract", str(papers), "--jsonl"])
    assert result.exit_code == 0
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == ["Adapters"]
    assert result.stderr.strip() == (f"kg: skipped: {papers}:2: line is not valid JSON: "
                                     "Unterminated string starting at (column 23)")
