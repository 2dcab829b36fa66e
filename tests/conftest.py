"""Fixtures shared by unit and integration tests: the real documents, example questions, model and a
small real index."""

from __future__ import annotations

import os
from typing import List

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ["RASA_TELEMETRY_ENABLED"] = "false"

import settings  # noqa: E402
from dialogue.components import Components, build_components  # noqa: E402
from embeddings.encoder import Encoder  # noqa: E402
from embeddings.index import PassageIndex  # noqa: E402
from embeddings.indonesian import Analyzer, Glossary  # noqa: E402
from embeddings.search import Retriever, build_retriever  # noqa: E402
from knowledge.cleaning import CleanedDocument, clean  # noqa: E402
from knowledge.documents import load_documents  # noqa: E402
from knowledge.examples import Example, answered_examples, out_of_scope_examples, triage_examples  # noqa: E402
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
def examples(corpus) -> List[Example]:
    """The examples `make index` puts in the index: answered and out-of-scope questions, and the
    triage's emergencies and calm look-alikes."""
    config = settings.load({})
    return (
        answered_examples(corpus)
        + out_of_scope_examples(config.out_of_scope_nlu_path)
        + triage_examples(config.triage_examples_path)
    )


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The default model, as `make index` builds it."""
    model = Encoder(settings.DEFAULT_EMBEDDING_MODEL, built_dir=settings.load({}).models_dir)
    model.warm_up()
    return model


@pytest.fixture(scope="session")
def small_passages(corpus) -> List[Passage]:
    return [passage for passage in corpus if passage.doc_id in SMALL_CORPUS_DOCS]


@pytest.fixture(scope="session")
def small_examples(small_passages, examples) -> List[Example]:
    """The examples answered only by the small corpus, and every other kind."""
    own = {p.id for p in small_passages}
    return [e for e in examples if set(e.passage_ids) <= own]


@pytest.fixture(scope="session")
def small_index(small_passages, small_examples, encoder) -> PassageIndex:
    return PassageIndex.build(small_passages, encoder, examples=small_examples)


@pytest.fixture(scope="session")
def small_retriever(small_index, encoder) -> Retriever:
    """The small index searched with the default settings."""
    return build_retriever(small_index, encoder, settings.load({}))


@pytest.fixture(scope="session")
def small_components(small_index, encoder) -> Components:
    """What an answer turn uses over the small index, with the default settings."""
    return build_components(small_index, encoder, settings.load({}))


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer(Glossary.load())
