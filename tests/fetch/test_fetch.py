"""``kg fetch`` against fake services on a local server (pytest-httpserver): paging, 429 and
5xx retries with ``Retry-After``, malformed pages, the cache, and resuming after a stop.

No test waits on the wall clock: sleeps go to a list."""

import io
import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug import Response

import kg.fetch
from kg.cli import main
from kg.errors import FetchError
from kg.readers import arxiv_atom, openalex, s2
from kg.records import Paper

WORKS = [{"id": f"https://openalex.org/W{i}", "title": f"Paper {i}", "publication_year": 2020 + i,
          "referenced_works": [f"https://openalex.org/W{i - 1}" if i > 1 else "https://openalex.org/W99"]}
         for i in range(1, 6)]


def openalex_service(request):
    """OpenAlex's /works with cursor paging: the cursor is the offset, as text."""
    if "filter" in request.args:
        wanted = request.args["filter"].split(":", 1)[1].split("|")
        return _json({"meta": {"count": len(wanted), "next_cursor": None}, "results": [
            {"id": f"https://openalex.org/{w}", "title": f"Cited {w}"} if w.startswith("W") else
            {"id": "https://openalex.org/W900", "doi": f"https://doi.org/{w}", "title": f"Cited {w}"} for w in wanted]})
    start = 0 if request.args["cursor"] == "*" else int(request.args["cursor"])
    size = int(request.args["per-page"])
    end = min(start + size, len(WORKS))
    cursor = str(end) if end < len(WORKS) else None
    return _json({"meta": {"count": len(WORKS), "next_cursor": cursor}, "results": WORKS[start:end]})


def _json(value, status=200, headers=None):
    return Response(json.dumps(value), status=status, headers=headers, content_type="application/json")


def arxiv_service(request, entries=5, empty=False):
    """arXiv's /api/query paged with start; ``empty`` answers with no entries, as arXiv sometimes does."""
    start, size = int(request.args["start"]), int(request.args["max_results"])
    items = "".join(
        f"<entry><id>http://arxiv.org/abs/2101.0000{i}v1</id><published>2021-01-0{i}T00:00:00Z</published>"
        f"<title>arXiv paper\n  {i}</title><summary>About {i}.</summary><author><name>A. Author</name></author></entry>"
        for i in range(start + 1, min(start + size, entries) + 1) if not empty)
    feed = (f'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
            f"<opensearch:totalResults>{entries}</opensearch:totalResults>"
            f"<opensearch:startIndex>{start}</opensearch:startIndex>{items}</feed>")
    return Response(feed, content_type="application/atom+xml")


def run(httpserver, tmp_path, name="openalex", query="adapters", **options):
    sleeps = options.pop("sleeps", [])
    options.setdefault("page_size", 2)
    result = kg.fetch.fetch(name, query, tmp_path / "out.jsonl", base_url=httpserver.url_for("").rstrip("/"),
                            sleep=sleeps.append, **options)
    return result, sleeps


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def requested(httpserver, key):
    return [request.args.get(key) for request, _ in httpserver.log]


# --- paging -------------------------------------------------------------------------------------

def test_openalex_pages_through_cursors(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    result, sleeps = run(httpserver, tmp_path, mailto="me@example.org")
    assert (result.records, result.total, result.requests, result.resumed) == (5, 5, 3, False)
    assert [w["id"] for w in lines(result.path)] == [w["id"] for w in WORKS]
    assert requested(httpserver, "cursor") == ["*", "2", "4"]
    request = httpserver.log[0][0]
    assert request.args["mailto"] == "me@example.org" and "abstract_inverted_index" in request.args["select"]
    assert "mailto:me@example.org" in request.headers["User-Agent"]
    assert len(sleeps) == 2 and all(0 < s <= 0.1 for s in sleeps)  # the rate limit, never slept for real
    papers = [p for p in openalex.read(io.StringIO(result.path.read_text()), "out.jsonl") if isinstance(p, Paper)]
    assert [p.openalex_id for p in papers] == ["W1", "W2", "W3", "W4", "W5"]
    assert not (tmp_path / "out.jsonl.part").exists() and not (tmp_path / "out.jsonl.fetch.json").exists()


def test_max_stops_early_and_asks_only_for_what_it_needs(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    result, _ = run(httpserver, tmp_path, max_results=3)
    assert result.records == 3 and requested(httpserver, "per-page") == ["2", "1"]


def test_arxiv_pages_with_start_and_writes_one_feed(httpserver, tmp_path):
    httpserver.expect_request("/api/query").respond_with_handler(arxiv_service)
    result, sleeps = run(httpserver, tmp_path, "arxiv", "low-rank adaptation", max_results=10)
    assert requested(httpserver, "start") == ["0", "2", "4"]
    assert httpserver.log[0][0].args["search_query"] == 'all:"low-rank adaptation"'
    assert all(2.9 < s <= 3.0 for s in sleeps)  # arXiv's three seconds between requests
    papers = list(arxiv_atom.read(io.StringIO(result.path.read_text()), "out.atom"))
    assert [p.arxiv_id for p in papers] == [f"2101.0000{i}" for i in range(1, 6)]
    assert papers[0].title == "arXiv paper 1"
    from kg.corpus.read import read_corpus

    assert list(read_corpus([result.path]).papers)[:1] == ["arxiv:2101.00001"]  # told by content


def test_arxiv_empty_page_before_the_end_is_asked_again(httpserver, tmp_path):
    hiccups = []

    def hiccup_once(request):
        if request.args["start"] == "2" and not hiccups:
            hiccups.append(request)
            return arxiv_service(request, empty=True)
        return arxiv_service(request)

    httpserver.expect_request("/api/query").respond_with_handler(hiccup_once)
    result, _ = run(httpserver, tmp_path, "arxiv", "x", max_results=10)
    assert result.records == 5 and requested(httpserver, "start") == ["0", "2", "2", "4"]


def test_s2_search_by_offset_then_batch_details(httpserver, tmp_path):
    ids = [f"{i:040x}" for i in range(1, 4)]

    def search(request):
        offset, limit = int(request.args["offset"]), int(request.args["limit"])
        data = [{"paperId": p} for p in ids[offset:offset + limit]]
        page = {"total": len(ids), "offset": offset, "data": data}
        if offset + limit < len(ids):
            page["next"] = offset + limit
        return _json(page)

    def batch(request):
        wanted = request.get_json()["ids"]
        assert "references.externalIds" in request.args["fields"]
        return _json([{"paperId": p, "title": f"S2 {p[-1]}", "references": [{"paperId": ids[0], "title": "S2 1"}]}
                      if p != ids[1] else None for p in wanted])

    httpserver.expect_request("/graph/v1/paper/search").respond_with_handler(search)
    httpserver.expect_request("/graph/v1/paper/batch", method="POST").respond_with_handler(batch)
    result, _ = run(httpserver, tmp_path, "s2", "adapters", api_key="secret")
    assert [r["paperId"] for r in lines(result.path)] == [ids[0], ids[2]]  # the null is left out
    assert requested(httpserver, "offset") == ["0", None, "2", None]
    assert httpserver.log[0][0].headers["x-api-key"] == "secret"
    papers = list(s2.read(io.StringIO(result.path.read_text()), "out.jsonl"))
    assert [w.s2_id for w in papers[1].cited_works] == [ids[0]]


def test_s2_bulk_pages_with_a_token(httpserver, tmp_path):
    def bulk(request):
        token = request.args.get("token")
        if token is None:
            return _json({"total": 3, "token": "T2", "data": [{"paperId": "a" * 40}, {"paperId": "b" * 40}]})
        return _json({"total": 3, "token": None, "data": [{"paperId": "c" * 40}]})

    httpserver.expect_request("/graph/v1/paper/search/bulk").respond_with_handler(bulk)
    httpserver.expect_request("/graph/v1/paper/batch", method="POST").respond_with_handler(
        lambda r: _json([{"paperId": p, "title": p[:3]} for p in r.get_json()["ids"]]))
    result, _ = run(httpserver, tmp_path, "s2", "adapters", bulk=True, max_results=10)
    assert result.records == 3 and requested(httpserver, "token") == [None, None, "T2", None]


# --- failures and retries -------------------------------------------------------------------------

def test_429_then_success_waits_what_retry_after_says(httpserver, tmp_path):
    httpserver.expect_oneshot_request("/works").respond_with_data("slow down", status=429, headers={"Retry-After": "7"})
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    result, sleeps = run(httpserver, tmp_path)
    assert result.records == 5 and 7.0 in sleeps
    assert requested(httpserver, "cursor")[:2] == ["*", "*"]


def test_retry_after_as_an_http_date():
    from datetime import datetime, timezone

    from kg.fetch.client import retry_after

    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after("Wed, 01 Jan 2025 12:00:30 GMT", now) == 30.0
    assert retry_after("garbage") is None


def test_500_then_success_backs_off(httpserver, tmp_path):
    httpserver.expect_oneshot_request("/works").respond_with_data("oops", status=500)
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    result, sleeps = run(httpserver, tmp_path)
    assert result.records == 5 and 1.0 in sleeps  # backoff * 2**0


def test_retries_are_bounded(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_data("down", status=503)
    with pytest.raises(FetchError, match=r"failed 3 time\(s\); last: HTTP 503"):
        run(httpserver, tmp_path, retries=2)
    assert len(httpserver.log) == 3


def test_retry_after_is_capped(httpserver, tmp_path):
    httpserver.expect_oneshot_request("/works").respond_with_data("", status=429, headers={"Retry-After": "86400"})
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    _, sleeps = run(httpserver, tmp_path)
    assert 60.0 in sleeps and 86400.0 not in sleeps


def test_malformed_page_is_asked_again(httpserver, tmp_path):
    httpserver.expect_oneshot_request("/works").respond_with_data('{"meta": {"count": 5}, "results": [{"id"', status=200)
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    result, _ = run(httpserver, tmp_path)
    assert result.records == 5 and len(httpserver.log) == 4


def test_always_malformed_fails_with_the_reason(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_data("<html>maintenance</html>", status=200)
    with pytest.raises(FetchError, match="unreadable page: not valid JSON"):
        run(httpserver, tmp_path, retries=1)


def test_other_errors_fail_at_once_with_the_service_message(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_json({"error": "Invalid query parameters"}, status=400)
    with pytest.raises(FetchError, match="HTTP 400: Invalid query parameters"):
        run(httpserver, tmp_path)
    assert len(httpserver.log) == 1


def test_network_errors_are_retried_then_reported(tmp_path):
    sleeps = []
    with pytest.raises(FetchError, match="ConnectError"):
        kg.fetch.fetch("openalex", "x", tmp_path / "o.jsonl", base_url="http://127.0.0.1:9", retries=1, sleep=sleeps.append)
    assert sleeps == [1.0]


# --- resume, cache, restart ---------------------------------------------------------------------

def test_an_interrupted_fetch_resumes_where_it_stopped(httpserver, tmp_path):
    httpserver.expect_request("/works", query_string={"cursor": "2", "per-page": "2", "search": "adapters",
                                                      "select": kg.fetch.openalex.SELECT}).respond_with_data("down", status=500)
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    with pytest.raises(FetchError):
        run(httpserver, tmp_path, retries=1)
    out = tmp_path / "out.jsonl"
    assert not out.exists()
    assert len((tmp_path / "out.jsonl.part").read_text().splitlines()) == 2
    state = json.loads((tmp_path / "out.jsonl.fetch.json").read_text())
    assert (state["count"], state["next"]) == (2, {"cursor": "2"})

    httpserver.clear()
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    result, _ = run(httpserver, tmp_path)
    assert result.resumed and result.records == 5
    assert requested(httpserver, "cursor") == ["2", "4"]  # page one was not asked for again
    assert [w["id"] for w in lines(out)] == [w["id"] for w in WORKS]
    assert not (tmp_path / "out.jsonl.fetch.json").exists()


def test_ctrl_c_keeps_what_was_fetched(httpserver, tmp_path):
    httpserver.expect_request("/api/query").respond_with_handler(arxiv_service)

    def interrupt(seconds):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        kg.fetch.fetch("arxiv", "x", tmp_path / "out.atom", base_url=httpserver.url_for("").rstrip("/"),
                       page_size=2, sleep=interrupt)
    assert json.loads((tmp_path / "out.atom.fetch.json").read_text())["count"] == 2
    result = kg.fetch.fetch("arxiv", "x", tmp_path / "out.atom", base_url=httpserver.url_for("").rstrip("/"),
                            page_size=2, sleep=lambda s: None)
    assert result.resumed and result.records == 5
    assert len(list(arxiv_atom.read(io.StringIO(result.path.read_text()), "out.atom"))) == 5


def test_a_stop_between_writing_and_noting_loses_nothing_and_repeats_nothing(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    run(httpserver, tmp_path, max_results=2)  # a finished fetch of 2; fake a crash after the next write:
    out = tmp_path / "out.jsonl"
    part = tmp_path / "out.jsonl.part"
    part.write_text(out.read_text() + '{"id": "half written"}\n')
    state = {"job": {"service": "openalex", "query": "adapters", "bulk": False, "references_of": [], "digest": None,
                     "base_url": httpserver.url_for("").rstrip("/")},
             "count": 2, "total": 5, "next": {"cursor": "2"}, "bytes": len(out.read_bytes())}
    (tmp_path / "out.jsonl.fetch.json").write_text(json.dumps(state))
    result, _ = run(httpserver, tmp_path)
    assert [w["id"] for w in lines(out)] == [w["id"] for w in WORKS]


def test_a_state_file_of_another_fetch_needs_restart(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    (tmp_path / "out.jsonl.part").write_text("")
    (tmp_path / "out.jsonl.fetch.json").write_text(json.dumps({"job": {"query": "other"}, "count": 0}))
    with pytest.raises(FetchError, match="give --restart"):
        run(httpserver, tmp_path)
    result, _ = run(httpserver, tmp_path, restart=True)
    assert result.records == 5 and not result.resumed


def test_cached_pages_are_not_asked_for_again(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    first, _ = run(httpserver, tmp_path, cache_dir=tmp_path / "cache", mailto="a@example.org")
    text = first.path.read_text()
    second, _ = run(httpserver, tmp_path, cache_dir=tmp_path / "cache", mailto="b@example.org")
    assert (first.requests, second.requests, len(httpserver.log)) == (3, 0, 3)
    assert second.path.read_text() == text


def test_references_of_a_corpus_fetch_its_stubs(httpserver, tmp_path):
    works, papers = tmp_path / "works.jsonl", tmp_path / "papers.json"
    works.write_text(json.dumps({"id": "https://openalex.org/W1", "title": "Citing",
                                 "referenced_works": ["https://openalex.org/W7", "https://openalex.org/W8"]}) + "\n")
    papers.write_text(json.dumps([{"paperId": "e" * 40, "title": "Also citing", "references": [
        {"paperId": "f" * 40, "externalIds": {"DOI": "10.1000/XYZ"}, "title": "By DOI"},
        {"paperId": "d" * 40, "title": "Only an S2 id"}]}]))
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    result = kg.fetch.fetch("openalex", None, tmp_path / "refs.jsonl", references_of=[works, papers],
                            base_url=httpserver.url_for("").rstrip("/"), sleep=lambda s: None)
    assert requested(httpserver, "filter") == ["openalex:W7|W8", "doi:10.1000/xyz"]
    assert result.records == 3 and result.notes == ("1 cited work(s) have no OpenAlex id, DOI or arXiv id; not fetched",)
    from kg.corpus.read import read_corpus

    before = read_corpus([works, papers])
    after = read_corpus([works, papers, tmp_path / "refs.jsonl"])
    assert len(before.stubs) == 4 and set(after.stubs) == {"s2:" + "d" * 40}


def test_bad_requests_are_refused_before_any_request(tmp_path):
    with pytest.raises(FetchError, match="give a query"):
        kg.fetch.fetch("openalex", " ", tmp_path / "o.jsonl")
    with pytest.raises(FetchError, match="openalex only"):
        kg.fetch.fetch("s2", None, tmp_path / "o.jsonl", references_of=[tmp_path])
    with pytest.raises(Exception, match="Available: arxiv, openalex, s2"):
        kg.fetch.fetch("pubmed", "x", tmp_path / "o.jsonl")


# --- the command line ------------------------------------------------------------------------------

def test_cli_fetch_then_build(httpserver, tmp_path, blank_nlp):
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    out = tmp_path / "peft.jsonl"
    result = CliRunner().invoke(main, ["fetch", "openalex", "adapters", "--max", "4", "-o", str(out), "--quiet",
                                       "--no-cache", "--delay", "0", "--mailto", "me@example.org",
                                       "--base-url", httpserver.url_for("").rstrip("/")])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Wrote {out}: 4 paper(s) of 5 (1 request(s))"
    import kg

    graph = kg.build([out], nlp=blank_nlp)
    cites = sorted((u, v) for u, v, k in graph.graph.edges(keys=True) if k == "cites")
    assert ("paper:openalex:W2", "paper:openalex:W1") in cites and graph.graph.nodes["paper:openalex:W1"]["cited_by"] == 1


def test_cli_reports_errors_in_one_line(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_json({"error": "Invalid query"}, status=400)
    result = CliRunner().invoke(main, ["fetch", "openalex", "x", "-o", str(tmp_path / "o.jsonl"), "-q", "--no-cache",
                                       "--base-url", httpserver.url_for("").rstrip("/")])
    assert result.exit_code == 1 and "kg: error:" in result.output and "Invalid query" in result.output
    result = CliRunner().invoke(main, ["fetch", "arxiv", "-o", str(tmp_path / "o.atom")])
    assert result.exit_code == 1 and "give a query" in result.output


def test_cli_help():
    result = CliRunner().invoke(main, ["fetch", "--help"])
    assert result.exit_code == 0 and "kg fetch openalex" in result.output and "--references-of" in result.output


def test_the_readme_recipes_run(httpserver, tmp_path, monkeypatch):
    httpserver.expect_request("/works").respond_with_handler(openalex_service)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    inputs = readme[readme.index("## Inputs\n"):readme.index("\n## ", readme.index("## Inputs\n") + 1)]
    commands = [line for block in re.findall(r"```sh\n(.*?)```", inputs, flags=re.S) for line in block.splitlines()]
    assert commands[0].startswith("kg fetch openalex") and commands[1] == "kg build peft.jsonl"
    monkeypatch.chdir(tmp_path)
    for line in commands:
        args = shlex.split(line)[1:]
        if args[0] == "fetch":
            args += ["--base-url", httpserver.url_for("").rstrip("/"), "--no-cache", "--delay", "0", "-q"]
        else:
            args += ["-q"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (line, result.output)
    assert "Citations: 5 between papers of the input, 0 to 0 paper(s) outside it" in result.output
    assert [w["id"] for w in lines(tmp_path / "peft-refs.jsonl")] == ["https://openalex.org/W99"]
