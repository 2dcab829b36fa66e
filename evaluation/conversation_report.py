"""The whole bot on labelled conversations (evaluation/conversations.py): red flags escalated,
calm look-alikes not, answers and follow-ups with a passage that answers them, near misses
refused, by kind and by language.

    python -m evaluation.conversation_report --set dev --misses   # while tuning: every miss listed
    python -m evaluation.conversation_report --set test            # only reported
    python -m evaluation.conversation_report --set blind           # once, at the end

Each conversation is sent turn by turn to the trained Rasa model, which calls a real action
server over HTTP (evaluation/bot_session.py); what a turn ended in is read from its events.
Writes reports/conversations-<set>.md.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple

import settings
from evaluation.bot_session import BotSession, TurnOutcome
from evaluation.conversations import ANSWER, EMERGENCY, LANGUAGES, REFUSE, Conversation, Turn, load
from knowledge.examples import passages_containing
from knowledge.passages import Passage, read_passages

REPORTS_DIR = settings.ROOT / "reports"
# The targets the bot is held to on the test split and the blind set.
TARGETS = {
    "red-flag recall": 1.00,
    "calm false alarms": 0.00,
    "answers hit@1": 0.85,
    "follow-ups hit@1": 0.85,
    "near-miss refusals": 0.90,
    "false refusals": 0.03,
}


@dataclass(frozen=True)
class Scored:
    """One turn of one conversation and what the bot did with it."""

    conversation: Conversation
    position: int  # 0-based turn number
    turn: Turn
    outcome: TurnOutcome
    correct: FrozenSet[str]  # passages that answer it (answer turns)

    @property
    def hit(self) -> bool:
        return self.outcome.answered and not self.outcome.escalated and self.outcome.passages[0] in self.correct

    @property
    def refused(self) -> bool:
        return not self.outcome.answered and not self.outcome.escalated

    @property
    def is_follow_up(self) -> bool:
        return self.position > 0


def run(conversations: Sequence[Conversation], passages: Sequence[Passage], bot: BotSession) -> List[Scored]:
    scored = []
    for conversation in conversations:
        for position, turn in enumerate(conversation.turns):
            outcome = bot.turn(conversation.id, turn.text)
            scored.append(Scored(conversation, position, turn, outcome, passages_containing(turn.answers, passages)))
    return scored


@dataclass(frozen=True)
class Rate:
    hits: int
    count: int

    @property
    def value(self) -> Optional[float]:
        return self.hits / self.count if self.count else None

    def __str__(self) -> str:
        return "–" if self.value is None else f"{self.value:.2f} ({self.hits}/{self.count})"


def measures(scored: Sequence[Scored]) -> Dict[str, Rate]:
    """The figures of `scored`, each a share of the turns (or conversations) it is about."""
    emergencies = [s for s in scored if s.turn.expect == EMERGENCY]
    calm = {s.conversation.id for s in scored if s.conversation.kind == "calm"}
    alarmed = {s.conversation.id for s in scored if s.conversation.kind == "calm" and s.outcome.escalated}
    calm_turns = [s for s in scored if s.turn.expect != EMERGENCY]
    answers = [s for s in scored if s.turn.expect == ANSWER]
    refusals = [s for s in scored if s.turn.expect == REFUSE]
    firsts = [s for s in answers if not s.is_follow_up]
    follow_ups = [s for s in answers if s.is_follow_up]
    return {
        "red-flag recall": Rate(sum(s.outcome.escalated for s in emergencies), len(emergencies)),
        "calm false alarms": Rate(len(alarmed), len(calm)),
        "false alarms, every other turn": Rate(sum(s.outcome.escalated for s in calm_turns), len(calm_turns)),
        "answers hit@1": Rate(sum(s.hit for s in firsts), len(firsts)),
        "follow-ups hit@1": Rate(sum(s.hit for s in follow_ups), len(follow_ups)),
        "near-miss refusals": Rate(sum(s.refused for s in refusals), len(refusals)),
        "false refusals": Rate(sum(s.refused for s in answers), len(answers)),
    }


def by(scored: Sequence[Scored], key: Callable[[Scored], str]) -> Dict[str, List[Scored]]:
    groups: Dict[str, List[Scored]] = {}
    for item in scored:
        groups.setdefault(key(item), []).append(item)
    return groups


def markdown(name: str, scored: Sequence[Scored], misses: bool) -> str:
    conversations = {s.conversation.id: s.conversation for s in scored}
    overall = measures(scored)
    lines = [
        f"# The bot on the {name} conversations",
        "",
        f"{len(conversations)} conversations, {len(scored)} turns, model `{settings.load().embedding_model}`. "
        "The trained Rasa model and a real action server (`evaluation/bot_session.py`); a turn's outcome is "
        "read from its events: the emergency reply given, the answer action's status and the passages shown. "
        "A hit: the first passage shown contains one of the turn's labelled phrases; a refusal: no passage and "
        "no emergency.",
        "",
        "| Figure | Result | Target |",
        "|---|---|---|",
    ]
    for figure, rate in overall.items():
        target = TARGETS.get(figure)
        goal = "" if target is None else (f"≤ {target:.2f}" if "false" in figure else f"≥ {target:.2f}")
        lines.append(f"| {figure} | {rate} | {goal} |")
    languages = by(scored, lambda s: s.conversation.language)
    shown = [language for language in LANGUAGES if language in languages]
    lines += ["", "By language:", "", "| Figure | " + " | ".join(shown) + " |", "|---|" + "---|" * len(shown)]
    per_language = {language: measures(languages[language]) for language in shown}
    for figure in overall:
        lines.append(f"| {figure} | " + " | ".join(str(per_language[lang][figure]) for lang in shown) + " |")
    categories = by([s for s in scored if s.conversation.category], lambda s: s.conversation.category)
    lines += ["", "By red-flag category:", "", "| Category | red-flag recall | calm false alarms |", "|---|---|---|"]
    for category, items in sorted(categories.items()):
        figures = measures(items)
        lines.append(f"| {category} | {figures['red-flag recall']} | {figures['calm false alarms']} |")
    if misses:
        lines += ["", "## Misses", ""]
        for s in scored:
            wrong = (
                (s.turn.expect == EMERGENCY and not s.outcome.escalated)
                or (s.turn.expect != EMERGENCY and s.outcome.escalated)
                or (s.turn.expect == ANSWER and not s.hit)
                or (s.turn.expect == REFUSE and not s.refused)
            )
            if wrong:
                where = f"{s.conversation.id}#{s.position + 1} [{s.conversation.kind}, {s.conversation.language}]"
                lines.append(f"- {where} expect {s.turn.expect}: {s.turn.text!r} -> {describe(s.outcome)}")
    return "\n".join(lines) + "\n"


def describe(outcome: TurnOutcome) -> str:
    if outcome.escalated:
        return f"emergency ({outcome.category})"
    shown = ", ".join(outcome.passages[:2])
    return f"{outcome.intent}: {outcome.status or 'no answer action'}" + (f" [{shown}]" if shown else "")


def main(argv: Optional[Sequence[str]] = None, out: Callable[[str], None] = print) -> Tuple[str, Dict[str, Rate]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="test", choices=("dev", "test", "blind"))
    parser.add_argument("--misses", action="store_true", help="list every miss (for the dev set)")
    args = parser.parse_args(argv)
    config = settings.load_or_exit()
    passages = read_passages(config.index_dir / "passages.jsonl")
    conversations = load(args.set)
    stale = [a for c in conversations for t in c.turns for a in t.answers if not passages_containing([a], passages)]
    if stale:
        raise SystemExit(f"Answer phrases of the {args.set} conversations match no passage: {stale[:5]}")
    with BotSession() as bot:
        scored = run(conversations, passages, bot)
    report = markdown(args.set, scored, args.misses)
    REPORTS_DIR.mkdir(exist_ok=True)
    path = REPORTS_DIR / f"conversations-{args.set}.md"
    path.write_text(report, encoding="utf-8")
    figures = measures(scored)
    for figure, rate in figures.items():
        out(f"{figure:32} {rate}")
    out(f"Report: {path}")
    return report, figures


if __name__ == "__main__":
    main()
