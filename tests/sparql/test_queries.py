"""Every query of the library runs on the example export and gives the expected answer.

The expected answers are computed here in Python from the networkx graph (not copied from a
run), so a test fails when a query or the RDF mapping is wrong, and still holds when the
extractor's output changes. A few facts of the example corpus are also pinned.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from kg.errors import NotFoundError, QueryError
from kg.sparql import engine as sparql

QUERIES = Path(__file__).resolve().parents[2] / "queries"
PARAMS = {
    "top-methods-for-task": {"task": "Question Answering"},
    "datasets-for-task": {"task": "question answering"},
    "methods-on-dataset": {"dataset": "glue"},
    "metrics-for-task": {"task": "machine translation"},
    "co-occurring": {"entity": "BERT"},
    "citing-papers": {"paper": "attention is all you need"},
    "evidence": {"entity": "lora"},
    "aliases": {"entity": "LoRA"},
    "similar-papers": {"paper": "2106.09685"},
    "proposed-and-used": {"method": "transformer"},
}
LINKS = {"mentions": "mentions", "proposes": "proposes"}


@pytest.fixture(scope="module")
def export(example_graph, tmp_path_factory):
    return example_graph.write("turtle", tmp_path_factory.mktemp("queries") / "graph.ttl")


@pytest.fixture(scope="module")
def graph(example_graph):
    return example_graph.graph


def ask(export, name):
    return sparql.query(name, data=export, params=PARAMS.get(name, {})).records()


# --- the graph, read the way the queries read the export ------------------------------------

def entities(graph, kind=None):
    return {n: a for n, a in graph.nodes(data=True) if a.get("kind") not in (None, "paper")
            and (kind is None or a["kind"] == kind)}


def matching(graph, name, kind=None):
    wanted = name.lower()
    return {n for n, a in entities(graph, kind).items()
            if any(label.lower() == wanted for label in [a.get("label", ""), *a.get("aliases", [])])}


def matching_papers(graph, key):
    wanted = key.lower()
    return {n for n, a in graph.nodes(data=True) if a.get("kind") == "paper"
            and wanted in {str(a.get(f, "")).lower() for f in ("title", "local_id", "doi", "arxiv_id")}}


def mentions(graph):
    found = defaultdict(set)
    for u, v, k in graph.edges(keys=True):
        if k == "mentions":
            found[u].add(v)
    return found


def relation_papers(graph, kind, source, target):
    data = graph.get_edge_data(source, target, kind)
    return {data["paper"]} if data and data.get("paper") else set()


def year(attrs):
    if attrs.get("date") and re.match(r"^\d{4}-\d{2}-\d{2}$", attrs["date"]):
        return int(attrs["date"][:4])
    return int(attrs["year"]) if attrs.get("year") else None


def top(rows, key, limit):
    """The first ``limit`` rows in ``key`` order, less a tie group cut by the limit."""
    rows = sorted(rows, key=key)
    if len(rows) > limit and key(rows[limit - 1])[:2] == key(rows[limit])[:2]:
        cut = key(rows[limit - 1])[:2]
        return [r for r in rows[:limit] if key(r)[:2] != cut]
    return rows[:limit]


def co_mentioned(graph, targets, kind, relation=None, reverse=False):
    """Rows (name, papers, stated) for entities of ``kind`` mentioned with any of ``targets``."""
    papers, stated = defaultdict(set), defaultdict(set)
    for paper, found in mentions(graph).items():
        for target in targets & found:
            for other in found:
                if graph.nodes[other]["kind"] == kind:
                    papers[other].add(paper)
                    if relation and paper in relation_papers(graph, relation, other, target):
                        stated[other].add(paper)
    return [(graph.nodes[e]["label"], len(p), len(stated[e])) for e, p in papers.items()]


# --- the library ----------------------------------------------------------------------------

def test_the_library_has_a_question_parameters_and_an_example_per_query():
    library = sparql.library()
    assert len(library) >= 12
    assert sorted(library) == sorted(p.stem for p in QUERIES.glob("*.rq"))
    for name, query in library.items():
        header = query.text.splitlines()[:3]
        assert header[0].startswith("# Question: ") and query.question.endswith("?"), name
        assert header[1].startswith("# Parameters: "), name
        assert header[2].startswith(f"# Example: kg query {name}"), name
        assert {p.name for p in query.parameters} == set(PARAMS.get(name, {})), name
        for parameter in query.parameters:
            assert f"--param {parameter.name}=" in query.example and parameter.description, name


@pytest.mark.parametrize("name", sorted(sparql.library()))
def test_every_query_answers_on_the_example_corpus(export, name):
    assert ask(export, name), f"{name} gave no rows"


def test_top_methods_for_task(export, graph):
    rows = ask(export, "top-methods-for-task")
    tasks = matching(graph, "question answering", "task")
    expected = top([(-n, name) for name, n, _ in co_mentioned(graph, tasks, "method")], lambda r: r, 20)
    got = [(-int(r["papers"]), r["name"]) for r in rows]
    assert got[:len(expected)] == expected and len(got) == min(20, len(got))
    assert {r["task"] for r in rows} == {"question answering"}  # the task's own name, resolved from the parameter


@pytest.mark.parametrize("name, param, kind, target_kind, relation", [
    ("datasets-for-task", "task", "dataset", "task", "used_for"),
    ("methods-on-dataset", "dataset", "method", "dataset", "evaluated_on"),
    ("metrics-for-task", "task", "metric", "task", "measures"),
])
def test_entities_for_a_task_or_dataset(export, graph, name, param, kind, target_kind, relation):
    rows = ask(export, name)
    targets = matching(graph, PARAMS[name][param], target_kind)
    expected = sorted(co_mentioned(graph, targets, kind, relation))
    assert sorted((r["name"], int(r["papers"]), int(r["stated_in"])) for r in rows) == expected
    papers = [int(r["papers"]) for r in rows]
    assert papers == sorted(papers, reverse=True)


def test_stated_relations_are_counted(export, graph):
    stated = {(graph.nodes[u]["label"], d["support"]) for u, v, k, d in graph.edges(keys=True, data=True)
              if k == "evaluated_on" and v == "dataset:GLUE"}
    assert stated, "the example has a stated evaluated_on relation to GLUE"
    rows = ask(export, "methods-on-dataset")
    assert stated <= {(r["name"], int(r["stated_in"])) for r in rows}
    assert all(int(r["stated_in"]) <= int(r["papers"]) for r in ask(export, "metrics-for-task"))


def test_proposed_and_used(export, graph):
    found = mentions(graph)
    chosen = matching(graph, "transformer", "method")
    expected = []
    for proposer, method, kind in graph.edges(keys=True):
        if kind != "proposes" or method not in chosen or year(graph.nodes[proposer]) is None:
            continue
        for user, entities_ in found.items():
            used = year(graph.nodes[user])
            if method in entities_ and used is not None and used > year(graph.nodes[proposer]):
                expected.append((graph.nodes[method]["label"], graph.nodes[proposer]["title"],
                                 year(graph.nodes[proposer]), graph.nodes[user]["title"], used))
    rows = ask(export, "proposed-and-used")
    got = [(r["name"], r["proposed_in"], int(r["year"]), r["used_in"], int(r["used_year"])) for r in rows]
    assert sorted(got) == sorted(expected)
    assert ("Transformer", "Attention Is All You Need") in {(g[0], g[1]) for g in got}


def test_co_occurring(export, graph):
    chosen = matching(graph, "BERT")
    papers = defaultdict(set)
    for paper, found in mentions(graph).items():
        for e in chosen & found:
            for other in found - {e}:
                papers[other].add(paper)
    expected = top([(-len(p), graph.nodes[o]["label"], graph.nodes[o]["kind"]) for o, p in papers.items()],
                   lambda r: r, 50)
    got = [(-int(r["papers"]), r["name"], r["type"]) for r in ask(export, "co-occurring")]
    assert sorted(got[:len(expected)]) == sorted(expected) and len(got) <= 50


def test_entity_growth(export, graph):
    by_year = defaultdict(lambda: defaultdict(set))
    for paper, found in mentions(graph).items():
        if year(graph.nodes[paper]) is not None:
            for e in found:
                by_year[e][year(graph.nodes[paper])].add(paper)
    expected = sorted((graph.nodes[e]["kind"], graph.nodes[e]["label"], min(years), y, len(p))
                      for e, years in by_year.items() for y, p in years.items())
    rows = ask(export, "entity-growth")
    got = [(r["type"], r["name"], int(r["first_year"]), int(r["year"]), int(r["papers"])) for r in rows]
    assert sorted(got) == expected
    assert [g[2] for g in got] == sorted(g[2] for g in got)


def builds_on_links(graph, source, target):
    kinds = {graph.nodes[e]["kind"] for e in graph.edges[source, target, "builds_on"].get("entities", [])}
    links = [name for kind, name in (("method", "usesMethodIn"), ("dataset", "usesDataFrom")) if kind in kinds]
    return links or ["buildsOn"]


def test_citing_papers(export, graph):
    cited = matching_papers(graph, "attention is all you need")
    expected = []
    for u, v, kind in graph.edges(keys=True):
        if v in cited and kind == "cites":
            expected.append((graph.nodes[u]["title"], "cites", "false"))
        elif v in cited and kind == "builds_on":
            expected += [(graph.nodes[u]["title"], link, "true") for link in builds_on_links(graph, u, v)]
    got = [(r["title"], r["link"], r["inferred"]) for r in ask(export, "citing-papers")]
    assert got == sorted(expected)
    assert ("BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", "cites", "false") in got


def test_evidence(export, graph):
    chosen = matching(graph, "lora")
    expected = []
    for u, v, kind, data in graph.edges(keys=True, data=True):
        if kind in ("co_occurs", "cites", "builds_on") or not data.get("sentence") or not ({u, v} & chosen):
            continue
        paper = u if kind in LINKS else data.get("paper")
        label = graph.nodes[u].get("label") if graph.nodes[u]["kind"] != "paper" else graph.nodes[u]["title"]
        link = LINKS.get(kind) or re.sub(r"_(\w)", lambda m: m.group(1).upper(), kind)
        expected.append((label, link, graph.nodes[v]["label"], graph.nodes[paper]["title"], data["sentence"],
                         data["extractor"], round(float(data["confidence"]), 6)))
    rows = ask(export, "evidence")
    got = [(r["subject"], r["link"], r["object"], r["paper"], r["sentence"], r["extractor"], float(r["confidence"]))
           for r in rows]
    assert sorted(got) == sorted(expected)
    assert any(g[1] == "proposes" and "Low-Rank Adaptation (LoRA)" in g[4] for g in got)


def test_aliases(export, graph):
    chosen = matching(graph, "LoRA")
    expected = sorted((graph.nodes[e]["kind"], graph.nodes[e]["label"], alias)
                      for e in chosen for alias in (graph.nodes[e].get("aliases") or [None]))
    rows = ask(export, "aliases")
    assert [(r["type"], r["name"], r["alias"]) for r in rows] == expected
    assert ("method", "Low-Rank Adaptation", "LoRA") in expected


def test_tasks_by_methods(export, graph):
    methods, papers = defaultdict(set), defaultdict(set)
    for paper, found in mentions(graph).items():
        used = {e for e in found if graph.nodes[e]["kind"] == "method"}
        for task in (e for e in found if graph.nodes[e]["kind"] == "task"):
            if used:
                methods[task] |= used
                papers[task].add(paper)
    expected = top([(-len(m), graph.nodes[t]["label"], len(papers[t])) for t, m in methods.items()], lambda r: r, 20)
    got = [(-int(r["methods"]), r["name"], int(r["papers"])) for r in ask(export, "tasks-by-methods")]
    assert got[:len(expected)] == expected


def test_similar_papers(export, graph):
    found = mentions(graph)
    chosen = matching_papers(graph, "2106.09685")
    own = {e for p in chosen for e in found[p] if graph.nodes[e]["kind"] != "concept"}
    rows = ask(export, "similar-papers")
    shared = {graph.nodes[o]["title"]: {graph.nodes[e]["label"] for e in own & found[o]}
              for o in found if o not in chosen and own & found[o]}
    expected = top([(-len(names), title) for title, names in shared.items()], lambda r: r, 20)
    got = [(-int(r["shared"]), r["title"]) for r in rows]
    assert got[:len(expected)] == expected
    for r in rows:
        assert set(r["entities"].split(" | ")) == shared[r["title"]]


def test_relations(export, graph):
    expected = sorted((graph.nodes[u]["label"], k, graph.nodes[v]["label"], d["support"])
                      for u, v, k, d in graph.edges(keys=True, data=True)
                      if k != "co_occurs" and graph.nodes[u]["kind"] != "paper" and graph.nodes[v]["kind"] != "paper")
    got = [(r["subject"], r["relation"], r["object"], int(r["support"])) for r in ask(export, "relations")]
    assert sorted(got) == expected
    assert [-g[3] for g in got] == sorted(-g[3] for g in got)


def test_top_methods(export, graph):
    counts = defaultdict(set)
    for paper, found in mentions(graph).items():
        for e in found:
            if graph.nodes[e]["kind"] == "method":
                counts[e].add(paper)
    expected = top([(-len(p), graph.nodes[e]["label"]) for e, p in counts.items()], lambda r: r, 20)
    got = [(-int(r["papers"]), r["name"]) for r in ask(export, "top-methods")]
    assert got[:len(expected)] == expected
    assert "Transformer" in [name for _, name in got]


def test_proposed_by(export, graph):
    expected = sorted((graph.nodes[u]["title"], graph.nodes[v]["kind"], graph.nodes[v]["label"])
                      for u, v, k in graph.edges(keys=True) if k == "proposes")
    got = [(r["title"], r["type"], r["name"]) for r in ask(export, "proposed-by")]
    assert sorted(got) == expected
    assert ("LoRA: Low-Rank Adaptation of Large Language Models", "method", "Low-Rank Adaptation") in got
    assert ("Attention Is All You Need", "method", "Transformer") in got


def test_citations(export, graph):
    expected = sorted((graph.nodes[u]["title"], graph.nodes[v]["title"]) for u, v, k in graph.edges(keys=True)
                      if k == "cites" and graph.nodes[u].get("title") and graph.nodes[v].get("title"))
    got = [(r["citing"], r["cited"]) for r in ask(export, "citations")]
    assert sorted(got) == expected
    assert ("BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
            "Attention Is All You Need") in got


def test_most_cited(export, graph):
    cited_by = defaultdict(set)
    for u, v, k in graph.edges(keys=True):
        if k == "cites" and graph.nodes[u].get("title") and graph.nodes[v].get("title"):
            cited_by[v].add(u)
    expected = top([(-len(c), graph.nodes[v]["title"]) for v, c in cited_by.items()], lambda r: r, 20)
    got = [(-int(r["cited_by"]), r["title"]) for r in ask(export, "most-cited")]
    assert got[:len(expected)] == expected and len(got) <= 20
    assert "Attention Is All You Need" in [title for _, title in got]


def test_entity_counts(export, example_graph):
    counts = {r["type"]: int(r["entities"]) for r in ask(export, "entity-counts")}
    assert counts == {k: len(v) for k, v in example_graph.entities.items() if v}


# --- parameters --------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ['x" } SELECT * { ?s ?p ?o', "}", "a\\\"b\n{c}", "'; DROP ALL; #", "<http://x>"])
def test_a_parameter_value_cannot_change_the_query(export, value):
    with pytest.raises(NotFoundError, match="No method or dataset or task or metric named"):
        sparql.query("aliases", data=export, params={"entity": value})
    rows = sparql.query("SELECT ?v WHERE { BIND(1 AS ?one) }", data=export, params={"v": value}).records()
    assert rows == [{"v": value[1:-1] if value.startswith("<") else value}]


@pytest.mark.parametrize("name, param, value", [
    ("top-methods-for-task", "task", "question-answering"),
    ("top-methods-for-task", "task", "QUESTION ANSWERING"),
    ("top-methods-for-task", "task", "question answerings"),
    ("methods-on-dataset", "dataset", "GLUE benchmark"),
    ("aliases", "entity", "low-rank adaptations"),
    ("aliases", "entity", "Tranformer"),
    ("citing-papers", "paper", "arxiv:1810.04805"),
    ("citing-papers", "paper", "paper:arxiv:1810.04805"),
    ("similar-papers", "paper", "BERT"),
])
def test_parameters_resolve_names_as_the_api_does(export, example_graph, name, param, value):
    import kg

    node = kg.find(example_graph, value) if param != "paper" else None
    if param == "paper":
        from kg.analytics.lookup import resolve_paper

        node = {"label": example_graph.graph.nodes[resolve_paper(example_graph, value)]["title"]}
    assert node is not None, f"{value!r} names nothing in the example graph"
    rows = sparql.query(name, data=export, params={param: value}).records()
    assert rows and {r[param] for r in rows} == {node["label"]}


@pytest.mark.parametrize("param, value", [("task", "QA"), ("task", "BERT"), ("paper", "no such paper at all")])
def test_a_name_that_matches_nothing_says_so(export, param, value):
    name = "top-methods-for-task" if param == "task" else "citing-papers"
    with pytest.raises(NotFoundError, match=f"No (task|paper) named {value!r}"):
        sparql.query(name, data=export, params={param: value})


def test_missing_and_unknown_parameters_are_named():
    with pytest.raises(QueryError, match=r"needs --param task=VALUE \(a task name"):
        sparql.bind(sparql.load_query("top-methods-for-task"), {})
    with pytest.raises(QueryError, match="has no parameter 'tsk'. Parameters: task"):
        sparql.bind(sparql.load_query("top-methods-for-task"), {"task": "x", "tsk": "y"})


def test_unknown_query_names_list_the_library():
    with pytest.raises(NotFoundError, match="No query named 'top-method'. Available: aliases, "):
        sparql.load_query("top-method")


def test_a_query_file_and_text_run(export, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text("# Question: How many?\n# Parameters: none.\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n")
    by_file = sparql.query(str(path), data=export).records()
    by_text = sparql.query(path.read_text(), data=export).records()
    assert by_file == by_text and int(by_file[0]["n"]) > 1000


def test_a_syntax_error_is_a_query_error(export):
    with pytest.raises(QueryError, match="cannot run"):
        sparql.query("SELECT ?x WHERE { ?x", data=export)
