"""The kinds of node and edge in the graph, and the RDF term each is exported as.

Every stage names a kind through these constants; :mod:`kg.rdf.vocab` turns the terms into
IRIs and ``kg/data/ontology.ttl`` describes them. A new relation kind is one line in
``RELATION_KINDS`` (its RDF property is named from it, ``used_for`` -> ``kg:usedFor``).

>>> NODE_KINDS
('paper', 'method', 'dataset', 'task', 'metric', 'concept')
>>> EDGE_TERMS[CITES], NODE_TERMS[PAPER]
('cito:cites', 'schema:ScholarlyArticle')
"""

from __future__ import annotations

# Node kinds: papers and the five entity types.
PAPER = "paper"
METHOD, DATASET, TASK, METRIC, CONCEPT = "method", "dataset", "task", "metric", "concept"
ENTITY_TYPES = (METHOD, DATASET, TASK, METRIC, CONCEPT)
NODE_KINDS = (PAPER, *ENTITY_TYPES)

# Edge kinds. Paper -> entity:
MENTIONS, PROPOSES = "mentions", "proposes"
# paper -> paper (cites from the inputs; builds_on inferred from proposals):
CITES, BUILDS_ON = "cites", "builds_on"
# entity -> entity, each from a sentence that states it:
USED_FOR, EVALUATED_ON, MEASURES, COMPARES, NARROWER = "used_for", "evaluated_on", "measures", "compares", "narrower"
RELATION_KINDS = (USED_FOR, EVALUATED_ON, MEASURES, COMPARES, NARROWER)
# entity -- entity, two entities in one sentence (derived, not exported as RDF statements):
CO_OCCURS = "co_occurs"
EDGE_KINDS = (MENTIONS, PROPOSES, CITES, BUILDS_ON, *RELATION_KINDS, CO_OCCURS)

#: The RDF class of each node kind (prefixed names; prefixes in :data:`kg.rdf.mapping.PREFIXES`).
NODE_TERMS = {PAPER: "schema:ScholarlyArticle", METHOD: "kg:Method", DATASET: "kg:Dataset", TASK: "kg:Task",
              METRIC: "kg:Metric", CONCEPT: "kg:Concept"}
#: The RDF property of each exported edge kind.
EDGE_TERMS = {MENTIONS: "schema:mentions", PROPOSES: "kg:proposes", CITES: "cito:cites", BUILDS_ON: "kg:buildsOn",
              USED_FOR: "kg:usedFor", EVALUATED_ON: "kg:evaluatedOn", MEASURES: "kg:measures",
              COMPARES: "kg:compares", NARROWER: "kg:narrower"}

#: The types each kind's ends may have (head types, tail types), checked once types are decided.
SIGNATURES = {
    USED_FOR: ({METHOD, DATASET}, {TASK, METHOD}),
    EVALUATED_ON: ({METHOD, TASK}, {DATASET}),
    MEASURES: ({METRIC}, {METHOD, TASK, DATASET}),
    COMPARES: ({METHOD, DATASET}, {METHOD, DATASET}),
    NARROWER: ({METHOD, DATASET, TASK, METRIC}, {METHOD, DATASET, TASK, METRIC}),
}


def fits(kind: str, head_type: str, tail_type: str) -> bool:
    """Do the ends' types suit the relation kind? ``compares`` and ``narrower`` join two of one type.

    >>> fits("used_for", "method", "task"), fits("measures", "method", "metric"), fits("compares", "method", "dataset")
    (True, False, False)
    """
    heads, tails = SIGNATURES.get(kind, (set(), set()))
    same = kind not in (COMPARES, NARROWER) or head_type == tail_type
    return head_type in heads and tail_type in tails and same
