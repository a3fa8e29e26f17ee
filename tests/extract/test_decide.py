"""The entity decider: whole-bracket spans, generic model classes, dropped names take their relations."""

from __future__ import annotations

from kg.extract.decide import FEATURES, LABELS, decide, features, load_model
from kg.extract.spans import clean, split, tidy_mentions
from kg.records import Alias, ExtractedPaper, Mention, Paper, Relation


def mention(name, type="method", start=0, extractor="ner", sentence=None, confidence=0.8):
    sentence = sentence or name
    return Mention(name, type, "abstract", start, start + len(name), sentence, 0, len(sentence), extractor, confidence)


def test_spans_keep_whole_brackets():
    assert clean(mention("Nested Low-Rank Adaptation (NoRA)")).name == "Nested Low-Rank Adaptation"
    assert clean(mention("supervised fine-tuning (")).name == "supervised fine-tuning"
    assert clean(mention("multimodal models (LMMs")).name == "multimodal models"
    assert clean(mention("(")) is None
    assert clean(mention("Adam was")).name == "Adam" and clean(mention("average for")).name == "average"
    assert clean(mention("YFCC100M.")).name == "YFCC100M" and clean(mention("U.S.A")).name == "U.S.A"
    cleaned = clean(mention("GPT-4 (", start=10))
    assert (cleaned.start, cleaned.end) == (10, 15)
    assert clean(mention("BERT")) == mention("BERT")


def test_the_shipped_weights_fit_the_features():
    model = load_model()
    assert tuple(model["labels"]) == LABELS and tuple(model["features"][:len(FEATURES)]) == FEATURES
    assert len(model["weights"][0]) == len(model["features"]) == len(FEATURES) + len(model["vocabulary"])
    assert 0 < model["threshold"] < 1


def test_a_dataset_cue_counts():
    sentence = "We release the SurgLaVi dataset."
    cued = mention("SurgLaVi", start=15, sentence=sentence)
    plain = mention("SurgLaVi", start=0, sentence="SurgLaVi works.")
    index = FEATURES.index("cue=dataset")
    assert features([cued], set())[index] == 1.0 and features([plain], set())[index] == 0.0


def test_generic_model_classes_are_never_methods_and_dropped_names_take_their_relations():
    text = "We fine-tune large language models with LoRA on GLUE and the existing approaches."
    mentions = (
        mention("large language models", sentence=text, start=13, extractor="gazetteer", confidence=0.9),
        mention("LoRA", sentence=text, start=40, extractor="gazetteer", confidence=0.9),
        mention("GLUE", "dataset", sentence=text, start=48, extractor="gazetteer", confidence=0.9),
        mention("the existing approaches", "concept", sentence=text, start=57, extractor="noun_chunk", confidence=0.3),
    )
    relations = (
        Relation("evaluated_on", "LoRA", "method", "GLUE", "dataset", "abstract", 40, 44, 48, 52, text, 0, len(text),
                 "rules", 0.5),
        Relation("used_for", "the existing approaches", "concept", "GLUE", "dataset", "abstract", 57, 80, 48, 52,
                 text, 0, len(text), "rules", 0.5),
    )
    item = ExtractedPaper("p", Paper("A title", text), mentions, (), relations)
    decided = decide(item)
    types = {m.name: m.type for m in decided.mentions}
    assert types.get("large language models") in (None, "concept")
    assert types.get("LoRA") == "method" and types.get("GLUE") == "dataset"
    assert "the existing approaches" not in types
    assert [(r.head, r.tail) for r in decided.relations] == [("LoRA", "GLUE")]


def test_spans_are_whole_words_and_stop_at_a_sentence_end():
    sentence = "We propose Self-similarity Driven Learning for MoE. Specifically, few-shot learning works."
    grown = clean(mention("similarity Driven Learning", start=16, sentence=sentence))
    assert (grown.name, grown.start, grown.end) == ("Self-similarity Driven Learning", 11, 42)
    cut = clean(mention("MoE. Specifically", start=47, sentence=sentence))
    assert (cut.name, cut.start, cut.end) == ("MoE", 47, 50)
    assert clean(mention("shot learning", start=70, sentence=sentence)).name == "few-shot learning"


def test_a_relation_follows_its_cleaned_name():
    text = "We apply Nested Low-Rank Adaptation (NoRA) to GLUE."
    long_name = "Nested Low-Rank Adaptation (NoRA)"
    mentions = (mention(long_name, sentence=text, start=9, extractor="gazetteer", confidence=0.9),
                mention("GLUE", "dataset", sentence=text, start=46, extractor="gazetteer", confidence=0.9))
    relation = Relation("evaluated_on", long_name, "method", "GLUE", "dataset", "abstract", 9, 42, 46, 50, text, 0,
                        len(text), "rules", 0.5)
    keep_all = {**load_model(), "threshold": 0.0}
    decided = decide(ExtractedPaper("p", Paper("A title", text), mentions, (), (relation,)), keep_all)
    assert [(r.head, r.tail) for r in decided.relations] == [("Nested Low-Rank Adaptation", "GLUE")]


def test_generic_heads_fold_and_lists_of_names_split():
    def names(text):
        return [(x.name, x.start, x.end) for x in split(mention(text, start=10, sentence=" " * 10 + text))]

    assert names("approach OGEN") == [("OGEN", 19, 23)]
    assert names("Transformer model") == [("Transformer", 10, 21)]
    assert names("diffusion model") == [("diffusion model", 10, 25)]
    assert names("hierarchical contrastive learning (HMLC) methods") == [("hierarchical contrastive learning", 10, 43)]
    assert names("CLIP-based") == [("CLIP", 10, 14)]
    assert names("CoOp and Tip-Adapter") == [("CoOp", 10, 14), ("Tip-Adapter", 19, 30)]
    assert names("CoNLL-2003 and sentiment analysis") == [("CoNLL-2003", 10, 20), ("sentiment analysis", 25, 43)]
    assert names("image classification and retrieval") == [("image classification and retrieval", 10, 44)]
    assert names("Vision and Language Navigation") == [("Vision and Language Navigation", 10, 40)]
    assert names("Large LiT") == [("LiT", 16, 19)]  # a model size is no part of the name
    assert names("large language model") == [("large language model", 10, 30)]  # a kind of model stays whole
    assert names("process reward models") == [("process reward models", 10, 31)]
    assert names("ImageNet zero-shot accuracy") == [("ImageNet", 10, 18), ("zero-shot accuracy", 19, 37)]
    assert names("Top-1 accuracy") == [("Top-1 accuracy", 10, 24)]
    assert names("audio classification tasks") == [("audio classification", 10, 30)]
    assert names("downstream tasks") == [("downstream tasks", 10, 26)]  # nothing specific is left


def test_a_title_tagged_whole_stops_before_its_verb():
    title = "Soft Injection of Task Embeddings Outperforms Prompt-Based In-Context Learning"
    assert clean(mention(title, sentence=title)).name == "Soft Injection of Task Embeddings"


def test_a_short_form_followed_by_the_last_word_of_its_long_form_is_the_short_form():
    sentence = "We propose Cross-Cosine Similarity Loss (CCSL). Training with CCSL loss helps."
    start = sentence.index("CCSL loss")
    item = ExtractedPaper("p", Paper("T", sentence), (mention("CCSL loss", start=start, sentence=sentence),),
                          (Alias("CCSL", "Cross-Cosine Similarity Loss", sentence),))
    tidied, renamed = tidy_mentions(item)
    assert [m.name for m in tidied.mentions] == ["CCSL"] and renamed == {"CCSL loss": "CCSL"}
