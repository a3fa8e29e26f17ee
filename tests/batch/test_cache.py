"""The extraction cache: a rebuild extracts only new or changed papers and writes the same bytes."""

import json
import sqlite3

from click.testing import CliRunner

import kg
from kg.batch.cache import FILENAME, ExtractionCache
from kg.cli import main

EXAMPLE = [json.loads(line) for line in open(kg.example_corpus(), encoding="utf-8")]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return str(path)


def exports(graph, folder):
    graph.write_all(folder, formats=["turtle", "json", "html"])
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_adding_one_paper_extracts_only_that_paper_and_writes_a_clean_builds_bytes(tmp_path):
    cache = tmp_path / "cache"
    first = kg.build([write_jsonl(tmp_path / "a.jsonl", EXAMPLE[:-1])], cache=cache)
    assert (first.stats["extracted"], first.stats["cached"]) == (24, 0)
    path = write_jsonl(tmp_path / "b.jsonl", EXAMPLE)
    again = kg.build([path], cache=cache, title="b")
    assert (again.stats["extracted"], again.stats["cached"]) == (1, 24)
    clean = kg.build([path], title="b")
    assert "extracted" in clean.stats and exports(again, tmp_path / "again") == exports(clean, tmp_path / "clean")


def test_a_changed_abstract_is_extracted_again(tmp_path):
    cache = tmp_path / "cache"
    kg.build([write_jsonl(tmp_path / "a.jsonl", EXAMPLE[:3])], cache=cache)
    changed = [dict(EXAMPLE[0], abstract=EXAMPLE[0]["abstract"] + " We also use GloVe.")] + EXAMPLE[1:3]
    graph = kg.build([write_jsonl(tmp_path / "a.jsonl", changed)], cache=cache)
    assert (graph.stats["extracted"], graph.stats["cached"]) == (1, 2)


def test_a_damaged_entry_is_extracted_again_never_trusted(tmp_path):
    cache = tmp_path / "cache"
    path = write_jsonl(tmp_path / "a.jsonl", EXAMPLE[:3])
    clean = exports(kg.build([path], cache=cache), tmp_path / "clean")
    with sqlite3.connect(cache / FILENAME) as db:
        db.execute("UPDATE extraction SET body = replace(body, 'method', 'dataset') WHERE rowid = 1")
        db.execute("UPDATE extraction SET body = '[1, 2]', checksum = 'x' WHERE rowid = 2")
    graph = kg.build([path], cache=cache)
    assert (graph.stats["extracted"], graph.stats["cached"]) == (2, 1)
    assert exports(graph, tmp_path / "again") == clean
    assert len(ExtractionCache(cache)) == 3


def test_kg_build_no_cache_and_kg_cache_clear(tmp_path):
    cache, path = tmp_path / "cache", write_jsonl(tmp_path / "a.jsonl", EXAMPLE[:2])
    runner = CliRunner()
    args = ["build", path, "-o", str(tmp_path / "out"), "-q", "--extract-cache", str(cache)]
    assert "Extracted 2 paper(s); 0 read" in runner.invoke(main, args).output
    assert "Extracted 0 paper(s); 2 read" in runner.invoke(main, args).output
    assert "Extracted 2 paper(s); 0 read" in runner.invoke(main, args + ["--no-cache"]).output
    result = runner.invoke(main, ["cache", "clear", "--extract-cache", str(cache)])
    assert result.exit_code == 0 and "Removed 2 cached extraction result(s)" in result.output
    assert "Extracted 2 paper(s); 0 read" in runner.invoke(main, args).output
