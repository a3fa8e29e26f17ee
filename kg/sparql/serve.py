"""Serve an export over the SPARQL 1.1 Protocol with Oxigraph's HTTP server (package ``oxigraph``).

:func:`serve` makes sure the export's on-disk store is up to date (:mod:`kg.sparql.store`), starts
``oxigraph serve-read-only`` on it, bound to a loopback address, waits until it answers a
query and returns a :class:`Server`. Queries go to ``server.url`` (``.../query``);
``server.stop()`` (or leaving a ``with`` block) stops it.
"""

from __future__ import annotations

import math
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ServeError
from kg.sparql.store import current_store, find_export, triple_count

COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@dataclass
class Server:
    """A running Oxigraph server: its process, SPARQL endpoint URL and store folder."""

    process: subprocess.Popen
    url: str
    store: Path
    log: Path

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after ``timeout`` seconds)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        self.log.unlink(missing_ok=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def oxigraph_binary() -> str:
    """The path of the ``oxigraph`` command installed with kg (beside this Python, or on PATH)."""
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("oxigraph")
    if not found:
        raise ServeError("the oxigraph server is not installed; run: pip install 'oxigraph~=0.5.0'")
    return found


def serve(export: str | os.PathLike | None = None, port: int = 7878, host: str = "127.0.0.1",
          timeout: float = 60.0, query_timeout: float = 60.0) -> Server:
    """Start a read-only SPARQL server on ``export`` at ``http://host:port/query`` and wait
    (at most ``timeout`` seconds) until it answers as the store it loaded; each query is
    cancelled after ``query_timeout`` seconds. ``export`` may be a folder, by default
    ``exports/`` (:func:`~kg.sparql.store.find_export`).

    Raises :class:`~kg.errors.ServeError` when the port is taken, the server stops or does not answer.
    """
    store = current_store(find_export(export))
    if port_in_use(host, port):
        raise ServeError(f"port {port} on {host} is already in use (another server?); choose another with --port")
    fd, log = tempfile.mkstemp(prefix="kg-serve-", suffix=".log")
    with os.fdopen(fd, "wb") as handle:
        process = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(store),
                                    "--bind", f"{host}:{port}", "--timeout-s", str(max(1, math.ceil(query_timeout)))],
                                   stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT)
    server = Server(process, f"http://{host}:{port}/query", store, Path(log))
    try:
        wait_until_ready(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def port_in_use(host: str, port: int) -> bool:
    """Whether ``host:port`` cannot be bound now (something listens there).

    >>> import socket
    >>> with socket.socket() as s:
    ...     s.bind(("127.0.0.1", 0)); s.listen()
    ...     port_in_use("127.0.0.1", s.getsockname()[1])
    True
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def wait_until_ready(server: Server, timeout: float) -> None:
    """Poll the endpoint with ``ASK {}`` until it answers, the process dies or time runs out."""
    import httpx

    deadline, delay = time.monotonic() + timeout, 0.02
    while True:
        if server.process.poll() is not None:
            output = server.log.read_text(encoding="utf-8", errors="replace").strip()
            raise ServeError(f"the oxigraph server stopped at once (exit status {server.process.returncode}): "
                             f"{output[-800:] or 'no output'}")
        try:
            response = httpx.get(server.url, params={"query": "ASK {}"}, timeout=2.0)
            if response.status_code == 200 and server.process.poll() is None:
                check_answers_as_store(server)
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise ServeError(f"the oxigraph server did not answer at {server.url} within {timeout:.0f} s")
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def check_answers_as_store(server: Server) -> None:
    """Raise :class:`~kg.errors.ServeError` unless the endpoint counts the triples of the store the
    server loaded (another server on the same address would not)."""
    import httpx

    expected = triple_count(server.store)
    response = httpx.get(server.url, params={"query": COUNT_QUERY},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30.0)
    try:
        answered = int(response.json()["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError, TypeError):
        answered = None
    if answered != expected:
        raise ServeError(f"another server answers at {server.url} ({answered if answered is not None else 'no count'} "
                         f"triples, not the {expected:,} of {server.store}); choose another port with --port")
