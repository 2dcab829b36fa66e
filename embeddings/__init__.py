"""Embeddings: the sentence-transformers encoder, the FAISS index set of passages, and search.

Pure Python (no Rasa): usable and testable without the bot.
"""
