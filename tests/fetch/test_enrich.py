"""``kg enrich`` against fake OpenAlex, arXiv and Semantic Scholar services on a local server
(pytest-httpserver) answering in the services' own formats: matches by title, DOI and arXiv id,
no match, two candidates, 429 then success, the cache, resuming; and what an enriched build gains.

No test waits on the wall clock: sleeps go to a list."""

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug import Response

from kg.cli import main
from kg.corpus.identity import normalise_title
from kg.errors import FetchError
from kg.fetch.enrich import enrich


def work(number, title, date, authors, refs=(), doi=None, venue="arXiv (Cornell University)"):
    """An OpenAlex work as ``/works`` returns it (the fields kg selects)."""
    wid = f"https://openalex.org/W{number}"
    doi_url = f"https://doi.org/{doi}" if doi else None
    return {
        "id": wid, "doi": doi_url, "title": title, "display_name": title,
        "publication_year": int(date[:4]), "publication_date": date,
        "ids": {"openalex": wid, "doi": doi_url, "mag": str(number)},
        "authorships": [{"author_position": "first" if i == 0 else "middle",
                         "author": {"id": f"https://openalex.org/A{number}{i}", "display_name": name, "orcid": None},
                         "raw_author_name": name, "institutions": []} for i, name in enumerate(authors)],
        "primary_location": {"is_oa": True, "landing_page_url": f"https://doi.org/{doi}" if doi else wid,
                             "source": {"id": "https://openalex.org/S1", "display_name": venue, "type": "repository"}},
        "type": "preprint", "referenced_works": [f"https://openalex.org/W{r}" for r in refs],
        "abstract_inverted_index": None,
    }


OPENALEX = [
    work(2626778328, "Attention Is All You Need", "2017-06-12", ["Ashish Vaswani", "Noam Shazeer"], refs=[99],
         doi="10.48550/arxiv.1706.03762"),
    work(2963341956, "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", "2019-06-01",
         ["Jacob Devlin", "Ming-Wei Chang"], refs=[2626778328], doi="10.18653/v1/n19-1423", venue="NAACL"),
    work(3168867926, "LoRA: Low-Rank Adaptation of Large Language Models", "2021-06-17", ["Edward J. Hu"],
         refs=[2626778328, 2963341956], doi="10.48550/arxiv.2106.09685"),
    work(4378474033, "QLoRA: Efficient Finetuning of Quantized LLMs", "2023-05-23", ["Tim Dettmers"],
         refs=[3168867926], doi="10.48550/arxiv.2305.14314"),
    work(3001279689, "Scaling Laws for Neural Language Models", "2020-01-23", ["Jared Kaplan"]),
    work(4394999999, "Scaling Laws for Neural Language Models", "2024-05-02", ["John Smith"], venue="Preprints.org"),
]

ARXIV = {"2312.00001": ("A Paper Only arXiv Knows", "2023-12-01T00:00:00Z", ["Ada Lovelace"])}

S2_ID = "a" * 40
S2 = {S2_ID: {"paperId": S2_ID, "externalIds": {"DOI": "10.1000/s2only", "CorpusId": 1},
              "url": f"https://www.semanticscholar.org/paper/{S2_ID}", "title": "A Paper Only Semantic Scholar Knows",
              "abstract": None, "venue": "Workshop on Things", "year": 2022, "publicationDate": "2022-03-04",
              "authors": [{"authorId": "1", "name": "Grace Hopper"}],
              "references": [{"paperId": "b" * 40, "externalIds": {"ArXiv": "1706.03762"},
                              "title": "Attention Is All You Need", "year": 2017}]}}


def _json(value, status=200):
    return Response(json.dumps(value), status=status, content_type="application/json")


def openalex_works(request):
    """``/works?filter=openalex:..|doi:..|title.search:..``: the works that fit, OpenAlex's page format."""
    scheme, value = request.args["filter"].split(":", 1)
    if scheme == "title.search":
        found = [w for w in OPENALEX if set(value.split()) <= set(normalise_title(w["title"]).split())]
    elif scheme == "doi":
        found = [w for w in OPENALEX if w["doi"] and w["doi"].removeprefix("https://doi.org/") in value.split("|")]
    else:
        found = [w for w in OPENALEX if w["id"].rsplit("/", 1)[1] in value.split("|")]
    found = found[:int(request.args["per-page"])]
    return _json({"meta": {"count": len(found), "db_response_time_ms": 12, "page": 1, "per_page": 5,
                           "groups_count": None}, "results": found, "group_by": []})


def arxiv_query(request):
    """``/api/query`` by ``id_list`` or ``search_query=ti:"..."``, as an arXiv Atom feed."""
    if request.args.get("id_list"):
        ids = [i for i in request.args["id_list"].split(",") if i in ARXIV]
    else:
        phrase = request.args["search_query"].removeprefix('ti:"').removesuffix('"')
        ids = [i for i, (title, *_) in ARXIV.items() if phrase in normalise_title(title)]
    entries = "".join(
        f"""  <entry>
    <id>http://arxiv.org/abs/{i}v1</id>
    <title>{ARXIV[i][0]}</title>
    <updated>{ARXIV[i][1]}</updated>
    <link href="https://arxiv.org/abs/{i}v1" rel="alternate" type="text/html"/>
    <summary>An abstract.</summary>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <published>{ARXIV[i][1]}</published>
    <arxiv:primary_category term="cs.LG"/>
    {"".join(f"<author><name>{n}</name></author>" for n in ARXIV[i][2])}
  </entry>
""" for i in ids)
    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"
      xmlns:arxiv="http://arxiv.org/schemas/atom">
  <id>https://arxiv.org/api/x</id>
  <title>arXiv Query</title>
  <updated>2024-01-01T00:00:00Z</updated>
  <opensearch:itemsPerPage>5</opensearch:itemsPerPage>
  <opensearch:totalResults>{len(ids)}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
{entries}</feed>
"""
    return Response(feed, content_type="application/atom+xml; charset=utf-8")


def s2_search(request):
    words = set(request.args["query"].split())
    data = [{k: p[k] for k in ("paperId", "externalIds", "title", "year", "authors")}
            for p in S2.values() if words <= set(normalise_title(p["title"]).split())]
    return _json({"total": len(data), "offset": 0, "data": data})


def s2_batch(request):
    def one(wanted):
        if wanted.startswith("DOI:"):
            return next((p for p in S2.values() if p["externalIds"].get("DOI") == wanted[4:]), None)
        return S2.get(wanted)

    return _json([one(i) for i in request.get_json()["ids"]])


@pytest.fixture
def services(httpserver):
    httpserver.expect_request("/works").respond_with_handler(openalex_works)
    httpserver.expect_request("/api/query").respond_with_handler(arxiv_query)
    httpserver.expect_request("/graph/v1/paper/search").respond_with_handler(s2_search)
    httpserver.expect_request("/graph/v1/paper/batch", method="POST").respond_with_handler(s2_batch)
    return httpserver


def base(httpserver):
    return httpserver.url_for("").rstrip("/")


def write_jsonl(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def lines(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def run(httpserver, inputs, out, **options):
    sleeps = options.pop("sleeps", [])
    return enrich(inputs, out, base_url=base(httpserver), sleep=sleeps.append, **options), sleeps


def paths(httpserver):
    return [request.path + "?" + request.query_string.decode() for request, _ in httpserver.log]


# --- matching ---------------------------------------------------------------------------------------

def test_papers_are_matched_by_title_doi_and_arxiv_id(services, tmp_path):
    listing = write_jsonl(tmp_path / "listing.jsonl",
                          {"id": 1, "title": "Attention is all you need", "authors": ["A. Vaswani"]},
                          {"id": 2, "title": "BERT: Pre-training of Deep Bidirectional Transformers for Language "
                                             "Understanding", "doi": "https://doi.org/10.18653/V1/N19-1423"},
                          {"id": 3, "title": "LoRA: Low-Rank Adaptation of Large Language Models",
                           "arxiv_id": "arXiv:2106.09685v2", "references": [1]})
    result, sleeps = run(services, [listing], tmp_path / "enriched.jsonl")
    assert (result.papers, result.matched, result.ambiguous, result.unmatched) == (3, {"openalex": 3}, 0, 0)
    attention, bert, lora = lines(result.path)
    assert attention["enrichment"] == {"status": "matched", "service": "openalex", "by": "title",
                                       "work": "https://openalex.org/W2626778328", "title_similarity": 1.0}
    assert attention["title"] == "Attention is all you need"  # the input's own values win
    assert attention["authors"] == ["Ashish Vaswani", "Noam Shazeer"]  # the longer list of names
    assert attention["date"] == "2017-06-12"
    assert attention["openalex_id"] == "W2626778328" and attention["arxiv_id"] == "1706.03762"
    assert attention["references"] == ["openalex:W99"] and attention["read_from"] == [f"{listing}:1"]
    assert bert["enrichment"]["by"] == "doi" and bert["venue"] == "NAACL" and bert["authors"][0] == "Jacob Devlin"
    assert lora["enrichment"]["by"] == "arxiv" and lora["date"] == "2021-06-17"
    # the input's citation (by the paper's key) and the work's references (by OpenAlex id)
    assert lora["references"] == [attention["id"], "openalex:W2626778328", "openalex:W2963341956"]
    asked = paths(services)
    assert any("filter=title.search%3Aattention+is+all+you+need" in p for p in asked)
    assert any("filter=doi%3A10.18653%2Fv1%2Fn19-1423" in p for p in asked)
    assert any("filter=doi%3A10.48550%2Farxiv.2106.09685" in p for p in asked)
    assert len(asked) == 3 and all(0 < s <= 0.1 for s in sleeps)  # OpenAlex's rate, never slept for real


def test_no_match_and_two_candidates_are_reported_never_guessed(services, tmp_path):
    listing = write_jsonl(tmp_path / "listing.jsonl", {"title": "Scaling Laws for Neural Language Models"},
                          {"title": "A Paper Nobody Has Indexed Anywhere"})
    result, _ = run(services, [listing], tmp_path / "out.jsonl")
    scaling, nobody = lines(result.path)
    assert scaling["enrichment"] == {"status": "ambiguous", "service": "openalex", "candidates": [
        "https://openalex.org/W3001279689", "https://openalex.org/W4394999999"]}
    assert nobody["enrichment"] == {"status": "unmatched", "asked": ["openalex", "arxiv", "s2"]}
    assert "date" not in scaling and "openalex_id" not in nobody  # written as read
    assert [(p.path, p.line) for p in result.problems] == [(str(listing), 1), (str(listing), 2)]
    assert "2 works in openalex fit 'Scaling Laws for Neural Language Models' equally" in result.problems[0].reason
    assert result.problems[1].reason == ("no work in openalex, arxiv, s2 is 'A Paper Nobody Has Indexed Anywhere'; "
                                         "written as read")
    assert (result.ambiguous, result.unmatched) == (1, 1)


@pytest.mark.parametrize("known, expected", [
    ({"year": 2020}, "W3001279689"),
    ({"authors": ["Kaplan, Jared"]}, "W3001279689"),
    ({"authors": ["J. Smith"], "date": "2024-05"}, "W4394999999"),
])
def test_the_year_or_first_author_tells_two_candidates_apart(services, tmp_path, known, expected):
    listing = write_jsonl(tmp_path / "listing.jsonl", {"title": "Scaling laws for neural language models", **known})
    result, _ = run(services, [listing], tmp_path / "out.jsonl")
    [line] = lines(result.path)
    assert line["enrichment"]["work"] == f"https://openalex.org/{expected}" and result.problems == ()


def test_arxiv_and_semantic_scholar_are_asked_where_openalex_has_nothing(services, tmp_path):
    listing = write_jsonl(tmp_path / "listing.jsonl", {"title": "A paper only arXiv knows"},
                          {"title": "A Paper Only Semantic Scholar Knows", "doi": "10.1000/S2ONLY"})
    result, sleeps = run(services, [listing], tmp_path / "out.jsonl", api_key="secret")
    from_arxiv, from_s2 = lines(result.path)
    assert result.matched == {"arxiv": 1, "s2": 1}
    assert from_arxiv["arxiv_id"] == "2312.00001" and from_arxiv["date"] == "2023-12-01"
    assert from_arxiv["enrichment"]["work"] == "https://arxiv.org/abs/2312.00001"
    assert from_s2["s2_id"] == S2_ID and from_s2["venue"] == "Workshop on Things"
    assert from_s2["enrichment"]["by"] == "doi" and from_s2["references"] == ["arxiv:1706.03762"]
    assert 3.0 in sleeps or any(2.9 < s <= 3.0 for s in sleeps)  # arXiv's three seconds
    s2_requests = [r for r, _ in services.log if r.path.startswith("/graph")]
    assert all(r.headers["x-api-key"] == "secret" for r in s2_requests)
    assert all("x-api-key" not in r.headers for r, _ in services.log if not r.path.startswith("/graph"))


# --- the fetch machinery: retries, cache, resume -------------------------------------------------------

def test_429_then_success_waits_what_retry_after_says(services, tmp_path):
    services.clear()
    services.expect_oneshot_request("/works").respond_with_data("slow down", status=429, headers={"Retry-After": "7"})
    services.expect_request("/works").respond_with_handler(openalex_works)
    listing = write_jsonl(tmp_path / "listing.jsonl", {"title": "Attention Is All You Need"})
    result, sleeps = run(services, [listing], tmp_path / "out.jsonl")
    assert result.matched == {"openalex": 1} and 7.0 in sleeps and result.requests == 2


def test_a_second_run_is_served_from_the_cache(services, tmp_path):
    listing = write_jsonl(tmp_path / "listing.jsonl", {"title": "Attention Is All You Need"},
                          {"title": "A paper only arXiv knows"}, {"title": "Nobody knows this one"})
    first, _ = run(services, [listing], tmp_path / "a.jsonl", cache_dir=tmp_path / "cache", mailto="a@example.org")
    asked = len(services.log)
    second, _ = run(services, [listing], tmp_path / "b.jsonl", cache_dir=tmp_path / "cache", mailto="b@example.org")
    assert (first.requests, second.requests, len(services.log)) == (asked, 0, asked)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert services.log[0][0].args["mailto"] == "a@example.org"


def test_an_interrupted_run_resumes_at_the_next_paper(services, tmp_path):
    services.clear()

    def bert_is_down(request):
        if request.args["filter"].startswith("title.search:bert"):
            return Response("down", status=503)
        return openalex_works(request)

    services.expect_request("/works").respond_with_handler(bert_is_down)
    listing = write_jsonl(tmp_path / "listing.jsonl", {"title": "Attention Is All You Need"},
                          {"title": "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"},
                          {"title": "LoRA: Low-Rank Adaptation of Large Language Models"})
    out = tmp_path / "out.jsonl"
    with pytest.raises(FetchError, match="HTTP 503"):
        run(services, [listing], out, retries=1)
    assert not out.exists() and len(lines(tmp_path / "out.jsonl.part")) == 1

    services.clear()
    services.expect_request("/works").respond_with_handler(openalex_works)
    result, _ = run(services, [listing], out)
    assert result.resumed and result.papers == 3 and result.matched == {"openalex": 3}
    assert [r.args["filter"].split()[0] for r, _ in services.log] == ["title.search:bert", "title.search:lora"]
    assert not (tmp_path / "out.jsonl.part").exists() and not (tmp_path / "out.jsonl.fetch.json").exists()


def test_a_run_over_other_papers_needs_restart(services, tmp_path):
    first = write_jsonl(tmp_path / "first.jsonl", {"title": "Attention Is All You Need"})
    (tmp_path / "out.jsonl.part").write_text("")
    (tmp_path / "out.jsonl.fetch.json").write_text(json.dumps({"job": {"service": "enrich", "inputs": []}}))
    with pytest.raises(FetchError, match="give --restart"):
        run(services, [first], tmp_path / "out.jsonl")
    result, _ = run(services, [first], tmp_path / "out.jsonl", restart=True)
    assert result.papers == 1 and not result.resumed


# --- what an enriched build gains -------------------------------------------------------------------

LISTING = """Subscribe

QLoRA: Efficient Finetuning of Quantized LLMs

We present QLoRA, an efficient finetuning approach that reduces memory usage enough to finetune a 65B parameter model on a single 48GB GPU while preserving full 16-bit finetuning task performance. QLoRA backpropagates gradients through a frozen, 4-bit quantized pretrained language model into LoRA adapters, following Low-Rank Adaptation.

  • 4 authors
·
May 24 12

LoRA: Low-Rank Adaptation of Large Language Models

We propose Low-Rank Adaptation, or LoRA, which freezes the pre-trained model weights and injects trainable rank decomposition matrices into each layer of the Transformer architecture, greatly reducing the number of trainable parameters for downstream tasks. We fine-tune with LoRA on GLUE.

  • 6 authors
·
Jun 17

Attention Is All You Need

The dominant sequence transduction models are based on complex recurrent or convolutional neural networks. We propose a new simple network architecture, the Transformer, based solely on attention mechanisms, dispensing with recurrence and convolutions entirely, and it generalizes well to other tasks.

  • 8 authors
·
Jun 12
"""


@pytest.fixture
def listing(tmp_path):
    path = tmp_path / "daily.txt"
    path.write_text(LISTING, encoding="utf-8")
    return path


def paper_nodes(graph):
    return [n for n, kind in graph.graph.nodes(data="kind") if kind == "paper" and not graph.graph.nodes[n].get("stub")]


def edges(graph, kind):
    return {(u, v): data for u, v, k, data in graph.graph.edges(keys=True, data=True) if k == kind}


def test_an_enriched_listing_builds_with_years_citations_and_dated_builds_on(services, tmp_path, listing, blank_nlp):
    import kg
    from kg.view.select import select

    before = kg.build([listing], nlp=blank_nlp)
    assert not edges(before, "cites") and all(before.graph.nodes[p].get("year") is None for p in paper_nodes(before))

    result, _ = run(services, [listing], tmp_path / "enriched.jsonl")
    assert result.matched == {"openalex": 3}
    after = kg.build([result.path], nlp=blank_nlp)
    key = {after.graph.nodes[p]["title"].split(":")[0]: p for p in paper_nodes(after)}
    qlora, lora, attention = key["QLoRA"], key["LoRA"], key["Attention Is All You Need"]
    assert [after.graph.nodes[p]["year"] for p in (qlora, lora, attention)] == [2023, 2021, 2017]
    assert after.graph.nodes[lora]["listed"] == "Jun 17" and after.graph.nodes[lora]["authors"] == ["Edward J. Hu"]
    assert set(edges(after, "cites")) >= {(qlora, lora), (lora, attention)}
    assert {v for (u, v) in edges(after, "cites") if after.graph.nodes[v].get("stub")} == {
        "paper:openalex:W2963341956", "paper:openalex:W99"}  # cited works outside the listing
    builds_on = edges(after, "builds_on")
    assert builds_on[(qlora, lora)]["undated"] is False and (lora, qlora) not in builds_on
    assert [(y.year, y.papers) for y in after.trend("LoRA").years if y.papers] == [(2021, 1), (2023, 1)]
    assert set(select(after.graph, since=2021).graph) >= {qlora, lora} and attention not in select(
        after.graph, since=2021).graph
    assert after.problems == []


# --- the command line --------------------------------------------------------------------------------

def test_cli_enrich_reports_and_summarises(services, tmp_path, listing):
    (tmp_path / "more.jsonl").write_text(json.dumps({"title": "A Paper Nobody Has Indexed Anywhere"}) + "\n")
    out = tmp_path / "enriched.jsonl"
    result = CliRunner().invoke(main, ["enrich", str(listing), str(tmp_path / "more.jsonl"), "-o", str(out), "-q",
                                       "--no-cache", "--delay", "0", "--base-url", base(services)])
    assert result.exit_code == 0, result.output
    assert f"kg: warning: {tmp_path / 'more.jsonl'}:1: no work in openalex, arxiv, s2 is" in result.output
    assert result.output.splitlines()[-1] == (
        f"Wrote {out}: 4 paper(s), 3 matched (openalex 3), 0 ambiguous, 1 without a match (6 request(s))")


def test_cli_build_enrich_builds_from_the_enriched_file(services, tmp_path, listing, monkeypatch):
    from kg.extract.nlp import blank_pipeline

    monkeypatch.setattr("kg.pipeline.load_pipeline", lambda recogniser="cnn": blank_pipeline())
    exports = tmp_path / "exports"
    result = CliRunner().invoke(main, ["build", str(listing), "--enrich", "-o", str(exports), "-q", "--delay", "0",
                                       "--cache", str(tmp_path / "cache"), "--base-url", base(services)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {exports / 'papers.enriched.jsonl'}: 3 paper(s), 3 matched" in result.output
    assert "Citations: 2 between papers of the input" in result.output
    graph = json.loads((exports / "graph.json").read_text())
    years = {n.get("title"): n.get("year") for n in graph["nodes"] if n.get("kind") == "paper" and not n.get("stub")}
    assert sorted(years.values()) == [2017, 2021, 2023]


def test_cli_enrich_help():
    result = CliRunner().invoke(main, ["enrich", "--help"])
    assert result.exit_code == 0 and "kg enrich" in result.output and "--mailto" in result.output


def test_the_readme_workflow_runs(services, tmp_path, monkeypatch):
    from kg.extract.nlp import blank_pipeline

    monkeypatch.setattr("kg.pipeline.load_pipeline", lambda recogniser="cnn": blank_pipeline())
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Enrichment\n"):readme.index("\n## ", readme.index("## Enrichment\n") + 1)]
    commands = [line for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S) for line in block.splitlines()]
    assert commands[0].startswith("kg enrich daily-papers.txt")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "daily-papers.txt").write_text(LISTING, encoding="utf-8")
    for line in commands:
        args = shlex.split(line)[1:]
        if "enrich" in args or "--enrich" in args:
            args += ["--base-url", base(services), "--cache", str(tmp_path / "cache"), "--delay", "0"]
        result = CliRunner().invoke(main, [*args, "-q"])
        assert result.exit_code == 0, (line, result.output)
        assert "Citations: 2 between papers of the input" in result.output or args[0] == "enrich"
