"""The content report (`make content-report`): what people asked, what the bot refused, the
unanswered questions grouped by meaning, 👍 / 👎 per passage and article, from the tracker store.

    python -m editorial.content_report   # -> reports/content-<date>.md, .csv, .png
"""

from __future__ import annotations

import argparse
import datetime
import time
from pathlib import Path
from typing import Dict, List

import settings
from editorial.grouping import QuestionGroup, group_questions
from editorial.report import markdown, write_chart, write_csv
from editorial.store import read_conversations
from editorial.tally import tally, unanswered_questions
from embeddings.encoder import Encoder
from embeddings.index import PASSAGES_FILE
from knowledge.passages import Passage, read_passages

REPORTS_DIR = settings.ROOT / "reports"


def write_report(config: settings.Settings, out_dir: Path, now: float) -> List[Path]:
    """Write the report of the events of the retention window before `now`; the files written."""
    passages_path = config.index_dir / PASSAGES_FILE
    if not passages_path.is_file():
        raise SystemExit(f"No index set at {config.index_dir}: run `make index`.")
    passages: Dict[str, Passage] = {p.id: p for p in read_passages(passages_path)}
    conversations = read_conversations(config.tracker_store_url, config.tracker_retention_days, now)
    questions = unanswered_questions(conversations)
    groups: List[QuestionGroup] = []
    if questions:
        encoder = Encoder(config.embedding_model, threads=config.retrieval_threads, built_dir=config.models_dir)
        groups = group_questions(questions, encoder, config.content_group_distance)
    counts = tally(conversations, list(passages.values()))
    day = datetime.date.fromtimestamp(now).isoformat()
    days = config.tracker_retention_days
    window = f"the {days:g} days to {day}" if days > 0 else f"every conversation kept, to {day}"
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"content-{day}"
    paths = [stem.with_suffix(".md"), stem.with_suffix(".csv"), stem.with_suffix(".png")]
    paths[0].write_text(markdown(counts, groups, passages, window, config.content_group_distance), encoding="utf-8")
    write_csv(paths[1], counts, groups)
    write_chart(paths[2], counts)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPORTS_DIR, help="where to write the report")
    args = parser.parse_args()
    config = settings.load_or_exit()
    started = time.perf_counter()
    paths = write_report(config, args.out, time.time())
    print(f"Content report in {time.perf_counter() - started:.1f} s: " + ", ".join(str(p) for p in paths))


if __name__ == "__main__":
    main()
