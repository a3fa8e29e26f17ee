"""`kg serve` starts the real Oxigraph SPARQL server; library queries over HTTP (SPARQL 1.1
Protocol) give the same answers as the embedded store."""

from __future__ import annotations

import queue
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import NotFoundError, ServeError
from kg.sparql import engine as sparql
from kg.sparql.serve import serve

QUERIES = {  # three library queries, two of them with a parameter
    "top-methods-for-task": {"task": "question answering"},
    "evidence": {"entity": "LoRA"},
    "relations": {},
}
STARTUP_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def export(example_graph, tmp_path_factory):
    return example_graph.write("turtle", tmp_path_factory.mktemp("serve") / "graph.ttl")


@pytest.fixture(scope="module")
def endpoint(export):
    """``kg serve`` in its own process on a free loopback port; its URL once it answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(export), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    url, deadline, seen = None, time.monotonic() + STARTUP_TIMEOUT, []
    while url is None:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            process.kill()
            pytest.fail(f"kg serve printed no endpoint within {STARTUP_TIMEOUT} s: {seen}")
        seen.append(line)
        if line.startswith("SPARQL endpoint: "):
            url = line.split(": ", 1)[1].strip()
        elif process.poll() is not None:
            pytest.fail(f"kg serve stopped: {seen}")
    yield url, process
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def test_serve_prints_a_loopback_url(endpoint):
    url, _ = endpoint
    assert url.startswith("http://127.0.0.1:") and url.endswith("/query")


@pytest.mark.parametrize("name", QUERIES)
def test_library_queries_over_http_match_the_embedded_store(endpoint, export, name):
    url, _ = endpoint
    remote = sparql.query(name, params=QUERIES[name], endpoint=url)
    local = sparql.query(name, data=export, params=QUERIES[name])
    assert local.rows and remote.variables == local.variables
    assert remote.records() == local.records()


def test_parameters_cannot_change_a_query_sent_to_an_endpoint(endpoint):
    url, _ = endpoint
    for value in ['x" } } SELECT * WHERE { ?s ?p ?o } #', "}", "a\\\"b\n{c}"]:
        with pytest.raises(NotFoundError):  # names are resolved on the endpoint too
            sparql.query("aliases", params={"entity": value}, endpoint=url)
        echoed = sparql.query("SELECT ?v WHERE { BIND(1 AS ?one) }", params={"v": value}, endpoint=url)
        assert echoed.records() == [{"v": value}]


def test_names_are_resolved_on_an_endpoint_as_on_the_export(endpoint, export):
    url, _ = endpoint
    params = {"task": "question-answering"}
    remote = sparql.query("top-methods-for-task", params=params, endpoint=url).records()
    assert remote and remote == sparql.query("top-methods-for-task", params=params, data=export).records()


def test_kg_query_endpoint_prints_csv(endpoint, export):
    url, _ = endpoint
    remote = CliRunner().invoke(main, ["query", "entity-counts", "--endpoint", url, "--format", "csv"])
    local = CliRunner().invoke(main, ["query", "entity-counts", "--data", str(export), "--format", "csv"])
    assert remote.exit_code == 0 and remote.output == local.output
    assert remote.output.splitlines()[0] == "type,entities"


def test_the_server_is_read_only(endpoint):
    url, _ = endpoint
    response = httpx.post(url.rsplit("/", 1)[0] + "/update", data={"update": "CLEAR ALL"}, timeout=10)
    assert response.status_code >= 400
    assert sparql.query("ASK { ?s ?p ?o }", endpoint=url).boolean is True


def test_stopping_kg_serve_stops_the_server(export):
    port = free_port()
    with serve(export, port=port, timeout=STARTUP_TIMEOUT) as server:
        assert httpx.get(server.url, params={"query": "ASK {}"}, timeout=10).status_code == 200
    assert server.process.poll() is not None
    with pytest.raises(httpx.HTTPError):
        httpx.get(server.url, params={"query": "ASK {}"}, timeout=2)


def test_a_taken_port_is_a_clear_error(export):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        with pytest.raises(ServeError, match="port .* is already in use"):
            serve(export, port=sock.getsockname()[1], timeout=STARTUP_TIMEOUT)


def test_kg_serve_on_a_port_where_another_server_answers_fails(export, httpserver):
    httpserver.expect_request("/query").respond_with_json({"boolean": True})
    result = CliRunner().invoke(main, ["serve", str(export), "--port", str(httpserver.port)])
    assert result.exit_code == 1 and "Serving" not in result.output
    assert f"kg: error: port {httpserver.port} on 127.0.0.1 is already in use" in result.output


class Running:
    """A stand-in for a server process that is still running."""

    returncode = None

    def poll(self):
        return None


def test_a_server_that_answers_as_another_store_is_refused(export, httpserver):
    from kg.sparql.serve import Server, check_answers_as_store
    from kg.sparql.store import current_store

    httpserver.expect_request("/query").respond_with_json(
        {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "7"}}]}})
    server = Server(Running(), httpserver.url_for("/query"), current_store(export), export.with_suffix(".log"))
    with pytest.raises(ServeError, match=r"another server answers at .* \(7 triples, not the [\d,]+ of"):
        check_answers_as_store(server)


def test_a_query_over_the_time_limit_is_cancelled(export):
    with serve(export, port=free_port(), timeout=STARTUP_TIMEOUT, query_timeout=1) as server:
        cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        response = httpx.get(server.url, params={"query": cross}, timeout=120)
        assert response.status_code >= 400 or "cancelled" in response.text
        assert httpx.get(server.url, params={"query": "ASK {}"}, timeout=10).status_code == 200
