"""The Semantic Scholar reader: paper objects, batches with nulls, search pages, JSON Lines."""

import io
from pathlib import Path

from kg.corpus.read import choose_reader
from kg.readers import s2
from kg.records import Paper, Problem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "s2"


def read(name):
    return list(s2.read(io.StringIO((FIXTURES / name).read_text(encoding="utf-8")), name))


def test_paper_object_with_external_ids_and_references():
    [paper] = read("paper.json")
    assert paper.s2_id == "a8ca46b171467ceb2d7652fbfb67fe701ad86092" and paper.arxiv_id == "2106.09685"
    assert paper.doi is None and paper.authors == ("J. E. Hu", "Yelong Shen")
    assert (paper.date, paper.year) == ("2021-06-17", 2021)
    cited = paper.cited_works
    assert [(w.s2_id, w.arxiv_id, w.doi, w.mag_id) for w in cited[:2]] == [
        ("204e3073870fae3d05bcbc2f6a8e263d9b72e776", "1706.03762", None, "2963403868"),
        ("df2b0e26d0599ce3e70df8a9da02e51594e0e992", "1810.04805", "10.18653/v1/n19-1423", None)]
    assert (cited[2].title, cited[2].s2_id) == ("Some workshop talk", None)  # no paperId, still a reference
    assert len(cited) == 3  # the reference that names nothing is left out
    assert cited[0].title == "Attention is All you Need" and cited[0].year == 2017


def test_batch_with_nulls_and_error_objects():
    items = read("batch.json")
    attention, bert = [i for i in items if isinstance(i, Paper)]
    null, error, untitled = [i for i in items if isinstance(i, Problem)]
    assert attention.abstract == "" and attention.mag_id == "2963403868"
    assert bert.pmid == "12345678" and bert.doi == "10.18653/v1/n19-1423"
    assert [w.s2_id for w in bert.cited_works] == ["204e3073870fae3d05bcbc2f6a8e263d9b72e776"]
    assert (null.line, null.skipped) == (3, False) and "null" in null.reason
    assert error.skipped and "Paper not found" in error.reason
    assert untitled.skipped and "no title" in untitled.reason


def test_search_and_bulk_pages():
    lora, qlora = read("search.json")
    assert qlora.date == "2023-05-23" and qlora.doi == "10.1000/qlora" and qlora.authors == ()
    assert [p.sources[0].line for p in (lora, qlora)] == [2, 3]
    bulk = read("bulk.jsonl")
    assert [p.title for p in bulk] == ["LoRA: Low-Rank Adaptation of Large Language Models",
                                       "QLoRA: Efficient Finetuning of Quantized LLMs"]


def test_sniff_claims_s2_only():
    for name in ("paper.json", "batch.json", "search.json", "bulk.jsonl"):
        head = (FIXTURES / name).read_text(encoding="utf-8")[:4096]
        assert choose_reader(Path(name), head, None).name == "s2", name
