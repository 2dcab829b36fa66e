"""Ingest the knowledge documents: clean them, split them into passages, write JSONL and a report.

    python -m knowledge.ingest                 # writes build/passages.jsonl and examples.jsonl, prints counts
    python -m knowledge.ingest --list-dropped  # also lists every dropped line with its reason
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import Counter
from dataclasses import asdict
from typing import List, Tuple

import settings
from knowledge.cleaning import CleanedDocument, clean
from knowledge.documents import load_documents
from knowledge.examples import (
    ANSWERED,
    OUT_OF_SCOPE,
    Example,
    answered_examples,
    examples_to_jsonl,
    out_of_scope_examples,
    triage_examples,
)
from knowledge.passages import Passage, split_into_passages, write_passages
from knowledge.review import load_review


def ingest(config: settings.Settings) -> Tuple[List[CleanedDocument], List[Passage], List[Example]]:
    """Write passages, example questions, cleaned texts and the cleaning report under `config.build_dir`."""
    review = load_review()
    cleaned = [clean(document, review) for document in load_documents(config.documents_dir)]
    passages = [passage for document in cleaned for passage in split_into_passages(document, review)]
    cleaned_dir = config.build_dir / "cleaned"
    cleaned_dir.mkdir(parents=True, exist_ok=True)
    for document in cleaned:
        (cleaned_dir / f"{document.document.id}.txt").write_text(document.text, encoding="utf-8")
    report = {
        "documents": len(cleaned),
        "passages": len(passages),
        "dropped": [asdict(line) for document in cleaned for line in document.dropped],
    }
    config.cleaning_report_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_passages(config.passages_path, passages)
    examples = (
        answered_examples(passages)
        + out_of_scope_examples(config.out_of_scope_nlu_path)
        + triage_examples(config.triage_examples_path)
    )
    config.examples_path.write_text(examples_to_jsonl(examples), encoding="utf-8")
    return cleaned, passages, examples


def summary(cleaned: List[CleanedDocument], passages: List[Passage], examples: List[Example]) -> str:
    """Per document: lines dropped by reason and passage sizes; the example questions."""
    rows = []
    for document in cleaned:
        own = [p.words for p in passages if p.doc_id == document.document.id]
        reasons = Counter(line.reason for line in document.dropped)
        dropped = ", ".join(f"{reason} {count}" for reason, count in sorted(reasons.items())) or "none"
        rows.append(
            f"  {document.document.id:36} {len(own):3} passages "
            f"(words {min(own)}-{max(own)}, median {statistics.median(own):.0f}); dropped: {dropped}"
        )
    total = sum(len(document.dropped) for document in cleaned)
    header = f"Ingested {len(cleaned)} documents into {len(passages)} passages; {total} lines dropped:"
    kinds = Counter(example.kind for example in examples)
    covered = len({pid for example in examples for pid in example.passage_ids})
    footer = (
        f"Examples: {kinds[ANSWERED]} answered questions (covering {covered} of {len(passages)} passages), "
        f"{kinds[OUT_OF_SCOPE]} out of scope, red-flag exemplars: {kinds['emergency']} emergencies and "
        f"{kinds['calm']} calm look-alikes"
    )
    return "\n".join([header, *rows, footer])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list-dropped", action="store_true", help="list every dropped line")
    args = parser.parse_args()
    config = settings.load_or_exit()
    cleaned, passages, examples = ingest(config)
    print(summary(cleaned, passages, examples))
    if args.list_dropped:
        for document in cleaned:
            for line in document.dropped:
                print(f"{line.doc_id}:{line.line_number}: [{line.reason}] {line.text}")
    print(f"Passages: {config.passages_path}")


if __name__ == "__main__":
    main()
