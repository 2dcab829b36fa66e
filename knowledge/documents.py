"""The source articles: one `<id>.txt` with its `<id>.json` manifest per document."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import List


@dataclass(frozen=True)
class Document:
    """A source article as copied into the project."""

    id: str
    title: str
    language: str
    original_file: str
    text: str


def load_documents(directory: Path) -> List[Document]:
    """Load every document in `directory`, sorted by id; a manifest without its text is an error."""
    manifests = sorted(directory.glob("*.json"))
    if not manifests:
        raise FileNotFoundError(f"No document manifests (*.json) in {directory}")
    documents = []
    for manifest_path in manifests:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        text_path = manifest_path.with_suffix(".txt")
        if manifest.get("id") != manifest_path.stem:
            raise ValueError(f"{manifest_path}: 'id' must equal the file name {manifest_path.stem!r}")
        if not text_path.is_file():
            raise FileNotFoundError(f"{manifest_path}: its text {text_path.name} is missing")
        documents.append(
            Document(
                id=manifest["id"],
                title=manifest["title"],
                language=manifest["language"],
                original_file=manifest["original_file"],
                text=text_path.read_text(encoding="utf-8"),
            )
        )
    return documents
