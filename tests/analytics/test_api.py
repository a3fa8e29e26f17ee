"""The graph API (kg.analytics) on a small hand-built graph, so each answer is known exactly."""

import math

import networkx as nx
import pytest

import kg
from kg.analytics.base import clear_cache
from kg.graph.builds_on import add_builds_on

PAPERS = {
    "paper:a": {"title": "Attention Is All You Need", "date": "2017-06-12", "year": 2017, "arxiv_id": "1706.03762"},
    "paper:b": {"title": "BERT: Pre-training of Deep Bidirectional Transformers", "date": "2018-10-11", "year": 2018},
    "paper:c": {"title": "RoBERTa: A Robustly Optimized BERT Pretraining Approach", "year": 2019},
    "paper:d": {"title": "Adapters for everything", "listed": "Sep 9"},
    "paper:e": {"title": "Protein folding with nothing shared", "year": 2019},
}
ENTITIES = {
    "method:transformer": ("Transformer", ["Transformers"]),
    "method:BERT": ("BERT", ["Bidirectional Encoder Representations from Transformers"]),
    "method:adapter": ("adapter tuning", []),
    "task:question answering": ("question answering", ["QA"]),
    "task:machine translation": ("machine translation", []),
    "task:protein folding": ("protein folding", []),
    "dataset:SQuAD": ("SQuAD", []),
    "metric:F1": ("F1 score", ["F1"]),
}
MENTIONS = {  # paper -> [(entity, proposed)]
    "paper:a": [("method:transformer", True), ("task:machine translation", False)],
    "paper:b": [("method:BERT", True), ("method:transformer", False), ("task:question answering", False),
                ("dataset:SQuAD", False), ("metric:F1", False)],
    "paper:c": [("method:BERT", False), ("task:question answering", False), ("dataset:SQuAD", False),
                ("metric:F1", False)],
    "paper:d": [("method:adapter", True), ("method:BERT", False)],
    "paper:e": [("task:protein folding", False)],
}


def sentence(paper, entity, proposed):
    name = ENTITIES[entity][0]
    return f"We propose {name}." if proposed else f"{PAPERS[paper]['title']} uses {name}."


def tiny_graph():
    graph = nx.MultiDiGraph(name="kg")
    for node, attrs in PAPERS.items():
        graph.add_node(node, kind="paper", label=attrs["title"], **attrs)
    for node, (name, aliases) in ENTITIES.items():
        graph.add_node(node, kind=node.split(":")[0], label=name, aliases=aliases)
    for paper, found in MENTIONS.items():
        for entity, proposed in found:
            evidence = {"sentence": sentence(paper, entity, proposed), "confidence": 0.9, "field": "abstract"}
            graph.add_edge(paper, entity, key="mentions", kind="mentions", **evidence)
            if proposed:
                graph.add_edge(paper, entity, key="proposes", kind="proposes", **evidence)
        entities = sorted(e for e, _ in found)
        for i, x in enumerate(entities):
            for y in entities[i + 1:]:
                weight = graph.get_edge_data(x, y, "co_occurs", {}).get("weight", 0) + 1
                graph.add_edge(x, y, key="co_occurs", kind="co_occurs", weight=weight)
    graph.add_edge("paper:b", "paper:a", key="cites", kind="cites")
    graph.add_edge("paper:c", "paper:b", key="cites", kind="cites")
    graph.add_edge("method:BERT", "task:question answering", key="used_for", kind="used_for", paper="c",
                   sentence="We use BERT for question answering.", confidence=0.8, support=1)
    add_builds_on(graph)
    return graph


@pytest.fixture()
def g():
    return tiny_graph()


# find


@pytest.mark.parametrize("name, node", [
    ("BERT", "method:BERT"), ("bert", "method:BERT"), ("method:BERT", "method:BERT"),
    ("Bidirectional Encoder Representations from Transformers", "method:BERT"),  # alias
    ("transformers", "method:transformer"), ("Trasnformer", "method:transformer"),  # plural; swapped letters
    ("Tranformer", "method:transformer"), ("question-answering", "task:question answering"),  # typo; hyphen
    ("QA", "task:question answering"), ("1706.03762", "paper:a"), ("attention is all you need", "paper:a"),
])
def test_find_forgives_case_plural_hyphen_and_one_typo(g, name, node):
    assert kg.find(g, name)["id"] == node


def test_find_returns_the_attributes_or_none_and_filters_by_type(g):
    found = kg.find(g, "SQuAD")
    assert found == {"id": "dataset:SQuAD", **g.nodes["dataset:SQuAD"]}
    assert kg.find(g, "Trnsfrmr") is None and kg.find(g, "QB") is None  # two typos; too short for a typo
    assert kg.find(g, "BERT", type="paper") is None
    assert kg.find(g, "BERT", type=["methods", "tasks"])["id"] == "method:BERT"


def test_unknown_names_raise_not_found_with_close_names(g):
    with pytest.raises(kg.NotFoundError, match=r"No task named 'question answerring x'.*question answering"):
        kg.methods_for(g, "question answerring x")
    with pytest.raises(ValueError, match="the types are: paper, method"):
        kg.entities(g, type="algorithm")


def test_papers_filter_and_sort_oldest_first(g):
    assert [p.id for p in kg.papers(g)] == ["paper:a", "paper:b", "paper:c", "paper:e", "paper:d"]
    assert [p.id for p in kg.papers(g, since=2018, until=2018)] == ["paper:b"]
    assert [p.id for p in kg.papers(g, year=2019)] == ["paper:c", "paper:e"]
    assert [p.id for p in kg.papers(g, mentions="bert")] == ["paper:b", "paper:c", "paper:d"]
    assert [p.id for p in kg.papers(g, text="roberta")] == ["paper:c"]
    g.add_node("paper:stub", kind="paper", label="Cited elsewhere", stub=True)
    assert "paper:stub" not in {p.id for p in kg.papers(g)} and "paper:stub" in {p.id for p in kg.papers(g, stubs=True)}


def test_entities_by_type_and_paper_count(g):
    assert [(e.name, len(e.papers)) for e in kg.entities(g, type="method", min_papers=2)] == [
        ("BERT", 3), ("Transformer", 2)]
    assert {e.type for e in kg.entities(g)} == {"method", "task", "dataset", "metric"}


# what goes with what; who proposed what


def test_methods_datasets_metrics_for_a_task_stated_first_then_co_occurring(g):
    methods = kg.methods_for(g, "question answering")
    assert [(m.name, m.stated, m.count, m.papers) for m in methods] == [
        ("BERT", 1, 2, ("paper:b", "paper:c")), ("Transformer", 0, 1, ("paper:b",))]
    assert methods[0].sentence == "We use BERT for question answering."
    assert [d.name for d in kg.datasets_for(g, "QA")] == ["SQuAD"]
    assert [m.name for m in kg.metrics_for(g, "QA")] == ["F1 score"]
    assert [t.name for t in kg.tasks_for(g, "BERT")] == ["question answering"]
    assert kg.methods_for(g, "protein folding") == ()


def test_introduced_in_and_proposed_by(g):
    [proposal] = kg.introduced_in(g, "transformers")
    assert (proposal.paper, proposal.year, proposal.sentence) == ("paper:a", 2017, "We propose Transformer.")
    assert [p.name for p in kg.proposed_by(g, "BERT")] == ["BERT"]  # the paper that proposes BERT
    assert kg.introduced_in(g, "SQuAD") == ()


# related papers and paths


def test_related_papers_rank_shared_entities_citations_and_builds_on_with_reasons(g):
    related = kg.related_papers(g, "paper:b")
    assert [r.id for r in related] == ["paper:c", "paper:a", "paper:d"]
    roberta = related[0]
    assert roberta.links == ("cites", "builds on")
    assert roberta.reason.startswith("it cites this paper; it builds on this paper (BERT); shares ")
    n = 5
    idf = lambda papers: math.log(n / papers)  # noqa: E731
    expected = idf(3) + 3 * idf(2) + 3.0 + 2.0  # BERT; QA, SQuAD, F1; a citation; a builds-on link
    assert roberta.score == pytest.approx(expected, abs=1e-3)
    assert related[1].links == ("cited by", "built on by")
    assert len(kg.related_papers(g, "paper:b", k=1)) == 1
    assert kg.related_papers(g, "Protein folding with nothing shared") == ()


def test_related_papers_of_an_entity_start_from_the_paper_that_proposes_it(g):
    assert kg.related_papers(g, "BERT")[0].id == kg.related_papers(g, "paper:b")[0].id
    assert [r.id for r in kg.related_papers(g, "adapter tuning")] == [
        r.id for r in kg.related_papers(g, "paper:d")]


def test_related_papers_of_an_entity_no_paper_proposes_say_so_instead_of_guessing_a_title(g):
    # "SQuAD" is only mentioned; a title that merely contains a name is not the entity's paper
    g.add_node("paper:f", kind="paper", label="SQuAD-like reading tests", title="SQuAD-like reading tests")
    with pytest.raises(kg.NotFoundError, match=r"'SQuAD' is a dataset that no paper in the graph proposes "
                                               r"\(2 mention it.*'SQuAD-like reading tests'"):
        kg.related_papers(g, "SQuAD")
    # part of a title still finds the paper, as whole words only
    assert kg.related_papers(g, "robustly optimized", k=1)[0].id == "paper:b"
    with pytest.raises(kg.NotFoundError, match="No paper named 'robustly optim'"):
        kg.related_papers(g, "robustly optim")


def test_path_gives_evidence_for_every_hop(g):
    found = kg.path(g, "Transformer", "SQuAD")
    assert found.nodes == ("method:transformer", "paper:b", "dataset:SQuAD")
    assert [(h.source, h.relation, h.target) for h in found.hops] == [
        ("paper:b", "mentions", "method:transformer"), ("paper:b", "mentions", "dataset:SQuAD")]
    assert found.hops[0].evidence == "BERT: Pre-training of Deep Bidirectional Transformers uses Transformer."
    first = "BERT: Pre-training of Deep Bidirectional Transformers -[mentions]-> Transformer"
    assert str(found).splitlines()[0] == first


def test_path_prefers_stated_relations_and_reports_each_kind_of_evidence(g):
    assert [h.relation for h in kg.path(g, "BERT", "question answering").hops] == ["used_for"]
    assert kg.path(g, "BERT", "question answering").hops[0].evidence == (
        "We use BERT for question answering. (RoBERTa: A Robustly Optimized BERT Pretraining Approach)")
    cites = kg.path(g, "paper:c", "paper:b").hops[0]
    assert (cites.relation, cites.evidence) == ("cites", "reference list")
    uncited = tiny_graph()
    uncited.remove_edge("paper:b", "paper:a", "cites")
    builds = kg.path(uncited, "paper:b", "paper:a").hops[0]
    assert builds.relation == "builds_on" and builds.evidence.startswith("inferred via Transformer: ")


def test_path_without_connection_or_to_itself(g):
    with pytest.raises(kg.NotFoundError, match="nothing in the graph connects"):
        kg.path(g, "protein folding", "BERT")
    assert kg.path(g, "BERT", "bert").hops == ()


# rankings, communities, trends


def test_top_by_each_measure(g):
    assert [r.id for r in kg.top(g, type="paper", by="papers", k=2)] == ["paper:a", "paper:b"]  # 2 each: ids break ties
    assert kg.top(g, type="method", by="degree", k=1)[0].id == "method:BERT"
    ranked = kg.top(g, k=100)
    assert len(ranked) == g.number_of_nodes() and sum(r.score for r in ranked) == pytest.approx(1, abs=1e-4)
    assert ranked == tuple(sorted(ranked, key=lambda r: (-r.score, r.id)))
    assert kg.top(g, type="method", k=1)[0].id == "method:BERT"
    with pytest.raises(ValueError, match="pagerank, degree, papers"):
        kg.top(g, by="citations")


def test_communities_cover_the_graph_once_and_are_labelled(g):
    found = kg.communities(g, min_size=1)
    members = [n for c in found for n in c.entities + c.papers]
    assert sorted(members) == sorted(g) and [c.index for c in found] == list(range(len(found)))
    assert all(c.label for c in found) and [c.size for c in found] == sorted((c.size for c in found), reverse=True)
    protein = next(c for c in found if "paper:e" in c.papers)
    assert protein.entities == ("task:protein folding",) and protein.label == "protein folding"
    assert kg.communities(g, seed=3) == kg.communities(tiny_graph(), seed=3)


def test_trend_counts_papers_per_year_with_shares(g):
    found = kg.trend(g, "BERT")
    assert [(y.year, y.papers, y.total) for y in found.years] == [(2017, 0, 1), (2018, 1, 1), (2019, 1, 2)]
    assert found.years[-1].share == 0.5 and found.undated == 1


def test_emerging_ranks_growth_in_share(g):
    rising = kg.emerging(g, since=2018, min_papers=1)
    assert rising[0].id in {"method:BERT", "task:question answering", "dataset:SQuAD", "metric:F1"}
    transformer = next(e for e in rising if e.id == "method:transformer")
    assert (transformer.before, transformer.recent) == (1, 1)
    assert transformer.growth == pytest.approx(100 * (1 / 3 - 1 / 1), abs=0.01)
    assert kg.emerging(g, since=2018, min_papers=2) == tuple(e for e in rising if e.recent >= 2)


# results, caching, facade


def test_tables_slice_convert_to_dicts_and_pandas(g):
    pandas = pytest.importorskip("pandas")
    table = kg.top(g, k=5)
    assert isinstance(table[:2], kg.Table) and len(table[:2]) == 2
    frame = table.to_pandas()
    assert isinstance(frame, pandas.DataFrame) and list(frame.columns) == ["id", "type", "name", "score", "papers"]
    assert list(kg.entities(g, type="metric", min_papers=9).to_pandas().columns) == list(kg.EntityInfo.__annotations__)
    assert kg.trend(g, "BERT").to_pandas().loc[2019, "papers"] == 1
    assert kg.path(g, "Transformer", "SQuAD").to_pandas().shape == (2, 6)
    assert table.to_dicts()[0]["id"] == table[0].id


def test_cache_follows_changes_to_the_graph(g):
    assert kg.find(g, "LoRA") is None
    g.add_node("method:LoRA", kind="method", label="LoRA")
    assert kg.find(g, "LoRA")["id"] == "method:LoRA"
    g.nodes["method:LoRA"]["aliases"] = ["low-rank adaptation"]
    clear_cache(g)
    assert kg.find(g, "low rank adaptation")["id"] == "method:LoRA"


def test_facade_methods_answer_as_the_functions_do(g):
    facade = kg.KnowledgeGraph(g)
    assert facade.find("bert") == kg.find(g, "bert")
    assert facade.top(type="method") == kg.top(g, type="method")
    assert facade.related_papers("paper:b", k=2) == kg.related_papers(g, "paper:b", k=2)
    assert facade.path("BERT", "SQuAD") == kg.path(g, "BERT", "SQuAD")
    assert facade.methods_for("QA") == kg.methods_for(facade, "QA")
    assert facade.communities() == kg.communities(g) and facade.trend("BERT") == kg.trend(g, "BERT")
    assert facade.emerging(since=2018) == kg.emerging(g, since=2018)
    assert facade.introduced_in("BERT") == kg.introduced_in(g, "BERT")


def test_public_api_is_listed_and_documented():
    for name in kg.__all__:
        obj = getattr(kg, name)
        assert obj.__doc__, name
        if callable(obj) and not isinstance(obj, type):
            assert "Examples" in obj.__doc__, name


def test_facade_methods_and_properties_have_examples():
    for name in dir(kg.KnowledgeGraph):
        if name.startswith("_"):
            continue
        attr = getattr(kg.KnowledgeGraph, name)
        doc = (attr.fget if isinstance(attr, property) else attr).__doc__
        assert doc and "Examples" in doc, name


def test_statements_filter_on_confidence_and_kind(g):
    found = kg.statements(g)
    assert [(s.head_name, s.kind, s.tail_name) for s in found] == [("BERT", "used_for", "question answering")]
    assert found[0].sentence == "We use BERT for question answering." and found[0].confidence == 0.8
    assert kg.statements(g, min_confidence=0.9) == () and kg.statements(g, kind="measures") == ()
    with pytest.raises(ValueError, match="used_for"):
        kg.statements(g, kind="uses")
