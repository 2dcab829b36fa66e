"""Retrieval quality on the team's question set, side by side on one split: BM25 only, dense
all-MiniLM-L6-v2 only, dense multilingual-e5 only, the previous release's pipeline, and the bot's
pipeline (the trained Rasa NLU, the dialogue's reading and focus across follow-ups, hybrid search).

    python -m evaluation.retrieval_report                       # test split -> reports/retrieval-test.{md,png}
    python -m evaluation.retrieval_report --split dev --misses  # while tuning: list what went wrong

The baselines search the raw question (a follow-up without its conversation); their abstention
threshold is calibrated on the dev split. The bot runs with the configured settings
(RETRIEVAL_MIN_SCORE was calibrated on dev: a dev run prints what dev suggests now). The previous
release's outcomes come from `evaluation/previous_release.py`. Never tune on the test split.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

import settings
from actions.answer_format import answers
from dialogue.answering import answer
from dialogue.components import Components, load_components, with_retriever
from dialogue.focus import Focus
from dialogue.intents import ANSWERING_INTENTS
from embeddings.encoder import BUNDLED_MINILM_NAMES, CONVERTED_E5_MODEL, Encoder
from embeddings.fusion import Fusion
from embeddings.index import PassageIndex
from embeddings.search import Hit, Query, Retriever
from evaluation.questions import Question, answering_ids, load_split, unmatched_phrases
from knowledge.passages import Passage

REPORTS_DIR = settings.ROOT / "reports"
PREVIOUS_RELEASE = Path(__file__).with_name("previous_release.json")
SYSTEM_NAMES = {
    "bm25": "BM25 only",
    "minilm": "Dense MiniLM",
    "e5": "Dense e5",  # multilingual-e5-small as converted, not fine-tuned
    "previous": "Previous release",
    "full": "Bot (new)",
}
CATEGORIES = ("formal", "informal", "en", "follow-up")
TARGETS = (
    ("Indonesian hit@1", "id", "hit1", 0.90),
    ("Indonesian hit@3", "id", "hit3", 0.97),
    ("Informal Indonesian hit@1", "informal", "hit1", 0.85),
    ("English hit@1", "en", "hit1", 0.85),
    ("Follow-up hit@1", "follow-up", "hit1", 0.90),
)
ABSTENTION_TARGETS = (0.95, 0.03)  # out-of-scope abstention at least, in-scope false abstention at most


@dataclass(frozen=True)
class Outcome:
    """One question through one system: the ids ranked, shown, and whether it abstained. The bot
    shows nothing when it abstains; a baseline always shows its best, so that its ranking is
    measured, and abstains (for the abstention figures) below its calibrated threshold."""

    question: Question
    correct: FrozenSet[str]  # ids of the passages that answer it
    ranked: Tuple[str, ...]  # passage ids, best first (empty if nothing was searched)
    shown: Tuple[str, ...]  # what the system answers with
    abstained: bool
    answer_chars: int = 0  # characters of the answer messages
    seconds: float = 0.0  # retrieval time (embedding, search, fusion), NLU excluded
    note: str = ""  # what NLU and the dialogue understood, for the list of misses
    top_score: Optional[float] = None

    @property
    def rank(self) -> Optional[int]:
        """Rank of the first correct passage (the answer is rank 1), None if absent or nothing shown."""
        if not self.shown:
            return None
        return next((rank for rank, pid in enumerate(self.ranked, start=1) if pid in self.correct), None)


@dataclass(frozen=True)
class Metrics:
    count: int
    hit1: float
    hit3: float
    mrr: float


def metrics(outcomes: Sequence[Outcome]) -> Optional[Metrics]:
    """Ranking figures of the in-scope questions among `outcomes`, None if there are none."""
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


def in_scope_metrics(outcomes: Sequence[Outcome]) -> Metrics:
    """`metrics` of outcomes known to include in-scope questions."""
    found = metrics(outcomes)
    if found is None:
        raise ValueError("no in-scope question among the outcomes")
    return found


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
    firsts = [o for o in outcomes if not o.question.followup_of and not o.question.out_of_scope]
    return {
        "id": [o for o in firsts if o.question.language == "id"],
        "en": [o for o in firsts if o.question.language == "en"],
        **{c: [o for o in outcomes if o.question.category == c] for c in CATEGORIES},
        "all": [o for o in outcomes if not o.question.out_of_scope],
    }


def calibrate(top_scores: Sequence[Tuple[Optional[float], bool]], max_false: Optional[float] = None) -> float:
    """The threshold that best separates in-scope from out-of-scope questions by their best score,
    midway between neighbouring scores. `top_scores` pairs each question's best score with
    `out_of_scope`. Without `max_false`: the most abstention recall minus false abstention
    (Youden's J); with it: the most abstention recall with false abstention at most `max_false`
    (the lowest threshold when even that abstains more)."""
    scored = sorted({score for score, _ in top_scores if score is not None})
    candidates = [scored[0] - 1e-6] + [(a + b) / 2 for a, b in zip(scored, scored[1:])] + [scored[-1] + 1e-6]
    oos = [s for s, out in top_scores if out]
    ins = [s for s, out in top_scores if not out]

    def rates(threshold: float) -> Tuple[float, float]:
        abstains = lambda s: s is None or s < threshold  # noqa: E731
        recall = sum(map(abstains, oos)) / len(oos) if oos else 0.0
        false = sum(map(abstains, ins)) / len(ins) if ins else 0.0
        return recall, false

    if max_false is None:
        return max(candidates, key=lambda t: (round(rates(t)[0] - rates(t)[1], 9), -t))
    allowed = [t for t in candidates if rates(t)[1] <= max_false + 1e-9] or candidates[:1]
    return max(allowed, key=lambda t: (round(rates(t)[0], 9), -t))


# ---- the systems ---------------------------------------------------------------------------


def _outcome(
    question: Question,
    correct: FrozenSet[str],
    ranked: Sequence[Hit],
    shown: Sequence[Hit],
    seconds: float,
    note: str = "",
    threshold: Optional[float] = None,
) -> Outcome:
    return Outcome(
        question,
        correct,
        tuple(hit.passage.id for hit in ranked),
        tuple(hit.passage.id for hit in shown),
        not shown if threshold is None else not ranked or ranked[0].score < threshold,
        sum(len(message.text) for message in answers(shown, settings.load().max_answer_chars)),
        seconds,
        note,
        ranked[0].score if ranked else None,
    )


def run_baseline(retriever: Retriever, question: Question, correct: FrozenSet[str], threshold: float) -> Outcome:
    """The raw question searched; its best passage shown, abstaining below `threshold`."""
    began = time.perf_counter()
    ranked = retriever.search(Query(question.text))
    shown = ranked[:1]
    return _outcome(question, correct, ranked, shown, time.perf_counter() - began, threshold=threshold)


class BotPipeline:
    """The bot's own path: Rasa NLU, routing, the dialogue's focus across turns, hybrid search."""

    def __init__(self, components: Components, model_path: Path) -> None:
        from rasa.core.agent import Agent

        self.components = components
        self.agent = Agent.load(str(model_path))
        self._parsed: Dict[str, dict] = {}

    @property
    def retriever(self) -> Retriever:
        return self.components.retriever

    @retriever.setter
    def retriever(self, retriever: Retriever) -> None:
        """Search with `retriever` (a variant, for tuning) instead."""
        self.components = with_retriever(self.components, retriever)

    def parse(self, text: str) -> dict:
        """What Rasa NLU understood of `text` (parsed once per text, so that tuning can rerun)."""
        if text not in self._parsed:
            self._parsed[text] = asyncio.run(self.agent.parse_message(text))
        return self._parsed[text]

    def run(self, question: Question, correct: FrozenSet[str]) -> Outcome:
        focus = Focus()
        for earlier in question.followup_of:
            focus = self._turn(focus, earlier)[2]
        began = time.perf_counter()
        ranked, shown, _, note = self._turn(focus, question.text)
        return _outcome(question, correct, ranked, shown, time.perf_counter() - began, note)

    def _turn(self, focus: Focus, text: str):
        parsed = self.parse(text)
        intent = (parsed.get("intent") or {}).get("name") or ""
        entities = parsed.get("entities") or []
        note = f"{intent} {[(e['entity'], e.get('value')) for e in entities]}"
        if intent not in ANSWERING_INTENTS:
            return (), (), focus, note
        reply = answer(self.components, focus, intent, entities, text)
        note += f" -> {reply.status}: {reply.focus.query!r} [{reply.focus.aspect}]"
        return reply.ranked, reply.hits, reply.focus, note


def baselines(retriever: Retriever, config: settings.Settings) -> Dict[str, Retriever]:
    """Off-the-shelf retrievers over the passages alone (no example questions), each searching
    the raw question: BM25, dense all-MiniLM-L6-v2, dense multilingual-e5-small as converted."""
    nothing = Fusion(
        dense_weight=0.0,
        example_weight=0.0,
        lexical_weight=0.0,
        lexical_half=retriever.fusion.lexical_half,
        aspect_boost=0.0,
        term_boost=0.0,
        scope_penalty=0.0,
    )
    dense = replace(nothing, dense_weight=1.0)
    systems = {"bm25": retriever.replaced(fusion=replace(nothing, lexical_weight=1.0))}
    for name, model in (("minilm", BUNDLED_MINILM_NAMES[0]), ("e5", CONVERTED_E5_MODEL)):
        encoder = Encoder(model, threads=retriever.encoder.threads, built_dir=config.models_dir)
        systems[name] = retriever.replaced(
            index=PassageIndex.build(retriever.index.passages, encoder), encoder=encoder, fusion=dense
        )
    return systems


def previous_release(
    questions: Sequence[Question], correct: Mapping[str, FrozenSet[str]], passages: Sequence[Passage]
) -> Optional[List[Outcome]]:
    """The previous release's outcomes on these questions, if `evaluation/previous_release.py`
    recorded them for every one."""
    if not PREVIOUS_RELEASE.is_file():
        return None
    recorded = json.loads(PREVIOUS_RELEASE.read_text(encoding="utf-8"))["outcomes"]
    if any(q.id not in recorded or recorded[q.id]["text"] != q.text for q in questions):
        return None
    by_id = {p.id: p for p in passages}
    outcomes = []
    for q in questions:
        item = recorded[q.id]
        shown = [by_id[pid] for pid in item["shown"] if pid in by_id]
        chars = sum(len(p.content) for p in shown)
        outcomes.append(
            Outcome(
                q,
                correct[q.id],
                tuple(item["ranked"]),
                tuple(item["shown"]),
                not item["shown"],
                chars,
                item["seconds"],
                item["note"],
            )
        )
    return outcomes


def evaluate(
    split: str, model_path: Path, systems: Sequence[str] = tuple(SYSTEM_NAMES)
) -> Tuple[Dict[str, List[Outcome]], Dict[str, float]]:
    """Every system's outcomes on `split`, and the thresholds used (baselines: calibrated on dev)."""
    config = settings.load()
    components = load_components(config)
    retriever = components.retriever
    passages = retriever.index.passages
    questions = {name: load_split(name) for name in ("dev", split)}
    for name, items in questions.items():
        missing = unmatched_phrases(items, passages)
        if missing:
            raise SystemExit(f"Answer phrases of the {name} split match no passage: {missing}")
    correct = {q.id: answering_ids(q, passages) for items in questions.values() for q in items}

    results: Dict[str, List[Outcome]] = {}
    thresholds: Dict[str, float] = {}
    for name, system in baselines(retriever, config).items():
        if name not in systems:
            continue
        dev_top = [(run_baseline(system, q, correct[q.id], 0.0).top_score, q.out_of_scope) for q in questions["dev"]]
        thresholds[name] = calibrate(dev_top)
        results[name] = [run_baseline(system, q, correct[q.id], thresholds[name]) for q in questions[split]]
    if "previous" in systems:
        previous = previous_release(questions[split], correct, passages)
        if previous is not None:
            results["previous"] = previous
    if "full" in systems:
        pipeline = BotPipeline(components, model_path)
        thresholds["full"] = retriever.min_score
        results["full"] = [pipeline.run(q, correct[q.id]) for q in questions[split]]
        if split == "dev":
            pipeline.retriever = retriever.replaced(min_score=float("-inf"))
            unfiltered = [pipeline.run(q, correct[q.id]) for q in questions[split]]
            thresholds["full (dev suggests)"] = calibrate(
                [(o.top_score, o.question.out_of_scope) for o in unfiltered], max_false=ABSTENTION_TARGETS[1]
            )
    return results, thresholds


# ---- the report ----------------------------------------------------------------------------


def _fmt(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.2f}"


def markdown(split: str, results: Dict[str, List[Outcome]], thresholds: Dict[str, float]) -> str:
    config = settings.load()
    systems = [s for s in SYSTEM_NAMES if s in results]
    any_outcomes = results["full"] if "full" in results else next(iter(results.values()))
    counts = {key: len(items) for key, items in groups(any_outcomes).items()}
    oos = sum(o.question.out_of_scope for o in any_outcomes)
    lines = [
        f"# Retrieval evaluation ({split} split)",
        "",
        f"{len(any_outcomes)} questions: {counts['formal']} formal Indonesian, {counts['informal']} informal "
        f"Indonesian, {counts['en']} English, {counts['follow-up']} follow-ups, {oos} out of scope. "
        f"Model `{config.embedding_model}`; fusion: passage cosine {config.dense_weight}, nearest example "
        f"{config.example_weight}, BM25 {config.lexical_weight} (half {config.lexical_half}), aspect boost "
        f"{config.aspect_boost}, term boost {config.term_boost}, out-of-scope penalty {config.scope_penalty}; "
        f"threshold {config.min_score}.",
        "",
        "A question is a hit at k when a passage containing one of its labelled phrases is the answer "
        "(k = 1) or among the first k passages ranked; an abstention on an in-scope question is a miss.",
        "",
    ]
    if "full" in results:
        full_groups = groups(results["full"])
        lines += ["## Targets (the bot)", "", "| Target | Goal | Result |", "|---|---|---|"]
        for label, group, field, goal in TARGETS:
            m = metrics(full_groups[group])
            lines.append(f"| {label} | ≥ {goal:.2f} | {_fmt(getattr(m, field) if m else None)} |")
        a = abstention(results["full"])
        lines += [
            f"| Out-of-scope abstention | ≥ {ABSTENTION_TARGETS[0]:.2f} | {a.recall:.2f} |",
            f"| In-scope false abstention | ≤ {ABSTENTION_TARGETS[1]:.2f} | {a.false_rate:.2f} |",
            "",
        ]
    lines += [
        "## Systems side by side",
        "",
        "hit@1 / hit@3 / MRR per group (n = in-scope questions; id and en: first questions only). The "
        "baselines' figures measure their ranking (they always answer); the bot's and the previous "
        "release's count an abstention on an in-scope question as a miss.",
        "",
        "| Group | n | " + " | ".join(SYSTEM_NAMES[s] for s in systems) + " |",
        "|---|---|" + "---|" * len(systems),
    ]
    for group in ("id", "en", "formal", "informal", "follow-up", "all"):
        cells = []
        for system in systems:
            m = metrics(groups(results[system])[group])
            cells.append(f"{m.hit1:.2f} / {m.hit3:.2f} / {m.mrr:.2f}" if m else "–")
        lines.append(f"| {group} | {counts[group]} | " + " | ".join(cells) + " |")
    lines += ["", "| | " + " | ".join(SYSTEM_NAMES[s] for s in systems) + " |", "|---|" + "---|" * len(systems)]
    rows = {
        "threshold": [f"{thresholds[s]:.3f}" if s in thresholds else "–" for s in systems],
        "out-of-scope abstention (recall)": [f"{abstention(results[s]).recall:.2f}" for s in systems],
        "abstention precision": [f"{abstention(results[s]).precision:.2f}" for s in systems],
        "in-scope false abstention": [f"{abstention(results[s]).false_rate:.2f}" for s in systems],
        "mean answer length (chars)": [f"{mean_answer_chars(results[s]):.0f}" for s in systems],
        "retrieval ms per question (median)": [
            f"{statistics.median(o.seconds for o in results[s]) * 1000:.1f}" for s in systems
        ],
    }
    lines += [f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows.items()]
    lines += [
        "",
        "Baseline thresholds are calibrated on the dev split (best abstention recall minus false "
        "abstention); the bot runs with the configured `RETRIEVAL_MIN_SCORE`. Baselines search the "
        "raw question alone (a follow-up without its conversation); the bot also abstains when NLU "
        "routes a question elsewhere, when it names a body part the articles do not cover, or when it "
        "names nothing to search for. The previous release's figures were recorded by "
        "`python -m evaluation.previous_release` (its retrieval times include its NLU-free search only).",
    ]
    if "full" in results:
        lines += ["", "By aspect asked (the bot, hit@1):", "", "| Aspect | n | hit@1 |", "|---|---|---|"]
        by_aspect: Dict[str, List[Outcome]] = {}
        for o in results["full"]:
            if not o.question.out_of_scope:
                by_aspect.setdefault(o.question.aspect, []).append(o)
        for aspect, items in sorted(by_aspect.items()):
            lines.append(f"| {aspect} | {len(items)} | {in_scope_metrics(items).hit1:.2f} |")
    lines += ["", f"![hit@1 by group and system](retrieval-{split}.png)", ""]
    return "\n".join(lines)


def mean_answer_chars(outcomes: Sequence[Outcome]) -> float:
    answered = [o.answer_chars for o in outcomes if not o.abstained]
    return statistics.mean(answered) if answered else 0.0


def chart(results: Dict[str, List[Outcome]], path: Path, split: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = [s for s in SYSTEM_NAMES if s in results]
    group_names = ("id", "en", "informal", "follow-up")
    width = 0.8 / len(systems)
    fig, ax = plt.subplots(figsize=(9, 4))
    for offset, system in enumerate(systems):
        values = []
        for group in group_names:
            m = metrics(groups(results[system])[group])
            values.append(m.hit1 if m else 0.0)
        xs = [i + (offset - (len(systems) - 1) / 2) * width for i in range(len(group_names))]
        ax.bar(xs, values, width, label=SYSTEM_NAMES[system])
    ax.set_xticks(range(len(group_names)))
    ax.set_xticklabels(["Indonesian", "English", "informal Indonesian", "follow-ups"])
    ax.set_ylim(0, 1)
    ax.set_ylabel("hit@1")
    ax.set_title(f"Retrieval hit@1 by question group ({split} split)")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def headline(split: str, results: Dict[str, List[Outcome]], thresholds: Dict[str, float]) -> str:
    lines = [f"Retrieval on the {split} split (hit@1 / hit@3 / MRR):"]
    for system in (s for s in SYSTEM_NAMES if s in results):
        g = groups(results[system])
        parts = []
        for group in ("id", "en", "informal", "follow-up"):
            m = metrics(g[group])
            parts.append(f"{group} {m.hit1:.2f}/{m.hit3:.2f}/{m.mrr:.2f}" if m else f"{group} –")
        a = abstention(results[system])
        threshold = f" (t={thresholds[system]:.3f})" if system in thresholds else ""
        lines.append(
            f"  {SYSTEM_NAMES[system]:16} "
            + "  ".join(parts)
            + f"  | abstain oos {a.recall:.2f}, false {a.false_rate:.2f}{threshold}"
        )
    if "full (dev suggests)" in thresholds:
        lines.append(f"  dev-calibrated RETRIEVAL_MIN_SCORE for the bot: {thresholds['full (dev suggests)']:.3f}")
    return "\n".join(lines)


def misses(outcomes: Sequence[Outcome], passages: Mapping[str, Passage]) -> str:
    lines = []
    for o in outcomes:
        wrong = o.abstained != o.question.out_of_scope or (not o.question.out_of_scope and o.rank != 1)
        if not wrong:
            continue
        top = passages.get(o.shown[0] if o.shown else (o.ranked[0] if o.ranked else ""))
        where = f"{top.doc_id} / {top.section[:40]}: {top.content[:70]!r}" if top else "nothing ranked"
        shown = "ABSTAINED" if o.abstained else f"rank {o.rank}"
        lines.append(f"- {o.question.id} [{o.question.category}/{o.question.aspect}] {o.question.text!r}: {shown}")
        lines.append(f"    NLU {o.note}")
        lines.append(f"    top: {where}" + (f" score {o.top_score:.3f}" if o.top_score is not None else ""))
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None, out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--misses", action="store_true", help="list the bot's misses (dev only)")
    args = parser.parse_args(argv)
    if args.misses and args.split != "dev":
        parser.error("--misses lists questions to tune on: only for the dev split")
    config = settings.load_or_exit()
    results, thresholds = evaluate(args.split, config.rasa_model)
    REPORTS_DIR.mkdir(exist_ok=True)
    (REPORTS_DIR / f"retrieval-{args.split}.md").write_text(markdown(args.split, results, thresholds), encoding="utf-8")
    chart(results, REPORTS_DIR / f"retrieval-{args.split}.png", args.split)
    if args.misses:
        passages = {p.id: p for p in load_components(config).index.passages}
        out(misses(results["full"], passages))
    out(headline(args.split, results, thresholds))
    out(f"Report: {REPORTS_DIR / f'retrieval-{args.split}.md'}")


if __name__ == "__main__":
    main()
