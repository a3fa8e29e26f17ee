"""A pipeline that fails on some texts, importable by worker processes."""

from spacy.language import Language

from kg.extract.nlp import blank_pipeline


@Language.component("kg_test_fails_on_boom")
def fails_on_boom(doc):
    if "BOOM" in doc.text:
        raise ValueError("cannot handle\nthis text")
    return doc


def boom_pipeline():
    """A blank pipeline whose last component fails on any text holding 'BOOM'."""
    nlp = blank_pipeline()
    nlp.add_pipe("kg_test_fails_on_boom")
    return nlp
