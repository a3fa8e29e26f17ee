"""Read stage, second half: records from every file merged into one corpus of papers (identity, merge)."""
