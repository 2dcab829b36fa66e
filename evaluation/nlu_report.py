"""NLU quality by cross-validation, as Rasa's reference assistants measure it: `rasa test nlu
--cross-validation` over bot/data/nlu, intent and entity F1 per label in reports/nlu.md.

    python -m evaluation.nlu_report [--folds 3]   # `make nlu-report`, about 3 minutes a fold
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import settings

REPORTS_DIR = settings.ROOT / "reports"
RESULTS_DIR = settings.ROOT / "results" / "nlu-cross-validation"
ENTITY_REPORT = "DIETClassifier_report.json"
INTENT_REPORT = "intent_report.json"
SUMMARY_ROWS = ("micro avg", "macro avg", "weighted avg")


def run(folds: int) -> None:
    rasa = str(Path(sys.executable).with_name("rasa"))
    command = [
        rasa, "test", "nlu", "--nlu", "bot/data/nlu", "--config", "config.yml",
        "--cross-validation", "--folds", str(folds), "--out", str(RESULTS_DIR),
    ]
    subprocess.run(command, cwd=settings.ROOT, check=True)


def table(report: Dict[str, dict], title: str) -> List[str]:
    labels = sorted(
        (name for name in report if name not in (*SUMMARY_ROWS, "accuracy")), key=lambda n: report[n]["f1-score"]
    )
    lines = [f"## {title}", "", "| Label | Precision | Recall | F1 | Examples |", "|---|---|---|---|---|"]
    for name in [*labels, *(row for row in SUMMARY_ROWS if row in report)]:
        row = report[name]
        bold = "**" if name in SUMMARY_ROWS else ""
        lines.append(
            f"| {bold}{name}{bold} | {row['precision']:.2f} | {row['recall']:.2f} "
            f"| {bold}{row['f1-score']:.2f}{bold} | {row['support']} |"
        )
    return lines + [""]


def markdown(folds: int, intents: Dict[str, dict], entities: Dict[str, dict]) -> str:
    return "\n".join(
        [
            "# NLU cross-validation",
            "",
            f"`rasa test nlu --cross-validation --folds {folds}` over `bot/data/nlu` with `config.yml`: each "
            "example is predicted by a model trained on the other folds. Labels are sorted worst first. "
            "The safety triage (`SafetyTriage`) runs in the pipeline too, so `emergency` and `ask_dose` "
            "are the deterministic detectors' decisions where they apply.",
            "",
            *table(intents, "Intents"),
            *table(entities, "Entities (DIET)"),
        ]
    )


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3)
    args = parser.parse_args(argv)
    run(args.folds)
    intents = json.loads((RESULTS_DIR / INTENT_REPORT).read_text(encoding="utf-8"))
    entities = json.loads((RESULTS_DIR / ENTITY_REPORT).read_text(encoding="utf-8"))
    REPORTS_DIR.mkdir(exist_ok=True)
    (REPORTS_DIR / "nlu.md").write_text(markdown(args.folds, intents, entities), encoding="utf-8")
    for name, report in (("intents", intents), ("entities", entities)):
        print(
            f"{name}: weighted F1 {report['weighted avg']['f1-score']:.3f}, "
            f"macro F1 {report['macro avg']['f1-score']:.3f}"
        )
    print(f"Report: {REPORTS_DIR / 'nlu.md'}")


if __name__ == "__main__":
    main()
