"""What each part of the bot's retrieval earns, on the dev split: the bot as configured, then with
one part taken away at a time, each with its own threshold calibrated as `make tune` does.

    python -m evaluation.ablation   # `make ablation` -> reports/ablation-dev.md
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Tuple, Type

import settings
from dialogue.components import load_components
from dialogue.focus import Focus
from embeddings.encoder import CONVERTED_E5_MODEL, Encoder
from embeddings.index import PassageIndex
from embeddings.search import Retriever
from evaluation.questions import answering_ids, load_split
from evaluation.retrieval_report import (
    ABSTENTION_TARGETS,
    REPORTS_DIR,
    BotPipeline,
    Outcome,
    abstention,
    calibrate,
    groups,
    in_scope_metrics,
)

GROUPS = ("id", "informal", "en", "follow-up", "all")


class _FollowUpsAlone(BotPipeline):
    """The bot, but a follow-up is searched as if it opened the conversation."""

    def run(self, question, correct):
        return replace(super().run(replace(question, followup_of=()), correct), question=question)


class _OutOfScopeGate(BotPipeline):
    """The bot, but NLU's out_of_scope is refused without searching (as before this release)."""

    def _turn(self, focus: Focus, text: str):
        if (self.parse(text).get("intent") or {}).get("name") == "out_of_scope":
            return (), (), focus, "out_of_scope (refused)"
        return super()._turn(focus, text)


def variants(retriever: Retriever, config: settings.Settings) -> Dict[str, Tuple[Retriever, Type[BotPipeline]]]:
    """Each variant's retriever and pipeline."""
    fusion = retriever.fusion
    converted = Encoder(CONVERTED_E5_MODEL, threads=retriever.encoder.threads, built_dir=config.models_dir)
    converted_index = PassageIndex.build(retriever.index.passages, converted, examples=retriever.index.examples)
    return {
        "the bot": (retriever, BotPipeline),
        "no example questions": (
            retriever.replaced(fusion=replace(fusion, dense_weight=1.0, example_weight=0.0)),
            BotPipeline,
        ),
        "not fine-tuned (e5 as converted)": (retriever.replaced(index=converted_index, encoder=converted), BotPipeline),
        "no BM25": (retriever.replaced(fusion=replace(fusion, lexical_weight=0.0)), BotPipeline),
        "no aspect and term boosts": (
            retriever.replaced(fusion=replace(fusion, aspect_boost=0.0, term_boost=0.0)),
            BotPipeline,
        ),
        "no out-of-scope penalty": (retriever.replaced(fusion=replace(fusion, scope_penalty=0.0)), BotPipeline),
        "follow-ups searched alone": (retriever, _FollowUpsAlone),
        "NLU's out_of_scope refused unsearched": (retriever, _OutOfScopeGate),
    }


def main() -> None:
    config = settings.load_or_exit()
    components = load_components(config)
    retriever = components.retriever
    questions = load_split("dev")
    correct = {q.id: answering_ids(q, retriever.index.passages) for q in questions}
    base = BotPipeline(components, config.rasa_model)
    lines = [
        "# What each part earns (dev split)",
        "",
        "The bot on the dev split, then with one part taken away; each row's threshold is calibrated "
        f"on dev to abstain on at most {ABSTENTION_TARGETS[1]:.0%} of the in-scope questions. hit@1 counts an "
        "abstention on an in-scope question as a miss. `python -m evaluation.ablation` (`make ablation`).",
        "",
        "| Variant | " + " | ".join(f"{g} hit@1" for g in GROUPS) + " | out-of-scope abstention | false abstention |",
        "|---|" + "---|" * (len(GROUPS) + 2),
    ]
    for name, (chosen, kind) in variants(retriever, config).items():
        pipeline = kind.__new__(kind)
        pipeline.__dict__.update(base.__dict__)  # the loaded NLU and its parses, shared
        pipeline.retriever = chosen.replaced(min_score=float("-inf"))
        tops = [(o.top_score, o.question.out_of_scope) for o in _run(pipeline, questions, correct)]
        pipeline.retriever = chosen.replaced(min_score=calibrate(tops, ABSTENTION_TARGETS[1]))
        outcomes = _run(pipeline, questions, correct)
        g, a = groups(outcomes), abstention(outcomes)
        cells = [f"{in_scope_metrics(g[group]).hit1:.2f}" for group in GROUPS]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {a.recall:.2f} | {a.false_rate:.2f} |")
        print(lines[-1], flush=True)
    REPORTS_DIR.mkdir(exist_ok=True)
    (REPORTS_DIR / "ablation-dev.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Report: {REPORTS_DIR / 'ablation-dev.md'}")


def _run(pipeline: BotPipeline, questions, correct) -> List[Outcome]:
    return [pipeline.run(q, correct[q.id]) for q in questions]


if __name__ == "__main__":
    main()
