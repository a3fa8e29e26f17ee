"""The graph's node and edge kinds, built from hand-made extraction records."""

from kg.graph.build import build_graph
from kg.graph.canonical import canonicalise
from kg.records import ExtractedPaper, Mention, Paper, Source


def mention(name, type, proposed=False, sentence="We use it."):
    return Mention(name, type, "abstract", 0, len(name), sentence, 0, len(sentence), "gazetteer", 0.9, proposed)


def graph():
    a = ExtractedPaper("arxiv:1", Paper("A", "x", year=2020, sources=(Source("f.jsonl", 1, "jsonl"),)),
                       (mention("LoRA", "method", proposed=True, sentence="We propose LoRA."), mention("GLUE", "dataset")))
    b = ExtractedPaper("arxiv:2", Paper("B", "y", year=2021), (mention("LoRA", "method"), mention("GLUE", "dataset"),
                                                              mention("BLEU", "metric")))
    papers = [a, b]
    return build_graph(papers, canonicalise(papers), {"arxiv:2": ("arxiv:1",)})


def test_nodes_have_kinds_and_stable_ids():
    g = graph()
    assert {n: d["kind"] for n, d in g.nodes(data=True)} == {
        "paper:arxiv:1": "paper", "paper:arxiv:2": "paper",
        "method:LoRA": "method", "dataset:GLUE": "dataset", "metric:BLEU": "metric"}
    assert g.nodes["paper:arxiv:1"]["sources"] == ["f.jsonl:1"]
    assert g.nodes["method:LoRA"]["paper_count"] == 2


def test_edge_kinds_and_attributes():
    g = graph()
    kinds = sorted((u, v, k) for u, v, k in g.edges(keys=True))
    assert ("paper:arxiv:1", "method:LoRA", "proposes") in kinds
    assert ("paper:arxiv:2", "method:LoRA", "proposes") not in kinds
    assert ("paper:arxiv:2", "paper:arxiv:1", "cites") in kinds
    proposes = g.edges["paper:arxiv:1", "method:LoRA", "proposes"]
    assert proposes["sentence"] == "We propose LoRA." and proposes["extractor"] == "gazetteer"


def test_co_occurrence_weight_is_the_number_of_papers():
    g = graph()
    assert g.edges["dataset:GLUE", "method:LoRA", "co_occurs"]["weight"] == 2
    assert g.edges["dataset:GLUE", "metric:BLEU", "co_occurs"]["weight"] == 1
    assert not g.has_edge("method:LoRA", "dataset:GLUE")
