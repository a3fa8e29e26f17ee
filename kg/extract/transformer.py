"""The optional transformer recogniser (extra ``kg-papers[transformer]``): MiniLM fine-tuned on SciERC
and TDMSci, with one tagging head per kind of text, run by ONNX Runtime on the CPU.

The encoder is all-MiniLM-L6-v2 (6 layers, width 384); ``kg`` ships the fine-tuned encoder and
its heads as one ONNX graph with int8 weights (``kg/data/models/kg_tner/model.onnx``, about
23 MB) and the word-piece tokenizer (``tokenizer.json``, read by the ``tokenizers`` package).
Running it needs ``onnxruntime`` and ``tokenizers``, never torch: torch is for retraining only
(``training/train_transformer.py``, then ``training/export_transformer.py``; extra ``train``).

Heads (BIO tags over words, a word's tag read from its first word piece):

``abstracts``
    SciERC train: METHOD, TASK, DATASET (SciERC's Material), METRIC, CONCEPT.
``sentences``
    TDMSci train: TASK, DATASET, METRIC.

The spaCy component ``kg_transformer_ner`` runs the encoder over each sentence of a doc (as in
training), with up to ``context`` words of the text either side (the config says how many
they were trained with; only the sentence's own words are tagged), and writes each head's
spans to ``doc.spans["kg_tner_<head>"]``, which
:func:`kg.extract.ner.ner_candidates` consults in place of the CNN recognisers' spans.
Decoding is constrained (Viterbi: an ``I-X`` only after ``B-X`` or ``I-X``) with a per-head bias
towards ``O`` chosen on dev data. onnxruntime and tokenizers are imported only here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.errors import ModelNotInstalledError
from kg.extract.bio import bio_spans

FACTORY = "kg_transformer_ner"
HEADS = {"abstracts": ("METHOD", "TASK", "DATASET", "METRIC", "CONCEPT"),
         "sentences": ("TASK", "DATASET", "METRIC")}
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
MAX_WORDS = 120  # longer sentences are tagged in windows of this many words
INSTALL_HINT = "pip install 'kg-papers[transformer]' (in a clone: pip install -e '.[transformer]')"


def span_key(head: str) -> str:
    """The ``doc.spans`` key a head writes to.

    >>> span_key("abstracts")
    'kg_tner_abstracts'
    """
    return f"kg_tner_{head}"


def tag_names(labels) -> list[str]:
    """The BIO tag set of a head: ``O`` first, then ``B-``/``I-`` per label.

    >>> tag_names(["TASK"])
    ['O', 'B-TASK', 'I-TASK']
    """
    return ["O"] + [f"{prefix}-{label}" for label in labels for prefix in ("B", "I")]


def to_tags(length: int, spans, labels) -> list[int]:
    """Tag ids for ``length`` words from ``(start, end, label)`` spans (longest first where two overlap).

    >>> to_tags(4, [(1, 3, "TASK")], ["TASK"])
    [0, 1, 2, 0]
    """
    names = {name: i for i, name in enumerate(tag_names(labels))}
    tags = [0] * length
    for start, end, label in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if label not in labels or any(tags[start:end]):
            continue
        tags[start:end] = [names[f"B-{label}"]] + [names[f"I-{label}"]] * (end - start - 1)
    return tags


def to_spans(tags: list[int], labels) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` spans from tag ids, in text order (:func:`kg.extract.bio.bio_spans`
    on the tag names: an ``I-`` without its ``B-`` starts a span).

    >>> to_spans([0, 1, 2, 0, 2], ["TASK"])
    [(1, 3, 'TASK'), (4, 5, 'TASK')]
    """
    names = tag_names(labels)
    return sorted(bio_spans([names[tag] for tag in tags], {label: label for label in labels}))


def decode(scores, labels, o_bias: float = 0.0) -> list[int]:
    """The best tag sequence for ``(n_words, n_tags)`` scores (log-probabilities) in which every
    ``I-X`` follows a ``B-X`` or ``I-X`` (Viterbi); rows of NaN are words without a piece and
    get ``O``. ``o_bias`` is added to every ``O`` score: above 0 fewer, surer spans (a head's
    bias is chosen on dev data and stored with its weights).

    >>> import numpy as np
    >>> o, b, i = np.log([0.6, 0.1, 0.3]), np.log([0.2, 0.7, 0.1]), np.log([0.1, 0.2, 0.7])
    >>> decode(np.array([o, i, o]), ["TASK"]), decode(np.array([b, i, o]), ["TASK"])
    ([0, 1, 0], [1, 2, 0])
    """
    import numpy as np

    allowed, start = _transitions(tuple(labels))
    n = len(start)
    scores = np.where(np.isnan(scores), np.where(np.arange(n) == 0, 0.0, -np.inf), scores)
    scores[:, 0] += o_bias
    if not len(scores):
        return []
    best, back = scores[0] + start, []
    for row in scores[1:]:
        total = best[:, None] + allowed
        back.append(total.argmax(0))
        best = total.max(0) + row
    tags = [int(best.argmax())]
    for pointers in reversed(back):
        tags.append(int(pointers[tags[-1]]))
    return tags[::-1]


@lru_cache(maxsize=8)
def _transitions(labels: tuple[str, ...]):
    """Viterbi's constraints for a label set: ``(allowed[prev, cur], start[cur])``, 0 or -inf."""
    import numpy as np

    names = tag_names(labels)
    inside = [name[2:] if name.startswith("I-") else None for name in names]
    allowed = np.array([[-np.inf if inside[cur] and names[prev][2:] != inside[cur] else 0.0
                         for cur in range(len(names))] for prev in range(len(names))])
    start = np.array([-np.inf if label else 0.0 for label in inside])
    return allowed, start


def word_scores(log_probs, first):
    """Log-probabilities per word from one row's piece log-probabilities (NaN for words without a piece)."""
    import numpy as np

    out = np.full((len(first), log_probs.shape[-1]), np.nan, dtype="float64")
    for word, piece in enumerate(first):
        if piece is not None:
            out[word] = log_probs[piece]
    return out


def shipped_dir() -> Path:
    """Where the model ships: ``model.onnx``, ``tokenizer.json`` and ``config.json``."""
    return Path(str(resources.files("kg") / "data" / "models" / "kg_tner"))


def require() -> None:
    """Raise :class:`ModelNotInstalledError` with the install command when the extra is missing."""
    from importlib.util import find_spec

    if find_spec("onnxruntime") is None or find_spec("tokenizers") is None:
        raise ModelNotInstalledError(f"The transformer recogniser needs the extra: {INSTALL_HINT}")


def is_available() -> bool:
    """Are the extra's packages and the shipped model installed?"""
    try:
        require()
    except ModelNotInstalledError:
        return False
    return (shipped_dir() / MODEL_FILE).exists()


@dataclass(frozen=True)
class Tagger:
    """The loaded model: an ONNX Runtime session, the word-piece tokenizer, and from the config
    the labels and O bias of each head and the ``context`` words read either side of a sentence."""

    session: object
    tokenizer: object
    labels: dict
    o_bias: dict
    context: int


def load_tagger(directory: str | Path | None = None) -> Tagger:
    """The shipped model (or the one in ``directory``), on the CPU with one thread."""
    require()
    import onnxruntime
    from tokenizers import Tokenizer

    directory = Path(directory) if directory else shipped_dir()
    config = json.loads((directory / "config.json").read_text())
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(str(directory / MODEL_FILE), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
    tokenizer.enable_truncation(512)
    tokenizer.enable_padding()
    return Tagger(session, tokenizer, {name: tuple(labels) for name, labels in config["heads"].items()},
                  config.get("o_bias", {}), config.get("context", 0))


def windows(sentences: list[tuple[int, int]], n_words: int, context: int = 0) -> list[tuple[int, int, int, int]]:
    """``(lo, start, end, hi)`` per window: each sentence ``(start, end)`` cut into pieces of at
    most :data:`MAX_WORDS` words, with up to ``context`` words of the text either side
    (``lo``..``hi`` is what the encoder reads, ``start``..``end`` what is tagged).

    >>> windows([(0, 3), (3, 5)], 5, context=2)
    [(0, 0, 3, 5), (1, 3, 5, 5)]
    """
    pieces = [(s, min(s + MAX_WORDS, end)) for start, end in sentences for s in range(start, end, MAX_WORDS)]
    return [(max(0, start - context), start, end, min(n_words, end + context)) for start, end in pieces]


def encode(tokenizer, sentences: list[list[str]]):
    """Word-piece ids and attention masks (int64 arrays) for pre-split sentences, and each
    word's first piece (None when a word has no piece, e.g. whitespace)."""
    import numpy as np

    encodings = tokenizer.encode_batch(sentences, is_pretokenized=True)
    firsts = []
    for sentence, encoding in zip(sentences, encodings):
        first: list[int | None] = [None] * len(sentence)
        for piece, word in enumerate(encoding.word_ids):
            if word is not None and first[word] is None:
                first[word] = piece
        firsts.append(first)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    return ids, mask, firsts


def center_scores(tagger: Tagger, rows: list[list[str]], centers: list[tuple[int, int]],
                  heads=None) -> dict[str, list]:
    """One encoder pass over ``rows`` (pre-split words); for each head (all by default), each
    row's log-probabilities per word of its centre ``(start, end)`` (the rest is context), ready
    for :func:`decode`."""
    heads = heads or tuple(tagger.labels)
    if not rows:
        return {name: [] for name in heads}
    ids, mask, firsts = encode(tagger.tokenizer, rows)
    outputs = tagger.session.run([f"log_probs_{name}" for name in heads], {"input_ids": ids, "attention_mask": mask})
    return {name: [word_scores(row, first[a:b]) for row, first, (a, b) in zip(found, firsts, centers)]
            for name, found in zip(heads, outputs)}


class TransformerRecogniser:
    """The spaCy component: one encoder pass over a doc's sentences (cut into windows of at most
    :data:`MAX_WORDS` words, each with the tagger's context), every head's spans written to
    ``doc.spans``."""

    def __init__(self, directory: str | Path | None = None):
        self.tagger = load_tagger(directory)

    def __call__(self, doc):
        from spacy.tokens import Span

        parts = windows(_sentences(doc), len(doc), self.tagger.context)
        rows = [[doc[i].text for i in range(lo, hi)] for lo, _, _, hi in parts]
        scores = center_scores(self.tagger, rows, [(s - lo, e - lo) for lo, s, e, _ in parts])
        for name, labels in self.tagger.labels.items():
            bias = self.tagger.o_bias.get(name, 0.0)
            doc.spans[span_key(name)] = [
                Span(doc, start + s, start + e, label=label)
                for (_, start, _, _), row in zip(parts, scores[name])
                for s, e, label in to_spans(decode(row, labels, bias), labels)]
        return doc


def _sentences(doc) -> list[tuple[int, int]]:
    if len(doc) and doc.has_annotation("SENT_START"):
        return [(sent.start, sent.end) for sent in doc.sents]
    return [(0, len(doc))] if len(doc) else []


def make_component(nlp, name: str, directory: str | None):
    return TransformerRecogniser(directory)


def register() -> None:
    """Register the spaCy factory (idempotent)."""
    from spacy.language import Language

    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, default_config={"directory": None}, func=make_component)
