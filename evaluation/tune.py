"""Tune retrieval on the dev split only: the full pipeline under a grid of fusion settings (NLU
parses each question once), then the abstention threshold calibrated for the best setting.

    python -m evaluation.tune     # `make tune`; prints the grid, best first
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import List, Tuple

import settings
from embeddings.fusion import Fusion
from embeddings.search import load_retriever
from evaluation.questions import answering_ids, load_split
from evaluation.retrieval_report import FullPipeline, Outcome, _top, abstention, calibrate, groups, metrics

GRID = {
    "dense_weight": (0.2, 0.35, 0.5),
    "lexical_weight": (0.5, 0.65, 0.8),
    "lexical_half": (1.0, 2.0, 4.0),
    "aspect_boost": (0.0, 0.05, 0.1, 0.2),
    "context_boost": (0.0, 0.05, 0.1),
}


def main() -> None:
    config = settings.load()
    retriever = load_retriever(config)
    pipeline = FullPipeline(retriever, config.rasa_model)
    questions = load_split("dev")
    correct = {q.id: answering_ids(q, retriever.index.passages) for q in questions}
    rows: List[Tuple[float, float, float, str, Fusion]] = []
    for values in itertools.product(*GRID.values()):
        fusion = replace(retriever.fusion, **dict(zip(GRID, values)))
        pipeline.retriever = retriever.replaced(fusion=fusion, min_score=0.0)
        outcomes = [Outcome(q, correct[q.id], *pipeline.run(q)) for q in questions]
        g = groups(outcomes)
        every = metrics(g["all"])
        rows.append((every.hit1, every.mrr, metrics(g["en"]).hit1, _describe(fusion), fusion))
        if len(rows) % 50 == 0:
            print(f"  {len(rows)} settings tried", flush=True)
    rows.sort(key=lambda row: (row[0], row[1]), reverse=True)
    print("dev in-scope hit@1, MRR, English hit@1 — best settings first:")
    for hit1, mrr, en, description, _ in rows[:15]:
        print(f"  {hit1:.3f}  {mrr:.3f}  {en:.3f}  {description}")
    best = rows[0][4]
    pipeline.retriever = retriever.replaced(fusion=best, min_score=0.0)
    outcomes = [Outcome(q, correct[q.id], *pipeline.run(q)) for q in questions]
    threshold = calibrate([(_top(o.ranked), o.question.out_of_scope) for o in outcomes])
    pipeline.retriever = retriever.replaced(fusion=best, min_score=threshold)
    a = abstention([Outcome(q, correct[q.id], *pipeline.run(q)) for q in questions])
    print(f"Best: {_describe(best)}; calibrated RETRIEVAL_MIN_SCORE {threshold:.3f} "
          f"(dev: out-of-scope abstention {a.recall:.2f}, false abstention {a.false_rate:.2f})")


def _describe(fusion: Fusion) -> str:
    return ", ".join(f"{name} {getattr(fusion, name)}" for name in GRID)


if __name__ == "__main__":
    main()
