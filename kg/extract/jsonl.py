"""One JSON object per paper: what ``kg extract --jsonl`` prints (a stable interface).

The schema is documented in README ("Extraction", ``kg extract``). Entities carry their
canonical name across the whole corpus; mentions and relations carry the sentence and
character offsets in the field (``title`` or ``abstract``) they were found in.
"""

from __future__ import annotations

from kg.graph.canonical import Canon
from kg.names import name_key
from kg.records import ExtractedPaper

SCHEMA_VERSION = 1


def paper_record(item: ExtractedPaper, canon: Canon) -> dict:
    """The JSON-ready record of one extracted paper.

    Examples
    --------
    >>> from kg.graph.canonical import canonicalise
    >>> from kg.records import Mention, Paper
    >>> m = Mention("BERT", "method", "abstract", 8, 12, "We tune BERT.", 0, 13, "gazetteer", 0.9, True)
    >>> item = ExtractedPaper("p1", Paper("A title", "We tune BERT."), (m,))
    >>> record = paper_record(item, canonicalise([item]))
    >>> record["entities"][0]["name"], record["proposed"], record["entities"][0]["mentions"][0]["start"]
    ('BERT', ['BERT'], 8)
    """
    entities: dict[str, dict] = {}
    for m in item.mentions:
        entity_id = canon.entity_of.get(name_key(m.name))
        if entity_id is None:
            continue
        entity = canon.entities[entity_id]
        row = entities.setdefault(entity_id, {
            "id": entity_id, "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
            "confidence": 0.0, "proposed": False, "mentions": []})
        row["confidence"] = max(row["confidence"], m.confidence)
        row["proposed"] |= m.proposed
        row["mentions"].append({"text": m.name, "field": m.field, "start": m.start, "end": m.end,
                                "sentence": m.sentence, "sent_start": m.sent_start, "sent_end": m.sent_end,
                                "extractor": m.extractor, "confidence": m.confidence})
    relations = []
    for r in item.relations:
        head, tail = canon.entity_of.get(name_key(r.head)), canon.entity_of.get(name_key(r.tail))
        if head is None or tail is None or head == tail:
            continue
        relations.append({"kind": r.kind, "head": canon.entities[head].name, "head_id": head,
                          "tail": canon.entities[tail].name, "tail_id": tail, "field": r.field,
                          "head_start": r.head_start, "head_end": r.head_end, "tail_start": r.tail_start,
                          "tail_end": r.tail_end, "sentence": r.sentence, "sent_start": r.sent_start,
                          "sent_end": r.sent_end, "extractor": r.extractor, "confidence": r.confidence})
    ordered = sorted(entities.values(), key=lambda e: e["id"])
    return {
        "schema": SCHEMA_VERSION,
        "id": item.key,
        "title": item.paper.title,
        "entities": ordered,
        "proposed": sorted(e["name"] for e in ordered if e["proposed"]),
        "relations": relations,
    }
