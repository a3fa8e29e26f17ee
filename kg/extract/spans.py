"""Span hygiene: candidate mentions cut to whole names before anything is decided about them.

A name is whole words (never part of a hyphenated word), stops at a sentence end, has whole
brackets, no trailing verb, preposition or full stop, no generic head noun after a name
("Transformer model" is Transformer, "CLIP-based" is CLIP) and is one name ("CoOp and
Tip-Adapter" is two).
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.names import is_acronym, name_key
from kg.records import ExtractedPaper, Mention

#: Words a name never ends with: verbs, conjunctions, prepositions, articles.
_TRAILING_WORDS = re.compile(r"(?:\s+(?:was|were|is|are|be|has|have|for|of|and|or|with|to|in|on|by|at|from|as|"
                             r"via|the|a|an|that|which))+$", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"\.\s+(?=[A-Z])")
_TRAILING_DEFINITION = re.compile(r"\s*\(\s*[^()]*\)$")
#: Head nouns that add nothing after a name: "Transformer model", "contrastive learning methods".
GENERIC_HEADS = frozenset("""model models method methods approach approaches framework frameworks strategy strategies
    technique techniques architecture architectures algorithm algorithms module modules scheme schemes paradigm
    paradigms pipeline pipelines variant variants family baseline baselines dataset datasets benchmark benchmarks
    score scores task tasks problem problems""".split())
#: Words before a name that describe the copy used, not the name: "frozen T5", "pre-trained CLIN-X".
_MODIFIERS = frozenset("""pre-trained pretrained frozen base vanilla regular standard original fine-tuned
    finetuned small large tiny huge giant""".split())
#: Metric words after a benchmark's name: "ImageNet zero-shot accuracy" is ImageNet and zero-shot accuracy.
_METRIC_TAILS = frozenset("accuracy precision recall f1 f1-score bleu rouge map auc perplexity error".split())
#: Words that make a kind of model with "model" ("masked language model" is no "masked language").
_KINDS_OF_MODEL = frozenset("language foundation world reward teacher student embedding".split())
#: Finite verbs no name holds: a title tagged whole ("Soft Injection of Task Embeddings Outperforms ...").
_VERB = re.compile(r"\s+(?:outperforms?|improves?|enables?|meets?|beats?|is|are|can|does|do|makes?|yields?|"
                   r"helps?|matters?|works?)\b.*$", re.IGNORECASE)
_SUFFIXES = re.compile(r"-(?:based|like|style|driven|inspired)$", re.IGNORECASE)
_CONJUNCTION = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+")


def tidy(m: Mention) -> list[Mention]:
    """The whole names in one candidate mention: :func:`clean`, then :func:`split`."""
    cleaned = clean(m)
    return split(cleaned) if cleaned is not None else []


def split(m: Mention) -> list[Mention]:
    """One mention per name: "CoOp and Tip-Adapter" and "XNLI, XQuAD" are two names (see
    :func:`_are_names`); a generic word around a name goes ("PEFT techniques" is PEFT,
    "representation learning framework" is representation learning, "frozen T5" is T5, but
    "diffusion model" stays), and so do "-based" and "-like" ("CLIP-based" is CLIP).

    >>> [x.name for x in split(Mention("CoOp and Tip-Adapter", "method", "abstract", 0, 20, "", 0, 20, "ner", 0.8))]
    ['CoOp', 'Tip-Adapter']
    """
    parts = [p for p in _CONJUNCTION.split(m.name) if p]
    words = m.name.split()
    scored = len(words) > 1 and words[-1].casefold() in _METRIC_TAILS and _is_benchmark(words[0])
    if scored and len(parts) == 1:
        parts = [words[0], " ".join(words[1:])]  # "ImageNet zero-shot accuracy": a benchmark and its metric
    if len(parts) > 1 and (_are_names(parts) or scored):
        found, at = [], 0
        for part in parts:
            at = m.name.index(part, at)
            found.append(_renamed(m, part, m.start + at))
            at += len(part)
        return [x for part in found for x in split(part)]
    name = _fold(m.name)
    if not name or m.name.find(name) < 0:  # nothing left, or a name that is not one piece of the span
        return [m] if name else []
    return [m if name == m.name else _renamed(m, name, m.start + m.name.find(name))]


def _fold(name: str) -> str:
    """``name`` without a generic head noun or a "-based" suffix after a name (then without the
    "(ABBR)" the head followed), or before one ("approach OGEN", "frozen T5")."""
    words = [w for w in name.split() if not w.startswith("\\")]  # LaTeX left in the text: "\\eg adapters"
    heads = [i for i, w in enumerate(words[:-1]) if w.casefold() in GENERIC_HEADS | _MODIFIERS]
    if heads and _is_name(" ".join(words[heads[-1] + 1:])):
        words = words[heads[-1] + 1:]  # "approach OGEN", "representation calibration method RCAL", "frozen T5"
    name = " ".join(words)
    if len(words) > 1 and words[-1].casefold() in GENERIC_HEADS and words[-2].casefold() not in _KINDS_OF_MODEL:
        rest = " ".join(words[:-1])
        bare = _TRAILING_DEFINITION.sub("", rest)
        if len(bare.split()) > 1 or any(ch.isupper() or ch.isdigit() for ch in bare):
            name = bare
    return _SUFFIXES.sub("", name) if " " not in name else name


def _is_name(text: str) -> bool:
    """Whether ``text`` has a word that is a name by its letters: capitals inside it or a digit
    (CoOp, XNLI, Tip-Adapter, GPT-4), not just a capital first letter ("Language Navigation")."""
    return any(is_acronym(word) or any(ch.isdigit() for ch in word) for word in text.split())


def _is_benchmark(word: str) -> bool:
    """A word that can only be a name: capitals after the first letter and no digit-only tail
    ("ImageNet", "COCO", "SQuAD"; not "Top-1")."""
    return any(ch.isupper() for ch in word[1:]) and not any(ch.isdigit() for ch in word)


def _are_names(parts: list[str]) -> bool:
    """Whether the parts of a list are names of their own: each a name, or one a name and the
    others phrases of two words or more ("CoNLL-2003 and sentiment analysis"); never parts of
    more than four words."""
    if any(len(p.split()) > 4 for p in parts):
        return False
    names = [_is_name(p) for p in parts]
    return all(names) or any(names) and all(n or len(p.split()) > 1 for p, n in zip(parts, names))


def _renamed(m: Mention, name: str, start: int) -> Mention:
    return replace(m, name=name, start=start, end=start + len(name))


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
    name = _balanced(_TRAILING_WORDS.sub("", _VERB.sub("", name.strip())).rstrip("."))
    if not name:
        return None
    if name == m.name:
        return m
    return _renamed(m, name, start + text.find(name))


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


def tidy_mentions(item: ExtractedPaper) -> tuple[ExtractedPaper, dict[str, str]]:
    """The paper with every mention :func:`tidy` and no short form followed by the last word of
    its own long form ("CCSL loss" is CCSL when the paper defines "Cross-Cosine Similarity Loss
    (CCSL)"); and the new name of each name that changed (by its old
    :func:`kg.names.name_key`; the first part of a split), for the relations that name it."""
    redundant = {f"{a.short} {a.long.split()[-1]}".casefold(): a.short for a in item.aliases if a.long.split()}
    mentions, renamed = [], {}
    for m in item.mentions:
        short = redundant.get(m.name.casefold())
        parts = [_renamed(m, short, m.start)] if short else tidy(m)
        mentions += parts
        if parts and parts[0].name != m.name:
            renamed[name_key(m.name)] = parts[0].name
    return replace(item, mentions=tuple(mentions)), renamed
