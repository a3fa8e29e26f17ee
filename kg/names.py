"""Entity names: when two spellings are one name, and when case matters.

Every stage that compares names uses these: the gazetteer and the recognisers (extract), the
corpus-wide canonicalisation (graph) and the lookups of the API (analytics).

Examples
--------
>>> name_key("Large Language Models"), name_key("large-language model")
('large language model', 'large language model')
>>> name_key("LLMs"), name_key("GPT-4o"), name_key("GPT-4"), name_key("COCO dataset")
('LLM', 'GPT 4o', 'GPT 4', 'COCO')
>>> name_key("Large Language Models (LLMs)")
'large language model'
"""

from __future__ import annotations

import re
from functools import lru_cache

_SPLIT = re.compile(r"[\s\-‐‑–_/]+")
_PLURAL_ACRONYM = re.compile(r"^([A-Z][A-Za-z0-9]*[A-Z0-9])s$")
_NO_SINGULAR = ("ss", "us", "is", "ics", "ness", "sis")
TRAILING_BRACKETS = re.compile(r"\s*[(\[][^()\[\]]*[)\]]$")
_DATASET_HEADS = frozenset("dataset datasets benchmark benchmarks corpus corpora".split())


@lru_cache(maxsize=65536)
def is_acronym(text: str) -> bool:
    """True for names whose case matters: a capital after the first character (LoRA, BERT, GPT-4).

    >>> is_acronym("LoRA"), is_acronym("Transformer"), is_acronym("GPT-4"), is_acronym("dropout")
    (True, False, True, False)
    """
    return any(ch.isupper() for ch in text[1:]) or (text[:1].isupper() and len(text) <= 4)


def _singular(word: str) -> str:
    match = _PLURAL_ACRONYM.match(word)
    if match:
        return match.group(1)
    if is_acronym(word) or len(word) <= 3 or not word.endswith("s") or word.endswith(_NO_SINGULAR):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The key under which spellings of one name meet: case folded except acronyms,
    hyphens and spaces alike, the last word singular."""
    name = TRAILING_BRACKETS.sub("", name.strip()) or name  # "Large Language Models (LLMs)"
    words = [w for w in _SPLIT.split(name.strip()) if w]
    if not words:
        return ""
    if len(words) > 1 and words[-1].lower() in _DATASET_HEADS and all(_keeps_case(w) or w[:1].isdigit() for w in words[:-1]):
        words = words[:-1]  # "COCO dataset" is COCO
    words[-1] = _singular(words[-1])
    return " ".join(w if _keeps_case(w) else w.lower() for w in words)


def _keeps_case(word: str) -> bool:
    """Acronyms and names like LoRA, BERT, GPT keep their case in a key; "Low" in
    "Low-Rank Adaptation" does not (a title-cased word is not an acronym)."""
    return any(ch.isupper() for ch in word[1:])


#: Generic model classes: concepts, never methods (the annotation guidelines' own list).
GENERIC_CLASSES = frozenset(name_key(n) for n in (
    "language model", "large language model", "LLM", "PLM", "pre-trained language model", "pretrained language model",
    "VLM", "vision-language model", "vision language model", "foundation model", "deep neural network",
    "neural network", "pre-trained model", "pretrained model", "multimodal model", "large multimodal model",
    "LMM", "MLLM", "multimodal large language model", "model", "method", "approach", "framework"))
#: Learning paradigms and method families (the guidelines' examples of concepts): many papers
#: use them and none introduces them, so they never make one paper build on another.
PARADIGMS = frozenset(name_key(n) for n in (
    "transfer learning", "fine-tuning", "pre-training", "self-supervised learning", "supervised learning",
    "unsupervised learning", "semi-supervised learning", "reinforcement learning", "deep learning",
    "machine learning", "meta-learning", "multi-task learning", "contrastive learning", "representation learning",
    "few-shot learning", "zero-shot learning", "in-context learning", "continual learning", "active learning",
    "federated learning", "knowledge distillation", "data augmentation", "instruction tuning", "adapter",
    "adapter tuning", "parameter-efficient fine-tuning", "parameter-efficient transfer learning",
    "domain adaptation", "attention", "attention mechanism", "ensemble learning", "curriculum learning"))
