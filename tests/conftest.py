"""Shared fixtures: the shared corpus, a blank pipeline, and graphs built once per session.

The tests that read ``../shared`` (the sample corpus and the annotated benchmarks beside the
repository) skip without it; the run then ends with one line saying how many skipped and why.
With ``KG_REQUIRE_SHARED=1`` (as in CI, which has ``../shared``) such a skip fails the run.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "hf-daily-papers"
CORPUS_FILES = sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="session", autouse=True)
def extract_cache(tmp_path_factory):
    """kg build's extraction cache in a folder of the test session, never the user's."""
    folder = tmp_path_factory.mktemp("extract-cache")
    os.environ["KG_EXTRACT_CACHE"] = str(folder)
    yield folder
    os.environ.pop("KG_EXTRACT_CACHE", None)


@pytest.fixture(scope="session")
def corpus_files():
    if len(CORPUS_FILES) != 3:
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return [str(p) for p in CORPUS_FILES]


@pytest.fixture(scope="session")
def blank_nlp():
    from kg.extract.nlp import blank_pipeline

    return blank_pipeline()


@pytest.fixture(scope="session")
def nlp():
    from kg.extract.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def example_graph(nlp):
    import kg

    return kg.build(nlp=nlp)


@pytest.fixture(scope="session")
def corpus_graph(corpus_files, nlp):
    import kg

    return kg.build(corpus_files, nlp=nlp)


def _skip_reasons(terminalreporter) -> Counter:
    reasons = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        reasons[reason.removeprefix("Skipped: ")] += 1
    return reasons


def _needs_shared(reason: str) -> bool:
    return str(SHARED) in reason


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reasons = _skip_reasons(terminalreporter)
    if not reasons:
        return
    shared = sum(n for reason, n in reasons.items() if _needs_shared(reason))
    terminalreporter.section("skipped tests")
    if shared:
        terminalreporter.write_line(
            f"{shared} test(s) skipped because {SHARED} is missing (the sample corpus and the annotated "
            "benchmarks: reading real papers and every accuracy check); put it beside the repository to run them.",
            yellow=True, bold=True)
    for reason, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0])):
        if not _needs_shared(reason):
            terminalreporter.write_line(f"{n} test(s) skipped: {reason}")


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("KG_REQUIRE_SHARED") == "1" and reporter is not None:
        if any(_needs_shared(reason) for reason in _skip_reasons(reporter)):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
