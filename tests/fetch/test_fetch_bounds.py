"""``kg fetch`` is bounded against hostile services (a local server plays them): credentials stay
with their host, redirects and bodies are limited, paging ends, the whole fetch has a deadline.

No test waits on the wall clock: sleeps go to a list and clocks are counters."""

import gzip
import itertools
import json

import pytest
from werkzeug import Response

import kg.fetch
from kg.errors import FetchError
from kg.fetch.client import MAX_REDIRECTS, Client

S2_SEARCH = "/graph/v1/paper/search"
S2_BATCH = "/graph/v1/paper/batch"


def _json(value, status=200, headers=None):
    return Response(json.dumps(value), status=status, headers=headers, content_type="application/json")


def fetch(httpserver, tmp_path, name="s2", **options):
    sleeps = options.pop("sleeps", [])
    options.setdefault("retries", 0)
    return kg.fetch.fetch(name, "adapters", tmp_path / "out.jsonl", base_url=httpserver.url_for("").rstrip("/"),
                          sleep=sleeps.append, **options)


def other_host(httpserver, path):
    """The same local server under another host name: ``localhost`` <-> ``127.0.0.1``."""
    host = "127.0.0.1" if httpserver.host == "localhost" else "localhost"
    return f"http://{host}:{httpserver.port}{path}"


def batch_of(request):
    return _json([{"paperId": p, "title": f"Paper {p[:4]}"} for p in request.get_json()["ids"]])


def one_page_search(request):
    return _json({"total": 1, "offset": 0, "data": [{"paperId": "a" * 40}]})


@pytest.mark.parametrize("same_host", [True, False])
def test_the_api_key_goes_only_to_the_configured_host(httpserver, tmp_path, same_host):
    target = httpserver.url_for("/moved") if same_host else other_host(httpserver, "/moved")
    httpserver.expect_request(S2_SEARCH).respond_with_data("", status=302, headers={"Location": target})
    httpserver.expect_request("/moved").respond_with_handler(one_page_search)
    httpserver.expect_request(S2_BATCH, method="POST").respond_with_handler(batch_of)
    result = fetch(httpserver, tmp_path, api_key="secret")
    assert result.records == 1
    keys = {request.path: request.headers.get("x-api-key") for request, _ in httpserver.log}
    assert keys[S2_SEARCH] == "secret" and keys[S2_BATCH] == "secret"
    assert keys["/moved"] == ("secret" if same_host else None)


def test_a_redirect_loop_is_one_line_error(httpserver, tmp_path):
    httpserver.expect_request(S2_SEARCH).respond_with_data("", status=301, headers={"Location": S2_SEARCH})
    with pytest.raises(FetchError, match=f"more than {MAX_REDIRECTS} redirects") as error:
        fetch(httpserver, tmp_path)
    assert "\n" not in str(error.value) and len(httpserver.log) == MAX_REDIRECTS + 1


def test_a_body_that_is_not_gzip_is_one_line_error(httpserver, tmp_path):
    httpserver.expect_request(S2_SEARCH).respond_with_data(b"not gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="DecodingError") as error:
        fetch(httpserver, tmp_path, retries=1)
    assert "\n" not in str(error.value) and len(httpserver.log) == 2


def test_an_error_page_of_many_lines_is_one_line(httpserver, tmp_path):
    httpserver.expect_request(S2_SEARCH).respond_with_data("<html>\n<h1>Not\nhere</h1>\n</html>", status=404)
    with pytest.raises(FetchError) as error:
        fetch(httpserver, tmp_path)
    assert str(error.value).endswith("HTTP 404: <html> <h1>Not here</h1> </html>")


def test_paging_ends_when_next_does_not_move_on(httpserver, tmp_path):
    httpserver.expect_request(S2_SEARCH).respond_with_json({"total": 5, "next": 0, "data": []})
    result = fetch(httpserver, tmp_path, max_results=50)
    assert result.records == 0 and len(httpserver.log) == 1


def test_paging_ends_at_a_page_that_adds_no_paper(httpserver, tmp_path):
    tokens = (f"T{i}" for i in itertools.count())
    httpserver.expect_request(S2_SEARCH + "/bulk").respond_with_handler(
        lambda r: _json({"total": 10**6, "token": next(tokens), "data": [{"paperId": "a" * 40}]}))
    httpserver.expect_request(S2_BATCH, method="POST").respond_with_json([None])
    result = fetch(httpserver, tmp_path, bulk=True, max_results=50)
    assert result.records == 0 and len(httpserver.log) == 2


def test_a_page_repeating_its_state_ends_the_fetch(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_json(
        {"meta": {"count": 100, "next_cursor": "*"}, "results": [{"id": "https://openalex.org/W1", "title": "A"}]})
    result = fetch(httpserver, tmp_path, name="openalex", max_results=50)
    assert result.records == 1 and len(httpserver.log) == 1


def endless(request):
    return Response((b"x" * 65536 for _ in itertools.count()), content_type="application/json")


def test_a_response_over_the_size_limit_is_refused(httpserver):
    httpserver.expect_request("/big").respond_with_handler(endless)
    with Client(user_agent="test", interval=0, max_bytes=1_000_000, sleep=lambda s: None) as client:
        with pytest.raises(FetchError, match="larger than 1,000,000 bytes"):
            client.get(httpserver.url_for("/big"), {}, json.loads)


def test_a_gzip_bomb_is_stopped_at_the_size_limit(httpserver):
    bomb = gzip.compress(b"0" * 5_000_000)
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    with Client(user_agent="test", interval=0, max_bytes=1_000_000, sleep=lambda s: None) as client:
        with pytest.raises(FetchError, match="larger than"):
            client.get(httpserver.url_for("/bomb"), {}, json.loads)


class Clock:
    """A clock that moves ``step`` seconds each time it is read."""

    def __init__(self, step: float):
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_the_whole_fetch_stops_at_its_deadline(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_handler(  # an endless list: every cursor has a next one
        lambda r: _json({"meta": {"count": 10**6, "next_cursor": r.args["cursor"] + "+"},
                         "results": [{"id": "https://openalex.org/W1", "title": "A"}]}))
    with pytest.raises(FetchError, match="deadline of 100 s"):
        fetch(httpserver, tmp_path, name="openalex", max_results=10**6, deadline=100, clock=Clock(5.0))
    assert 3 <= len(httpserver.log) <= 10
    assert (tmp_path / "out.jsonl.part").read_text().count("\n") == len(httpserver.log)  # kept for resuming


def test_a_slow_body_is_given_up_within_the_timeout(httpserver):
    def drip(request):
        return Response((b" " for _ in range(100_000)), content_type="application/json")

    httpserver.expect_request("/slow").respond_with_handler(drip)
    sleeps = []
    with Client(user_agent="test", interval=0, retries=2, timeout=60, deadline=None, sleep=sleeps.append,
                clock=Clock(61.0)) as client:
        with pytest.raises(FetchError, match="still arriving after 60 s"):
            client.get(httpserver.url_for("/slow"), {}, json.loads)
    assert len(httpserver.log) == 3


def test_retry_after_past_the_deadline_fails_at_once(httpserver, tmp_path):
    httpserver.expect_request("/works").respond_with_data("", status=429, headers={"Retry-After": "50"})
    sleeps = []
    with pytest.raises(FetchError, match="deadline of 30 s; last: HTTP 429"):
        fetch(httpserver, tmp_path, name="openalex", retries=5, deadline=30, clock=Clock(1.0), sleeps=sleeps)
    assert sleeps == [] and len(httpserver.log) == 1
