"""Every registered reader and exporter is tested from the registry, the day it is registered."""

import io
from pathlib import Path

import networkx as nx
import pytest

from kg import registry
from kg.corpus.read import choose_reader
from kg.errors import UnknownFormatError
from kg.records import Paper

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def sample_for(plugin):
    found = sorted(FIXTURES.glob(f"sample.{plugin.name}*")) + sorted(
        p for p in FIXTURES.glob("sample.*") if p.suffix in plugin.suffixes and p.name.count(".") == 1
    )
    assert found, f"add a sample file for reader {plugin.name!r} to {FIXTURES}"
    return found[0]


@pytest.mark.parametrize("plugin", registry.readers(), ids=lambda p: p.name)
def test_reader_reads_its_sample_and_claims_it(plugin):
    path = sample_for(plugin)
    text = path.read_text(encoding="utf-8")
    module = plugin.load()
    assert module.sniff(text[:4096])
    papers = [p for p in module.read(io.StringIO(text), str(path)) if isinstance(p, Paper)]
    assert [p.title for p in papers] == ["LoRA: Low-Rank Adaptation of Large Language Models", "Adapting Adapters Again"]
    assert all(p.sources[0].path == str(path) and p.sources[0].format == plugin.name for p in papers)


@pytest.mark.parametrize("plugin", registry.readers(), ids=lambda p: p.name)
def test_the_sample_goes_to_its_reader_by_content_alone(plugin):
    path = sample_for(plugin)
    text = path.read_text(encoding="utf-8")
    assert choose_reader(path, text, None) is plugin
    assert choose_reader(path.with_suffix(".dat"), text, None) is plugin


def small_graph():
    graph = nx.MultiDiGraph(name="kg")
    graph.add_node("paper:title:1", kind="paper", label="A <b>paper</b>", title="A <b>paper</b>", year=2020)
    graph.add_node("method:lora", kind="method", label="LoRA", aliases=["low-rank adaptation"], paper_count=1)
    graph.add_edge("paper:title:1", "method:lora", key="mentions", kind="mentions", sentence="We use LoRA.")
    return graph


@pytest.mark.parametrize("plugin", registry.exporters(), ids=lambda p: p.name)
def test_exporter_is_deterministic_and_writes_its_file(plugin, tmp_path):
    module = plugin.load()
    text = module.dumps(small_graph())
    assert text and text == module.dumps(small_graph())
    module.write(small_graph(), tmp_path / plugin.filename)
    assert (tmp_path / plugin.filename).read_text(encoding="utf-8") == text


def test_unknown_names_list_the_choices():
    readers = ", ".join(sorted(p.name for p in registry.readers()))
    exporters = ", ".join(sorted(p.name for p in registry.exporters()))
    with pytest.raises(UnknownFormatError, match=f"Available: {readers}$"):
        registry.reader("pdf")
    with pytest.raises(UnknownFormatError, match=f"Available: {exporters}$"):
        registry.exporter("xml")
