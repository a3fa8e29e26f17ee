"""Decide, per paper, which candidate entities a researcher would list, and their type.

The recognisers, the gazetteer, abbreviation definitions and the other candidate sources
propose names; this step looks at each name of a paper as a whole (all its mentions: which
sources found it, with what confidence and type, in the title or not, proposed or not; its
shape: words, capitals, digits; how common its words are in general English) and a trained
multinomial logistic model says ``method``, ``dataset``, ``task``, ``metric``, ``concept`` or
``none``. Besides those numeric features the model reads words: the name's first and head word
and the words just before and after its mentions, each a feature when training saw it often.
Names judged ``none`` are dropped with their mentions and relations; the others take the
decided type. The weights (``kg/data/models/entity_decider.json``) come from
``training/train_decider.py`` on the project's hand-annotated papers.

Examples
--------
>>> from kg.records import Mention
>>> m = Mention("BERT", "method", "abstract", 8, 12, "We tune BERT.", 0, 13, "gazetteer", 0.9)
>>> vector = features([m], aliases=set())
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

from kg.errors import KgError
from kg.extract.candidates import PRIORITY
from kg.extract.grounding import ground
from kg.extract.relations import plausible
from kg.extract.spans import tidy_mentions
from kg.names import GENERIC_CLASSES, is_acronym, name_key
from kg.records import ExtractedPaper, Mention
from kg.schema import ENTITY_TYPES, METHOD

NONE = "none"
LABELS = (*ENTITY_TYPES, NONE)
EXTRACTORS = tuple(PRIORITY)  # every candidate source
FEATURES = (
    *(f"type={t}" for t in ENTITY_TYPES), *(f"by={e}" for e in EXTRACTORS), "confidence", "mentions", "in_title",
    "proposed", "words=1", "words=2", "words=3", "words>3", "acronym", "digit", "capitalised", "lower",
    "rarest_zipf", "head_zipf", "defined", "sources", "cue=dataset", "cue=task", "cue=metric",
    "near=dataset", "near=task", "near=metric", *(f"titled={t}" for t in ENTITY_TYPES),
    *(f"gazetteer={t}" for t in ENTITY_TYPES),
)
NEAR = 8  # words after a mention, within its clause, where a cue word still counts
#: Words right after a name that say what it is ("SurgLaVi dataset", "the QA task").
CUES = {"dataset": {"dataset", "datasets", "benchmark", "benchmarks", "corpus", "corpora", "suite", "environment"},
        "task": {"task", "tasks", "problem", "problems"},
        "metric": {"score", "scores", "metric", "metrics", "rate"}}
MODEL = "entity_decider.json"


def features(mentions: list[Mention], aliases: set[str]) -> list[float]:
    """The numeric features (:data:`FEATURES`) of one name of a paper, from all its mentions
    there; ``aliases`` are the keys of the short and long forms the paper defines."""
    name = max((m.name for m in mentions), key=lambda n: (sum(m.name == n for m in mentions), n))
    types = [m.type for m in mentions]
    by = {m.extractor for m in mentions}
    tokens = name.split()
    zipfs = [_zipf(t.casefold()) for t in tokens] or [0.0]
    vector = [types.count(t) / len(types) for t in ENTITY_TYPES]
    vector += [float(e in by) for e in EXTRACTORS]
    vector += [max(m.confidence for m in mentions), math.log1p(len(mentions)),
               float(any(m.field == "title" for m in mentions)), float(any(m.proposed for m in mentions))]
    vector += [float(len(tokens) == 1), float(len(tokens) == 2), float(len(tokens) == 3), float(len(tokens) > 3)]
    vector += [float(is_acronym(name)), float(any(ch.isdigit() for ch in name)),
               float(len(tokens) > 1 and all(t[:1].isupper() for t in tokens)), float(name == name.lower())]
    vector += [min(zipfs) / 8, zipfs[-1] / 8, float(name_key(name) in aliases), len(by) / 3]
    following = {_next_word(m) for m in mentions}
    near = set().union(*(_clause_words(m) for m in mentions))
    vector += [float(bool(following & cues)) for cues in CUES.values()]
    vector += [float(bool(near & cues)) for cues in CUES.values()]
    for extractor in ("title", "gazetteer"):
        typed = {m.type for m in mentions if m.extractor == extractor}
        vector += [float(t in typed) for t in ENTITY_TYPES]
    return vector


def _clause_words(m: Mention) -> set[str]:
    """The first :data:`NEAR` words after a mention, up to the end of its clause, lower case
    ("SurgLaVi, the largest surgical dataset")."""
    after = re.split(r"[.;:()]", m.sentence[m.end - m.sent_start:], maxsplit=1)[0]
    return {w.strip(",").casefold() for w in after.split()[:NEAR]}


def _next_word(m: Mention) -> str:
    """The word right after a mention in its sentence, lower case ("" at the end)."""
    after = m.sentence[m.end - m.sent_start:].split(maxsplit=1)
    return after[0].strip(".,;:()").casefold() if after else ""


def _previous_word(m: Mention) -> str:
    """The word right before a mention in its sentence, lower case ("" at the start)."""
    before = m.sentence[:m.start - m.sent_start].rsplit(maxsplit=1)
    return before[-1].strip(".,;:()").casefold() if before else ""


def words(mentions: list[Mention]) -> set[str]:
    """The word features of one name: ``first=``, ``head=`` (singular), ``prev=`` and ``next=``.

    >>> sorted(words([Mention("image classification tasks", "task", "abstract", 9, 35,
    ...                       "We study image classification tasks on ImageNet.", 0, 48, "ner", 0.8)]))
    ['first=image', 'head=task', 'next=on', 'prev=study']
    """
    found = set()
    for m in mentions:
        parts = name_key(m.name).casefold().split()
        if parts:
            found |= {f"first={parts[0]}", f"head={parts[-1]}"}
        found |= {f"prev={_previous_word(m)}", f"next={_next_word(m)}"}
    return found


def encode(mentions: list[Mention], aliases: set[str], model: dict) -> list[float]:
    """The whole feature vector the model reads: :func:`features`, then one 0/1 entry for each
    word feature of the model's vocabulary."""
    vocabulary = model["vocabulary"]
    vector = features(mentions, aliases) + [0.0] * len(vocabulary)
    for word in words(mentions):
        index = vocabulary.get(word)
        if index is not None:
            vector[len(FEATURES) + index] = 1.0
    return vector


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    """How common a (lower-case) word is in general English (wordfreq's Zipf scale, 0-8)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> dict:
    """The trained weights: ``labels``, ``features`` (:data:`FEATURES`, then the word features),
    ``weights`` (one row per label), ``bias``, feature ``mean``/``scale``, and ``threshold`` (the
    least probability to keep a name)."""
    import numpy as np

    text = (open(path, encoding="utf-8").read() if path
            else resources.files("kg").joinpath("data", "models", MODEL).read_text(encoding="utf-8"))
    model = json.loads(text)
    if tuple(model["features"][:len(FEATURES)]) != FEATURES or tuple(model["labels"]) != LABELS:
        raise KgError(f"{path or MODEL}: weights for other features or labels; retrain with training/train_decider.py")
    model["vocabulary"] = {word: i for i, word in enumerate(model["features"][len(FEATURES):])}
    model["arrays"] = {name: np.asarray(model[name], dtype=float) for name in ("weights", "bias", "mean", "scale")}
    return model


def probabilities(vector: list[float], model: dict) -> dict[str, float]:
    """The model's probability of each label for one feature vector."""
    import numpy as np

    arrays = model["arrays"]
    scores = arrays["weights"] @ ((np.asarray(vector) - arrays["mean"]) / arrays["scale"]) + arrays["bias"]
    exp = np.exp(scores - scores.max())
    return dict(zip(model["labels"], (exp / exp.sum()).tolist()))



def decide_type(vector: list[float], model: dict) -> tuple[str, float]:
    """The decided label of one name and its probability: its most probable entity type when
    that type's probability reaches the model's threshold, else ``none``."""
    probs = probabilities(vector, model)
    best = max(ENTITY_TYPES, key=lambda t: (probs[t], t))
    return (best, probs[best]) if probs[best] >= model["threshold"] else (NONE, probs[NONE])


def names(item: ExtractedPaper, model: dict):
    """``(key, mentions, feature vector)`` for every name of the paper, in text order."""
    aliases = defined_keys(item)
    for key, mentions in group(item).items():
        yield key, mentions, encode(mentions, aliases, model)


def group(item: ExtractedPaper) -> dict[str, list[Mention]]:
    """The paper's mentions grouped by name (:func:`kg.names.name_key`), in text order."""
    groups: dict[str, list[Mention]] = {}
    for m in item.mentions:
        groups.setdefault(name_key(m.name), []).append(m)
    return groups


def defined_keys(item: ExtractedPaper) -> set[str]:
    """The keys of the short and long forms the paper defines ("Low-Rank Adaptation (LoRA)")."""
    return {name_key(a.short) for a in item.aliases} | {name_key(a.long) for a in item.aliases}


def _share_definitions(item: ExtractedPaper, kept: dict[str, str], confidence: dict[str, float]) -> None:
    """A short form the paper defines and its long form are one name: both take the surer
    decision of the two ("Markov Decision Process (MDP)")."""
    present = {name_key(m.name) for m in item.mentions}
    for alias in item.aliases:
        pair = [k for k in (name_key(alias.long), name_key(alias.short)) if k in present]
        decided = [k for k in pair if k in kept]
        if decided:
            best = max(decided, key=lambda k: confidence[k])
            for k in pair:
                kept[k], confidence[k] = kept[best], confidence[best]


#: Title openings of papers that study, survey or revisit rather than propose.
_NOT_A_PROPOSAL = re.compile(r"\b(survey|review|overview|tutorial|primer|empirical|study|analysis|analyzing|"
                             r"understanding|revisiting|rethinking|benchmarking|evaluating|exploring|investigating|"
                             r"towards?|on the|how|what|when|why|does|do|is|are|can)\b", re.IGNORECASE)
_AFTER_TITLE_NAME = frozenset("for via with in on to through using as by :".split())


def _title_proposal(title: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions, with the title's opening method marked proposed when nothing else is: a
    title that begins "Bayesian Prompt Learning for ..." names its contribution. Not for a
    name the gazetteer knows ("LoRA for ..."), nor for surveys and studies."""
    if any(m.proposed for m in mentions) or _NOT_A_PROPOSAL.search(title):
        return mentions
    opening = [m for m in mentions if m.field == "title" and m.start == 0 and m.type == METHOD]
    if not opening or opening[0].extractor == "gazetteer":
        return mentions
    after = title[opening[0].end:].split(maxsplit=1)
    if after and after[0].casefold() not in _AFTER_TITLE_NAME and not title[opening[0].end:].startswith(":"):
        return mentions
    key = name_key(opening[0].name)
    return [replace(m, proposed=True) if name_key(m.name) == key else m for m in mentions]


def decide(item: ExtractedPaper, model: dict | None = None) -> ExtractedPaper:
    """The paper with its mentions tidied (:mod:`kg.extract.spans`) and only the names the model keeps,
    each with its decided type and, as its confidence, the model's probability of that type;
    relations whose head or tail was dropped, or whose ends' types do not suit their kind, go
    too, and the relations the paper's own claims state about its proposal are added
    (:mod:`kg.extract.grounding`)."""
    model = model or load_model()
    item, renamed = tidy_mentions(item)
    kept: dict[str, str] = {}
    confidence: dict[str, float] = {}
    for key, _, vector in names(item, model):
        label, probability = decide_type(vector, model)
        if label == "method" and key in GENERIC_CLASSES:
            label = "concept"
        if label != NONE:
            kept[key], confidence[key] = label, round(probability, 3)
    _share_definitions(item, kept, confidence)
    mentions = [replace(m, type=kept[name_key(m.name)], confidence=confidence[name_key(m.name)])
                for m in item.mentions if name_key(m.name) in kept]
    mentions = tuple(_title_proposal(item.paper.title, mentions))
    relations = []
    for r in item.relations:
        head, tail = renamed.get(name_key(r.head), r.head), renamed.get(name_key(r.tail), r.tail)
        head_type, tail_type = kept.get(name_key(head)), kept.get(name_key(tail))
        if head_type and tail_type and plausible(r.kind, head_type, tail_type, r.extractor, tail):
            relations.append(replace(r, head=head, head_type=head_type, tail=tail, tail_type=tail_type))
    return ground(replace(item, mentions=mentions, relations=tuple(relations)))
