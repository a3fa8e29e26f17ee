"""Every record counted right: encodings, bad bytes, duplicate ids, nulls, short and missing abstracts."""

import json

import pytest

from kg.corpus.read import MAX_LINE_PROBLEMS, read_corpus

LONG = "We study adapters for large language models and report results on GLUE. " * 5


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def jsonl(*records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be", "utf-8-sig"])
def test_files_with_a_byte_order_mark_are_read_in_their_encoding(tmp_path, encoding):
    text = jsonl({"title": "Ünïcode paper"}, {"title": "Second 𝔹 paper"})
    data = text.encode(encoding)
    if encoding.endswith("-be"):
        data = "\ufeff".encode(encoding) + data
    corpus = read_corpus([write(tmp_path, "a.jsonl", data)])
    assert sorted(p.title for p in corpus.papers.values()) == ["Second 𝔹 paper", "Ünïcode paper"]
    assert corpus.problems == []


def test_every_line_with_bad_utf8_is_reported_with_its_line(tmp_path):
    data = (b'{"title": "Bad \xff one"}\n{"title": "Good"}\n{"title": "Bad \xfe two"}\n'
            b'{"title": "Bad \xc3 three \xff"}\n')
    corpus = read_corpus([write(tmp_path, "a.jsonl", data)])
    assert len(corpus.papers) == 4
    assert [(p.line, p.skipped) for p in corpus.problems] == [(1, False), (3, False), (4, False)]
    assert all("invalid UTF-8" in p.reason for p in corpus.problems)


def test_bad_bytes_on_very_many_lines_are_counted_in_one_more_warning(tmp_path):
    data = b"".join(b'{"title": "Bad \xff %d"}\n' % i for i in range(MAX_LINE_PROBLEMS + 7))
    corpus = read_corpus([write(tmp_path, "a.jsonl", data)])
    assert len(corpus.papers) == MAX_LINE_PROBLEMS + 7
    assert len(corpus.problems) == MAX_LINE_PROBLEMS + 1
    assert "on 7 more line(s)" in corpus.problems[-1].reason


def test_a_duplicate_id_in_json_lines_is_warned_about(tmp_path):
    path = write(tmp_path, "a.jsonl", jsonl({"id": "p1", "title": "One"}, {"id": "p2", "title": "Two"},
                                           {"id": "p1", "title": "Three"}).encode())
    corpus = read_corpus([path])
    assert corpus.records == 3
    [warning] = corpus.problems
    assert (warning.line, warning.skipped) == (3, False)
    assert warning.reason.startswith("id 'p1' is also the id of line 1")


def test_null_items_in_lists_are_left_out_and_the_rest_kept(tmp_path):
    path = write(tmp_path, "a.jsonl", jsonl(
        {"id": "a", "title": "Cited"},
        {"id": "b", "title": "Citing", "references": ["a", None], "authors": [None, "Ann Lee"]}).encode())
    corpus = read_corpus([path])
    citing = next(p for p in corpus.papers.values() if p.title == "Citing")
    assert citing.references == ("a",) and citing.authors == ("Ann Lee",)
    assert corpus.problems == []
    assert sum(len(v) for v in corpus.citations.values()) == 1


def listing(*lines):
    return ("Get trending papers in your email inbox!\nSubscribe\n" + "\n".join(lines) + "\n").encode()


def test_a_short_abstract_in_a_listing_is_the_abstract_of_its_title(tmp_path):
    short = "We propose a tiny adapter that matches full fine-tuning on GLUE."
    path = write(tmp_path, "daily.txt", listing("First paper", LONG, "Second paper", short, "Third paper", LONG))
    corpus = read_corpus([path], format="hf-daily")
    papers = {p.title: p.abstract for p in corpus.papers.values()}
    assert papers == {"First paper": LONG.strip(), "Second paper": short, "Third paper": LONG.strip()}


def test_a_final_title_without_an_abstract_is_kept(tmp_path):
    path = write(tmp_path, "daily.txt", listing("First paper", LONG, "• 3 authors", "·", "Mar 24, 2024", "Last paper"))
    corpus = read_corpus([path], format="hf-daily")
    assert sorted(p.title for p in corpus.papers.values()) == ["First paper", "Last paper"]
    assert corpus.problems == []
