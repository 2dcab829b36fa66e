"""Red-flag triage on the team's suite (evaluation/safety_suite.yml): recall per emergency
category and false alarms per calm category, for the detector alone and for the trained NLU
(DIET + SafetyTriage), which is what the bot acts on.

    python -m evaluation.safety_report   # `make safety-report` -> reports/safety.md
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import yaml

import settings
from dialogue.intents import EMERGENCY_INTENT
from safety.red_flags import triage

SUITE_PATH = settings.ROOT / "evaluation" / "safety_suite.yml"
REPORT_PATH = settings.ROOT / "reports" / "safety.md"
TARGET_RECALL, TARGET_FALSE_ALARMS = 1.0, 0.02

Suite = Dict[str, Dict[str, List[str]]]
Row = Tuple[str, str, int, int, int]  # kind, category, messages, detector flagged, bot flagged


def load_suite(path: Path = SUITE_PATH) -> Suite:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def bot_flags(model_path: Path) -> Callable[[str], bool]:
    """Whether the trained NLU (with SafetyTriage) sends a message to the emergency response."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))

    def flagged(text: str) -> bool:
        parsed = asyncio.run(agent.parse_message(text))
        return (parsed.get("intent") or {}).get("name") == EMERGENCY_INTENT

    return flagged


def rows(suite: Suite, bot: Callable[[str], bool]) -> List[Row]:
    table = []
    for kind in ("red_flags", "calm"):
        for category, texts in suite[kind].items():
            detector = sum(triage(text).emergency for text in texts)
            table.append((kind, category, len(texts), detector, sum(bot(text) for text in texts)))
    return table


def totals(table: Sequence[Row], kind: str) -> Tuple[int, int, int]:
    mine = [row for row in table if row[0] == kind]
    return sum(r[2] for r in mine), sum(r[3] for r in mine), sum(r[4] for r in mine)


def markdown(table: Sequence[Row], misses: Sequence[str], alarms: Sequence[str]) -> str:
    n_red, det_red, bot_red = totals(table, "red_flags")
    n_calm, det_calm, bot_calm = totals(table, "calm")
    lines = [
        "# Red-flag triage on the team's suite",
        "",
        f"Suite: `evaluation/safety_suite.yml`, {n_red} emergency and {n_calm} calm messages (Indonesian",
        "formal and informal, English), written before the detector. Detector: `safety/red_flags.py`",
        "alone. Bot: the trained NLU (DIET, then `SafetyTriage`), i.e. what the dialogue acts on.",
        f"Targets: recall {TARGET_RECALL:.2f}, false alarms at most {TARGET_FALSE_ALARMS:.2f}.",
        "",
        "| Kind | Category | Messages | Detector | Bot |",
        "|---|---|---:|---:|---:|",
    ]
    for kind, category, n, detector, bot in table:
        measure = "recall" if kind == "red_flags" else "false alarms"
        lines.append(f"| {kind} | {category} | {n} | {measure} {detector / n:.2f} | {measure} {bot / n:.2f} |")
    lines += [
        f"| **red_flags** | **all** | {n_red} | **recall {det_red / n_red:.2f}** | **recall {bot_red / n_red:.2f}** |",
        f"| **calm** | **all** | {n_calm} | **false alarms {det_calm / n_calm:.2f}** "
        f"| **false alarms {bot_calm / n_calm:.2f}** |",
        "",
        "Missed emergencies (bot): " + ("none" if not misses else ""),
        *[f"- {text}" for text in misses],
        "",
        "False alarms (bot): " + ("none" if not alarms else ""),
        *[f"- {text}" for text in alarms],
        "",
    ]
    return "\n".join(lines)


def main(out: Callable[[str], None] = print, model_path: Optional[Path] = None) -> None:
    suite = load_suite()
    flagged = bot_flags(model_path or settings.load().rasa_model)
    table = rows(suite, flagged)
    misses = [t for texts in suite["red_flags"].values() for t in texts if not flagged(t)]
    alarms = [t for texts in suite["calm"].values() for t in texts if flagged(t)]
    REPORT_PATH.parent.mkdir(exist_ok=True)
    REPORT_PATH.write_text(markdown(table, misses, alarms), encoding="utf-8")
    n_red, det_red, bot_red = totals(table, "red_flags")
    n_calm, det_calm, bot_calm = totals(table, "calm")
    out(f"Red-flag recall: detector {det_red / n_red:.2f}, bot {bot_red / n_red:.2f} ({n_red} emergencies)")
    out(f"False alarms:    detector {det_calm / n_calm:.2f}, bot {bot_calm / n_calm:.2f} ({n_calm} calm messages)")
    out(f"Report: {REPORT_PATH}")


if __name__ == "__main__":
    main()
