"""A new index set switched under the Retriever in use: loaded beside it while it keeps answering,
then swapped in; a set that does not load is logged and the one in use stays."""

import logging
import os
import shutil
import threading
import time

import pytest

import settings
from embeddings.index import PASSAGES_FILE, PassageIndex
from embeddings.reloading import ReloadingSet
from embeddings.search import Query, build_retriever
from knowledge.cleaning import clean
from knowledge.documents import load_documents
from knowledge.passages import split_into_passages

MODEL = settings.DEFAULT_EMBEDDING_MODEL
NEW_ARTICLE = "sindrom-kaki-gelisah"  # tests/data/documents: a topic none of the real articles covers
ONLY_THE_NEW_ARTICLE = Query("Apa itu sindrom kaki gelisah yang membuat kaki ingin terus digerakkan?")


@pytest.fixture(scope="module")
def larger_index(small_passages, small_examples, encoder, review):
    """The small index plus the test article on restless legs."""
    (document,) = load_documents(settings.ROOT / "tests" / "data" / "documents")
    added = split_into_passages(clean(document, review), review)
    return PassageIndex.build(small_passages + added, encoder, examples=small_examples)


@pytest.fixture
def loader(encoder):
    """Loads a set as the action server does, with the model already loaded; counts its calls."""
    calls = []

    def load(directory):
        calls.append(directory)
        return build_retriever(PassageIndex.load(directory, MODEL, encoder.revision), encoder, settings.load({}))

    load.calls = calls
    return load


def _articles(retriever, query=ONLY_THE_NEW_ARTICLE):
    return {hit.passage.doc_id for hit in retriever.answer_hits(query)}


def test_a_set_switched_under_it_is_loaded_and_answers_what_only_it_knows(tmp_path, small_index, larger_index, loader):
    small_index.save(tmp_path / "index")
    reloading = ReloadingSet(tmp_path / "index", loader)
    old = reloading.current
    assert NEW_ARTICLE not in _articles(old) and reloading.check() is False
    larger_index.save(tmp_path / "index")
    assert reloading.current is old  # nothing changes before the check
    assert reloading.check() is True
    assert reloading.current is not old and reloading.version == (tmp_path / "index").resolve()
    assert old.embedder.calls and not reloading.current.embedder.calls  # a query cache per set
    assert NEW_ARTICLE in _articles(reloading.current)
    assert reloading.check() is False and len(loader.calls) == 2


def test_the_set_in_use_answers_while_the_new_one_loads(tmp_path, small_index, larger_index, loader):
    small_index.save(tmp_path / "index")
    loading, release = threading.Event(), threading.Event()

    def slow_load(directory):
        if loader.calls:
            loading.set()
            release.wait(30)
        return loader(directory)

    reloading = ReloadingSet(tmp_path / "index", slow_load)
    old = reloading.current
    larger_index.save(tmp_path / "index")
    checking = threading.Thread(target=reloading.check)
    checking.start()
    assert loading.wait(30)
    assert reloading.current is old and old.answer_hits(Query("kram betis saat berlari"))
    release.set()
    checking.join(30)
    assert NEW_ARTICLE in _articles(reloading.current)


def test_a_set_that_does_not_load_is_logged_and_the_one_in_use_stays(
    tmp_path, small_index, larger_index, loader, caplog
):
    small_index.save(tmp_path / "index")
    reloading = ReloadingSet(tmp_path / "index", loader)
    old = reloading.current
    larger_index.save(tmp_path / "index")
    broken = tmp_path / ".index.broken"
    shutil.copytree((tmp_path / "index").resolve(), broken)
    with open(broken / PASSAGES_FILE, "a", encoding="utf-8") as handle:
        handle.write("half-written")
    os.symlink(broken.name, tmp_path / "link")
    os.replace(tmp_path / "link", tmp_path / "index")
    with caplog.at_level(logging.ERROR, logger="embeddings.reloading"):
        assert reloading.check() is False
    assert "not loaded, still answering from" in caplog.text and "does not match its manifest" in caplog.text
    assert reloading.current is old and old.answer_hits(Query("kram betis saat berlari"))
    assert reloading.check() is False and len(loader.calls) == 2  # not tried again until the link moves
    larger_index.save(tmp_path / "index")
    assert reloading.check() is True and NEW_ARTICLE in _articles(reloading.current)


def test_the_watcher_switches_by_itself(tmp_path, small_index, larger_index, loader):
    small_index.save(tmp_path / "index")
    reloading = ReloadingSet(tmp_path / "index", loader, interval=0.05)
    old = reloading.current
    reloading.watch()
    try:
        larger_index.save(tmp_path / "index")
        deadline = time.monotonic() + 30
        while reloading.current is old and time.monotonic() < deadline:
            time.sleep(0.05)
        assert NEW_ARTICLE in _articles(reloading.current)
    finally:
        reloading.stop()
