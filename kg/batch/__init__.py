"""Extraction over many papers: in worker processes (:mod:`kg.batch.pool`) and from an on-disk
cache of per-paper results (:mod:`kg.batch.cache`), so a rebuild extracts only new or changed papers."""
