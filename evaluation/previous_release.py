"""Record the previous release's answers to the evaluation questions, for `make eval` to show beside
the bot's: that commit checked out in a git worktree under build/, its passages, MiniLM index and
Rasa model built there with its own code, its pipeline run on today's questions.

    python -m evaluation.previous_release [--commit fcf138a]   # ~8 min; writes evaluation/previous_release.json

Its NLU was trained on data that still held 20 of the evaluation questions (removed since), which
favours it; its passage ids are today's (ingestion is unchanged), which the script checks.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import settings
from evaluation.retrieval_report import PREVIOUS_RELEASE
from knowledge.passages import read_passages

PREVIOUS_COMMIT = "fcf138a"  # the last release before the multilingual retrieval (issue 11)

# Run inside the worktree, with its code: each question's conversation through its pipeline.
_DRIVER = textwrap.dedent(
    """
    import json, sys, time
    import settings
    from embeddings.search import load_retriever
    from evaluation.questions import load_split
    from evaluation.retrieval_report import FullPipeline

    config = settings.load()
    pipeline = FullPipeline(load_retriever(config), config.rasa_model)
    questions = [q for split in ("dev", "test") for q in load_split(split)]
    for q in questions:
        for text in (*q.followup_of, q.text):
            pipeline.parse(text)  # NLU first, so that the timing below is the retrieval's
    outcomes = {}
    for q in questions:
        began = time.perf_counter()
        ranked, shown, note = pipeline.run(q)
        outcomes[q.id] = {
            "text": q.text,
            "ranked": [hit.passage.id for hit in ranked[:20]],  # enough for hit@3 and MRR
            "shown": [hit.passage.id for hit in shown],
            "seconds": round(time.perf_counter() - began, 4),
            "note": note,
        }
    json.dump({"outcomes": outcomes}, open(sys.argv[1], "w"), ensure_ascii=False, indent=1)
    """
)


def record(commit: str, config: settings.Settings) -> Path:
    worktree = config.build_dir / "previous-release"
    if worktree.exists():
        subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=settings.ROOT, check=False)
        shutil.rmtree(worktree, ignore_errors=True)
    subprocess.run(["git", "worktree", "add", "--detach", str(worktree), commit], cwd=settings.ROOT, check=True)
    try:
        for split in ("dev", "test"):  # today's questions, in the format it reads
            shutil.copy(
                settings.ROOT / "evaluation" / "questions" / f"{split}.yml", worktree / "evaluation" / "questions"
            )
        env = {
            **os.environ,
            "PYTHONPATH": str(worktree),
            "BUILD_DIR": str(worktree / "build"),
            "INDEX_DIR": str(worktree / "build" / "index"),
            "RASA_MODEL": str(worktree / "models" / "chatbot.tar.gz"),
            "EMBEDDING_MODEL": "sentence-transformers/all-MiniLM-L6-v2",
            "RASA_TELEMETRY_ENABLED": "false",
        }
        python = sys.executable
        rasa = str(Path(sys.executable).with_name("rasa"))
        steps = [
            [python, "-m", "knowledge.ingest"],
            [python, "-m", "embeddings.build_index"],
            [
                rasa,
                "train",
                "--domain",
                "bot/domain",
                "--data",
                "bot/data",
                "--config",
                "config.yml",
                "--out",
                "models",
                "--fixed-model-name",
                "chatbot",
            ],
        ]
        for step in steps:
            subprocess.run(step, cwd=worktree, env=env, check=True, stdout=subprocess.DEVNULL)
        theirs, ours = (read_passages(path) for path in (worktree / "build" / "passages.jsonl", config.passages_path))
        if [(p.id, p.content) for p in theirs] != [(p.id, p.content) for p in ours]:
            raise SystemExit("The previous release ingests other passages than today's: ids would not compare.")
        out = config.build_dir / "previous-release.json"
        driver = config.build_dir / "previous_release_driver.py"
        driver.write_text(_DRIVER, encoding="utf-8")
        subprocess.run([python, str(driver), str(out)], cwd=worktree, env=env, check=True)
        recorded = json.loads(out.read_text(encoding="utf-8"))
        recorded["commit"] = subprocess.run(
            ["git", "rev-parse", commit], cwd=settings.ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()
        PREVIOUS_RELEASE.write_text(json.dumps(recorded, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return PREVIOUS_RELEASE
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=settings.ROOT, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", default=PREVIOUS_COMMIT)
    args = parser.parse_args()
    print(f"Previous release's outcomes: {record(args.commit, settings.load_or_exit())}")


if __name__ == "__main__":
    main()
