"""Relations a paper states about its own contribution, grounded on what it proposes.

Abstracts speak of their contribution as "our method", "the proposed approach", "it" or by
name, and say what it is for and where it was evaluated in sentences the pair classifier
reads poorly ("Experiments on IJB-B, IJB-C and TinyFace show that our method ..."). Once the
decider has said which names the paper proposes, this step reads the paper's own claims:

``used_for``
    the proposal -> a task named after "for" right after the proposal or a reference to it
    ("AdaFace: Quality Adaptive Margin for Face Recognition", "we propose X for T", "our
    method for T"), and -> each task an evaluation of the paper's own work names after
    on/across/over ("Experiments on semantic segmentation and object detection show ...").
``evaluated_on``
    the proposal -> each dataset named after "on", "across" or "over" in a sentence about the
    paper's own work ("we", "our", "the proposed", the proposal's name) that reports an
    evaluation ("experiments", "evaluate", "outperforms", "achieves", "results", ...); not a
    dataset the sentence trains on ("pre-trained on ImageNet").
``measures``
    each metric a sentence reports for the proposal after naming it or referring to it ("our
    method achieves an average accuracy of 61.4%") -> the proposal.
``compares``
    the proposal, named or referred to as the subject of "outperforms"/"surpasses"/"beats" ->
    each method named after the verb in that clause ("our method outperforms LoRA and BitFit").

Only tails whose decided type has a probability of at least 0.5 take part; a relation's
confidence is that probability scaled by how direct the evidence is.

The proposal is the paper's first proposed method (the title's first). Each relation's evidence
is its sentence; the head's offsets are those of the proposal's name or reference there, or
the tail's when the sentence leaves the subject implicit ("Experiments on A show ...").
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.names import name_key
from kg.records import ExtractedPaper, Mention, Relation
from kg.schema import COMPARES, DATASET, EVALUATED_ON, MEASURES, METHOD, METRIC, TASK, USED_FOR

#: How a paper refers to its own contribution without naming it.
SELF_REFERENCE = re.compile(
    r"\b(?:our|the proposed|this|the new)\s+(?:proposed\s+|new\s+|novel\s+)?"
    r"(?:method|approach|model|framework|system|algorithm|technique|architecture|network|pipeline|"
    r"module|strategy|scheme|solution)s?\b", re.IGNORECASE)
OWN_WORK = re.compile(r"\b(?:we|our|the proposed|this paper|this work)\b|"
                      r"^\W*(?:(?:the|extensive|comprehensive|thorough)\s+)?(?:experiments|evaluations?)\b",
                      re.IGNORECASE)
EVALUATION = re.compile(
    r"\b(?:experiment\w*|evaluat\w*|benchmark\w*|results?|outperform\w*|surpass\w*|achiev\w*|"
    r"state[- ]of[- ]the[- ]art|SOTA|test(?:s|ed|ing)?|validat\w*|demonstrat\w*|improv\w*|accuracy|"
    r"performance|perform\w*|datasets?)\b", re.IGNORECASE)
TRAINED_ON = re.compile(r"\b(?:pre-?train\w*|train\w*|distill\w*|learn\w* from)\b[^.;]*$", re.IGNORECASE)
#: Words right after a benchmark's name that report a result on it ("MMLU and Big-Bench scores").
SCORED = re.compile(r"^\W*(?:scores?|accuracy|results|performance)\b", re.IGNORECASE)
EVALUATED_BEFORE = re.compile(r"\b(?:on|across|over)\b|\b(?:datasets|benchmarks|including|namely):?", re.IGNORECASE)
TASK_BEFORE = re.compile(r"\b(?:in|on|across|over|for)\b", re.IGNORECASE)
OTHERS_WORK = re.compile(r"\s*(?:existing|previous|prior|traditional|conventional|current|most|many|recent|"
                         r"although|while|however|despite|unlike)\b", re.IGNORECASE)
#: Words between "for" and the task: "for the task of T", "for long-form T".
FOR_TASK = re.compile(r"^\s*for\s+(?:the\s+(?:task|problem)s?\s+of\s+|the\s+|both\s+)?$", re.IGNORECASE)
MAX_GAP_WORDS = 6  # words between the proposal (or its reference) and "for"
MIN_CONFIDENCE = 0.5  # the least decider probability of a tail's type
BETTER_THAN = re.compile(r"\W*(?:(?:also|further|consistently|significantly|substantially|clearly|even|can|"
                         r"greatly|largely|still)\s+)*(?:outperform|surpass|beat|exceed)s?\b", re.IGNORECASE)
#: Where the compared names end: the clause, or a phrase that says where or how ("on GLUE", "in terms of").
CLAUSE_END = re.compile(r"[.;]|,\s*(?:while|whereas|and|but|which|\w+ing)\b|"
                        r"\b(?:while|whereas|on|across|in|for|with|by|when|under|at|over)\b")
REPORTS = re.compile(r"(?:(?:also|further|consistently|significantly|substantially|clearly|even|can|still)\s+)*"
                     r"\b(?:achiev\w*|attain\w*|reach\w*|obtain\w*|improv\w*|boost\w*|gain\w*|yield\w*|"
                     r"increas\w*|reduc\w*|outperform\w*|surpass\w*)\b", re.IGNORECASE)
TITLE_NAME = re.compile(r"^\s*(?:\([^()]*\))?\s*:")  # "BiT:", "Big Transfer (BiT):"
SURVEY = re.compile(r"\b(?:survey|review|overview|tutorial|primer)\b", re.IGNORECASE)
LIST_GAP = re.compile(r"^(?=.*(?:,|\band\b|\bor\b))[^.;:]{0,40}$", re.IGNORECASE)  # "A, B and C"; "A datasets, 8 B"


def ground(item: ExtractedPaper) -> ExtractedPaper:
    """The paper with the relations its own claims state about its proposal added (those it
    already has are kept; a pair stated twice in one sentence is kept once)."""
    proposal = proposal_of(item)
    keys = _keys_of(item, proposal) if proposal else set()
    found = []
    for sentence in _sentences(item):
        head, names = proposal, keys
        if proposal is None or not (_subjects(keys, sentence) or OWN_WORK.search(sentence[1])):
            head = _named_subject(sentence)  # "BiT achieves 87.5% top-1 accuracy on ILSVRC-2012"
            names = {name_key(head.name)} if head else set()
        if head is None:
            continue
        found += _used_for(head, names, sentence)
        found += _evaluated_on(head, names, sentence)
        found += _measures(head, names, sentence)
        found += _compares(head, names, sentence)
    known = {(r.kind, name_key(r.head), name_key(r.tail), r.field, r.sent_start) for r in item.relations}
    added = []
    for r in found:
        key = (r.kind, name_key(r.head), name_key(r.tail), r.field, r.sent_start)
        if key not in known:
            known.add(key)
            added.append(r)
    return replace(item, relations=(*item.relations, *added)) if added else item


def proposal_of(item: ExtractedPaper) -> Mention | None:
    """The paper's main proposed method: the first proposed method in the title, else in the
    abstract, else the method a title opens with before its colon ("BiT: ..."); None when it
    proposes no method."""
    proposed = [m for m in item.mentions if m.proposed and m.type == METHOD]
    if not proposed:  # "Big Transfer (BiT): General Visual Representation Learning"
        opening = [m for m in item.mentions if m.field == "title" and m.start == 0 and m.type == METHOD]
        title = item.paper.title
        if opening and TITLE_NAME.match(title[opening[0].end:]) and not SURVEY.search(title):
            return opening[0]
        return None
    return min(proposed, key=lambda m: (m.field != "title", m.start))


def _named_subject(sentence) -> Mention | None:
    """A method the sentence opens with as the subject of a result ("BiT achieves ...",
    "UL2 outperforms ..."), in a sentence about no one else's work."""
    _, text, start, mentions = sentence
    first = mentions[0] if mentions else None
    if first is None or first.type != METHOD or first.confidence < MIN_CONFIDENCE or OTHERS_WORK.match(text):
        return None
    if len(text[:first.start - start].split()) > 1 or not REPORTS.match(text[first.end - start:].lstrip(" ),")):
        return None
    return first


def _keys_of(item: ExtractedPaper, proposal: Mention) -> set[str]:
    """The keys of the proposal's names in this paper: its own and its defined short or long form."""
    keys = {name_key(proposal.name)}
    for alias in item.aliases:
        pair = {name_key(alias.short), name_key(alias.long)}
        if keys & pair:
            keys |= pair
    return keys


def _sentences(item: ExtractedPaper):
    """``(field, sentence text, sentence start, mentions in it)`` per sentence with mentions; a
    name inside a longer one of its type is left out ("fine-tuning" in "full fine-tuning")."""
    groups: dict[tuple[str, int], list[Mention]] = {}
    for m in item.mentions:
        groups.setdefault((m.field, m.sent_start), []).append(m)
    for (field, start), mentions in sorted(groups.items(), key=lambda g: (g[0][0] != "title", g[0][1])):
        outer = [m for m in mentions if not any(o.type == m.type and o.start <= m.start and m.end <= o.end
                                                and o.end - o.start > m.end - m.start for o in mentions)]
        yield field, mentions[0].sentence, start, sorted(outer, key=lambda m: m.start)


def _subjects(keys: set[str], sentence) -> list[tuple[int, int]]:
    """Where the sentence names the proposal or refers to it (offsets in the field)."""
    _, text, start, mentions = sentence
    spans = [(m.start, m.end) for m in mentions if name_key(m.name) in keys]
    spans += [(start + x.start(), start + x.end()) for x in SELF_REFERENCE.finditer(text)]
    if re.match(r"\s*(?:we\s+(?:propose|present|introduce)|this paper (?:proposes|presents|introduces))\b", text,
                re.IGNORECASE) and not spans:
        spans = [(start, start)]  # "We propose a simple method for T": the subject is the proposal
    return sorted(spans)


def _used_for(proposal: Mention, keys: set[str], sentence) -> list[Relation]:
    """``used_for`` from "<proposal> ... for <task>" (within a few words; anywhere after a title
    that opens with the proposal), and for each task an evaluation of the paper's own work
    names after on/across/over/in ("experiments on segmentation and detection show ...")."""
    field, text, start, mentions = sentence
    found = []
    for s, e in _subjects(keys, sentence):
        opens_title = field == "title" and s == 0
        if opens_title and TITLE_NAME.match(text[e:]):  # "OmniGen: Unified Image Generation"
            found += [_relation(USED_FOR, proposal, m, sentence, (s, e)) for m in mentions
                      if m.type == TASK and m.start > e and m.confidence >= MIN_CONFIDENCE]
            continue
        for task in (m for m in mentions if m.type == TASK and m.start >= e and m.confidence >= MIN_CONFIDENCE):
            before = text[e - start:task.start - start]
            cut = before.rfind(" for ")
            if cut < 0 or re.search(r"[.;]", before[:cut]):
                continue
            if (opens_title or len(before[:cut].split()) <= MAX_GAP_WORDS) and FOR_TASK.match(before[cut:]):
                found.append(_relation(USED_FOR, proposal, task, sentence, (s, e) if e > s else None))
                break
    stated = {r.tail for r in found}
    found += [r for r in _evaluated(proposal, keys, sentence, TASK, USED_FOR) if r.tail not in stated]
    return found


def _evaluated_on(proposal: Mention, keys: set[str], sentence) -> list[Relation]:
    """``evaluated_on`` for each dataset an own-work evaluation sentence names after on/across/over."""
    return _evaluated(proposal, keys, sentence, DATASET, EVALUATED_ON)


def _measures(proposal: Mention, keys: set[str], sentence) -> list[Relation]:
    """``measures`` from each metric an own-work sentence reports for the proposal, named
    after it ("our method achieves an average accuracy of 61.4%")."""
    field, text, start, mentions = sentence
    if field != "abstract" or OTHERS_WORK.match(text) or not REPORTS.search(text):
        return []
    subjects = [(s, e) for s, e in _subjects(keys, sentence) if e > s]
    found = []
    for m in mentions:
        subject = next(((s, e) for s, e in subjects if e <= m.start), None)
        if m.type == METRIC and subject and m.confidence >= MIN_CONFIDENCE:
            r = _relation(MEASURES, proposal, m, sentence, subject)
            found.append(replace(r, head=m.name, head_type=m.type, tail=r.head, tail_type=r.head_type,
                                 head_start=r.tail_start, head_end=r.tail_end, tail_start=r.head_start,
                                 tail_end=r.head_end))
    return found


def _compares(proposal: Mention, keys: set[str], sentence) -> list[Relation]:
    """``compares`` from the proposal (named or referred to) to each method named after
    "outperforms"/"surpasses"/"beats" in the same clause."""
    field, text, start, mentions = sentence
    found = []
    for s, e in (span for span in _subjects(keys, sentence) if span[1] > span[0]):
        verb = BETTER_THAN.match(text[e - start:])
        if not verb:
            continue
        clause = CLAUSE_END.split(text[e - start + verb.end():], maxsplit=1)[0]
        stop = e + verb.end() + len(clause)
        for m in mentions:
            if m.type == METHOD and e + verb.end() <= m.start < stop and name_key(m.name) not in keys:
                found.append(_relation(COMPARES, proposal, m, sentence, (s, e)))
        break
    return found


def _evaluated(proposal: Mention, keys: set[str], sentence, kind_of_tail: str, kind: str) -> list[Relation]:
    """``kind`` relations from the proposal to each ``kind_of_tail`` name that an evaluation of
    the paper's own work names after on/across/over/in, or in a list after one; never what it
    trains on, never in a sentence about others' work ("Existing methods ...")."""
    field, text, start, mentions = sentence
    if field != "abstract" or not EVALUATION.search(text) or OTHERS_WORK.match(text):
        return []
    subjects = _subjects(keys, sentence)
    if not subjects and not OWN_WORK.search(text):
        return []
    found, previous = [], None
    for m in mentions:
        if m.type != kind_of_tail or m.confidence < MIN_CONFIDENCE:
            continue
        before = text[:m.start - start]
        in_list = previous is not None and LIST_GAP.match(text[previous.end - start:m.start - start])
        window = " ".join(before.split()[-MAX_GAP_WORDS:])
        cue = (TASK_BEFORE if kind_of_tail == TASK else EVALUATED_BEFORE).search(window) or (
            kind_of_tail == DATASET and SCORED.match(text[m.end - start:]))
        if (in_list or cue) and not TRAINED_ON.search(window):
            subject = next(((s, e) for s, e in subjects if e > s and e <= m.start), None)
            found.append(_relation(kind, proposal, m, sentence, subject))
            previous = m
    return found


def _relation(kind: str, proposal: Mention, tail: Mention, sentence, subject) -> Relation:
    """The relation, its confidence the tail's decided-type probability scaled by how direct
    the evidence is (a named or referred subject: 0.9; an implicit one: 0.8)."""
    field, text, start, _ = sentence
    head_start, head_end = subject if subject else (tail.start, tail.end)
    confidence = round((0.9 if subject else 0.8) * min(1.0, tail.confidence), 3)
    return Relation(kind, proposal.name, proposal.type, tail.name, tail.type, field, head_start, head_end,
                    tail.start, tail.end, text, start, start + len(text), "grounding", confidence)
