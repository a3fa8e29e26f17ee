"""Decide, per paper, which candidate entities a researcher would list, and their type.

The recognisers, the gazetteer, abbreviation definitions and the other candidate sources
propose names; this step looks at each name of a paper as a whole (all its mentions: which
sources found it, with what confidence and type, in the title or not, proposed or not; its
shape: words, capitals, digits; how common its words are in general English) and a trained
multinomial logistic model says ``method``, ``dataset``, ``task``, ``metric``, ``concept`` or
``none``. Names judged ``none`` are dropped with their mentions and relations; the others take
the decided type. The weights (``kg/data/models/entity_decider.json``) come from
``training/train_decider.py`` on the project's hand-annotated papers.

Examples
--------
>>> from kg.records import Mention
>>> m = Mention("BERT", "method", "abstract", 8, 12, "We tune BERT.", 0, 13, "gazetteer", 0.9)
>>> vector = features([m], title="", aliases=set())
>>> len(vector) == len(FEATURES)
True
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from kg.names import is_acronym, name_key
from kg.records import ExtractedPaper, Mention
from kg.schema import ENTITY_TYPES

NONE = "none"
#: Generic model classes: concepts, never methods (the annotation guidelines' own list).
GENERIC_CLASSES = frozenset(name_key(n) for n in (
    "language model", "large language model", "LLM", "PLM", "pre-trained language model", "pretrained language model",
    "VLM", "vision-language model", "vision language model", "foundation model", "deep neural network",
    "neural network", "pre-trained model", "pretrained model", "multimodal model", "large multimodal model",
    "LMM", "MLLM", "multimodal large language model", "model", "method", "approach", "framework"))
#: Words a name never ends with: verbs, conjunctions, prepositions, articles.
_TRAILING_WORDS = re.compile(r"(?:\s+(?:was|were|is|are|be|has|have|for|of|and|or|with|to|in|on|by|at|from|as|"
                             r"via|the|a|an|that|which))+$", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"\.\s+(?=[A-Z])")
_TRAILING_DEFINITION = re.compile(r"\s*\(\s*[^()]*\)$")
LABELS = (*ENTITY_TYPES, NONE)
EXTRACTORS = ("ner", "transformer", "gazetteer", "abbreviation", "proposal", "title", "noun_chunk", "name")
FEATURES = (
    *(f"type={t}" for t in ENTITY_TYPES), *(f"by={e}" for e in EXTRACTORS), "confidence", "mentions", "in_title",
    "proposed", "words=1", "words=2", "words=3", "words>3", "acronym", "digit", "capitalised", "lower",
    "rarest_zipf", "head_zipf", "defined", "sources", "cue=dataset", "cue=task", "cue=metric",
)
#: Words right after a name that say what it is ("SurgLaVi dataset", "the QA task").
CUES = {"dataset": {"dataset", "datasets", "benchmark", "benchmarks", "corpus", "corpora", "suite", "environment"},
        "task": {"task", "tasks", "problem", "problems"},
        "metric": {"score", "scores", "metric", "metrics", "rate"}}
MODEL = "entity_decider.json"


def features(mentions: list[Mention], title: str, aliases: set[str]) -> list[float]:
    """The feature vector of one name of a paper, from all its mentions there."""
    name = max((m.name for m in mentions), key=lambda n: (sum(m.name == n for m in mentions), n))
    types = [m.type for m in mentions]
    by = {m.extractor for m in mentions}
    words = name.split()
    zipfs = [_zipf(w) for w in words] or [0.0]
    vector = [types.count(t) / len(types) for t in ENTITY_TYPES]
    vector += [float(e in by) for e in EXTRACTORS]
    vector += [max(m.confidence for m in mentions), math.log1p(len(mentions)),
               float(any(m.field == "title" for m in mentions)), float(any(m.proposed for m in mentions))]
    vector += [float(len(words) == 1), float(len(words) == 2), float(len(words) == 3), float(len(words) > 3)]
    vector += [float(is_acronym(name)), float(any(ch.isdigit() for ch in name)),
               float(len(words) > 1 and all(w[:1].isupper() for w in words)), float(name == name.lower())]
    vector += [min(zipfs) / 8, zipfs[-1] / 8, float(name_key(name) in aliases), len(by) / 3]
    following = {_next_word(m) for m in mentions}
    vector += [float(bool(following & words)) for words in CUES.values()]
    return vector


def _next_word(m: Mention) -> str:
    """The word right after a mention in its sentence, lower case ("" at the end)."""
    after = m.sentence[m.end - m.sent_start:].split(maxsplit=1)
    return after[0].strip(".,;:()").casefold() if after else ""


def _zipf(word: str) -> float:
    """How common ``word`` is in general English (wordfreq's Zipf scale, 0-8)."""
    return _zipf_lower(word.casefold())


@lru_cache(maxsize=65536)
def _zipf_lower(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> dict:
    """The trained weights: ``labels``, ``features``, ``weights`` (one row per label), ``bias``,
    feature ``mean``/``scale``, and ``threshold`` (the least probability to keep a name)."""
    text = (open(path, encoding="utf-8").read() if path
            else resources.files("kg").joinpath("data", "models", MODEL).read_text(encoding="utf-8"))
    model = json.loads(text)
    if tuple(model["features"]) != FEATURES or tuple(model["labels"]) != LABELS:
        raise ValueError(f"{path or MODEL}: weights for other features or labels; retrain")
    return model


def probabilities(vector: list[float], model: dict) -> dict[str, float]:
    """The model's probability of each label for one feature vector."""
    x = [(v - m) / s for v, m, s in zip(vector, model["mean"], model["scale"])]
    scores = [b + sum(w * xi for w, xi in zip(row, x)) for row, b in zip(model["weights"], model["bias"])]
    top = max(scores)
    exp = [math.exp(s - top) for s in scores]
    total = sum(exp)
    return {label: e / total for label, e in zip(model["labels"], exp)}


def decide_type(vector: list[float], model: dict) -> str:
    """The decided label of one name: its most probable entity type when that type's
    probability reaches the model's threshold, else ``none``."""
    probs = probabilities(vector, model)
    best = max(ENTITY_TYPES, key=lambda t: (probs[t], t))
    return best if probs[best] >= model["threshold"] else NONE


def clean(m: Mention) -> Mention | None:
    """A mention that is whole words with whole brackets: "[similarity] Driven" in
    "Self-similarity Driven" grows to the hyphenated word, "MoE. Specifically" stops at the full
    stop, "Nested Low-Rank Adaptation (NoRA)" names the long form, "supervised fine-tuning ("
    loses the open bracket and "Adam was" its verb; None when nothing is left.

    >>> clean(Mention("NoRA x (NoRA)", "method", "abstract", 0, 13, "", 0, 13, "ner", 0.8)).name
    'NoRA x'
    """
    start, end = _whole_words(m)
    text = m.sentence[start - m.sent_start:end - m.sent_start] if start != m.start or end != m.end else m.name
    name = _SENTENCE_BREAK.split(text, maxsplit=1)[0]
    if not name.startswith("("):
        name = _TRAILING_DEFINITION.sub("", name)
    name = _balanced(_TRAILING_WORDS.sub("", name.strip()).rstrip("."))
    if not name:
        return None
    if name == m.name:
        return m
    start += text.find(name)
    return replace(m, name=name, start=start, end=start + len(name))


def _whole_words(m: Mention) -> tuple[int, int]:
    """The mention's offsets moved out to the ends of the (hyphenated) words it cuts into."""
    sentence, start, end = m.sentence, m.start - m.sent_start, m.end - m.sent_start
    if sentence[start:end] != m.name or not m.name:
        return m.start, m.end  # the sentence does not hold the mention where it says

    def inside(i: int) -> bool:  # does position i (a character) continue the word at i - 1 / i + 1?
        return 0 <= i < len(sentence) and (sentence[i].isalnum() or sentence[i] == "-" and 0 < i < len(sentence) - 1
                                            and sentence[i - 1].isalnum() and sentence[i + 1].isalnum())

    if m.name[0].isalnum():
        while inside(start - 1):
            start -= 1
    if m.name[-1].isalnum():
        while inside(end):
            end += 1
    return start + m.sent_start, end + m.sent_start


def _balanced(name: str) -> str:
    """``name`` without an unmatched bracket (and what an unmatched open bracket starts) and
    without punctuation at either end."""
    if name.count("(") > name.count(")"):
        name = name[:name.rindex("(")]
    if name.count(")") > name.count("("):
        name = name[:-1] if name.endswith(")") else name[name.index(")") + 1:]
    return name.strip(" [-/,;:]")


def names(item: ExtractedPaper):
    """``(key, mentions, feature vector)`` for every name of the paper, in text order."""
    aliases = defined_keys(item)
    for key, mentions in group(item).items():
        yield key, mentions, features(mentions, item.paper.title, aliases)


def clean_mentions(item: ExtractedPaper) -> tuple[ExtractedPaper, dict[str, str]]:
    """The paper with every mention :func:`clean`; and the new name of each name that changed
    (by its old :func:`kg.names.name_key`), for the relations that name it."""
    mentions, renamed = [], {}
    for m in item.mentions:
        cleaned = clean(m)
        if cleaned is not None:
            mentions.append(cleaned)
            if cleaned.name != m.name:
                renamed[name_key(m.name)] = cleaned.name
    return replace(item, mentions=tuple(mentions)), renamed


def group(item: ExtractedPaper) -> dict[str, list[Mention]]:
    """The paper's mentions grouped by name (:func:`kg.names.name_key`), in text order."""
    groups: dict[str, list[Mention]] = {}
    for m in item.mentions:
        groups.setdefault(name_key(m.name), []).append(m)
    return groups


def defined_keys(item: ExtractedPaper) -> set[str]:
    """The keys of the short and long forms the paper defines ("Low-Rank Adaptation (LoRA)")."""
    return {name_key(a.short) for a in item.aliases} | {name_key(a.long) for a in item.aliases}


def decide(item: ExtractedPaper, model: dict | None = None) -> ExtractedPaper:
    """The paper with its mentions cleaned (:func:`clean`) and only the names the model keeps,
    each with its decided type; relations whose head or tail was dropped go too."""
    model = model or load_model()
    item, renamed = clean_mentions(item)
    kept: dict[str, str] = {}
    for key, _, vector in names(item):
        label = decide_type(vector, model)
        if label == "method" and key in GENERIC_CLASSES:
            label = "concept"
        if label != NONE:
            kept[key] = label
    mentions = tuple(replace(m, type=kept[name_key(m.name)]) for m in item.mentions if name_key(m.name) in kept)
    relations = []
    for r in item.relations:
        head, tail = renamed.get(name_key(r.head), r.head), renamed.get(name_key(r.tail), r.tail)
        if name_key(head) in kept and name_key(tail) in kept:
            relations.append(replace(r, head=head, head_type=kept[name_key(head)], tail=tail,
                                     tail_type=kept[name_key(tail)]))
    relations = tuple(relations)
    return replace(item, mentions=mentions, relations=relations)
