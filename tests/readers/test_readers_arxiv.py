"""The arXiv readers: API Atom feeds in both layouts, and the metadata snapshot (JSON Lines)."""

import io
from pathlib import Path

import pytest

from kg.corpus.read import choose_reader
from kg.readers import arxiv_atom, arxiv_snapshot
from kg.records import Paper, Problem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "arxiv"


def read(reader, name):
    path = FIXTURES / name
    return list(reader.read(io.StringIO(path.read_text(encoding="utf-8")), name))


def papers(items):
    return [item for item in items if isinstance(item, Paper)]


def problems(items):
    return [item for item in items if isinstance(item, Problem)]


@pytest.mark.parametrize("layout", ["old-layout.atom", "new-layout.atom"])
def test_both_atom_layouts_read_the_same_papers(layout):
    lora, quantum = papers(read(arxiv_atom, layout))[:2]
    assert lora.arxiv_id == "2106.09685" and lora.url == "https://arxiv.org/abs/2106.09685"
    assert lora.title == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert lora.abstract.startswith("An important paradigm of natural language processing consists of large-scale pretraining")
    assert "  " not in lora.abstract and "\n" not in lora.abstract
    assert lora.authors == ("Edward J. Hu", "Yelong Shen")
    assert (lora.date, lora.year) == ("2021-06-17", 2021)
    assert lora.code_urls == ("https://github.com/microsoft/LoRA",)
    assert quantum.doi == "10.1103/physrevb.85.115117" and quantum.arxiv_id == "1111.2011"
    assert quantum.venue == "Phys. Rev. B 85, 115117 (2012)" and lora.venue is None


def test_layouts_agree_field_by_field():
    old = papers(read(arxiv_atom, "old-layout.atom"))[:2]
    new = papers(read(arxiv_atom, "new-layout.atom"))
    strip = lambda p: (p.title, p.abstract, p.authors, p.date, p.doi, p.arxiv_id, p.url)  # noqa: E731
    assert [strip(p) for p in old] == [strip(p) for p in new]


def test_old_style_ids_and_odd_whitespace():
    branes = papers(read(arxiv_atom, "old-layout.atom"))[2]
    assert branes.arxiv_id == "hep-th/9901001"
    assert branes.title == "Branes and $\\mathcal{N}=2$ Theories"
    assert branes.date == "1999-01-04"


def test_entries_keep_the_line_where_they_start():
    items = read(arxiv_atom, "old-layout.atom")
    assert [p.sources[0].line for p in papers(items)] == [10, 36, 60]
    assert {p.sources[0].format for p in papers(items)} == {"arxiv-atom"}


def test_error_feed_is_a_problem_not_a_paper():
    [problem] = read(arxiv_atom, "error.atom")
    assert problem.skipped and "incorrect id format for 1234.12345" in problem.reason and problem.line == 10


def test_bad_xml_stops_with_the_line_and_keeps_what_came_before():
    text = (FIXTURES / "new-layout.atom").read_text(encoding="utf-8").replace("</entry>\n  <entry>", "</entry>\n  <entry><oops>", 1)
    items = list(arxiv_atom.read(io.StringIO(text), "bad.atom"))
    assert [p.arxiv_id for p in papers(items)] == ["2106.09685"]
    [problem] = problems(items)
    assert problem.line and "not well-formed XML" in problem.reason and problem.path == "bad.atom"


def test_entry_without_id_or_title():
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2101.00001v1</id></entry>'
            "<entry><title>No id</title></entry></feed>")
    reasons = [p.reason for p in arxiv_atom.read(io.StringIO(feed), "x.atom")]
    assert reasons == ["entry http://arxiv.org/abs/2101.00001v1 has no title", "entry (no id) has no arXiv id"]


def test_snapshot_records():
    items = read(arxiv_snapshot, "snapshot.json")
    first, branes, lora = papers(items)
    assert first.arxiv_id == "0704.0001" and first.doi == "10.1103/physrevd.76.013009"
    assert first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert first.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan")
    assert first.date == "2007-04-02" and first.abstract.startswith("A fully differential")
    assert branes.arxiv_id == "hep-th/9901001" and branes.date == "1999-01-04"  # v1, listed second
    assert branes.authors == ("A. N. Author", "J. Doe Jr.")  # from 'authors' when authors_parsed is empty
    assert branes.doi == "10.1000/xyz123" and branes.code_urls == ("https://github.com/example/branes",)
    assert lora.date is None
    assert [(p.line, p.skipped) for p in problems(items)] == [(4, False), (5, True), (6, True)]
    assert "no arXiv id" in problems(items)[1].reason


def test_snapshot_authors_in_latex_are_decoded():
    line = '{"id": "0704.0001", "submitter": "x", "title": "T", "authors": "C. Bal\\\\\'azs and J. M{\\\\\\"u}ller"}'
    [paper] = arxiv_snapshot.read(io.StringIO(line), "s.json")
    assert paper.authors == ("C. Balázs", "J. Müller")


def test_snapshot_is_told_from_other_json_lines():
    head = (FIXTURES / "snapshot.json").read_text(encoding="utf-8")[:4096]
    assert choose_reader(Path("papers.jsonl"), head, None).name == "arxiv-snapshot"
    assert not arxiv_snapshot.sniff('{"title": "A paper", "id": "x"}')
