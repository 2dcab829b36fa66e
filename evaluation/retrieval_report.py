"""Retrieval quality on the team's question set, side by side on one split: BM25 only, dense only,
hybrid, and the full pipeline (the trained Rasa NLU, then the action's query building and focus
carried across follow-ups, then hybrid search with aspect boost).

    python -m evaluation.retrieval_report                       # test split -> reports/retrieval.{md,png}
    python -m evaluation.retrieval_report --split dev --misses  # while tuning: list what went wrong

The baselines search the raw question; their abstention threshold is calibrated on the dev split.
The full pipeline runs with the configured settings (RETRIEVAL_MIN_SCORE was calibrated on dev:
the report prints what dev suggests now). Never tune on the test split.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple

import settings
from actions.answer_format import answer_messages
from embeddings.conversation import ANSWERING_INTENTS, Focus, answer
from embeddings.fusion import Fusion
from embeddings.query import Query
from embeddings.search import Hit, Retriever, load_retriever
from evaluation.questions import Question, answering_ids, load_split, unmatched_phrases

REPORTS_DIR = settings.ROOT / "reports"
SYSTEMS = ("bm25", "dense", "hybrid", "full")
SYSTEM_NAMES = {
    "bm25": "BM25 only",
    "dense": "Dense only",
    "hybrid": "Hybrid",
    "full": "Full pipeline",
}
CATEGORIES = ("formal", "informal", "en", "follow-up")
TARGETS = (
    ("Indonesian hit@1", "id", "hit1", 0.85),
    ("Indonesian hit@3", "id", "hit3", 0.95),
    ("English hit@1", "en", "hit1", 0.75),
    ("Informal Indonesian hit@1", "informal", "hit1", 0.80),
    ("Follow-up hit@1", "follow-up", "hit1", 0.90),
)


@dataclass(frozen=True)
class Outcome:
    """One question through one system."""

    question: Question
    correct: FrozenSet[str]  # ids of the passages that answer it
    ranked: Tuple[Hit, ...]  # eligible passages, best first (empty if nothing was searched)
    shown: Tuple[Hit, ...]  # what the bot answers with (empty: it abstained)
    note: str = ""  # what NLU understood, for the list of misses

    @property
    def abstained(self) -> bool:
        return not self.shown

    @property
    def rank(self) -> Optional[int]:
        """Rank of the first correct passage (the answer is rank 1), None if absent or abstained."""
        if self.abstained:
            return None
        return next((hit.rank for hit in self.ranked if hit.passage.id in self.correct), None)

    @property
    def answer_chars(self) -> int:
        return sum(len(text) for text in answer_messages(self.shown, settings.load().max_answer_chars))


@dataclass(frozen=True)
class Metrics:
    count: int
    hit1: float
    hit3: float
    mrr: float


def metrics(outcomes: Sequence[Outcome]) -> Optional[Metrics]:
    in_scope = [o for o in outcomes if not o.question.out_of_scope]
    if not in_scope:
        return None
    ranks = [o.rank for o in in_scope]
    return Metrics(
        count=len(in_scope),
        hit1=sum(1 for r in ranks if r == 1) / len(ranks),
        hit3=sum(1 for r in ranks if r is not None and r <= 3) / len(ranks),
        mrr=sum(1 / r for r in ranks if r) / len(ranks),
    )


@dataclass(frozen=True)
class Abstention:
    out_of_scope: int
    recall: float  # of out-of-scope questions, the share the bot abstained on
    precision: float  # of abstentions, the share that were out of scope
    false_rate: float  # of in-scope questions, the share the bot abstained on


def abstention(outcomes: Sequence[Outcome]) -> Abstention:
    oos = [o for o in outcomes if o.question.out_of_scope]
    in_scope = [o for o in outcomes if not o.question.out_of_scope]
    abstained = [o for o in outcomes if o.abstained]
    return Abstention(
        out_of_scope=len(oos),
        recall=sum(o.abstained for o in oos) / len(oos) if oos else 1.0,
        precision=sum(o.question.out_of_scope for o in abstained) / len(abstained) if abstained else 1.0,
        false_rate=sum(o.abstained for o in in_scope) / len(in_scope) if in_scope else 0.0,
    )


def groups(outcomes: Sequence[Outcome]) -> Dict[str, List[Outcome]]:
    """Outcomes by language (id, en: first questions only), category, and all in-scope ones."""
    firsts = [o for o in outcomes if not o.question.followup_of]
    grouped = {
        "id": [o for o in firsts if o.question.language == "id" and not o.question.out_of_scope],
        "en": [o for o in firsts if o.question.language == "en" and not o.question.out_of_scope],
        **{c: [o for o in outcomes if o.question.category == c] for c in CATEGORIES},
        "all": [o for o in outcomes if not o.question.out_of_scope],
    }
    return grouped


# ---- the systems ---------------------------------------------------------------------------


def calibrate(top_scores: Sequence[Tuple[Optional[float], bool]]) -> float:
    """The threshold that best separates in-scope from out-of-scope questions by their best
    score: maximises abstention recall minus false abstention (Youden's J), midway between
    neighbouring scores. `top_scores` pairs each question's best score with `out_of_scope`."""
    scored = sorted({score for score, _ in top_scores if score is not None})
    candidates = [scored[0] - 1e-6] + [(a + b) / 2 for a, b in zip(scored, scored[1:])] + [scored[-1] + 1e-6]
    oos = [s for s, out in top_scores if out]
    ins = [s for s, out in top_scores if not out]

    def j(threshold: float) -> float:
        abstains = lambda s: s is None or s < threshold  # noqa: E731
        recall = sum(map(abstains, oos)) / len(oos) if oos else 0.0
        false = sum(map(abstains, ins)) / len(ins) if ins else 0.0
        return recall - false

    return max(candidates, key=lambda t: (round(j(t), 9), -t))


def baseline_ranking(retriever: Retriever, question: Question) -> Tuple[Hit, ...]:
    return tuple(retriever.search(Query.plain(question.text)))


class FullPipeline:
    """The bot's own path: Rasa NLU, routing, the focus across turns, the action's query."""

    def __init__(self, retriever: Retriever, model_path: Path) -> None:
        from rasa.core.agent import Agent

        self.retriever = retriever
        self.agent = Agent.load(str(model_path))
        self._parsed: Dict[str, dict] = {}

    def parse(self, text: str) -> dict:
        """What Rasa NLU understood of `text` (parsed once per text, so that tuning can rerun)."""
        if text not in self._parsed:
            self._parsed[text] = asyncio.run(self.agent.parse_message(text))
        return self._parsed[text]

    def run(self, question: Question) -> Tuple[Tuple[Hit, ...], Tuple[Hit, ...], str]:
        focus = Focus()
        for earlier in question.followup_of:
            focus = self._turn(focus, earlier)[2]
        ranked, shown, _, note = self._turn(focus, question.text, with_note=True)
        return ranked, shown, note

    def _turn(self, focus: Focus, text: str, with_note: bool = False):
        parsed = self.parse(text)
        intent = (parsed.get("intent") or {}).get("name") or ""
        entities = parsed.get("entities") or []
        note = f"{intent} {[(e['entity'], e.get('value')) for e in entities]}"
        if intent not in ANSWERING_INTENTS:
            return (), (), focus, note
        reply = answer(self.retriever, focus, intent, entities, text)
        note += f" -> {reply.status}: {reply.focus.query().text!r} [{reply.focus.aspect}]"
        return reply.ranked, reply.hits, reply.focus, note


def baseline_fusions(configured: Fusion) -> Dict[str, Fusion]:
    return {
        "bm25": Fusion(dense_weight=0.0, lexical_weight=1.0, lexical_half=configured.lexical_half, aspect_boost=0.0),
        "dense": Fusion(dense_weight=1.0, lexical_weight=0.0, aspect_boost=0.0),
        "hybrid": replace(configured, aspect_boost=0.0),
    }


def evaluate(split: str, model_path: Path) -> Tuple[Dict[str, List[Outcome]], Dict[str, float]]:
    """Every system's outcomes on `split`, and the thresholds used (baselines: calibrated on dev)."""
    retriever = load_retriever(settings.load())
    passages = retriever.index.passages
    questions = {name: load_split(name) for name in ("dev", split)}
    for name, items in questions.items():
        missing = unmatched_phrases(items, passages)
        if missing:
            raise SystemExit(f"Answer phrases of the {name} split match no passage: {missing}")
    correct = {q.id: answering_ids(q, passages) for items in questions.values() for q in items}

    results: Dict[str, List[Outcome]] = {}
    thresholds: Dict[str, float] = {}
    for name, fusion in baseline_fusions(retriever.fusion).items():
        system = retriever.replaced(fusion=fusion, min_score=0.0)
        dev_top = [(_top(baseline_ranking(system, q)), q.out_of_scope) for q in questions["dev"]]
        thresholds[name] = calibrate(dev_top)
        system = retriever.replaced(fusion=fusion, min_score=thresholds[name])
        results[name] = [
            Outcome(q, correct[q.id], ranked, tuple(system.select(ranked)))
            for q in questions[split]
            for ranked in [baseline_ranking(system, q)]
        ]

    full = FullPipeline(retriever, model_path)
    thresholds["full"] = retriever.min_score
    results["full"] = [Outcome(q, correct[q.id], *full.run(q)) for q in questions[split]]
    if split == "dev":
        thresholds["full (dev suggests)"] = calibrate([(_top(o.ranked), o.question.out_of_scope) for o in results["full"]])
    return results, thresholds


def _top(ranked: Sequence[Hit]) -> Optional[float]:
    return ranked[0].score if ranked else None


# ---- the report ----------------------------------------------------------------------------


def _fmt(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.2f}"


def markdown(split: str, results: Dict[str, List[Outcome]], thresholds: Dict[str, float]) -> str:
    config = settings.load()
    any_outcomes = next(iter(results.values()))
    counts = {key: len(items) for key, items in groups(any_outcomes).items()}
    oos = sum(o.question.out_of_scope for o in any_outcomes)
    lines = [
        f"# Retrieval evaluation ({split} split)",
        "",
        f"{len(any_outcomes)} questions: {counts['formal']} formal Indonesian, {counts['informal']} informal "
        f"Indonesian, {counts['en']} English, {counts['follow-up']} follow-ups, {oos} out of scope. "
        f"Model `{config.embedding_model}`; fusion {config.fusion_method} (dense {config.dense_weight}, "
        f"lexical {config.lexical_weight}, BM25 half {config.lexical_half}, aspect boost {config.aspect_boost}); "
        f"stemming {'on' if config.stemming else 'off'}.",
        "",
        "A question is a hit at k when a passage containing one of its labelled phrases is the answer "
        "(k = 1) or among the first k passages ranked; an abstention on an in-scope question is a miss.",
        "",
        "## Targets (full pipeline)",
        "",
        "| Target | Goal | Result |",
        "|---|---|---|",
    ]
    full_groups = groups(results["full"])
    for label, group, field, goal in TARGETS:
        m = metrics(full_groups[group])
        value = getattr(m, field) if m else None
        lines.append(f"| {label} | ≥ {goal:.2f} | {_fmt(value)} |")
    a = abstention(results["full"])
    lines += [
        f"| Out-of-scope abstention | ≥ 0.95 | {a.recall:.2f} |",
        f"| In-scope false abstention | ≤ 0.05 | {a.false_rate:.2f} |",
        "",
        "## Systems side by side",
        "",
        "hit@1 / hit@3 / MRR per group (n = in-scope questions).",
        "",
        "| Group | n | " + " | ".join(SYSTEM_NAMES[s] for s in SYSTEMS) + " |",
        "|---|---|" + "---|" * len(SYSTEMS),
    ]
    for group in ("id", "en", *CATEGORIES, "all"):
        cells = []
        for system in SYSTEMS:
            m = metrics(groups(results[system])[group])
            cells.append(f"{m.hit1:.2f} / {m.hit3:.2f} / {m.mrr:.2f}" if m else "–")
        lines.append(f"| {group} | {counts[group]} | " + " | ".join(cells) + " |")
    lines += ["", "| Abstention | " + " | ".join(SYSTEM_NAMES[s] for s in SYSTEMS) + " |", "|---|" + "---|" * len(SYSTEMS)]
    rows = {
        "threshold": [f"{thresholds[s]:.3f}" for s in SYSTEMS],
        "out-of-scope recall": [f"{abstention(results[s]).recall:.2f}" for s in SYSTEMS],
        "precision": [f"{abstention(results[s]).precision:.2f}" for s in SYSTEMS],
        "in-scope false abstention": [f"{abstention(results[s]).false_rate:.2f}" for s in SYSTEMS],
        "mean answer length (chars)": [f"{mean_answer_chars(results[s]):.0f}" for s in SYSTEMS],
    }
    lines += [f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows.items()]
    lines += [
        "",
        "Baseline thresholds are calibrated on the dev split (best abstention recall minus false "
        "abstention); the full pipeline runs with the configured `RETRIEVAL_MIN_SCORE`. Baselines "
        "search the raw question alone (a follow-up without its conversation); the full pipeline "
        "also abstains when NLU routes a question elsewhere or it names no complaint.",
        "",
        "By aspect asked (full pipeline, hit@1):",
        "",
        "| Aspect | n | hit@1 |",
        "|---|---|---|",
    ]
    by_aspect: Dict[str, List[Outcome]] = {}
    for o in results["full"]:
        if not o.question.out_of_scope:
            by_aspect.setdefault(o.question.aspect, []).append(o)
    for aspect, items in sorted(by_aspect.items()):
        lines.append(f"| {aspect} | {len(items)} | {metrics(items).hit1:.2f} |")
    lines += ["", f"![hit@1 by group and system](retrieval-{split}.png)", ""]
    return "\n".join(lines)


def mean_answer_chars(outcomes: Sequence[Outcome]) -> float:
    answered = [o.answer_chars for o in outcomes if not o.abstained]
    return statistics.mean(answered) if answered else 0.0


def chart(results: Dict[str, List[Outcome]], path: Path, split: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    group_names = ("id", "en", *CATEGORIES)
    width = 0.2
    fig, ax = plt.subplots(figsize=(9, 4))
    for offset, system in enumerate(SYSTEMS):
        values = []
        for group in group_names:
            m = metrics(groups(results[system])[group])
            values.append(m.hit1 if m else 0.0)
        xs = [i + (offset - 1.5) * width for i in range(len(group_names))]
        ax.bar(xs, values, width, label=SYSTEM_NAMES[system])
    ax.set_xticks(range(len(group_names)))
    ax.set_xticklabels(["Indonesian", "English", "formal", "informal", "English (cat.)", "follow-up"])
    ax.set_ylim(0, 1)
    ax.set_ylabel("hit@1")
    ax.set_title(f"Retrieval hit@1 by question group ({split} split)")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def headline(split: str, results: Dict[str, List[Outcome]], thresholds: Dict[str, float]) -> str:
    lines = [f"Retrieval on the {split} split (hit@1 / hit@3 / MRR):"]
    for system in SYSTEMS:
        g = groups(results[system])
        parts = []
        for group in ("id", "en", "informal", "follow-up"):
            m = metrics(g[group])
            parts.append(f"{group} {m.hit1:.2f}/{m.hit3:.2f}/{m.mrr:.2f}" if m else f"{group} –")
        a = abstention(results[system])
        lines.append(
            f"  {SYSTEM_NAMES[system]:14} " + "  ".join(parts)
            + f"  | abstain oos {a.recall:.2f}, false {a.false_rate:.2f} (t={thresholds[system]:.3f})"
        )
    if "full (dev suggests)" in thresholds:
        lines.append(f"  dev-calibrated RETRIEVAL_MIN_SCORE for the full pipeline: {thresholds['full (dev suggests)']:.3f}")
    return "\n".join(lines)


def misses(outcomes: Sequence[Outcome]) -> str:
    lines = []
    for o in outcomes:
        wrong = o.abstained != o.question.out_of_scope or (not o.question.out_of_scope and o.rank != 1)
        if not wrong:
            continue
        top = o.shown[0].passage if o.shown else (o.ranked[0].passage if o.ranked else None)
        where = f"{top.doc_id} / {top.section[:40]}: {top.content[:70]!r}" if top else "nothing ranked"
        shown = "ABSTAINED" if o.abstained else f"rank {o.rank}"
        lines.append(f"- {o.question.id} [{o.question.category}/{o.question.aspect}] {o.question.text!r}: {shown}")
        lines.append(f"    NLU {o.note}")
        lines.append(f"    top: {where}" + (f" score {o.ranked[0].score:.3f}" if o.ranked else ""))
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None, out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--misses", action="store_true", help="list the full pipeline's misses (dev only)")
    args = parser.parse_args(argv)
    if args.misses and args.split != "dev":
        parser.error("--misses lists questions to tune on: only for the dev split")
    config = settings.load()
    results, thresholds = evaluate(args.split, config.rasa_model)
    REPORTS_DIR.mkdir(exist_ok=True)
    (REPORTS_DIR / f"retrieval-{args.split}.md").write_text(markdown(args.split, results, thresholds), encoding="utf-8")
    chart(results, REPORTS_DIR / f"retrieval-{args.split}.png", args.split)
    if args.misses:
        out(misses(results["full"]))
    out(headline(args.split, results, thresholds))
    out(f"Report: {REPORTS_DIR / f'retrieval-{args.split}.md'}")


if __name__ == "__main__":
    main()
