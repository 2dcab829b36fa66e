"""Knowledge: the source articles and their ingestion into passages.

Pure Python (no Rasa, no models): documents -> cleaned text -> sections -> passages (JSONL).
"""
