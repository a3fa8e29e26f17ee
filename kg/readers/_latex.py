"""LaTeX in metadata (BibTeX fields, arXiv author names) made plain Unicode text, with pylatexenc.

Text without a backslash or ``$`` (most titles: ``{LoRA}: Low-Rank ...``) only loses its braces,
quickly; anything else goes through pylatexenc. A bare ``&``, ``%`` or ``#`` is taken as the
character itself, as BibTeX exporters write it, not as LaTeX's column separator or comment.

Examples
--------
>>> latex_to_text(r"M{\\"u}ller and Zo{\\'e}: {LoRA} -- 50\\% of $\\alpha$")
'Müller and Zoé: LoRA – 50% of α'
>>> latex_to_text("Vision & Language: 5% better, {``really''}")
'Vision & Language: 5% better, “really”'
"""

from __future__ import annotations

import functools
import re

_BARE = re.compile(r"(?<!\\)([&%#])")
_BRACES = str.maketrans({"{": None, "}": None, "~": " "})
_LIGATURES = (("---", "\u2014"), ("--", "\u2013"), ("``", "\u201c"), ("''", "\u201d"))


def latex_to_text(text: str) -> str:
    """``text`` with accents and escapes decoded, braces dropped, math as Unicode text and
    runs of white space (``~`` included) as one space."""
    if "\\" in text or "$" in text:
        text = _decoder().latex_to_text(_BARE.sub(r"\\\1", text))
    else:
        text = text.translate(_BRACES)
        for written, character in _LIGATURES:
            text = text.replace(written, character)
    return " ".join(text.split())


@functools.lru_cache(maxsize=1)
def _decoder():
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    context.add_context_category("kg", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")])
    return LatexNodes2Text(latex_context=context, math_mode="text", keep_braced_groups=False,
                           strict_latex_spaces=True)
