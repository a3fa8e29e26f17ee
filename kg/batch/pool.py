"""A function over chunks of work in worker processes, results in the chunks' order.

Workers are started with the ``spawn`` method (no state forked from a threaded parent) and
prepared once each by ``initializer``; at most two chunks per worker are in flight, so a long
input is never queued, nor its results held, all at once.
"""

from __future__ import annotations

import os
from collections import deque
from typing import Callable, Iterable, Iterator


def default_jobs() -> int:
    """The number of cores this process may use (at least 1).

    Examples
    --------
    >>> default_jobs() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def map_chunks(function: Callable, chunks: Iterable, jobs: int, initializer: Callable | None = None,
               initargs: tuple = ()) -> Iterator:
    """``function(chunk)`` of every chunk in ``jobs`` worker processes, yielded in order.

    ``function`` and ``initializer`` must be importable module-level functions; an exception in a
    chunk is raised here, when its result's turn comes.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=initializer, initargs=initargs)
    pending: deque = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(function, chunk))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
