"""Identity across sources: normalised ids, merging rules, conflicts, merge records, citations
and stub papers, down to the graph and its exports. The same 12 papers are given in six formats
(tests/fixtures/formats) and must come out as 12 nodes with their citations intact."""

import json
from pathlib import Path

import pytest

import kg
from kg.corpus.identity import (
    identifiers,
    key_of,
    normalise_doi,
    normalise_openalex,
    normalise_s2,
    title_hash,
    typed_id,
)
from kg.corpus.merge import CONFLICT, Matcher, merge_records
from kg.corpus.read import Corpus, read_corpus
from kg.records import Paper, Source

FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
ALL_FORMATS = [FORMATS / name for name in ("papers.atom", "arxiv-snapshot.json", "zotero.bib", "zotero.json",
                                           "openalex-works.jsonl", "s2-batch.json")]
KEYS = {
    "attention": "arxiv:1706.03762", "bert": "arxiv:1810.04805", "resnet": "arxiv:1512.03385",
    "adam": "arxiv:1412.6980", "lora": "arxiv:2106.09685", "gpt3": "arxiv:2005.14165",
    "roberta": "arxiv:1907.11692", "glove": "doi:10.3115/v1/d14-1162", "word2vec": "arxiv:1301.3781",
    "dropout": "openalex:W2095705004", "batchnorm": "arxiv:1502.03167", "alexnet": "doi:10.1145/3065386",
}
CITES = {  # who cites whom among the 12, as the OpenAlex and Semantic Scholar files say
    "attention": ["resnet", "adam", "dropout"], "bert": ["attention", "word2vec", "glove"],
    "resnet": ["batchnorm", "alexnet"], "lora": ["attention", "bert", "gpt3", "roberta"],
    "gpt3": ["attention", "bert", "roberta"], "roberta": ["bert", "attention", "adam"], "glove": ["word2vec"],
    "dropout": ["alexnet"], "batchnorm": ["dropout", "alexnet"],
}
EXPECTED_EDGES = {(KEYS[a], KEYS[b]) for a, cited in CITES.items() for b in cited}


def record(title, line=1, path="r.jsonl", **fields):
    return Paper(title, sources=(Source(path, line, "jsonl"),), **fields)


def read_corpus_of(records):
    """A corpus merged from records in memory, as read_corpus merges files."""
    matcher = Matcher()
    for r in records:
        matcher.add(r)
    corpus = Corpus(records=len(records))
    corpus.papers, corpus.merges = matcher.papers()
    corpus.conflicts = matcher.conflicts
    return corpus


# --- identifiers -----------------------------------------------------------------------------

def test_identifiers_are_normalised_and_typed():
    paper = Paper("T", doi="https://doi.org/10.48550/arXiv.2106.09685", openalex_id="https://openalex.org/W42",
                  s2_id="A8CA46B171467CEB2D7652FBFB67FE701AD86092", mag_id="0042", pmid="https://pubmed.ncbi.nlm.nih.gov/7/")
    assert identifiers(paper) == ("arxiv:2106.09685", "openalex:W42", "s2:a8ca46b171467ceb2d7652fbfb67fe701ad86092",
                                  "mag:42", "pmid:7")
    assert key_of(paper) == "arxiv:2106.09685"
    assert normalise_doi("doi:10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0).") == \
        "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-0"
    assert normalise_doi("https://doi.org/10.1000%2Fabc") == "10.1000/abc"
    assert normalise_openalex("W123") == "W123" and normalise_s2("not hex") is None


@pytest.mark.parametrize("reference, expected", [
    ("10.18653/V1/N19-1423", "doi:10.18653/v1/n19-1423"),
    ("https://doi.org/10.48550/arXiv.1706.03762", "arxiv:1706.03762"),
    ("arXiv:1706.03762v5 [cs.CL]", "arxiv:1706.03762"),
    ("https://openalex.org/W2963403868", "openalex:W2963403868"),
    ("s2:204E3073870FAE3D05BCBC2F6A8E263D9B72E776", "s2:204e3073870fae3d05bcbc2f6a8e263d9b72e776"),
    ("mag:2963403868", "mag:2963403868"),
    ("W2963403868", None),  # could be anyone's local id
    ("lora", None),
])
def test_references_name_typed_ids(reference, expected):
    assert typed_id(reference) == expected


# --- merging rules ---------------------------------------------------------------------------

def test_shared_identifier_merges_whatever_the_spelling():
    corpus = merge_records([record("LoRA", arxiv_id="arXiv:2106.09685v2"),
                            record("LoRA: Low-Rank Adaptation", line=2, doi="https://doi.org/10.48550/ARXIV.2106.09685")])
    assert list(corpus) == ["arxiv:2106.09685"]


def test_records_without_ids_merge_on_title_and_year():
    papers = merge_records([record("Deep Learning!", year=2015), record("deep   learning", line=2),
                            record("Deep learning", line=3, year=2015), record("Deep Learning", line=4, year=2016)])
    assert [len(p.sources) for p in papers.values()] == [3, 1]
    first, second = papers
    assert second == f"{first}-2016"  # same title, another year: a paper of its own


def test_one_record_with_two_ids_joins_two_papers():
    corpus = read_corpus_of([record("A", openalex_id="W1", year=2012), record("A", line=2, doi="10.1145/1", year=2017),
                             record("A", line=3, openalex_id="W1", doi="10.1145/1")])
    assert len(corpus.papers) == 1 and corpus.conflicts == []  # the refused title match was healed
    rules = [(m.rule, m.value) for m in corpus.merges]
    assert rules == [("openalex", "W1"), ("doi", "10.1145/1")]


def test_two_ids_for_one_title_stay_apart_and_are_reported():
    corpus = read_corpus_of([record("Attention", arxiv_id="1706.03762"), record("Attention", line=2, arxiv_id="1706.99999")])
    assert len(corpus.papers) == 2
    [conflict] = corpus.conflicts
    assert conflict.reason.startswith(CONFLICT) and "two papers" in conflict.reason and conflict.line == 2
    assert "arxiv 1706.99999 here and 1706.03762 there" in conflict.reason


def test_one_id_for_two_titles_merges_and_is_reported():
    corpus = read_corpus_of([record("Attention Is All You Need", doi="10.1000/x"),
                             record("Graph Neural Networks Survey", line=2, doi="10.1000/X")])
    [(key, paper)] = corpus.papers.items()
    assert paper.title == "Attention Is All You Need" and len(paper.sources) == 2
    [conflict] = corpus.conflicts
    assert "one id for two titles" in conflict.reason and not conflict.skipped


def test_titles_that_nearly_agree_are_no_conflict():
    corpus = read_corpus_of([record("Attention is All you Need", arxiv_id="1706.03762"),
                             record("Attention Is All You Need.", line=2, arxiv_id="1706.03762")])
    assert corpus.conflicts == []


def test_two_values_of_one_scheme_joined_by_another_id_are_reported():
    corpus = read_corpus_of([record("BERT", doi="10.18653/v1/n19-1423", arxiv_id="1810.04805"),
                             record("BERT", line=2, doi="10.5555/other", arxiv_id="1810.04805")])
    assert len(corpus.papers) == 1
    assert "two doi ids" in corpus.conflicts[0].reason


def test_every_merge_is_recorded():
    corpus = read_corpus([FORMATS / "zotero.bib", FORMATS / "openalex-works.jsonl"])
    assert len(corpus.merges) == corpus.duplicates == 11
    # AlexNet: Zotero has the 2017 journal version (a DOI), OpenAlex the 2012 paper (no DOI);
    # nothing links them, so they stay two papers, reported (the S2 file links them: see below).
    [conflict] = corpus.conflicts
    assert "year 2012 here and 2017 there; kept as two papers" in conflict.reason
    dropout = [m for m in corpus.merges if m.key == "openalex:W2095705004"]
    assert [(m.rule, m.record.path.endswith("openalex-works.jsonl"), m.joined.path.endswith("zotero.bib")) for m in dropout] \
        == [("title+year", True, True)]
    assert str(dropout[0]).startswith(str(dropout[0].record))


# --- the same papers in every format ------------------------------------------------------------

@pytest.fixture(scope="module")
def everything():
    return read_corpus(ALL_FORMATS)


def test_twelve_papers_in_six_formats_are_twelve_papers(everything):
    assert everything.records == 66 and sorted(everything.papers) == sorted(KEYS.values())
    formats = {key: {s.format for s in p.sources} for key, p in everything.papers.items()}
    assert formats[KEYS["lora"]] == {"arxiv-atom", "arxiv-snapshot", "bibtex", "csl-json", "openalex", "s2"}
    assert formats[KEYS["dropout"]] == {"bibtex", "csl-json", "openalex", "s2"}
    assert everything.conflicts == [] and not everything.skipped


def test_citations_are_intact(everything):
    inside = {(a, b) for a, targets in everything.citations.items() for b in targets if b in everything.papers}
    assert inside == EXPECTED_EDGES


def test_the_order_of_the_files_does_not_matter(everything):
    again = read_corpus(list(reversed(ALL_FORMATS)))
    assert sorted(again.papers) == sorted(everything.papers)
    edges = {(a, b) for a, targets in again.citations.items() for b in targets if b in again.papers}
    assert edges == EXPECTED_EDGES


def test_each_citing_source_alone_gives_the_citations():
    for name in ("openalex-works.jsonl", "s2-batch.json"):
        corpus = read_corpus([FORMATS / name])
        inside = {(a, b) for a, targets in corpus.citations.items() for b in targets if b in corpus.papers}
        assert len(inside) == len(EXPECTED_EDGES), name


def test_cited_works_outside_are_stubs_with_their_ids(everything):
    stubs = everything.stubs
    assert set(stubs) == {"openalex:W2064675550", "openalex:W2963122961", "openalex:W2962739339",
                          "doi:10.1162/neco.1997.9.8.1735", "arxiv:1607.06450", "arxiv:1802.05365",
                          f"title:{title_hash('Neural Machine Translation in Linear Time (unpublished draft)')}"}
    lstm = stubs["doi:10.1162/neco.1997.9.8.1735"]
    assert (lstm.title, lstm.year, lstm.s2_id, lstm.mag_id) == ("Long Short-Term Memory", 1997,
                                                                 "44d2abe2175df8153f465f6c39b68b76a0d40ab9", "2064675550")
    assert everything.citations[KEYS["word2vec"]] == ("openalex:W2064675550", "doi:10.1162/neco.1997.9.8.1735")


def test_stubs_can_be_left_out():
    corpus = read_corpus(ALL_FORMATS, stubs=False)
    assert corpus.stubs == {}
    assert {(a, b) for a, targets in corpus.citations.items() for b in targets} == EXPECTED_EDGES


def test_a_later_build_with_the_cited_paper_links_the_stub(tmp_path):
    lstm = {"id": "https://openalex.org/W2064675550", "doi": "https://doi.org/10.1162/neco.1997.9.8.1735",
            "title": "Long Short-Term Memory", "publication_year": 1997}
    refs = tmp_path / "refs.jsonl"
    refs.write_text(json.dumps(lstm) + "\n", encoding="utf-8")
    corpus = read_corpus([*ALL_FORMATS, refs])
    assert "doi:10.1162/neco.1997.9.8.1735" in corpus.papers
    assert not {"openalex:W2064675550", "doi:10.1162/neco.1997.9.8.1735"} & set(corpus.stubs)
    # Both the OpenAlex reference (by W id) and the Semantic Scholar one (by DOI) now reach it.
    assert corpus.citations[KEYS["word2vec"]] == ("doi:10.1162/neco.1997.9.8.1735",)


def test_local_references_still_warn_and_typed_ones_become_stubs(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "a", "title": "First", "references": ["zzz", "10.1000/ext", "a"]}) + "\n")
    corpus = read_corpus([path])
    assert [p.reason for p in corpus.problems] == ["reference 'zzz' is not a paper in the input; not linked"]
    assert list(corpus.stubs) == ["doi:10.1000/ext"]
    assert corpus.citations == {key_of(Paper("First")): ("doi:10.1000/ext",)}  # the self-reference is dropped


def test_the_pinned_corpus_counts_do_not_move(corpus_files):
    corpus = read_corpus(corpus_files)
    assert (corpus.records, len(corpus.papers), len(corpus.merges)) == (498, 484, 14)
    assert {m.rule for m in corpus.merges} == {"title+year"} and corpus.conflicts == []


# --- the graph and its exports ------------------------------------------------------------------

@pytest.fixture(scope="module")
def graph(blank_nlp):
    return kg.build(ALL_FORMATS, nlp=blank_nlp)


def test_graph_has_one_node_per_paper_and_stub_nodes(graph):
    papers = {n: a for n, a in graph.graph.nodes(data=True) if a.get("kind") == "paper"}
    corpus = {n for n, a in papers.items() if not a.get("stub")}
    assert corpus == {f"paper:{k}" for k in KEYS.values()}
    stubs = {n: a for n, a in papers.items() if a.get("stub")}
    assert len(stubs) == 7
    assert stubs["paper:openalex:W2963122961"]["label"] == "openalex:W2963122961"
    assert "title" not in stubs["paper:openalex:W2963122961"]
    assert stubs["paper:arxiv:1607.06450"]["title"] == "Layer Normalization"
    cites = {(u[6:], v[6:]) for u, v, k in graph.graph.edges(keys=True) if k == "cites"}
    assert {e for e in cites if f"paper:{e[1]}" in corpus} == EXPECTED_EDGES


def test_citation_counts_and_pagerank(graph):
    nodes = graph.graph.nodes
    assert nodes[f"paper:{KEYS['attention']}"]["cited_by"] == 4
    assert nodes[f"paper:{KEYS['lora']}"]["cited_by"] == 0
    assert nodes["paper:doi:10.1162/neco.1997.9.8.1735"]["cited_by"] == 2
    assert "citation_pagerank" not in nodes["paper:doi:10.1162/neco.1997.9.8.1735"]
    ranks = {k: nodes[f"paper:{key}"]["citation_pagerank"] for k, key in KEYS.items()}
    assert abs(sum(ranks.values()) - 1) < 1e-4
    assert max(ranks, key=ranks.get) == "alexnet" and min(ranks, key=ranks.get) == "lora"


def test_stubs_can_be_removed_from_a_built_graph(graph):
    from kg.graph.build import remove_stubs

    copy = graph.graph.copy()
    assert remove_stubs(copy) == 7
    cites = {(u[6:], v[6:]) for u, v, k in copy.edges(keys=True) if k == "cites"}
    assert cites == EXPECTED_EDGES


def test_cito_cites_in_rdf_answer_the_citation_query(graph):
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(graph.dumps("turtle").encode(), pyoxigraph.RdfFormat.TURTLE)
    query = (Path(__file__).resolve().parents[2] / "queries" / "citations.rq").read_text(encoding="utf-8")
    rows = {(row["citing"].value, row["cited"].value) for row in store.query(query)}
    assert ("LoRA: Low-Rank Adaptation of Large Language Models", "Attention Is All You Need") in rows
    assert ("Attention Is All You Need", "Layer Normalization") in rows  # a stub, with its title
    assert len(rows) >= len(EXPECTED_EDGES)


def test_every_export_takes_stub_nodes(graph):
    for name in ("turtle", "json", "html"):
        text = graph.dumps(name)
        assert text == graph.dumps(name)
    assert "openalex:W2963122961" in graph.dumps("html")
    loaded = json.loads(graph.dumps("json"))
    stub = next(n for n in loaded["nodes"] if n["id"] == "paper:arxiv:1607.06450")
    assert stub["stub"] is True and stub["cited_by"] == 1


def test_an_openalex_result_alone_gives_cito_cites(blank_nlp):
    import rdflib

    built = kg.build([FORMATS / "openalex-works.jsonl"], nlp=blank_nlp)
    rdf = rdflib.Graph().parse(data=built.dumps("turtle"), format="turtle")
    cites = list(rdf.subject_objects(rdflib.URIRef("http://purl.org/spar/cito/cites")))
    assert len(cites) == len(EXPECTED_EDGES) + 4  # and 4 to works outside the file
    assert '"cites"' in built.dumps("html")
