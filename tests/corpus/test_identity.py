from hypothesis import given
from hypothesis import strategies as st

from kg.corpus.identity import normalise_arxiv, normalise_doi, normalise_title, paper_key, title_hash


def test_arxiv_versions_and_prefixes_are_stripped():
    for raw in ("2106.09685", "2106.09685v2", "arXiv:2106.09685v1", "https://arxiv.org/abs/2106.09685v3",
                "https://arxiv.org/pdf/2106.09685.pdf"):
        assert normalise_arxiv(raw) == "2106.09685"
    assert normalise_arxiv("hep-th/9901001v2") == "hep-th/9901001"
    assert normalise_arxiv("not an id") is None


def test_doi_is_lower_case_without_resolver():
    assert normalise_doi("https://doi.org/10.1145/3065386") == "10.1145/3065386"
    assert normalise_doi("DOI: 10.18653/V1/N19-1423.") == "10.18653/v1/n19-1423"
    assert normalise_doi("nothing") is None


def test_key_prefers_arxiv_then_doi_then_title():
    assert paper_key("T", doi="10.1/x", arxiv_id="1706.03762v5") == "arxiv:1706.03762"
    assert paper_key("T", doi="10.1145/ABC") == "doi:10.1145/abc"
    assert paper_key("T", doi="10.48550/arXiv.2106.09685") == "arxiv:2106.09685"
    assert paper_key("Attention Is All You Need").startswith("title:")


def test_title_normalisation_ignores_case_punctuation_latex_and_accents():
    assert normalise_title("$\\textit{Trans-LoRA}$: towards") == normalise_title("Trans LoRA: Towards")
    assert normalise_title("Caf\u00e9  Models!") == "cafe models"


@given(st.text(alphabet=st.characters(max_codepoint=0x17F), min_size=1, max_size=80))
def test_title_hash_ignores_case_and_spacing(title):
    assert title_hash(title) == title_hash("  " + title.lower() + " ")
    assert len(title_hash(title)) == 16
