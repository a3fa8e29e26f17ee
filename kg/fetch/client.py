"""A polite HTTP client for the paper services: rate limit, retries, ``Retry-After``, on-disk cache.

Every request waits its turn (``interval`` seconds after the previous one started), is retried
on a network error, a ``429``, a ``5xx`` or a page that ``parse`` refuses (:class:`Malformed`),
at most ``retries`` times, waiting what ``Retry-After`` says (seconds or an HTTP date, at most
``max_wait``) or else ``backoff * 2**attempt`` seconds. Any other status fails at once with a
:class:`~kg.errors.FetchError` naming the URL and the service's message. Pages that parse are
cached on disk, keyed by method, URL, parameters and body (the contact address and API key
left out), so a second run, or a resumed one, reads them from disk.

Bounds: a redirect is followed at most :data:`MAX_REDIRECTS` times, and credentials (the
:data:`SECRET_HEADERS`, an ``api_key`` parameter) go only to the host first asked; a body is
read up to ``max_bytes`` (after decompression) and within ``timeout`` seconds; no request
starts, and no wait runs, past the fetch's ``deadline`` (seconds from the client's creation).
Every failure is a :class:`~kg.errors.FetchError` of one line.

``sleep`` and ``clock`` are injectable so tests never wait on the wall clock.

Examples
--------
>>> retry_after("120"), retry_after(None)
(120.0, None)
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

from kg.errors import FetchError

T = TypeVar("T")

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_REDIRECTS = 5
MAX_BYTES = 64 * 1024 * 1024
"""The largest response body read (after decompression); a longer one is an error."""
SECRET_HEADERS = frozenset({"x-api-key", "authorization"})
"""Headers that carry credentials: sent to the host of the request's URL only, never after a
redirect to another host."""
PRIVATE_PARAMS = frozenset({"mailto", "api_key"})
"""Parameters that identify the user, not the page: left out of cache keys."""


class Malformed(ValueError):
    """A page that arrived (HTTP 200) but cannot be read; it is retried and never cached."""


class _Retry(Exception):
    """An attempt that may succeed later: why it failed and how long the service asks to wait."""

    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.wait = wait


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/kg/fetch``, else ``~/.cache/kg/fetch``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kg" / "fetch"


class Client:
    """An ``httpx.Client`` with the rate limit, retries and cache described above."""

    def __init__(self, *, user_agent: str, interval: float = 1.0, retries: int = 5, backoff: float = 1.0,
                 max_wait: float = 60.0, cache_dir: str | os.PathLike | None = None, headers: dict | None = None,
                 timeout: float = 60.0, deadline: float | None = 3600.0, max_bytes: int = MAX_BYTES,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        import httpx

        self.http = httpx.Client(headers={"User-Agent": user_agent, **(headers or {})}, timeout=timeout,
                                 follow_redirects=False)
        self.interval, self.retries, self.backoff, self.max_wait = interval, retries, backoff, max_wait
        self.timeout, self.max_bytes = timeout, max_bytes
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.sleep, self.clock = sleep, clock
        self.ends = clock() + deadline if deadline is not None else None
        self.deadline = deadline
        self.last_start: float | None = None
        self.requests = 0

    def close(self) -> None:
        """Close the connections."""
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, params: dict, parse: Callable[[bytes], T]) -> T:
        """``parse`` of the body of a GET; see the module for retries and the cache."""
        return self.request("GET", url, params, None, parse)

    def post(self, url: str, params: dict, body: object, parse: Callable[[bytes], T]) -> T:
        """``parse`` of the body of a POST of ``body`` as JSON."""
        return self.request("POST", url, params, body, parse)

    def request(self, method: str, url: str, params: dict, body: object, parse: Callable[[bytes], T]) -> T:
        """One request, retried, rate-limited and cached; the parsed page."""
        cached = self._cached(method, url, params, body)
        if cached is not None:
            try:
                return parse(cached.read_bytes())
            except Malformed:
                cached.unlink(missing_ok=True)
        for attempt in range(self.retries + 1):
            try:
                return self._attempt(method, url, params, body, parse)
            except _Retry as retry:
                failure = retry
                if attempt < self.retries:
                    wait = min(retry.wait if retry.wait is not None else self.backoff * 2 ** attempt, self.max_wait)
                    self._check_deadline(f"{method} {url}", wait, failure)
                    self.sleep(wait)
                    if wait >= self.interval:
                        self.last_start = None  # the wait spaced the requests already
        raise FetchError(f"{method} {url} failed {self.retries + 1} time(s); last: {failure}")

    def _attempt(self, method: str, url: str, params: dict, body: object, parse: Callable[[bytes], T]) -> T:
        import httpx

        self._wait_turn()
        self._check_deadline(f"{method} {url}")
        try:
            status, final_url, content = self._send(method, url, params, body)
        except httpx.TransportError as error:
            raise _Retry(_one_line(f"{type(error).__name__}: {error}")) from error
        except httpx.HTTPError as error:  # a body that does not decode (bad gzip), an unusable URL
            raise _Retry(_one_line(f"{type(error).__name__}: {error}")) from error
        if status in RETRY_STATUS:
            raise _Retry(f"HTTP {status}", content.wait)
        if status != 200:
            raise FetchError(f"{method} {final_url}: HTTP {status}: {_message(content.text)}")
        try:
            page = parse(content.data)
        except Malformed as error:
            raise _Retry(_one_line(f"unreadable page: {error}")) from error
        self._store(method, url, params, body, content.data)
        return page

    def _send(self, method: str, url: str, params: dict, body: object):
        """Send the request, following at most :data:`MAX_REDIRECTS` redirects (credentials only
        to the first host); the final status, URL and :class:`_Body`."""
        request = self.http.build_request(method, url, params=params, json=body)
        origin = (request.url.scheme, request.url.host, request.url.port)
        for _ in range(MAX_REDIRECTS + 1):
            response = self.http.send(request, stream=True)
            try:
                if not response.is_redirect:
                    return response.status_code, response.url, self._read(response)
                request = response.next_request
            finally:
                response.close()
            if (request.url.scheme, request.url.host, request.url.port) != origin:
                for name in SECRET_HEADERS:
                    request.headers.pop(name, None)
                request.url = request.url.copy_remove_param("api_key")
        raise FetchError(f"{method} {url}: more than {MAX_REDIRECTS} redirects (last to {request.url})")

    def _read(self, response) -> _Body:
        """The body, read in chunks: at most ``max_bytes``, within ``timeout`` seconds and the deadline."""
        started, chunks, size = self.clock(), [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"{response.request.method} {response.url}: response larger than "
                                 f"{self.max_bytes:,} bytes; stopped reading")
            chunks.append(chunk)
            if self.clock() - started > self.timeout:
                raise _Retry(f"response still arriving after {self.timeout:.0f} s ({size:,} bytes)")
            self._check_deadline(f"{response.request.method} {response.url}")
        wait = retry_after(response.headers.get("Retry-After"))
        return _Body(b"".join(chunks), response.encoding or "utf-8", wait)

    def _check_deadline(self, what: str, wait: float = 0.0, failure: Exception | None = None) -> None:
        """Raise :class:`FetchError` if the fetch's deadline has passed, or would, after ``wait`` seconds."""
        if self.ends is None or self.clock() + wait <= self.ends:
            return
        last = f"; last: {failure}" if failure else ""
        raise FetchError(f"{what}: stopped at the fetch's deadline of {self.deadline:.0f} s{last}")

    def _wait_turn(self) -> None:
        now = self.clock()
        if self.last_start is not None and now - self.last_start < self.interval:
            self.sleep(self.interval - (now - self.last_start))
            now = self.clock()
        self.last_start = now
        self.requests += 1

    def _cache_path(self, method, url, params, body) -> Path | None:
        if self.cache_dir is None:
            return None
        public = {k: v for k, v in sorted(params.items()) if k not in PRIVATE_PARAMS}
        key = json.dumps([method, url, public, body], sort_keys=True, ensure_ascii=True)
        return self.cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()}.page"

    def _cached(self, method, url, params, body) -> Path | None:
        path = self._cache_path(method, url, params, body)
        return path if path is not None and path.is_file() else None

    def _store(self, method, url, params, body, content: bytes) -> None:
        path = self._cache_path(method, url, params, body)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, path)


class _Body:
    """A response body as read: its bytes, its text encoding and the ``Retry-After`` it came with."""

    __slots__ = ("data", "encoding", "wait")

    def __init__(self, data: bytes, encoding: str, wait: float | None):
        self.data, self.encoding, self.wait = data, encoding, wait

    @property
    def text(self) -> str:
        return self.data.decode(self.encoding, errors="replace")


def _one_line(text: str) -> str:
    """``text`` on one line, at most 300 characters."""
    return " ".join(text.split())[:300]


def _message(text: str) -> str:
    """The service's error message, short: a JSON ``error``/``message`` field or the text."""
    try:
        value = json.loads(text)
        if isinstance(value, dict):
            text = str(value.get("error") or value.get("message") or text)
    except ValueError:
        pass
    return " ".join(text.split())[:300] or "(no message)"


class Page:
    """What one request of a fetch gives: records (one line of text each), where to go on from
    (a JSON-able state, None at the end) and the service's total, when it tells one."""

    __slots__ = ("records", "next", "total")

    def __init__(self, records: list[str], next: dict | None, total: int | None = None):
        self.records, self.next, self.total = records, next, total


def json_page(check: Callable[[object], bool], what: str) -> Callable[[bytes], object]:
    """A parser of JSON pages that raises :class:`Malformed` unless ``check(value)`` holds."""
    def parse(body: bytes) -> object:
        try:
            value = json.loads(body)
        except ValueError as error:
            raise Malformed(f"not valid JSON ({error})") from error
        if not check(value):
            raise Malformed(f"JSON without {what}")
        return value

    return parse
