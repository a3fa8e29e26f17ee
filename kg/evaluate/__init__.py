"""Score the extractor against human annotation (SciERC and TDMSci benchmarks)."""
