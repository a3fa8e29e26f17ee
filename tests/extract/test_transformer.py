"""The optional transformer recogniser (extra kg-papers[transformer], ONNX Runtime): the shipped model,
the spaCy component, the pipeline and CLI switch, the error without the extra, no torch, and
dev-split regression pins. `make test` installs the extra; without it these tests skip and say so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extract import transformer

DEV = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "scierc" / "dev.json"
TDMSCI_TRAIN = DEV.parents[1] / "tdmsci" / "train_1500_v2.conll"
# SciERC dev (kg eval scierc dev.json --recogniser transformer), and TDMSci's last 223 train
# sentences (the held-out part training picked the epoch on): README "Accuracy".
PINNED_MICRO_F1 = 66.7
PINNED_TDMSCI_HELDOUT_F1 = 54.8



def test_tags_round_trip_through_spans():
    labels = transformer.HEADS["abstracts"]
    spans = [(0, 2, "METHOD"), (3, 4, "TASK"), (4, 7, "DATASET")]
    assert transformer.to_spans(transformer.to_tags(8, spans, labels), labels) == spans


def test_overlapping_gold_spans_keep_the_longest():
    tags = transformer.to_tags(4, [(1, 2, "TASK"), (0, 3, "METHOD")], ("METHOD", "TASK"))
    assert transformer.to_spans(tags, ("METHOD", "TASK")) == [(0, 3, "METHOD")]


def test_decode_never_starts_a_span_with_inside():
    import numpy as np

    labels = ("METHOD", "TASK")
    scores = np.log(np.array([[0.1, 0.1, 0.6, 0.1, 0.1], [0.1, 0.1, 0.6, 0.1, 0.1]]))  # I-METHOD twice
    tags = transformer.decode(scores, labels)
    assert transformer.tag_names(labels)[tags[0]].startswith("B-")
    assert transformer.to_spans(tags, labels) == [(0, 2, "METHOD")]


def test_o_bias_trades_unsure_spans_for_none():
    import numpy as np

    scores = np.log(np.array([[0.45, 0.55, 0.0001]]))
    assert transformer.decode(scores, ("TASK",)) == [1]
    assert transformer.decode(scores, ("TASK",), o_bias=1.0) == [0]


def test_windows_add_context_within_the_text_and_cut_long_sentences():
    n = transformer.MAX_WORDS
    assert transformer.windows([(0, 10), (10, 20), (20, 25)], 25) == [
        (0, 0, 10, 10), (10, 10, 20, 20), (20, 20, 25, 25)]
    assert transformer.windows([(0, 10), (10, 20), (20, 25)], 25, context=4) == [
        (0, 0, 10, 14), (6, 10, 20, 24), (16, 20, 25, 25)]
    # a sentence longer than MAX_WORDS: windows of MAX_WORDS words, each with its context
    assert transformer.windows([(0, 5), (5, 5 + n + 10)], 5 + n + 10, context=3) == [
        (0, 0, 5, 8), (2, 5, 5 + n, 5 + n + 3), (2 + n, 5 + n, 15 + n, 15 + n)]


def test_missing_extra_names_the_install_command(monkeypatch):
    import importlib.util

    from kg.errors import ModelNotInstalledError

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "onnxruntime" else real(name, *a))
    with pytest.raises(ModelNotInstalledError, match=r"kg-papers\[transformer\]"):
        transformer.require()
    assert not transformer.is_available()


def test_the_recogniser_needs_no_torch():
    import subprocess
    import sys

    code = ("import sys, kg.extract.transformer as t; t.load_tagger(); "
            "print(any(m == 'torch' or m.startswith('torch.') for m in sys.modules))")
    if not transformer.is_available():
        pytest.skip("the extra kg-papers[transformer] or its shipped model are not installed")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_shipped_model_is_small_and_names_its_training():
    model = transformer.shipped_dir() / transformer.MODEL_FILE
    assert model.stat().st_size <= 25 * 1024 * 1024
    config = json.loads((transformer.shipped_dir() / "config.json").read_text())
    assert set(config["heads"]) == set(transformer.HEADS) and config["context"] >= 0
    assert "export_transformer.py" in config["exported"] and "train_transformer.py" in config["command"]


@pytest.fixture(scope="module")
def tnlp():
    if not transformer.is_available():
        pytest.skip("the extra kg-papers[transformer] or its shipped weights are not installed")
    from kg.extract.nlp import load_pipeline

    return load_pipeline(recogniser="transformer")


def test_component_tags_each_sentence_and_skips_whitespace(tnlp):
    doc = tnlp("We propose a conditional random field model for named entity recognition and evaluate it "
               "on the CoNLL-2003 corpus using F1 score.\n\nThe results are good.")
    found = {(s.text, s.label_) for s in doc.spans["kg_tner_abstracts"]}
    assert {("conditional random field model", "METHOD"), ("named entity recognition", "TASK"),
            ("CoNLL-2003 corpus", "DATASET"), ("F1 score", "METRIC")} <= found
    sentences = {(s.text, s.label_) for s in doc.spans["kg_tner_sentences"]}
    assert ("named entity recognition", "TASK") in sentences
    assert all(not s.text.isspace() for s in doc.spans["kg_tner_abstracts"])


def test_component_reads_the_context_it_was_trained_with_and_tags_only_each_sentence(tnlp, monkeypatch):
    context = tnlp.get_pipe(transformer.FACTORY).tagger.context
    seen, encode = [], transformer.encode
    monkeypatch.setattr(transformer, "encode", lambda tokenizer, rows: seen.extend(rows) or encode(tokenizer, rows))
    doc = tnlp("We propose a new dependency parser. It is evaluated on the Penn Treebank with labelled F1 score.")
    first, second = doc.sents
    assert seen == [[t.text for t in doc[max(0, s.start - context):s.end + context]] for s in (first, second)]
    spans = doc.spans["kg_tner_abstracts"]
    assert spans and all(s.start <= span.start and span.end <= s.end for span in spans for s in (first, second)
                         if s.start <= span.start < s.end)


def test_long_sentence_is_tagged_in_windows(tnlp):
    text = ", ".join(["the proposed system reads the input text carefully"] * 14)
    doc = tnlp(text + ", and we use a conditional random field for named entity recognition .")
    assert len(doc) > transformer.MAX_WORDS
    found = [(s.text, s.label_) for s in doc.spans["kg_tner_abstracts"] if s.start >= transformer.MAX_WORDS]
    assert ("named entity recognition", "TASK") in found


def test_same_text_gives_the_same_spans(tnlp):
    text = "We evaluate ResNet-50 and ViT on ImageNet classification with top-1 accuracy."
    first, again = tnlp(text), tnlp(text)
    spans = [(s.start, s.end, s.label_) for s in first.spans["kg_tner_abstracts"]]
    assert spans == [(s.start, s.end, s.label_) for s in again.spans["kg_tner_abstracts"]]
    assert (4, 5, "METHOD") in spans and (9, 11, "METRIC") in spans  # ViT; top-1 accuracy


def test_build_with_transformer_marks_its_mentions(tnlp):
    import kg

    graph = kg.build(nlp=tnlp)
    extractors = {data.get("extractor") for _, _, data in graph.graph.edges(data=True)}
    assert "transformer" in extractors
    assert len(graph.papers) == 25


def test_unknown_recogniser_is_one_clear_error():
    from kg.errors import KgError
    from kg.extract.ner import add_trained_components
    from kg.extract.nlp import blank_pipeline

    with pytest.raises(KgError, match="No recogniser 'bert'. Available: cnn, transformer"):
        add_trained_components(blank_pipeline(), recogniser="bert")


@pytest.fixture(scope="module")
def dev_report(tnlp):
    if not DEV.exists():
        pytest.skip(f"the SciERC dev split is not at {DEV}")
    from kg.evaluate.benchmarks import evaluate

    return evaluate("scierc", str(DEV), nlp=tnlp, recogniser="transformer")


def test_dev_micro_f1_holds(dev_report):
    assert dev_report["recogniser"] == "transformer"
    assert dev_report["micro"]["f1"] >= PINNED_MICRO_F1 - 1.0, dev_report["micro"]


def test_tdmsci_heldout_f1_holds():
    if not TDMSCI_TRAIN.exists():
        pytest.skip(f"TDMSci is not at {TDMSCI_TRAIN}")
    if not transformer.is_available():
        pytest.skip("the extra kg-papers[transformer] or its shipped weights are not installed")
    from kg.evaluate.benchmarks import predict, read_benchmark, score
    from kg.extract.nlp import load_pipeline

    golds = read_benchmark("tdmsci", str(TDMSCI_TRAIN))[-223:]
    preds = predict(golds, load_pipeline(mode="fulltext", recogniser="transformer"), mode="fulltext")
    report = score(golds, preds, ("task", "dataset", "metric"), ())
    assert report["micro"]["f1"] >= PINNED_TDMSCI_HELDOUT_F1 - 1.0, report["micro"]
