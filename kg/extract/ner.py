"""The trained entity recognisers: spaCy ``ner`` components that read the pipeline's tok2vec.

Two components ship in ``kg/data/models/`` (trained by ``training/train_ner.py`` from the
shared benchmark data; see README "Accuracy"); :data:`MODES` says which serves which text:

``kg_ner_abstracts``
    trained on SciERC train (AI abstracts): METHOD, TASK, DATASET (SciERC's Material), METRIC,
    CONCEPT (OtherScientificTerm).
``kg_ner_sentences``
    trained on TDMSci train (sentences of NLP papers): TASK, DATASET, METRIC.

With ``recogniser="transformer"`` (the optional extra, :mod:`kg.extract.transformer`), one
fine-tuned MiniLM with a head for each of those two label sets is added instead; its spans are
in ``doc.spans["kg_tner_abstracts"]`` and ``doc.spans["kg_tner_sentences"]``.

Each reads the frozen ``tok2vec`` output of ``en_core_web_sm`` (``doc.tensor``) through a
listener, adds a small trainable embedding of the word's shape and affixes and two
convolution layers, so it costs little on top of the parser. Each writes its spans to
``doc.spans[name]`` and leaves ``doc.ents`` empty, so the two never constrain each other.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from kg.errors import KgError
from kg.extract import transformer
from kg.extract.candidates import Candidate

COMPONENTS = {
    "kg_ner_abstracts": ("METHOD", "TASK", "DATASET", "METRIC", "CONCEPT"),
    "kg_ner_sentences": ("TASK", "DATASET", "METRIC"),
}
TRANSFORMER = {"kg_ner_abstracts": "kg_tner_abstracts", "kg_ner_sentences": "kg_tner_sentences"}  # its stand-ins
CONFIDENCE = {"kg_ner_abstracts": 0.7, "kg_ner_sentences": 0.7, "kg_tner_abstracts": 0.8, "kg_tner_sentences": 0.8}
RECOGNISERS = ("cnn", "transformer")
ARCHITECTURE = "kg.Tok2VecListenerPlus.v1"
STASH = "kg_stash_ents"


def model_config(hidden_width: int = 64, embed_width: int = 64, depth: int = 2, own: bool = False) -> dict:
    """The ``ner`` component config both shipped components use (and training builds)."""
    return {
        "model": {
            "@architectures": "spacy.TransitionBasedParser.v2",
            "state_type": "ner",
            "extra_state_tokens": False,
            "hidden_width": hidden_width,
            "maxout_pieces": 2,
            "use_upper": True,
            "nO": None,
            "tok2vec": {"@architectures": ARCHITECTURE, "width": 96, "upstream": "tok2vec",
                        "embed_width": embed_width, "depth": depth, "own": own},
        }
    }


def register() -> None:
    """Register the model architecture and the stash component with spaCy (idempotent)."""
    from spacy import registry
    from spacy.language import Language

    if ARCHITECTURE not in registry.architectures:
        registry.architectures.register(ARCHITECTURE, func=tok2vec_listener_plus)
    if not Language.has_factory(STASH):
        Language.factory(STASH, default_config={"key": "kg"}, func=_make_stash)


def tok2vec_listener_plus(width: int, upstream: str, embed_width: int, depth: int, own: bool = False):
    """The frozen upstream tok2vec's vectors, concatenated with a trainable hash embedding
    (NORM, PREFIX, SUFFIX, SHAPE), then ``depth`` trainable window-convolution layers.

    With ``own``, the trainable part is instead a whole tok2vec of ``en_core_web_sm``'s ``ner``
    layout (embedding and ``depth`` convolutions, width ``embed_width``), which training
    initialises from that component's weights."""
    from spacy.ml.models.tok2vec import MaxoutWindowEncoder, MultiHashEmbed, build_Tok2Vec_model, tok2vec_listener_v1
    from thinc.api import Maxout, chain, concatenate, with_array

    listener = tok2vec_listener_v1(width=width, upstream=upstream)
    embed = MultiHashEmbed(width=embed_width, attrs=["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                           rows=[5000, 1000, 2500, 2500], include_static_vectors=False)
    if own:
        inner = build_Tok2Vec_model(embed, MaxoutWindowEncoder(embed_width, 1, 3, depth))
        mix = with_array(Maxout(nO=width, nI=width + embed_width, nP=3, normalize=True))
        model = chain(concatenate(listener, inner), mix)
        model.set_dim("nO", width)
        return model
    mix = with_array(Maxout(nO=width, nI=width + embed_width, nP=3, normalize=True))
    model = chain(concatenate(listener, embed), mix, MaxoutWindowEncoder(width, 1, 3, depth))
    model.set_dim("nO", width)
    return model


class _Stash:
    """Move ``doc.ents`` to ``doc.spans[key]`` and clear them."""

    def __init__(self, key: str):
        self.key = key

    def __call__(self, doc):
        doc.spans[self.key] = list(doc.ents)
        doc.ents = []
        return doc


def _make_stash(nlp, name, key):
    return _Stash(key)


def models_dir() -> Path:
    """Where the trained components ship."""
    return Path(str(resources.files("kg") / "data" / "models"))


def add_trained_components(nlp, directory: str | Path | None = None, mode: str | None = None,
                           recogniser: str = "cnn"):
    """Add the shipped recognisers (each followed by its stash) to ``nlp``; returns ``nlp``.

    ``mode`` (``"abstract"`` or ``"fulltext"``, see :data:`MODES`) adds only the components
    that mode consults; None adds all. Components whose weights are missing are skipped, so a
    checkout without trained weights still works with the rules alone.

    ``recogniser="transformer"`` adds the optional transformer recogniser instead (both heads,
    one component); it raises :class:`~kg.errors.ModelNotInstalledError` with the install
    command when the extra is not installed.
    """
    from thinc.api import use_ops

    if recogniser not in RECOGNISERS:

        raise KgError(f"No recogniser {recogniser!r}. Available: {', '.join(RECOGNISERS)}")
    if recogniser == "transformer":

        transformer.register()
        if transformer.FACTORY not in nlp.pipe_names:
            transformer.require()  # the install hint, before anything loads
            nlp.add_pipe(transformer.FACTORY, config={"directory": str(Path(directory) / "kg_tner") if directory else None})
        return nlp
    register()
    directory = Path(directory) if directory else models_dir()
    names = [name for name, _ in MODES[mode]] if mode else list(COMPONENTS)
    with use_ops("numpy", use_blis=False):
        for name in sorted(names, key=list(COMPONENTS).index):
            path = directory / name
            if not (path / "model").exists() or name in nlp.pipe_names:
                continue
            component = nlp.add_pipe("ner", name=name, config=model_config(**_shape(path)))
            component.from_disk(path, exclude=["vocab"])
            nlp.add_pipe(STASH, name=f"{name}_stash", config={"key": name})
    return nlp


def _shape(path: Path) -> dict:
    import json

    shape = path / "shape.json"
    return json.loads(shape.read_text()) if shape.exists() else {}


# Which component is consulted first, and for which types, by the kind of text. Each model is
# trusted for the text it was trained on; methods and concepts only come from the abstracts one.
# On abstracts the sentences model added nothing measurable (SciERC dev micro F1 51.1 with or
# without it) and costs as much as the parser, so it is only loaded for full text.
MODES = {
    "abstract": (("kg_ner_abstracts", None),),
    "fulltext": (("kg_ner_sentences", None), ("kg_ner_abstracts", ("method", "concept"))),
}
# The transformer's heads stand in for the CNN components of the same label sets.
TRANSFORMER_MODES = {mode: tuple((TRANSFORMER[name], types) for name, types in order) for mode, order in MODES.items()}


def has_recognisers(doc) -> bool:
    """Did trained recognisers run over this doc?"""
    return any(name in doc.spans for name in (*COMPONENTS, *TRANSFORMER.values()))


def ner_candidates(doc, mode: str = "abstract"):
    """Candidates from the trained components' spans, without overlaps between them: the
    first component's spans in the mode's order, then the next one's where they overlap none.

    ``mode`` is ``"abstract"`` (titles and abstracts, what ``kg build`` reads) or
    ``"fulltext"`` (sentences from a paper's body, as in TDMSci).
    """
    taken: list[tuple[int, int]] = []
    transformer = any(name in doc.spans for name in TRANSFORMER.values())
    modes = TRANSFORMER_MODES if transformer else MODES
    for name, types in modes[mode]:
        for span in doc.spans[name] if name in doc.spans else ():
            kind = span.label_.lower()
            if (types and kind not in types) or any(s < span.end and span.start < e for s, e in taken):
                continue
            taken.append((span.start, span.end))
            yield Candidate(span.start, span.end, span.text, kind, "transformer" if transformer else "ner",
                            CONFIDENCE[name])
