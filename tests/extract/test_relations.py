"""Relations between entities: the patterns on hand-built docs, the model's plumbing, graph edges."""

import numpy as np
import spacy

from kg.extract.candidates import Candidate
from kg.extract.relations import (BUCKETS, LABELS, compare_relations, find_relations, fits, pattern_relations,
                                  plausible, such_as_relations, to_kind)
from kg.graph.build import build_graph
from kg.graph.canonical import canonicalise
from kg.records import ExtractedPaper, Mention, Paper, Relation


def doc_and_entities(text, spans, nlp=None):
    doc = (nlp or spacy.blank("en"))(text)
    entities = []
    for phrase, kind in spans:
        start = text.index(phrase)
        span = doc.char_span(start, start + len(phrase))
        entities.append(Candidate(span.start, span.end, phrase, kind, "test", 0.9))
    return doc, entities


def whole(doc):
    return lambda i: doc[:]


def kinds(found):
    return {(kind, head.name, tail.name) for kind, head, tail, *_ in found}


def test_such_as_gives_a_narrower_term():
    doc, ents = doc_and_entities("We study tasks such as question answering .", [("tasks", "task"), ("question answering", "task")])
    assert kinds(pattern_relations(doc, ents, whole(doc))) == {("narrower", "tasks", "question answering")}


def parsed(text, spans):
    return doc_and_entities(text, spans, _english())


def _english():
    from kg.extract.nlp import load_pipeline

    return load_pipeline(base_only=True)


def test_outperforms_gives_one_compares_edge_from_the_subject_to_each_object():
    doc, ents = parsed("BERT outperforms ELMo and GPT on GLUE.",
                       [("BERT", "method"), ("ELMo", "method"), ("GPT", "method"), ("GLUE", "dataset")])
    assert kinds(compare_relations(doc, ents)) == {("compares", "BERT", "ELMo"), ("compares", "BERT", "GPT")}


def test_the_better_one_is_the_syntactic_subject_not_the_nearest_name():
    text = "Employing LSH to find large entries, HyperAttention outperforms FlashAttention."
    doc, ents = parsed(text, [("LSH", "method"), ("HyperAttention", "method"), ("FlashAttention", "method")])
    assert kinds(compare_relations(doc, ents)) == {("compares", "HyperAttention", "FlashAttention")}


def test_such_as_lists_attach_every_name_to_the_noun_they_hang_on():
    text = "We focus on sequence labeling tasks such as named entity recognition, opinion extraction and argument mining."
    names = ["sequence labeling tasks", "named entity recognition", "opinion extraction", "argument mining"]
    doc, ents = parsed(text, [(n, "task") for n in names])
    assert kinds(such_as_relations(doc, ents)) == {("narrower", names[0], n) for n in names[1:]}


def test_via_and_using_state_what_is_used_for_what():
    doc, ents = doc_and_entities("Meta-learning via In-context Tuning", [("Meta-learning", "method"), ("In-context Tuning", "method")])
    assert kinds(pattern_relations(doc, ents, whole(doc))) == {("used_for", "In-context Tuning", "Meta-learning")}


def test_relations_need_ends_of_the_right_types():
    assert fits("evaluated_on", "method", "dataset") and not fits("evaluated_on", "method", "task")
    assert fits("measures", "metric", "method") and not fits("measures", "method", "metric")
    assert not fits("compares", "method", "task")
    assert not plausible("used_for", "method", "method", "relation_model", "BERT")  # the classifier: tasks only
    assert plausible("used_for", "method", "method", "pattern", "BERT")


def test_no_relation_across_sentences():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("We study tasks. Such as parsing.")
    a, b = Candidate(2, 3, "tasks", "task", "t", 1), Candidate(6, 7, "parsing", "task", "t", 1)
    assert not list(pattern_relations(doc, [a, b], lambda i: doc[i].sent))


def test_scierc_labels_map_to_kg_kinds_and_direction():
    method, data, metric = (Candidate(0, 1, "M", "method", "t", 1), Candidate(3, 4, "D", "dataset", "t", 1),
                            Candidate(5, 6, "F1", "metric", "t", 1))
    assert to_kind("EVALUATE-FOR<", method, data) == ("evaluated_on", method, data)
    assert to_kind("EVALUATE-FOR", metric, method) == ("measures", metric, method)
    assert to_kind("HYPONYM-OF<", method, data) == ("narrower", method, data)
    assert to_kind("CONJUNCTION", method, data) is None


def test_model_relations_use_the_given_weights():
    doc, ents = doc_and_entities("CRF for parsing", [("CRF", "method"), ("parsing", "task")])
    weights = np.zeros((BUCKETS, len(LABELS)), dtype="float32")
    bias = np.zeros(len(LABELS), dtype="float32")
    bias[LABELS.index("USED-FOR")] = 10.0
    [(kind, head, tail, confidence, extractor)] = find_relations(doc, ents, whole(doc), (weights, bias))
    assert (kind, head.name, tail.name, extractor) == ("used_for", "CRF", "parsing", "relation_model")
    assert 0.5 < confidence <= 1.0


def mention(name, kind, start, sentence):
    return Mention(name, kind, "abstract", start, start + len(name), sentence, 0, len(sentence), "ner", 0.7)


def test_relations_become_entity_edges_with_evidence_and_support():
    sentence = "We use CRF for parsing."
    papers = []
    for key in ("a", "b"):
        rel = Relation("used_for", "CRF", "method", "parsing", "task", "abstract", 7, 10, 15, 22,
                       sentence, 0, len(sentence), "relation_model", 0.8 if key == "a" else 0.6)
        papers.append(ExtractedPaper(key, Paper(key, sentence),
                                     (mention("CRF", "method", 7, sentence), mention("parsing", "task", 15, sentence)),
                                     (), (rel,)))
    graph = build_graph(papers, canonicalise(papers))
    edge = graph.edges["method:CRF", "task:parsing", "used_for"]
    assert edge["support"] == 2 and edge["paper"] == "paper:a" and edge["confidence"] == 0.8
    assert (edge["start"], edge["end"], edge["sentence"], edge["extractor"]) == (7, 22, sentence, "relation_model")
    assert sentence[edge["start"]:edge["end"]] == "CRF for parsing"
