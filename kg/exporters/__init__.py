"""Export stage: one module per output format, each registered in :mod:`kg.registry` with one line."""
