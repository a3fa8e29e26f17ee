"""The CSL-JSON reader: Zotero's export, dates in every CSL spelling, names, rich text."""

import io
import json
from pathlib import Path

import pytest

from kg.corpus.read import choose_reader
from kg.readers import csl_json
from kg.records import Paper, Problem

ZOTERO = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "zotero.json"


def read(items):
    return list(csl_json.read(io.StringIO(json.dumps(items)), "items.json"))


def test_zotero_export():
    papers = list(csl_json.read(io.StringIO(ZOTERO.read_text(encoding="utf-8")), "zotero.json"))
    assert len(papers) == 12 and all(isinstance(p, Paper) for p in papers)
    lora = papers[4]
    assert lora.title == "LoRA: Low-Rank Adaptation of Large Language Models"  # nocase span removed
    assert (lora.arxiv_id, lora.doi, lora.date) == ("2106.09685", "10.48550/arxiv.2106.09685", "2021-06-17")
    assert lora.local_id.startswith("http://zotero.org/users/")
    assert papers[3].date == "2014-12-22"  # issued.raw
    assert papers[5].authors[-1] == "OpenAI"  # a literal name
    assert papers[11].doi == "10.1145/3065386" and papers[11].year == 2017
    assert [p.sources[0].line for p in papers[:2]] == [2, 66]


@pytest.mark.parametrize("issued, expected", [
    ({"date-parts": [[2021, 6, 17]]}, ("2021-06-17", 2021)),
    ({"date-parts": [["2021", "6"]]}, ("2021-06", 2021)),
    ({"date-parts": [[2014]]}, (None, 2014)),
    ({"date-parts": [[2020, 21]]}, (None, 2020)),  # a season
    ({"raw": "2019-05-03"}, ("2019-05-03", 2019)),
    ({"literal": "2018"}, (None, 2018)),
    ("2017-02", ("2017-02", 2017)),
    (None, (None, None)),
])
def test_issued_dates(issued, expected):
    [paper] = read([{"title": "T", "issued": issued}])
    assert (paper.date, paper.year) == expected


def test_bad_date_is_a_warning_and_the_item_is_kept():
    warning, paper = read([{"title": "T", "issued": {"date-parts": [["spring"]]}}])
    assert not warning.skipped and "'issued' dropped" in warning.reason and paper.year is None


def test_names_with_particles_and_suffixes():
    [paper] = read([{"title": "T", "author": [
        {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."}, {"literal": "The Team"}, "A. String"]}])
    assert paper.authors == ("Ludwig van Beethoven", "Martin Luther King Jr.", "The Team", "A. String")


def test_items_without_title_and_non_objects():
    items = read([{"id": "x"}, 3, {"title": "<i>Ok</i> &amp; fine", "PMID": "123", "note": "arXiv:2101.00001 [cs.CL]"}])
    first, second, paper = items
    assert isinstance(first, Problem) and "'x' has no title" in first.reason
    assert isinstance(second, Problem) and "not a CSL-JSON object" in second.reason
    assert (paper.title, paper.pmid, paper.arxiv_id) == ("Ok & fine", "123", "2101.00001")


def test_sniff():
    head = ZOTERO.read_text(encoding="utf-8")[:4096]
    assert choose_reader(Path("library.json"), head, None).name == "csl-json"
    assert choose_reader(Path("x.json"), '[{"paperId": "x", "title": "y", "issued": 1}]', None).name == "s2"
