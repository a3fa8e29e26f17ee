"""Merging names across the corpus into entities."""

from kg.extract.gazetteer import GazetteerEntry
from kg.graph.canonical import canonicalise, name_key
from kg.records import Alias, ExtractedPaper, Mention, Paper


def mention(name, type="method", extractor="noun_chunk", proposed=False):
    return Mention(name, type, "abstract", 0, len(name), name, 0, len(name), extractor, 0.6, proposed)


def paper(key, *mentions, aliases=()):
    return ExtractedPaper(key, Paper(key), tuple(mentions), tuple(aliases))


def test_keys_merge_case_plural_hyphens_but_not_versions():
    assert name_key("Vision Transformers") == name_key("vision transformer") == name_key("Vision-Transformer")
    assert name_key("LLMs") == name_key("LLM")
    assert name_key("GPT-4") != name_key("GPT-4o")
    assert name_key("ResNet-50") != name_key("ResNet")
    assert name_key("BERT") != name_key("bert model")
    assert name_key("loss") == "loss" and name_key("analysis") == "analysis"


def test_acronym_defined_in_one_paper_joins_uses_in_another():
    one = paper("a", mention("Low-Rank Adaptation", extractor="abbreviation"), mention("LoRA", extractor="abbreviation"),
                aliases=[Alias("LoRA", "Low-Rank Adaptation", "We propose Low-Rank Adaptation (LoRA).")])
    two = paper("b", mention("LoRA", extractor="name", type="concept"))
    canon = canonicalise([one, two])
    [entity] = canon.entities.values()
    assert entity.name == "Low-Rank Adaptation" and entity.aliases == ("LoRA",)
    assert entity.type == "method" and entity.papers == ("a", "b")
    assert any(m.alias == "LoRA" and m.reason == "abbreviation" and m.paper == "a" for m in canon.merges)


def test_gazetteer_gives_the_name_and_the_decided_mentions_the_type():
    gaz = [GazetteerEntry("Transformer", "method", ("Transformer architecture",), "x")]
    canon = canonicalise([paper("a", mention("transformers", extractor="gazetteer"))], gaz)
    [entity] = canon.entities.values()
    assert (entity.id, entity.name, entity.aliases) == ("method:transformer", "Transformer", ("transformers",))
    gaz = [GazetteerEntry("transfer learning", "method", (), "x")]  # a paradigm the paper names in passing
    canon = canonicalise([paper("a", mention("transfer learning", type="concept", extractor="gazetteer")),
                          paper("b", mention("transfer learning", type="concept", extractor="gazetteer"))], gaz)
    assert list(canon.entities) == ["concept:transfer learning"]


def test_concepts_need_two_papers_typed_entities_do_not():
    canon = canonicalise([paper("a", mention("wide range", type="concept"), mention("object detection", type="task"))])
    assert list(canon.entities) == ["task:object detection"]
    canon = canonicalise([paper("a", mention("domain gap", type="concept")), paper("b", mention("domain gaps", type="concept"))])
    assert list(canon.entities) == ["concept:domain gap"]


def test_every_spelling_merge_is_recorded():
    canon = canonicalise([paper("a", mention("Vision Transformer")), paper("b", mention("vision transformers"))])
    assert [(m.alias, m.reason) for m in canon.merges] == [("vision transformers", "spelling (plural, hyphen or space)")]


def test_an_abbreviation_defined_two_ways_joins_neither():
    one = paper("a", mention("continual learning"), mention("CL"),
                aliases=[Alias("CL", "continual learning", "Continual learning (CL) is hard.")])
    two = paper("b", mention("contrastive learning"), mention("CL"),
                aliases=[Alias("CL", "contrastive learning", "Contrastive learning (CL) works.")])
    canon = canonicalise([one, two])
    ids = {canon.entity_of[name_key(n)] for n in ("continual learning", "contrastive learning", "CL")}
    assert len(ids) == 3
    assert {m.reason for m in canon.merges if m.alias == "CL"} == {"ambiguous abbreviation, not merged"}


def test_a_papers_own_definition_beats_the_gazetteer():
    gaz = [GazetteerEntry("automatic speech recognition", "task", ("ASR", "speech recognition"), "x")]
    one = paper("a", mention("Adaptive Sample with Reward", extractor="abbreviation"), mention("ASR", extractor="abbreviation"),
                aliases=[Alias("ASR", "Adaptive Sample with Reward", "We propose Adaptive Sample with Reward (ASR).")])
    two = paper("b", mention("speech recognition", extractor="gazetteer", type="task"))
    canon = canonicalise([one, two], gaz)
    assert canon.entity_of["ASR"] == canon.entity_of[name_key("Adaptive Sample with Reward")] == "method:adaptive sample with reward"
    assert canon.entity_of["speech recognition"] == "task:automatic speech recognition"


def test_compounds_merge_and_versions_stay_apart():
    canon = canonicalise([paper("a", mention("pre-trained models")), paper("b", mention("pretrained models")),
                          paper("c", mention("fine tuning")), paper("d", mention("finetuning"))])
    assert len(canon.entities) == 2
    assert name_key("Adam-v2") != name_key("Adam") and name_key("T5") != name_key("T5 v1.1")
