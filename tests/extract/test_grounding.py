"""Relations grounded on the paper's own proposal, from hand-built sentences and mentions."""

from kg.extract.grounding import ground, proposal_of
from kg.records import Alias, ExtractedPaper, Mention, Paper


def paper(title: str, sentences: list[str], names: dict[str, str], proposed=(), confidence=0.9):
    """An extracted paper whose mentions are every occurrence of ``names`` (name -> type) in the
    title and the abstract (the sentences joined by spaces)."""
    abstract = " ".join(sentences)
    mentions = []
    for field, text, parts in (("title", title, [title]), ("abstract", abstract, sentences)):
        at = 0
        for sentence in parts:
            start = text.index(sentence, at)
            for name, kind in names.items():
                found = sentence.find(name)
                while found >= 0:
                    mentions.append(Mention(name, kind, field, start + found, start + found + len(name), sentence,
                                            start, start + len(sentence), "test", confidence, name in proposed))
                    found = sentence.find(name, found + 1)
            at = start + len(sentence)
    return ExtractedPaper("p", Paper(title, abstract), tuple(sorted(mentions, key=lambda m: (m.field, m.start))))


def stated(item):
    return {(r.head, r.kind, r.tail) for r in ground(item).relations}


def test_the_title_says_what_the_proposal_is_for():
    item = paper("AdaFace: Quality Adaptive Margin for Face Recognition", ["We study faces."],
                 {"AdaFace": "method", "Face Recognition": "task"}, proposed={"AdaFace"})
    assert stated(item) == {("AdaFace", "used_for", "Face Recognition")}


def test_our_method_and_experiments_on_a_list_give_evaluated_on_each_dataset():
    item = paper("AdaFace: margins", [
        "Extensive experiments show that our method, AdaFace, improves the state of the art on four datasets "
        "(IJB-B, IJB-C, IJB-S and TinyFace)."],
        {"AdaFace": "method", "IJB-B": "dataset", "IJB-C": "dataset", "IJB-S": "dataset", "TinyFace": "dataset"},
        proposed={"AdaFace"})
    assert stated(item) == {("AdaFace", "evaluated_on", d) for d in ("IJB-B", "IJB-C", "IJB-S", "TinyFace")}


def test_a_dataset_the_paper_trains_on_is_not_where_it_is_evaluated():
    item = paper("X: a method", ["We pre-train X on ImageNet and evaluate it on COCO."],
                 {"X": "method", "ImageNet": "dataset", "COCO": "dataset"}, proposed={"X"})
    assert stated(item) == {("X", "evaluated_on", "COCO")}


def test_sentences_about_others_work_give_nothing():
    item = paper("X: a method", ["Existing methods such as Y report results on COCO.",
                                 "Previous work evaluates Y on COCO."],
                 {"X": "method", "Y": "method", "COCO": "dataset"}, proposed={"X"})
    assert stated(item) == set()


def test_the_proposal_outperforms_each_method_named_in_its_clause_and_a_metric_it_achieves():
    item = paper("X: a method", ["Our approach outperforms LoRA and BitFit on GLUE, while using fewer parameters.",
                                 "X achieves an accuracy of 91%."],
                 {"X": "method", "LoRA": "method", "BitFit": "method", "GLUE": "dataset", "accuracy": "metric"},
                 proposed={"X"})
    assert stated(item) == {("X", "compares", "LoRA"), ("X", "compares", "BitFit"), ("X", "evaluated_on", "GLUE"),
                            ("accuracy", "measures", "X")}


def test_tasks_the_paper_evaluates_on_and_we_propose_x_for_t():
    item = paper("Prompt-driven adaptation", [
        "We propose PODA for zero-shot domain adaptation.",
        "Experiments on semantic segmentation and object detection show the gains of our method."],
        {"PODA": "method", "zero-shot domain adaptation": "task", "semantic segmentation": "task",
         "object detection": "task"}, proposed={"PODA"})
    assert stated(item) == {("PODA", "used_for", t) for t in
                            ("zero-shot domain adaptation", "semantic segmentation", "object detection")}


def test_unsure_tails_and_papers_without_a_proposed_method_give_nothing():
    sentences = ["Experiments on COCO show that our method works."]
    assert stated(paper("X: a method", sentences, {"X": "method", "COCO": "dataset"}, {"X"}, confidence=0.4)) == set()
    assert stated(paper("A study", sentences, {"COCO": "dataset"})) == set()


def test_the_proposal_is_the_first_proposed_method_of_the_title_and_its_short_form_counts():
    item = paper("Entire Space Multi-Task Model: conversion rates", [
        "ESMM outperforms DeepFM on the Taobao dataset."],
        {"Entire Space Multi-Task Model": "method", "ESMM": "method", "DeepFM": "method", "Taobao dataset": "dataset"},
        proposed={"Entire Space Multi-Task Model"})
    item = ExtractedPaper(item.key, item.paper, item.mentions, (Alias("ESMM", "Entire Space Multi-Task Model", ""),))
    assert proposal_of(item).name == "Entire Space Multi-Task Model"
    assert stated(item) == {("Entire Space Multi-Task Model", "compares", "DeepFM"),
                            ("Entire Space Multi-Task Model", "evaluated_on", "Taobao dataset")}


def test_each_relation_keeps_its_sentence_and_offsets():
    item = paper("X: a method", ["Experiments on COCO show that our method works."], {"X": "method", "COCO": "dataset"},
                 proposed={"X"})
    [relation] = ground(item).relations
    text = item.paper.abstract
    assert text[relation.tail_start:relation.tail_end] == "COCO" and relation.extractor == "grounding"
    assert text[relation.sent_start:relation.sent_end] == relation.sentence
    assert 0 < relation.confidence <= 0.9


def test_a_name_inside_a_longer_one_of_its_type_is_not_a_second_end():
    item = paper("X: a method", ["Our method outperforms full fine-tuning."],
                 {"X": "method", "full fine-tuning": "method", "fine-tuning": "method"}, proposed={"X"})
    assert stated(item) == {("X", "compares", "full fine-tuning")}
