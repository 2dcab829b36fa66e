"""Fixtures shared by unit and integration tests: the real documents, model and a small real index."""

from __future__ import annotations

import os
from typing import List

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ["RASA_TELEMETRY_ENABLED"] = "false"

import settings  # noqa: E402
from embeddings.encoder import Encoder  # noqa: E402
from embeddings.index import PassageIndex  # noqa: E402
from embeddings.indonesian import Analyzer, Glossary  # noqa: E402
from embeddings.search import Retriever, build_retriever  # noqa: E402
from knowledge.cleaning import CleanedDocument, clean  # noqa: E402
from knowledge.documents import load_documents  # noqa: E402
from knowledge.passages import Passage, split_into_passages  # noqa: E402
from knowledge.review import Review, load_review  # noqa: E402

# Two of the real articles: small enough for a quick index, different enough to tell apart.
SMALL_CORPUS_DOCS = ("kram-dan-mati-rasa-saat-berlari", "spasme-kaki")


@pytest.fixture(scope="session")
def review() -> Review:
    return load_review()


@pytest.fixture(scope="session")
def cleaned_documents(review) -> List[CleanedDocument]:
    return [clean(document, review) for document in load_documents(settings.load({}).documents_dir)]


@pytest.fixture(scope="session")
def corpus(cleaned_documents, review) -> List[Passage]:
    """The passages `make index` builds: every document, cleaned and reviewed."""
    return [passage for document in cleaned_documents for passage in split_into_passages(document, review)]


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    model = Encoder(settings.DEFAULT_EMBEDDING_MODEL)
    model.warm_up()
    return model


@pytest.fixture(scope="session")
def small_passages(corpus) -> List[Passage]:
    return [passage for passage in corpus if passage.doc_id in SMALL_CORPUS_DOCS]


@pytest.fixture(scope="session")
def small_index(small_passages, encoder) -> PassageIndex:
    return PassageIndex.build(small_passages, encoder)


@pytest.fixture(scope="session")
def small_retriever(small_index, encoder) -> Retriever:
    """The small index searched with the default settings."""
    return build_retriever(small_index, encoder, settings.load({}))


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer(Glossary.load())
