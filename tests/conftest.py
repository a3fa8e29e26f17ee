"""Shared fixtures: the shared corpus, a blank pipeline, and graphs built once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "hf-daily-papers"
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
