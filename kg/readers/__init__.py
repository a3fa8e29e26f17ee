"""Read stage: one module per input format, each registered in :mod:`kg.registry` with one line."""
