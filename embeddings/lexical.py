"""Lexical search: BM25 (the bm25s library) over the analyzed heading and content of each passage."""

from __future__ import annotations

from typing import Sequence

import bm25s
import numpy as np

from embeddings.indonesian import Analyzer
from knowledge.passages import Passage

# Okapi BM25's usual parameters; passages are short and similar in length.
K1 = 1.2
B = 0.75


def lexical_text(passage: Passage) -> str:
    """What is indexed for a passage: its document title, section heading and content."""
    return f"{passage.doc_title}\n{passage.section}\n{passage.content}"


class LexicalIndex:
    """BM25 scores of every passage for a query's terms."""

    def __init__(self, passages: Sequence[Passage], analyzer: Analyzer) -> None:
        if not passages:
            raise ValueError("Cannot build a lexical index of no passages.")
        self.analyzer = analyzer
        self._bm25 = bm25s.BM25(k1=K1, b=B)
        self._bm25.index([analyzer.terms(lexical_text(p)) or ["<empty>"] for p in passages], show_progress=False)
        self._size = len(passages)

    def scores(self, text: str) -> np.ndarray:
        """One BM25 score per passage (0 for a passage sharing no term with `text`)."""
        terms = [term for term in self.analyzer.terms(text) if term in self._bm25.vocab_dict]
        if not terms:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)
