"""Abbreviations defined in the text, found with the Schwartz-Hearst algorithm.

``long form (SHORT)`` pairs come from the ``abbreviations`` package (a maintained
Schwartz-Hearst implementation); the reverse order, ``SHORT (long form)`` as in
"we propose RefHCM (Referring Human-Centric Model)", is checked here with the same rule:
the short form's letters appear, in order, as initials of the long form's words.

>>> [(a.short, a.long) for a in find_abbreviations("We use Low-Rank Adaptation (LoRA) here.")]
[('LoRA', 'Low-Rank Adaptation')]
>>> [(a.short, a.long) for a in find_abbreviations("We propose RefHCM (Referring Human-Centric Model).")]
[('RefHCM', 'Referring Human-Centric Model')]
"""

from __future__ import annotations

import logging
import re

from kg.records import Alias

_REVERSE = re.compile(r"\b([A-Z][A-Za-z0-9\-+]*[A-Z][A-Za-z0-9\-+]*) \(([A-Za-z][^()]{3,80})\)")
logging.getLogger("abbreviations.schwartz_hearst").setLevel(logging.WARNING)


def find_abbreviations(sentence: str) -> list[Alias]:
    """The abbreviation definitions in one sentence, in both orders."""
    from abbreviations.schwartz_hearst import extract_abbreviation_definition_pairs

    if "(" not in sentence:
        return []
    pairs = extract_abbreviation_definition_pairs(doc_text=sentence.replace("\n", " "))
    found = [Alias(short, _tidy(long), sentence) for short, long in pairs.items()]
    for match in _REVERSE.finditer(sentence):
        short, long = match.group(1), _tidy(match.group(2))
        if short not in pairs and _initials_match(short, long):
            found.append(Alias(short, long, sentence))
    return [alias for alias in found if _plausible(alias)]


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" ,;:-")


def _initials_match(short: str, long: str) -> bool:
    """Do the capitals of ``short`` appear, in order, as initials of ``long``'s words?"""
    capitals = [ch.lower() for ch in short if ch.isupper()]
    initials = [w[0].lower() for w in re.split(r"[\s\-]+", long) if w]
    position = 0
    for letter in capitals:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return False
        position += 1
    return len(capitals) >= 2


def _plausible(alias: Alias) -> bool:
    words = alias.long.split()
    return 1 <= len(words) <= 10 and alias.long.lower() != alias.short.lower()
