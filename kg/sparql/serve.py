"""Serve an export over the SPARQL 1.1 Protocol with Oxigraph's HTTP server (package ``oxigraph``).

:func:`serve` makes sure the export's on-disk store is up to date (:mod:`kg.sparql.store`), starts
``oxigraph serve-read-only`` on it, bound to a loopback address, waits until it answers a
query and returns a :class:`Server`. Queries go to ``server.url`` (``.../query``);
``server.stop()`` (or leaving a ``with`` block) stops it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ServeError
from kg.sparql.store import current_store


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


def serve(export: str | os.PathLike = "exports/graph.ttl", port: int = 7878, host: str = "127.0.0.1",
          timeout: float = 60.0) -> Server:
    """Start a read-only SPARQL server on ``export`` at ``http://host:port/query`` and wait
    (at most ``timeout`` seconds) until it answers."""
    store = current_store(export)
    fd, log = tempfile.mkstemp(prefix="kg-serve-", suffix=".log")
    with os.fdopen(fd, "wb") as handle:
        process = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(store),
                                    "--bind", f"{host}:{port}"],
                                   stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT)
    server = Server(process, f"http://{host}:{port}/query", store, Path(log))
    try:
        wait_until_ready(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


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
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise ServeError(f"the oxigraph server did not answer at {server.url} within {timeout:.0f} s")
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
