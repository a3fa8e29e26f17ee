"""The benchmarks and `make bench` fail with a message, not a traceback or 0 words/s, when
their corpus is missing (as on a fresh clone without ../shared)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("script", ["extract_speed.py", "build_vs_pipe.py", "relation_sample.py"])
def test_a_benchmark_without_its_corpus_says_so(script, tmp_path):
    missing = str(tmp_path / "corpus" / "*.txt")  # an unexpanded glob, as the shell passes it on
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), missing],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"no such input: {missing}" in done.stderr and "../shared" in done.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_bench_without_the_shared_corpus_says_so(tmp_path):
    clone = tmp_path / "clone"  # no ../shared beside it
    clone.mkdir()
    shutil.copy(ROOT / "Makefile", clone)
    (clone / "pyproject.toml").write_text("", encoding="utf-8")
    venv = clone / ".venv"
    venv.mkdir()
    (venv / ".runtime").touch()  # the install is done: only the bench rule runs
    done = subprocess.run(["make", "bench"], capture_output=True, text=True, cwd=clone, timeout=60)
    assert done.returncode != 0
    assert "make bench: no corpus at ../shared/corpus/hf-daily-papers/*.txt" in done.stderr
