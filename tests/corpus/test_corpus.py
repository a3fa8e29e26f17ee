"""Reading inputs: format detection, merging duplicates, and every kind of bad input."""

import json

import pytest

from kg.corpus.read import read_corpus


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def jsonl(*records):
    return "".join(json.dumps(r) + "\n" for r in records)


def test_missing_path_is_reported_and_the_rest_builds(tmp_path):
    good = write(tmp_path, "a.jsonl", jsonl({"title": "A paper"}))
    corpus = read_corpus([tmp_path / "nope.jsonl", good])
    assert len(corpus.papers) == 1
    assert [str(p) for p in corpus.skipped] == [f"{tmp_path / 'nope.jsonl'}: no such file or folder"]


def test_folder_without_readable_files(tmp_path):
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty", "notes.pdf", b"%PDF")
    corpus = read_corpus([tmp_path / "empty"])
    [problem] = corpus.skipped
    assert "folder has no readable file" in problem.reason and problem.path.endswith("empty")


def test_folder_is_searched(tmp_path):
    write(tmp_path, "a.jsonl", jsonl({"title": "A paper"}))
    write(tmp_path, "b.csv", "title,year\nB paper,2020\n")
    assert len(read_corpus([tmp_path]).papers) == 2


def test_binary_and_empty_files_are_skipped(tmp_path):
    binary = write(tmp_path, "x.jsonl", b"\x00\x01\x02PNG")
    empty = write(tmp_path, "y.jsonl", "")
    good = write(tmp_path, "z.jsonl", jsonl({"title": "A paper"}))
    corpus = read_corpus([binary, empty, good])
    assert len(corpus.papers) == 1
    reasons = {p.path: p.reason for p in corpus.skipped}
    assert "binary" in reasons[str(binary)] and "empty" in reasons[str(empty)]


def test_invalid_utf8_names_the_line_and_keeps_the_record(tmp_path):
    path = write(tmp_path, "a.jsonl", jsonl({"title": "Good"}).encode() + b'{"title": "Bad \xff byte"}\n')
    corpus = read_corpus([path])
    assert len(corpus.papers) == 2
    [warning] = corpus.problems
    assert warning.line == 2 and "invalid UTF-8" in warning.reason and not warning.skipped


def test_bad_jsonl_lines_are_skipped_with_their_line(tmp_path):
    path = write(tmp_path, "a.jsonl", jsonl({"title": "One"}) + "{not json\n" + jsonl({"abstract": "no title"}, {"title": "Two"}))
    corpus = read_corpus([path])
    assert sorted(p.title for p in corpus.papers.values()) == ["One", "Two"]
    assert [(p.line, p.skipped) for p in corpus.skipped] == [(2, True), (3, True)]
    assert all(str(p).startswith(f"{path}:") for p in corpus.skipped)


def test_csv_without_title_column(tmp_path):
    bad = write(tmp_path, "a.csv", "name,year\nX,2020\n")
    good = write(tmp_path, "b.csv", "title,authors\nA paper,Ann Lee; Bo Chen\n")
    corpus = read_corpus([bad, good])
    [problem] = corpus.skipped
    assert problem.path == str(bad) and "title" in problem.reason
    [paper] = corpus.papers.values()
    assert paper.authors == ("Ann Lee", "Bo Chen")


def test_every_record_is_a_paper_or_a_problem(tmp_path):
    path = write(tmp_path, "a.jsonl", jsonl({"title": "A"}, {"title": "a!"}, {"nope": 1}, {"title": "B"}))
    corpus = read_corpus([path])
    assert corpus.records + len(corpus.skipped) == 4
    assert (len(corpus.papers), corpus.duplicates) == (2, 1)


def test_format_is_told_by_content_and_can_be_forced(tmp_path):
    path = write(tmp_path, "papers.txt", jsonl({"title": "A JSON paper", "year": 2021}))
    [paper] = read_corpus([path]).papers.values()
    assert paper.title == "A JSON paper" and paper.sources[0].format == "jsonl"
    with pytest.raises(Exception, match="Available"):
        read_corpus([path], format="pdf")


def test_same_paper_from_two_files_is_one_node_with_both_sources(tmp_path):
    a = write(tmp_path, "a.jsonl", jsonl({"title": "Attention Is All You Need", "arxiv_id": "1706.03762v5"}))
    b = write(tmp_path, "b.csv", "title,year\nattention is all you need,2017\n")
    corpus = read_corpus([a, b])
    [(key, paper)] = corpus.papers.items()
    assert key == "arxiv:1706.03762" and paper.year == 2017
    assert [(s.path, s.line) for s in paper.sources] == [(str(a), 1), (str(b), 2)]


def test_references_become_citations_and_unknown_ones_are_reported(tmp_path):
    path = write(tmp_path, "a.jsonl", jsonl({"id": "a", "title": "First"},
                                            {"id": "b", "title": "Second", "references": ["a", "zzz"]}))
    corpus = read_corpus([path])
    [(source, targets)] = corpus.citations.items()
    assert corpus.papers[source].title == "Second" and corpus.papers[targets[0]].title == "First"
    [warning] = corpus.problems
    assert "'zzz'" in warning.reason and warning.line == 2 and not warning.skipped
