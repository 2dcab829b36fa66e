"""The corpus grown for `make bench-growth`: every passage plus perturbed copies of it (sentences
shuffled, about one word in ten dropped), seeded, so that no copy repeats another."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from typing import List, Sequence

from knowledge.passages import Passage

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
DROP_RATE = 0.1
COPY_MARK = "~"


def replicate(passages: Sequence[Passage], factor: int, seed: int = 0) -> List[Passage]:
    """`factor` × the passages: the originals, then `factor` - 1 perturbed copies of each."""
    if factor < 1:
        raise ValueError(f"factor must be at least 1, got {factor}")
    grown = list(passages)
    for copy in range(1, factor):
        for passage in passages:
            rng = random.Random(f"{seed}:{copy}:{passage.id}")
            grown.append(
                replace(passage, id=f"{passage.id}{COPY_MARK}{copy}", text=perturbed(passage.text, rng), lead="")
            )
    return grown


def source_id(passage_id: str) -> str:
    """The id of the passage that `passage_id` is a copy of (itself for an original)."""
    return passage_id.split(COPY_MARK, 1)[0]


def perturbed(text: str, rng: random.Random) -> str:
    """`text` with its sentences shuffled and some words dropped (never all of a sentence's)."""
    sentences = [s for s in SENTENCE_END.split(text) if s.strip()]
    rng.shuffle(sentences)
    kept = []
    for sentence in sentences:
        words = sentence.split()
        survivors = [word for word in words if rng.random() >= DROP_RATE] or words[:1]
        kept.append(" ".join(survivors))
    return " ".join(kept)
