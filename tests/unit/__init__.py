"""Unit tests: knowledge ingestion, the index set, search, query building and the answer action."""
