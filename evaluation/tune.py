"""Tune retrieval on the dev split only: the bot's pipeline (NLU parses each question once) under a
grid of fusion weights, ranked by in-scope hit@1 and MRR; then, for the best, the out-of-scope
penalty and the abstention threshold that abstain on the most out-of-scope questions while
abstaining on at most 3 % of the in-scope ones.

    python -m evaluation.tune     # `make tune`; prints the grid's best and the settings to use
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import List, Tuple

import settings
from dialogue.components import load_components
from embeddings.fusion import Fusion
from evaluation.questions import answering_ids, load_split
from evaluation.retrieval_report import (
    ABSTENTION_TARGETS,
    BotPipeline,
    abstention,
    calibrate,
    groups,
    in_scope_metrics,
)

RANKING_GRID = {
    "example_weight": (0.5, 0.7, 0.85),  # dense_weight is 1 - example_weight
    "lexical_weight": (0.1, 0.2, 0.3),
    "lexical_half": (5.0, 10.0),
    "aspect_boost": (0.0, 0.02),
    "term_boost": (0.0, 0.02),
}
SCOPE_PENALTIES = (0.0, 0.5, 1.0, 2.0)


def main() -> None:
    config = settings.load_or_exit()
    components = load_components(config)
    retriever = components.retriever  # its query embeddings are shared by every setting tried
    pipeline = BotPipeline(components, config.rasa_model)
    questions = load_split("dev")
    correct = {q.id: answering_ids(q, retriever.index.passages) for q in questions}

    def run(fusion: Fusion, min_score: float = float("-inf")):
        pipeline.retriever = retriever.replaced(fusion=fusion, min_score=min_score)
        return [pipeline.run(q, correct[q.id]) for q in questions]

    rows: List[Tuple[float, float, float, Fusion]] = []
    for values in itertools.product(*RANKING_GRID.values()):
        changes = dict(zip(RANKING_GRID, values))
        fusion = replace(retriever.fusion, dense_weight=round(1 - changes["example_weight"], 3), **changes)
        g = groups(run(fusion))
        every = in_scope_metrics(g["all"])
        rows.append((every.hit1, every.mrr, in_scope_metrics(g["en"]).hit1, fusion))
    rows.sort(key=lambda row: (row[0], row[1]), reverse=True)
    print("dev in-scope hit@1, MRR, English hit@1 (no abstention) — best settings first:")
    for hit1, mrr, en, fusion in rows[:10]:
        print(f"  {hit1:.3f}  {mrr:.3f}  {en:.3f}  {_describe(fusion)}")

    best = rows[0][3]
    print("\nout-of-scope penalty and threshold (at most "
          f"{ABSTENTION_TARGETS[1]:.0%} in-scope false abstention on dev):")
    choices = []
    for penalty in SCOPE_PENALTIES:
        fusion = replace(best, scope_penalty=penalty)
        tops = [(o.top_score, o.question.out_of_scope) for o in run(fusion)]
        threshold = calibrate(tops, max_false=ABSTENTION_TARGETS[1])
        a = abstention(run(fusion, threshold))
        choices.append((a.recall, -a.false_rate, penalty, threshold))
        print(
            f"  penalty {penalty}: RETRIEVAL_MIN_SCORE {threshold:.3f} -> "
            f"out-of-scope {a.recall:.2f}, false {a.false_rate:.2f}"
        )
    recall, false, penalty, threshold = max(choices)
    print(
        f"\nBest: {_describe(best)}, scope_penalty {penalty}; RETRIEVAL_MIN_SCORE {threshold:.3f} "
        f"(dev: out-of-scope abstention {recall:.2f}, false abstention {-false:.2f})"
    )


def _describe(fusion: Fusion) -> str:
    return ", ".join(f"{name} {getattr(fusion, name)}" for name in ("dense_weight", *RANKING_GRID))


if __name__ == "__main__":
    main()
