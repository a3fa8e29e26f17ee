"""The BibTeX reader: Zotero and JabRef exports, macros, crossref, LaTeX, names, identifiers."""

import io
from pathlib import Path

import pytest

from kg import registry
from kg.readers import bibtex
from kg.records import Paper, Problem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def read(path):
    return list(bibtex.read(io.StringIO(path.read_text(encoding="utf-8")), path.name))


@pytest.fixture(scope="module")
def jabref():
    items = read(FIXTURES / "bibtex" / "jabref.bib")
    return {p.local_id: p for p in items if isinstance(p, Paper)}, [p for p in items if isinstance(p, Problem)]


def test_braces_and_latex_are_decoded(jabref):
    papers, _ = jabref
    assert papers["Pennington2014"].title == "GloVe: Global Vectors for Word Representation"
    assert papers["Mueller2020"].title == "Naïve Bayes & Markov Models: 50% of the Way — with Schön α-Tuning"


def test_names(jabref):
    papers, _ = jabref
    assert papers["Mueller2020"].authors == ("Jörg Müller", "Ana van der Berg", "Luis de la Cruz, Jr.", "The Big Consortium")
    assert papers["Pennington2014"].authors == ("Jeffrey Pennington", "Richard Socher", "Christopher D. Manning")


def test_strings_months_and_crossref(jabref):
    papers, _ = jabref
    glove = papers["Pennington2014"]
    assert (glove.date, glove.year, glove.doi) == ("2014-10", 2014, "10.3115/v1/d14-1162")
    chapter = papers["Mueller2020"]  # year and month come from the book it crossrefs
    assert (chapter.date, chapter.year) == ("2020-07", 2020)
    assert chapter.code_urls == ("https://github.com/joerg/naive-bayes",)


def test_resolve_macros_and_concatenation():
    assert bibtex.resolve('emnlp # " 2014"', {"emnlp": "EMNLP"}) == "EMNLP 2014"
    assert bibtex.resolve("{A # B}", {}) == "A # B"
    assert bibtex.resolve("jun", {}) == "6"
    with pytest.raises(ValueError, match="not defined"):
        bibtex.resolve("nope", {})


def test_biblatex_date_eprint_and_pmid(jabref):
    papers, _ = jabref
    entry = papers["Biblatex2021"]
    assert (entry.date, entry.arxiv_id, entry.pmid) == ("2021-03-04", "2103.01234", "33333333")


def test_proceedings_are_not_papers(jabref):
    papers, _ = jabref
    assert "EMNLP2014" not in papers and "Book2020" in papers


def test_problems_name_the_entry_and_line(jabref):
    _, problems = jabref
    assert [(p.line, p.skipped) for p in problems] == [(61, True), (49, False), (56, True)]
    assert "not valid BibTeX" in problems[0].reason and "'Broken" not in problems[0].reason.split(":")[0]
    assert "nosuchmacro" in problems[1].reason and "NoTitle" in problems[2].reason


def test_zotero_export_identifiers():
    items = [p for p in read(FIXTURES / "formats" / "zotero.bib") if isinstance(p, Paper)]
    ids = {p.local_id: (p.arxiv_id, p.doi) for p in items}
    assert ids["vaswani_attention_2017"] == ("1706.03762", "10.48550/arxiv.1706.03762")  # arXiv's DOI
    assert ids["Kingma2014"] == ("1412.6980", None)  # eprint + archivePrefix
    assert ids["brown2020language"] == ("2005.14165", None)  # Google Scholar's journal field
    assert ids["liu_roberta_2019"] == ("1907.11692", None)  # "arXiv: 1907.11692" in note
    assert ids["Mikolov2013"] == ("1301.3781", None)  # eprinttype, version dropped
    assert ids["ioffe2015batch"] == ("1502.03167", None)  # \url in howpublished
    assert ids["pennington_glove_2014"] == (None, "10.3115/v1/d14-1162")  # https://doi.org/ prefix
    devlin = next(p for p in items if p.local_id == "devlin_bert_2019")
    assert devlin.year == 2019  # from the @proceedings it crossrefs, which is itself not a paper
    assert "Kaiser" in next(p for p in items if p.local_id == "vaswani_attention_2017").authors[6]
    assert next(p for p in items if p.local_id == "vaswani_attention_2017").authors[6] == "Łukasz Kaiser"
    assert len(items) == 12


def test_duplicate_keys_are_read_with_a_warning():
    text = "@misc{a, title={One}}\n@misc{a, title={Two}}\n"
    items = list(bibtex.read(io.StringIO(text), "d.bib"))
    assert [i.title for i in items if isinstance(i, Paper)] == ["One", "Two"]
    [warning] = [i for i in items if isinstance(i, Problem)]
    assert warning.line == 2 and not warning.skipped


def test_sniff():
    assert bibtex.sniff("% Encoding: UTF-8\n\n@Article{x,\n")
    assert not bibtex.sniff("Get trending papers\nemail me @ home {not bibtex}")
    head = (FIXTURES / "formats" / "zotero.bib").read_text(encoding="utf-8")[:4096]
    assert [r.name for r in registry.readers() if r.load().sniff(head)] == ["bibtex"]
