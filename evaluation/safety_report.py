"""Red-flag triage measured: recall on emergencies and false alarms on everything else, by category
and by language, for the rules alone (safety.red_flags), meaning alone (safety.meaning, and nearest
neighbours for comparison), both (what the bot's detectors decide), and the bot itself (the
trained Rasa model and the action server, turn by turn, evaluation/bot_session.py).

    python -m evaluation.safety_report          # `make safety-report`: suite test part, test conversations, blind set
    python -m evaluation.safety_report --dev    # while developing: suite dev part and dev conversations, misses listed

The detectors read each turn's text alone, as the rules do; the bot reads it in its conversation.
Writes reports/safety.md (reports/safety-dev.md with --dev).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

import settings
from dialogue.components import Components, load_components
from evaluation.bot_session import BotSession
from evaluation.conversations import EMERGENCY, LANGUAGES, Conversation, load, suite_conversations
from knowledge.examples import CALM, EMERGENCY as EMERGENCY_KIND
from safety.meaning import NEAREST
from safety.red_flags import triage

REPORTS_DIR = settings.ROOT / "reports"
TARGET_RECALL, TARGET_FALSE_ALARMS = 1.0, 0.0
DETECTORS = ("rules", "meaning", "nearest neighbours", "rules + meaning", "bot")
KNN_MARGIN = 0.02  # the nearest-neighbour variant: emergencies nearer than calm look-alikes by this much


@dataclass(frozen=True)
class Judged:
    """One turn and what each detector made of it."""

    conversation: Conversation
    text: str
    emergency: bool  # what it should be
    flagged: Dict[str, bool]  # detector -> raised the alarm


def judge(conversations: Sequence[Conversation], components: Components, bot: BotSession) -> List[Judged]:
    """Every turn of `conversations` through every detector, and through the bot in its conversation."""
    turns = [(c, turn.text, turn.expect == EMERGENCY) for c in conversations for turn in c.turns]
    said = [triage(text).affirmed or text for _, text, _ in turns]
    vectors = components.embedder.embed(said) if said else np.zeros((0, 0))
    neighbours = _NearestNeighbours(components)
    bot_flags = [bot.turn(f"safety-{c.id}", text).escalated for c, text, _ in turns]
    judged = []
    for (conversation, text, emergency), vector, by_bot in zip(turns, vectors, bot_flags):
        rules = triage(text).emergency
        meaning = components.triage.assess(vector) is not None
        judged.append(
            Judged(
                conversation,
                text,
                emergency,
                {
                    "rules": rules,
                    "meaning": meaning,
                    "nearest neighbours": neighbours.flags(vector),
                    "rules + meaning": rules or meaning,
                    "bot": by_bot,
                },
            )
        )
    return judged


class _NearestNeighbours:
    """The alternative measured beside the regression: the mean cosine of the NEAREST emergencies
    of the best category against that of the nearest calm look-alikes."""

    def __init__(self, components: Components) -> None:
        index = components.index
        vectors = index.example_index.reconstruct_n(0, index.example_index.ntotal)
        kinds = np.array([e.kind for e in index.examples])
        self.categories = np.array([e.category for e in index.examples])
        self.emergencies, self.calm = vectors[kinds == EMERGENCY_KIND], vectors[kinds == CALM]
        self.emergency_categories = self.categories[kinds == EMERGENCY_KIND]

    def flags(self, vector: np.ndarray) -> bool:
        to_emergencies = self.emergencies @ vector
        best = max(
            float(np.sort(to_emergencies[self.emergency_categories == c])[-NEAREST:].mean())
            for c in set(self.emergency_categories)
        )
        calm = float(np.sort(self.calm @ vector)[-NEAREST:].mean())
        return best - calm > KNN_MARGIN


def rates(judged: Sequence[Judged], detector: str) -> Tuple[Optional[float], Optional[float], int, int]:
    """Recall on emergencies and false-alarm rate on the other turns, with their counts."""
    emergencies = [j for j in judged if j.emergency]
    others = [j for j in judged if not j.emergency]
    recall = sum(j.flagged[detector] for j in emergencies) / len(emergencies) if emergencies else None
    alarms = sum(j.flagged[detector] for j in others) / len(others) if others else None
    return recall, alarms, len(emergencies), len(others)


def _cell(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(title: str, judged: Sequence[Judged], key: Callable[[Judged], str], order: Sequence[str]) -> List[str]:
    groups: Dict[str, List[Judged]] = {}
    for item in judged:
        groups.setdefault(key(item), []).append(item)
    lines = [
        f"#### {title}",
        "",
        "| | emergencies / other turns | " + " | ".join(DETECTORS) + " |",
        "|---|---|" + "---|" * len(DETECTORS),
    ]
    for name in [*[o for o in order if o in groups], "all"]:
        items = list(judged) if name == "all" else groups[name]
        counts = rates(items, DETECTORS[0])
        cells = []
        for detector in DETECTORS:
            recall, alarms, _, _ = rates(items, detector)
            cells.append(f"{_cell(recall)} / {_cell(alarms)}")
        label = f"**{name}**" if name == "all" else name
        lines.append(f"| {label} | {counts[2]} / {counts[3]} | " + " | ".join(cells) + " |")
    return lines + [""]


def markdown(sets: Dict[str, List[Judged]], misses: bool) -> str:
    config = settings.load()
    lines = [
        "# Red-flag triage",
        "",
        f"Model `{config.embedding_model}`, triage by meaning at probability ≥ {config.triage_threshold}. Each cell: "
        f"**recall on emergencies / false alarms on the other turns** (targets {TARGET_RECALL:.2f} / "
        f"{TARGET_FALSE_ALARMS:.2f}). Detectors read each turn's text alone: `rules` (safety/red_flags.py), "
        "`meaning` (safety/meaning.py: logistic regression on the embedding of the text without its denials), "
        f"`nearest neighbours` (the alternative: nearest emergencies against nearest calm look-alikes, "
        f"margin {KNN_MARGIN}), `rules + meaning` (either). `bot`: the trained Rasa model and the action server, "
        "the turn read in its conversation.",
        "",
    ]
    categories = sorted({j.conversation.category for js in sets.values() for j in js if j.conversation.category})
    for name, judged in sets.items():
        lines += [f"## {name}", ""]
        lines += table("By category (of the emergency, or the one a calm message looks like)", judged,
                       lambda j: j.conversation.category or j.conversation.kind, categories)
        lines += table("By language", judged, lambda j: j.conversation.language, LANGUAGES)
        if misses:
            lines += ["Missed emergencies (bot):", ""]
            lines += [f"- {j.conversation.id} [{j.conversation.category}, {j.conversation.language}] {j.text!r}"
                      for j in judged if j.emergency and not j.flagged["bot"]]
            lines += ["", "False alarms (bot):", ""]
            lines += [f"- {j.conversation.id} [{j.conversation.kind}, {j.conversation.language}] {j.text!r}"
                      for j in judged if not j.emergency and j.flagged["bot"]]
            lines += ["", "Missed by meaning alone / false alarms by meaning alone:", ""]
            lines += [f"- miss {j.conversation.id}: {j.text!r}"
                      for j in judged if j.emergency and not j.flagged["meaning"]]
            lines += [f"- alarm {j.conversation.id}: {j.text!r}"
                      for j in judged if not j.emergency and j.flagged["meaning"]]
            lines.append("")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None, out: Callable[[str], None] = print) -> Dict[str, List[Judged]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="the dev parts, every miss listed (for development)")
    args = parser.parse_args(argv)
    config = settings.load_or_exit()
    named = (
        {"Suite, dev part": suite_conversations("dev"), "Dev conversations": load("dev")}
        if args.dev
        else {
            "Suite, test part": suite_conversations("test"),
            "Test conversations": load("test"),
            "Blind set": load("blind"),
        }
    )
    components = load_components(config)
    with BotSession() as bot:
        sets = {name: judge(conversations, components, bot) for name, conversations in named.items()}
    REPORTS_DIR.mkdir(exist_ok=True)
    path = REPORTS_DIR / ("safety-dev.md" if args.dev else "safety.md")
    path.write_text(markdown(sets, misses=args.dev), encoding="utf-8")
    for name, judged in sets.items():
        figures = ", ".join(
            f"{detector} {_cell(rates(judged, detector)[0])}/{_cell(rates(judged, detector)[1])}"
            for detector in DETECTORS
        )
        out(f"{name}: recall/false alarms: {figures}")
    out(f"Report: {path}")
    return sets


if __name__ == "__main__":
    main()
