"""Tests of the input readers: every registered reader, the real Daily Papers corpus, bad input."""

from __future__ import annotations

import csv as stdlib_csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import registry
from kg.corpus.identity import normalise_title
from kg.readers import csv as csv_reader
from kg.readers import hf_daily, jsonl
from kg.records import Paper, Problem, Source

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "hf-daily-papers"
BUILT_IN_READERS = ["hf-daily", "jsonl", "csv"]


def read_text(reader, text: str, path: str = "input") -> list[Paper | Problem]:
    return list(reader.read(io.StringIO(text), path))


def papers(items) -> list[Paper]:
    return [item for item in items if isinstance(item, Paper)]


def problems(items) -> list[Problem]:
    return [item for item in items if isinstance(item, Problem)]


def where(items) -> list[tuple[int | None, str, bool]]:
    """The problems as ``(line, reason, skipped)``."""
    return [(item.line, item.reason, item.skipped) for item in problems(items)]


# --- every registered reader -------------------------------------------------------------


@pytest.fixture(params=[plugin.name for plugin in registry.readers()])
def reader_plugin(request):
    return registry.reader(request.param)


def test_the_built_in_readers_are_registered():
    assert [p.name for p in registry.readers()][:3] == BUILT_IN_READERS


def test_reader_module_has_the_reader_interface(reader_plugin):
    module = reader_plugin.load()
    assert callable(module.read) and callable(module.sniff)
    assert module.read.__doc__ and module.sniff.__doc__ and module.__doc__


def test_reader_reads_nothing_from_an_empty_file(reader_plugin):
    assert read_text(reader_plugin.load(), "") == []
    assert reader_plugin.load().sniff("") is False


def test_reader_names_itself_in_the_source(reader_plugin):
    samples = {
        "hf-daily": ("A Title\n" + "An abstract. " * 30, 1),
        "jsonl": ('\n{"title": "A Title"}\n', 2),
        "csv": ("title\nA Title\n", 2),
        "bibtex": ("\n@article{key,\n  title = {A {Title}},\n  year = {2020}\n}\n", 2),
        "csl-json": ('[{"id": "k", "type": "article", "title": "A Title"}]', 1),
        "arxiv-atom": (
            '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>\n'
            "<id>http://arxiv.org/abs/2106.09685v2</id>\n<title>A\n  Title</title>\n"
            "<summary>An abstract.</summary>\n</entry>\n</feed>\n",
            3,
        ),
        "arxiv-snapshot": ('\n{"id": "2106.09685", "title": "A Title", "abstract": "x"}\n', 2),
        "openalex": ('{"id": "https://openalex.org/W1", "title": "A Title"}', 1),
        "s2": ('{"paperId": "abc", "title": "A Title"}', 1),
    }
    assert reader_plugin.name in samples, f"add a sample input for the {reader_plugin.name!r} reader"
    text, line = samples[reader_plugin.name]
    (paper,) = read_text(reader_plugin.load(), text, "in.x")
    assert paper.title == "A Title"
    assert paper.sources[0] == Source("in.x", line, reader_plugin.name)


# --- the Hugging Face Daily Papers corpus --------------------------------------------------

# The counts were taken by hand, apart from the reader:
# - 000 (layout A): 240 lines, no blank line; lines 3-240 alternate title (at most 129
#   characters) / abstract (at least 588 characters): 238 / 2 = 119 papers.
# - 004 (layout A): 518 lines, no final newline; lines 3-518 alternate the same way (titles
#   at most 170 characters, abstracts at least 651): 516 / 2 = 258 papers.
# - 002 (layout B): 364 blank lines; of its blank-line separated blocks, 117 hold a "·" line
#   (116 "• N authors", 1 organisation), 121 are longer than 300 characters (abstracts) and
#   127 are short: 6 of chrome (new, Get trending..., Subscribe, Daily Papers, byAK...,
#   Nov 11) and 121 titles, always in the order title, abstract, [details]: 121 papers.
# Together 498 records; 12 titles occur in two files and one in all three, so 484 distinct
# titles, once "Adapt-$\infty$" (002) reads as "Adapt-infty", as 004 spells it.
CORPUS_FILES = {
    # file name: (papers, line of the first, title of the first, start of its abstract)
    "000_0f3c7ae559509aa2.txt": (
        119,
        3,
        "Model-based Reinforcement Learning: A Survey",
        "Sequential decision making, commonly formalized as Markov Decision Process (MDP)",
    ),
    "002_89e1f4c94d1d86e5.txt": (
        121,
        13,
        "Enhancing Visual Continual Learning with Language-Guided Supervision",
        "Continual learning (CL) aims to empower models to learn new tasks",
    ),
    "004_e04db66231fa7904.txt": (
        258,
        3,
        "DurIAN-E: Duration Informed Attention Network For Expressive Text-to-Speech Synthesis",
        "This paper introduces an improved duration informed attention neural network (DurIAN-E)",
    ),
}

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the shared sample corpus is not at {CORPUS}"
)


def read_corpus_file(name: str) -> list[Paper | Problem]:
    path = CORPUS / name
    with path.open(encoding="utf-8") as stream:
        return list(hf_daily.read(stream, str(path)))


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[Paper | Problem]]:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared sample corpus is not at {CORPUS}")
    return {name: read_corpus_file(name) for name in CORPUS_FILES}


def by_title(items, title: str) -> Paper:
    (paper,) = [p for p in papers(items) if p.title == title]
    return paper


@needs_corpus
@pytest.mark.parametrize("name", sorted(CORPUS_FILES))
def test_corpus_file_is_read_completely_without_problems(corpus, name):
    count, line, title, abstract_start = CORPUS_FILES[name]
    items = corpus[name]
    assert problems(items) == []
    assert len(papers(items)) == count
    first = items[0]
    assert (first.title, first.sources[0].line) == (title, line)
    assert first.abstract.startswith(abstract_start)
    assert all(p.title and len(p.abstract) > 500 for p in items)


@needs_corpus
def test_corpus_totals(corpus):
    every = [p for items in corpus.values() for p in papers(items)]
    assert len(every) == 498
    assert len({normalise_title(p.title) for p in every}) == 484


@needs_corpus
def test_corpus_layout_b_details(corpus):
    listing = papers(corpus["002_89e1f4c94d1d86e5.txt"])
    assert sum(p.author_count is not None for p in listing) == 116
    assert sum(p.organization is not None for p in listing) == 1
    assert sum(p.date is not None for p in listing) == 93
    assert sum(p.listed is not None for p in listing) == 24
    assert sum(not (p.date or p.listed) for p in listing) == 4
    assert all((p.date is None) == (p.year is None) for p in listing)


@needs_corpus
def test_corpus_paper_with_authors_and_date(corpus):
    paper = papers(corpus["002_89e1f4c94d1d86e5.txt"])[0]
    details = (paper.author_count, paper.date, paper.year, paper.listed)
    assert details == (7, "2024-03-24", 2024, None)


@needs_corpus
def test_corpus_paper_with_an_organisation_and_upvotes(corpus):
    title = (
        "High-Fidelity Simulated Data Generation for Real-World Zero-Shot Robotic "
        "Manipulation Learning with Gaussian Splatting"
    )
    paper = by_title(corpus["002_89e1f4c94d1d86e5.txt"], title)
    assert paper.organization == "Alibaba-DAMO-Academy DAMO Academy"
    details = (paper.author_count, paper.listed, paper.date, paper.year)
    assert details == (None, "Oct 12", None, None)
    assert paper.sources[0].line == 161


@needs_corpus
def test_corpus_paper_listed_without_year(corpus):
    title = (
        "SurgLaVi: Large-Scale Hierarchical Dataset for Surgical Vision-Language "
        "Representation Learning"
    )
    paper = by_title(corpus["002_89e1f4c94d1d86e5.txt"], title)
    assert (paper.listed, paper.date, paper.year, paper.author_count) == ("Sep 9", None, None, 5)


@needs_corpus
def test_corpus_date_with_upvote_count(corpus):
    paper = by_title(corpus["002_89e1f4c94d1d86e5.txt"], "OmniGen: Unified Image Generation")
    assert (paper.date, paper.year, paper.author_count) == ("2024-09-17", 2024, 9)
    assert paper.code_urls == ("https://github.com/VectorSpaceLab/OmniGen",)


@needs_corpus
def test_corpus_paper_without_details(corpus):
    title = "AlphaOPT: Formulating Optimization Programs with Self-Improving LLM Experience Library"
    paper = by_title(corpus["002_89e1f4c94d1d86e5.txt"], title)
    assert (paper.author_count, paper.organization, paper.date, paper.listed) == (None,) * 4
    assert paper.code_urls == ("https://github.com/Minw913/AlphaOPT",)


@needs_corpus
def test_corpus_last_papers_without_final_newline(corpus):
    last_b = papers(corpus["002_89e1f4c94d1d86e5.txt"])[-1]
    assert last_b.title.startswith("Language Model Agents Suffer from Compositional")
    assert (last_b.author_count, last_b.date, last_b.sources[0].line) == (4, "2023-11-30", 957)
    last_a = papers(corpus["004_e04db66231fa7904.txt"])[-1]
    assert last_a.title == "Scaling TransNormer to 175 Billion Parameters"
    assert last_a.abstract.endswith("efficient LLMs.")


@needs_corpus
@pytest.mark.parametrize(
    "written, readable",
    [
        ("$\\textit{Trans-LoRA}$: towards", "Trans-LoRA: towards data-free Transferable Parameter"),
        ("Adapt-$\\infty$:", "Adapt-infty: Scalable Lifelong Multimodal Instruction Tuning"),
        ("$R^2$-Tuning:", "R^2-Tuning: Efficient Image-to-Video Transfer Learning for Video"),
    ],
)
def test_corpus_latex_titles_are_readable(corpus, written, readable):
    assert written in (CORPUS / "002_89e1f4c94d1d86e5.txt").read_text(encoding="utf-8")
    titles = [p.title for p in papers(corpus["002_89e1f4c94d1d86e5.txt"])]
    assert len([title for title in titles if title.startswith(readable)]) == 1


@needs_corpus
def test_corpus_latex_title_matches_its_plain_spelling_in_another_file(corpus):
    title = (
        "Adapt-infty: Scalable Lifelong Multimodal Instruction Tuning via Dynamic Data Selection"
    )
    latex = by_title(corpus["002_89e1f4c94d1d86e5.txt"], title)
    plain = by_title(corpus["004_e04db66231fa7904.txt"], title)
    assert (latex.sources[0].line, plain.sources[0].line) == (185, 99)


@needs_corpus
def test_corpus_non_ascii_and_latex_escapes(corpus):
    items = corpus["004_e04db66231fa7904.txt"]
    assert by_title(items, "PØDA: Prompt-driven Zero-shot Domain Adaptation").sources[0].line == 23
    listing = corpus["000_0f3c7ae559509aa2.txt"]
    title = "Poincaré Embeddings for Learning Hierarchical Representations"
    assert "Poincaré ball" in by_title(listing, title).abstract  # written Poincar\\'e
    (graph,) = [p for p in papers(listing) if p.title.startswith("GraphShaper:")]
    assert "9.47% accuracy" in graph.abstract  # written 9.47\\%


@needs_corpus
@pytest.mark.parametrize(
    "name, with_code, urls",
    [
        ("000_0f3c7ae559509aa2.txt", 19, 19),
        ("002_89e1f4c94d1d86e5.txt", 26, 26),
        ("004_e04db66231fa7904.txt", 54, 56),  # two papers link two repositories each
    ],
)
def test_corpus_code_url_counts(corpus, name, with_code, urls):
    listing = papers(corpus[name])
    assert sum(bool(p.code_urls) for p in listing) == with_code
    assert sum(len(p.code_urls) for p in listing) == urls


@needs_corpus
def test_corpus_code_urls_are_repaired(corpus):
    urls = {url for items in corpus.values() for p in papers(items) for url in p.code_urls}
    for expected in [
        "https://github.com/JJJYmmm/RefHCM",  # "RefHCM."
        "https://github.com/xiaoyatang/DuoFormer",  # "DuoFormer.git."
        "https://github.com/kleinzcy/Cr-KD-NCD",  # "Cr-KD-NCD{here}."
        "https://github.com/Facico/Dynamic-Logit-Fusion",  # "Dynamic-Logit-Fusion.)"
        "https://github.com/deepmind/deepmind-research",  # "deepmind/ deepmind-research/tree/..."
        "https://github.com/Maunil/LsrGAN",  # "https: // github. com/ Maunil/ LsrGAN"
        "https://github.com/jeffwillette/umbc",  # "github.com/jeffwillette/umbc"
    ]:
        assert expected in urls
    assert not any(url.endswith((".", ".git", ")", "}")) or "github.io" in url for url in urls)


# --- Daily Papers: small listings ----------------------------------------------------------

ABSTRACT = "We study transfer learning in depth and report what we find. " * 5
OTHER_ABSTRACT = "A second abstract that is long enough to be read as an abstract. " * 5


def test_hf_layout_a_header_and_glued_first_title():
    text = (
        "Get trending papers in your email inbox once a day!\n"
        "Get trending papers in your email inbox!\n"
        f"SubscribeFirst Paper\n{ABSTRACT}\nSecond Paper\n{OTHER_ABSTRACT}"
    )
    items = read_text(hf_daily, text)
    assert [(p.title, p.sources[0].line) for p in items] == [
        ("First Paper", 3), ("Second Paper", 5),
    ]
    assert items[1].abstract == OTHER_ABSTRACT.strip()


def test_hf_second_page_pasted_into_layout_a_is_read():
    text = (
        f"One\n{ABSTRACT}\n"
        "Get trending papers in your email inbox!\n"
        f"SubscribeTwo\n{OTHER_ABSTRACT}\n"
    )
    assert [p.title for p in read_text(hf_daily, text)] == ["One", "Two"]


def test_hf_abstract_right_before_the_separator_is_not_an_organisation():
    (paper,) = read_text(hf_daily, f"One\n\n{ABSTRACT}\n·\nMar 1, 2020\n")
    assert (paper.abstract, paper.organization, paper.year) == (ABSTRACT.strip(), None, 2020)


def test_hf_subscribe_is_not_cut_from_a_title_without_the_header():
    (paper,) = read_text(hf_daily, f"Subscriber Churn Models\n{ABSTRACT}")
    assert paper.title == "Subscriber Churn Models"


def test_hf_layout_b_chrome_and_details():
    text = (
        "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
        "byAK and the research community\n\nNov 11\n\n"
        f"One\n\n{ABSTRACT}\n\n  • 1 authors\n·\nFeb 29, 2024\n\n"
        f"Two\n\n{ABSTRACT}\n\nSome Lab Some Lab Inc\n·\nOct 12 2\n\n"
        f"Three\n\n{ABSTRACT}\n"
    )
    one, two, three = read_text(hf_daily, text)
    assert (one.title, one.author_count, one.date, one.year) == ("One", 1, "2024-02-29", 2024)
    assert one.sources[0].line == 13
    assert (two.organization, two.listed, two.year) == ("Some Lab Some Lab Inc", "Oct 12", None)
    assert (three.title, three.author_count, three.date, three.listed) == ("Three",) + (None,) * 3


def test_hf_crlf_newlines_and_byte_order_mark():
    text = f"\ufeffOne\r\n\r\n{ABSTRACT}\r\n\r\n  • 2 authors\r\n·\r\nJan 2, 2020 5\r\n"
    stream = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")
    (paper,) = hf_daily.read(stream, "crlf.txt")
    assert (paper.title, paper.author_count, paper.date) == ("One", 2, "2020-01-02")


def test_hf_title_without_abstract_is_kept():
    one, two = read_text(hf_daily, f"One\n\nTwo\n\n{ABSTRACT}\n\n  • 3 authors\n·\nSep 9\n")
    assert (one.title, one.abstract, one.author_count) == ("One", "", None)
    assert (two.title, two.author_count, two.listed, two.sources[0].line) == ("Two", 3, "Sep 9", 3)


def test_hf_title_that_looks_like_a_date_or_chrome_is_a_title_when_an_abstract_follows():
    items = read_text(hf_daily, f"Nov 11\n\nMay 5\n\n{ABSTRACT}\n\nnew\n\n{OTHER_ABSTRACT}\n")
    assert [(p.title, p.date, p.listed) for p in items] == [
        ("May 5", None, None),
        ("new", None, None),
    ]


def test_hf_abstract_without_title_is_a_problem():
    items = read_text(hf_daily, f"One\n\n{ABSTRACT}\n\n{OTHER_ABSTRACT}\n")
    assert [p.title for p in papers(items)] == ["One"]
    reason = "text looks like an abstract but no title line comes before it"
    assert where(items) == [(5, reason, True)]


def test_hf_details_without_title_are_a_problem():
    items = read_text(hf_daily, "  • 3 authors\n·\nMar 1, 2020\n")
    assert where(items) == [
        (1, "paper details '• 3 authors' have no title before them", True),
        (3, "paper details 'Mar 1, 2020' have no title before them", True),
    ]


@pytest.mark.parametrize(
    "date_line, reason",
    [
        ("Feb 30, 2024", "'Feb 30, 2024' is not a real date; ignored"),
        ("Feb 30", "'Feb 30' is not a real date; ignored"),
        ("yesterday", "'yesterday' is not a date like 'Mar 24, 2024'; ignored"),
    ],
)
def test_hf_bad_date_is_dropped_with_a_warning(date_line, reason):
    items = read_text(hf_daily, f"One\n\n{ABSTRACT}\n\n  • 3 authors\n·\n{date_line}\n")
    (paper,) = papers(items)
    assert (paper.author_count, paper.date, paper.year, paper.listed) == (3, None, None, None)
    assert where(items) == [(7, reason, False)]


def test_hf_second_details_block_is_dropped_with_a_warning():
    text = f"One\n\n{ABSTRACT}\n\n  • 3 authors\n·\nMar 1, 2020\n\n  • 4 authors\n"
    items = read_text(hf_daily, text)
    assert papers(items)[0].author_count == 3
    assert where(items) == [(9, "paper already has details like '• 4 authors'; ignored", False)]


def test_hf_title_with_no_readable_text_is_a_problem():
    items = read_text(hf_daily, f"$$\n{ABSTRACT}\n")
    assert where(items) == [(1, "title line has no readable text", True)]


@pytest.mark.parametrize(
    "written, readable",
    [
        ("$\\textit{Trans-LoRA}$: towards data-free", "Trans-LoRA: towards data-free"),
        ("\\textbf{\\textit{Nested}} Wrappers", "Nested Wrappers"),
        ("Adapt-$\\infty$: Lifelong", "Adapt-infty: Lifelong"),
        ("$R^2$-Tuning", "R^2-Tuning"),
        ("Poincar\\'e and S\\&P at 5\\%", "Poincaré and S&P at 5%"),
        ("Costs \\$5", "Costs $5"),
        ("  spaced   out  ", "spaced out"),
    ],
)
def test_hf_clean_title(written, readable):
    assert hf_daily.clean_title(written) == readable


@pytest.mark.parametrize(
    "text, urls",
    [
        ("at https://github.com/a/b.", ("https://github.com/a/b",)),
        ("at https://github.com/a/b.git.", ("https://github.com/a/b",)),
        ("(https://github.com/a/b-c_d.e)", ("https://github.com/a/b-c_d.e",)),
        ("at http://www.github.com/a/b/tree/main/x, github.com/a/b", ("https://github.com/a/b",)),
        ("at https://github.com/A/B{https://github.com/a/b}.", ("https://github.com/A/B",)),
        ("at https://github.com/a/ b/tree/main", ("https://github.com/a/b",)),
        ("at https: // github. com/ a/ b", ("https://github.com/a/b",)),
        ("see github.com/a/ and more", ()),
        ("see https://a.github.io/b/ and gist.github.com/a/b", ()),
        ("github.com/a/b, github.com/c/d", ("https://github.com/a/b", "https://github.com/c/d")),
    ],
)
def test_find_code_urls(text, urls):
    assert jsonl.find_code_urls(text) == urls


# --- JSON Lines ----------------------------------------------------------------------------


def test_jsonl_reads_every_field():
    record = {
        "id": "p1",
        "title": "  A   Title ",
        "abstract": "Code at https://github.com/o/r.",
        "authors": ["Ada Lovelace", " Alan Turing "],
        "date": "2019-06-01",
        "url": "https://example.org/p1",
        "doi": "10.1000/xyz",
        "arxiv_id": "1901.00001",
        "references": ["p2", 3],
        "unknown": {"ignored": True},
    }
    (paper,) = read_text(jsonl, json.dumps(record) + "\n", "in.jsonl")
    assert paper == Paper(
        title="A Title",
        abstract="Code at https://github.com/o/r.",
        authors=("Ada Lovelace", "Alan Turing"),
        author_count=2,
        date="2019-06-01",
        year=2019,
        url="https://example.org/p1",
        doi="10.1000/xyz",
        arxiv_id="1901.00001",
        local_id="p1",
        references=("p2", "3"),
        code_urls=("https://github.com/o/r",),
        sources=(paper.sources[0],),
    )
    assert str(paper.sources[0]) == "in.jsonl:1"


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"authors": "A. One; B. Two ;"}, {"authors": ("A. One", "B. Two"), "author_count": 2}),
        ({"year": "2020"}, {"year": 2020, "date": None}),
        ({"year": 2020}, {"year": 2020}),
        ({"date": "2020-05"}, {"date": "2020-05", "year": 2020}),
        ({"date": "2020"}, {"date": None, "year": 2020}),
        ({"date": "2020-05-06T07:08:09Z"}, {"date": "2020-05-06", "year": 2020}),
        ({"id": 17, "references": "a; b"}, {"local_id": "17", "references": ("a", "b")}),
        ({"abstract": None, "doi": ""}, {"abstract": "", "doi": None}),
        ({"venue": " NAACL ", "organization": "Acme", "listed": "Sep 9"},
         {"venue": "NAACL", "organization": "Acme", "listed": "Sep 9"}),
        ({"author_count": "7"}, {"author_count": 7, "authors": ()}),
        ({"authors": ["A"], "author_count": 7}, {"author_count": 1}),
        ({"code_urls": ["https://github.com/a/b"], "abstract": "See github.com/c/d."},
         {"code_urls": ("https://github.com/a/b", "https://github.com/c/d")}),
    ],
)
def test_jsonl_accepted_field_forms(fields, expected):
    items = read_text(jsonl, json.dumps({"title": "T", **fields}))
    assert problems(items) == []
    for name, value in expected.items():
        assert getattr(items[0], name) == value


BAD_JSONL = [
    ('{"title": "A" "year": 1}', "line is not valid JSON: Expecting ',' delimiter (column 15)"),
    (
        "{'title': 'A'}",
        "line is not valid JSON: Expecting property name enclosed in double quotes (column 2)",
    ),
    ('{"title": "A"', "line is not valid JSON: Expecting ',' delimiter (column 14)"),
    ("title: A", "line is not valid JSON: Expecting value (column 1)"),
    ('["title", "A"]', "line is a JSON list, not an object"),
    ('"A title"', "line is text, not an object"),
    ("42", "line is a number, not an object"),
    ("null", "line is null, not an object"),
    ('{"abstract": "no title"}', "record has no title"),
    ('{"title": null}', "record has no title"),
    ('{"title": "  "}', "record has no title"),
    ('{"title": 12}', "record's title is not text but a number"),
    ('{"title": ["A"]}', "record's title is not text but a JSON list"),
]


@pytest.mark.parametrize("line, reason", BAD_JSONL)
def test_jsonl_bad_line_is_skipped_with_its_line_number(line, reason):
    text = f'{{"title": "Before"}}\n\n{line}\n{{"title": "After"}}\n'
    items = read_text(jsonl, text, "bad.jsonl")
    assert [p.title for p in papers(items)] == ["Before", "After"]
    assert [str(p) for p in problems(items)] == [f"bad.jsonl:3: {reason}"]
    assert problems(items)[0].skipped
    assert [p.sources[0].line for p in papers(items)] == [1, 4]


LIST_OR_TEXT = "expected a list or ';'-separated text"
BAD_JSONL_FIELDS = [
    # field: value, why it is dropped, the Paper attribute and what it is left as
    ("abstract", 5, "expected text, got a number", "abstract", ""),
    ("authors", {"name": "A"}, f"{LIST_OR_TEXT}, got a JSON object", "authors", ()),
    ("authors", ["A", 2], "expected text, got a number", "author_count", None),
    ("year", "20x0", "'20x0' is not a year", "year", None),
    ("year", 2020.5, "2020.5 is not a year", "year", None),
    ("year", True, "True is not a year", "year", None),
    ("year", 99, "99 is not a four-digit year", "year", None),
    ("date", "June 2019", "'June 2019' is not an ISO date (YYYY-MM-DD)", "date", None),
    ("date", "2019-02-30", "'2019-02-30' is not a real date", "date", None),
    ("date", 2019, "expected text, got a number", "year", None),
    ("url", ["https://a"], "expected text, got a JSON list", "url", None),
    ("doi", False, "expected text, got true or false", "doi", None),
    ("arxiv_id", 2106.0968, "expected text, got a number", "arxiv_id", None),
    ("id", 1.5, "expected text or a whole number, got a number", "local_id", None),
    ("references", {"a": 1}, f"{LIST_OR_TEXT}, got a JSON object", "references", ()),
    ("references", [["a"]], "expected text or a whole number, got a JSON list", "references", ()),
    ("author_count", 0, "0 is not a positive whole number", "author_count", None),
    ("venue", 3, "expected text, got a number", "venue", None),
]


@pytest.mark.parametrize("name, value, why, attribute, left", BAD_JSONL_FIELDS)
def test_jsonl_wrong_typed_field_is_dropped_with_a_warning(name, value, why, attribute, left):
    items = read_text(jsonl, json.dumps({"title": "T", name: value}) + "\n")
    (paper,) = papers(items)
    assert paper.title == "T" and getattr(paper, attribute) == left
    assert where(items) == [(1, f"field {name!r} dropped: {why}", False)]


def test_jsonl_year_that_contradicts_the_date_gives_way_with_a_warning():
    items = read_text(jsonl, '{"title": "T", "date": "2021-01-02", "year": 2020}')
    assert papers(items)[0].year == 2021
    assert where(items) == [(1, "year 2020 does not match date's year 2021; kept 2021", False)]


def test_jsonl_blank_lines_are_not_records_and_lines_keep_their_numbers():
    text = '\n   \n{"title": "A"}\r\n\n{"title": "B"}'
    stream = io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8")
    items = list(jsonl.read(stream, "x.jsonl"))
    assert [(p.title, p.sources[0].line) for p in items] == [("A", 3), ("B", 5)]


def test_jsonl_byte_order_mark_and_line_separator_inside_text():
    text = '\ufeff{"title": "A\u2028B"}\n{"title": "C"}\n'
    items = read_text(jsonl, text)
    assert [(p.title, p.sources[0].line) for p in items] == [("A B", 1), ("C", 2)]


def test_jsonl_every_line_ends_up_as_a_paper_or_a_skip():
    lines = [line for line, _ in BAD_JSONL] + ['{"title": "ok"}', '{"title": "T", "year": "x"}']
    items = read_text(jsonl, "\n".join(lines))
    assert len(papers(items)) + sum(p.skipped for p in problems(items)) == len(lines)


# --- CSV -----------------------------------------------------------------------------------


def test_csv_reads_every_column_and_multi_line_rows_start_where_they_start():
    text = (
        "id,title,abstract,authors,date,year,url,doi,arxiv_id,references\n"
        'p1,"Deep\nResidual Learning","Line one\nline two, see github.com/o/r",'
        'He; Zhang,2016-06-27,,https://x.org,10.1/x,1512.03385,p2; p3\n'
        "p2,Second,,,,2017,,,,\n"
    )
    first, second = read_text(csv_reader, text, "in.csv")
    assert first == Paper(
        title="Deep Residual Learning",
        abstract="Line one line two, see github.com/o/r",
        authors=("He", "Zhang"),
        author_count=2,
        date="2016-06-27",
        year=2016,
        url="https://x.org",
        doi="10.1/x",
        arxiv_id="1512.03385",
        local_id="p1",
        references=("p2", "p3"),
        code_urls=("https://github.com/o/r",),
        sources=(first.sources[0],),
    )
    assert (str(first.sources[0]), first.sources[0].format) == ("in.csv:2", "csv")
    assert (second.title, second.year, second.sources[0].line) == ("Second", 2017, 5)


def test_csv_without_title_column_gives_one_problem_and_nothing_else():
    items = read_text(csv_reader, "id,name\n1,BERT\n2,GPT\n", "no.csv")
    assert [str(p) for p in items] == ["no.csv:1: no 'title' column; columns are: id, name"]
    assert items[0].skipped


def test_csv_column_names_ignore_case_spaces_and_byte_order_mark():
    items = read_text(csv_reader, "\ufeff Title , YEAR,extra\nA,2020,x\n")
    assert [(p.title, p.year) for p in items] == [("A", 2020)]


@pytest.mark.parametrize(
    "row, reason",
    [
        ("1,,2020", "record has no title"),
        ('1,"   ",2020', "record has no title"),
        ('1,"A"x,2020', "row is not valid CSV: ',' expected after '\"'"),
    ],
)
def test_csv_bad_row_is_skipped_with_its_line_number(row, reason):
    items = read_text(csv_reader, f"id,title,year\n0,Before,\n{row}\n2,After,\n", "bad.csv")
    assert [(p.title, p.sources[0].line) for p in papers(items)] == [("Before", 2), ("After", 4)]
    assert [(p.line, p.reason, p.skipped) for p in problems(items)] == [(3, reason, True)]


def test_csv_quote_never_closed_reports_the_lines_it_swallowed():
    items = read_text(csv_reader, 'title\nA\n"B\nC\nD\n', "q.csv")
    assert [p.title for p in papers(items)] == ["A"]
    reason = "row has a quote that is never closed; lines 3-5 were not read"
    assert where(items) == [(3, reason, True)]


def test_csv_row_with_wrong_number_of_values_is_kept_with_a_warning():
    items = read_text(csv_reader, "title,year\nA,2020,extra\nB\n")
    assert [(p.title, p.year) for p in papers(items)] == [("A", 2020), ("B", None)]
    assert where(items) == [
        (2, "row has 3 values but the header has 2 columns; the extra ones were ignored", False),
        (
            3,
            "row has 1 values but the header has 2 columns; the missing ones count as empty",
            False,
        ),
    ]


def test_csv_bad_year_and_date_are_dropped_with_a_warning():
    items = read_text(csv_reader, "title,year,date\nA,circa 2020,\nB,,2020/01/01\n")
    assert [(p.title, p.year, p.date) for p in papers(items)] == [
        ("A", None, None),
        ("B", None, None),
    ]
    assert where(items) == [
        (2, "field 'year' dropped: 'circa 2020' is not a year", False),
        (3, "field 'date' dropped: '2020/01/01' is not an ISO date (YYYY-MM-DD)", False),
    ]


def test_csv_blank_rows_are_not_records():
    items = read_text(csv_reader, "\ntitle,year\n\n,\nA,2020\n  \n")
    assert [(p.title, p.sources[0].line) for p in items] == [("A", 5)]


def test_csv_header_only_gives_nothing():
    assert read_text(csv_reader, "title,abstract\n") == []


# --- sniffing ------------------------------------------------------------------------------

SNIFF_SAMPLES = {
    "jsonl": ['{"title": "A"}\n', '\ufeff\n\n  {"title": "A"}'],
    "csv": ["title,year\nA,2020\n", "\ufeffId, Title ,year\n", '"title","abstract"\n'],
    "hf-daily": [
        "Get trending papers in your email inbox once a day!\nSubscribeA Title\n",
        "new\n\nSubscribe\n\nDaily Papers\n",
        "A Title\n" + "x" * 300 + "\n",
    ],
    None: ["", "   \n", "[1, 2, 3]\n", "id,name\n1,A\n", "title\nA\n", "just a short note\n"],
}


@pytest.mark.parametrize(
    "text, owner", [(text, owner) for owner, texts in SNIFF_SAMPLES.items() for text in texts]
)
def test_sniff_claims_only_its_own_format(text, owner):
    claims = {name: registry.reader(name).load().sniff(text) for name in BUILT_IN_READERS}
    assert claims == {name: name == owner for name in BUILT_IN_READERS}


@needs_corpus
@pytest.mark.parametrize("name", sorted(CORPUS_FILES))
def test_sniff_recognises_the_corpus(name):
    head = (CORPUS / name).read_text(encoding="utf-8")[:4096]
    assert hf_daily.sniff(head) and not jsonl.sniff(head) and not csv_reader.sniff(head)


# --- properties ----------------------------------------------------------------------------

KNOWN = {"title", *jsonl._CONVERTERS}
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"))
NON_BLANK_TEXT = st.text(PRINTABLE, min_size=1, max_size=60).filter(str.strip)


@settings(max_examples=150, deadline=None)
@given(
    title=NON_BLANK_TEXT,
    abstract=st.text(PRINTABLE, max_size=200),
    year=st.one_of(st.none(), st.integers(1000, 9999)),
    extra=st.dictionaries(st.text(max_size=8).filter(lambda key: key not in KNOWN), st.integers()),
    ascii_only=st.booleans(),
)
def test_jsonl_round_trips_title_abstract_and_year(title, abstract, year, extra, ascii_only):
    record = {**extra, "title": title, "abstract": abstract, "year": year}
    line = json.dumps(record, ensure_ascii=ascii_only)
    (paper,) = read_text(jsonl, f"\n{line}\n")
    assert paper.title == " ".join(title.split())
    assert paper.abstract == " ".join(abstract.split())
    assert (paper.year, paper.sources[0].line) == (year, 2)


CSV_CHARACTER = st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters='\n,"')
CSV_TEXT = st.text(CSV_CHARACTER, max_size=40)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(CSV_TEXT.filter(str.strip), CSV_TEXT), min_size=1, max_size=5))
def test_csv_round_trips_titles_and_start_lines(rows):
    rendered = []
    for title, abstract in [("title", "abstract"), *rows]:
        out = io.StringIO()
        stdlib_csv.writer(out, lineterminator="\n").writerow([title, abstract])
        rendered.append(out.getvalue())
    starts = [1 + sum(chunk.count("\n") for chunk in rendered[:i]) for i in range(1, len(rendered))]
    items = read_text(csv_reader, "".join(rendered))
    assert [(p.title, p.abstract, p.sources[0].line) for p in items] == [
        (" ".join(t.split()), " ".join(a.split()), line) for (t, a), line in zip(rows, starts)
    ]


WORD = st.text(st.sampled_from("abcdefXYZé0123456789-:?()'"), min_size=1, max_size=10)
TITLE = st.lists(WORD, min_size=1, max_size=12).map(" ".join)
LONG_WORD = st.text(st.sampled_from("abcdefXYZé0123456789-:?()'.,%"), min_size=3, max_size=10)
LONG_ABSTRACT = st.lists(LONG_WORD, min_size=70, max_size=90).map(" ".join)  # >= 279 characters
DATE = st.tuples(
    st.integers(1, 12),  # month
    st.integers(1, 28),  # day
    st.one_of(st.none(), st.integers(1990, 2030)),  # year
    st.one_of(st.none(), st.integers(0, 999)),  # upvotes
)
DETAILS = st.one_of(
    st.none(),
    st.tuples(st.one_of(st.integers(1, 500), TITLE), st.one_of(st.none(), DATE)),
)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def render_details(details) -> tuple[str, dict]:
    """The details block of a layout-B paper and the fields it should give."""
    who, date = details
    lines = [f"  • {who} authors" if isinstance(who, int) else who, "·"]
    expected = {"author_count": who} if isinstance(who, int) else {"organization": who}
    if date:
        month, day, year, upvotes = date
        listed = f"{MONTHS[month - 1]} {day}"
        written = listed + (f", {year}" if year else "")
        lines.append(written + (f" {upvotes}" if upvotes is not None else ""))
        if year:
            expected |= {"date": f"{year}-{month:02d}-{day:02d}", "year": year, "listed": None}
        else:
            expected |= {"listed": listed, "date": None, "year": None}
    return "\n".join(lines), expected


@settings(max_examples=100, deadline=None)
@given(
    listing=st.lists(st.tuples(TITLE, LONG_ABSTRACT, DETAILS), min_size=1, max_size=6),
    final_newline=st.booleans(),
)
def test_hf_layout_b_blocks_parse_back(listing, final_newline):
    blocks, expected = ["new", "Subscribe", "Daily Papers", "Nov 11"], []
    for title, abstract, details in listing:
        line = sum(block.count("\n") + 2 for block in blocks) + 1
        blocks += [title, abstract]
        fields = {"title": title, "abstract": abstract, "line": line}
        if details:
            block, more = render_details(details)
            blocks.append(block)
            fields |= more
        expected.append(fields)
    text = "\n\n".join(blocks) + ("\n" if final_newline else "")
    items = read_text(hf_daily, text)
    assert problems(items) == []
    assert len(items) == len(expected)
    for paper, fields in zip(items, expected):
        assert paper.sources[0].line == fields.pop("line")
        for name, value in fields.items():
            assert getattr(paper, name) == value


@settings(max_examples=100, deadline=None)
@given(listing=st.lists(st.tuples(TITLE, LONG_ABSTRACT), min_size=1, max_size=6))
def test_hf_layout_a_lines_parse_back(listing):
    header = (
        "Get trending papers in your email inbox once a day!\n"
        "Get trending papers in your email inbox!\n"
        "Subscribe"
    )
    text = header + "\n".join(f"{title}\n{abstract}" for title, abstract in listing)
    items = read_text(hf_daily, text)
    assert [(p.title, p.abstract, p.sources[0].line) for p in items] == [
        (title, abstract, 3 + 2 * i) for i, (title, abstract) in enumerate(listing)
    ]
