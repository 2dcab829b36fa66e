import json
from dataclasses import replace

import pytest

from embeddings.index import MANIFEST_FILE, PASSAGES_FILE, IndexSetError, PassageIndex, embedding_text

MODEL = "sentence-transformers/all-MiniLM-L6-v2"


def _saved(index: PassageIndex, directory) -> PassageIndex:
    index.save(directory)
    return PassageIndex.load(directory, MODEL)


def test_a_saved_set_loads_with_the_same_passages_and_the_same_search_results(tmp_path, small_index, encoder):
    loaded = _saved(small_index, tmp_path / "index")
    assert loaded.passages == small_index.passages
    assert loaded.manifest == small_index.manifest
    query = encoder.encode(["penyebab mati rasa kaki saat berlari"])
    assert loaded.search(query, 5) == small_index.search(query, 5)


def test_scores_are_cosine_similarities_of_normalized_embeddings(small_index, small_passages, encoder):
    query = encoder.encode([embedding_text(small_passages[2])])
    position, score = small_index.search(query, 1)[0][0]
    assert position == 2 and score == pytest.approx(1.0, abs=1e-4)


def test_the_manifest_records_model_dimension_count_and_hashes(tmp_path, small_index):
    small_index.save(tmp_path / "index")
    manifest = json.loads((tmp_path / "index" / MANIFEST_FILE).read_text())
    assert manifest["model"] == MODEL
    assert manifest["dimension"] == 384
    assert manifest["count"] == len(small_index.passages)
    assert len(manifest["corpus_sha256"]) == 64 and len(manifest["index_sha256"]) == 64


def test_loading_refuses_a_set_built_with_another_model_and_names_the_fix(tmp_path, small_index):
    small_index.save(tmp_path / "index")
    with pytest.raises(IndexSetError, match=r"built with model .*EMBEDDING_MODEL.*make index"):
        PassageIndex.load(tmp_path / "index", "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2")


def test_loading_refuses_a_manifest_whose_count_differs(tmp_path, small_index):
    directory = tmp_path / "index"
    small_index.save(directory)
    manifest = json.loads((directory / MANIFEST_FILE).read_text())
    manifest["count"] += 1
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(IndexSetError, match=r"manifest says .*make index"):
        PassageIndex.load(directory, MODEL)


def test_loading_refuses_changed_passages(tmp_path, small_index):
    directory = tmp_path / "index"
    small_index.save(directory)
    lines = (directory / PASSAGES_FILE).read_text().splitlines(keepends=True)
    (directory / PASSAGES_FILE).write_text("".join(lines[:-1]))
    with pytest.raises(IndexSetError, match="does not match its manifest"):
        PassageIndex.load(directory, MODEL)


def test_loading_a_missing_set_names_the_fix(tmp_path):
    with pytest.raises(IndexSetError, match="make index"):
        PassageIndex.load(tmp_path / "nothing-here", MODEL)


def test_saving_replaces_a_previous_set_and_leaves_no_staging_behind(tmp_path, small_index, encoder):
    directory = tmp_path / "index"
    smaller = PassageIndex.build(small_index.passages[:3], encoder)
    smaller.save(directory)
    small_index.save(directory)
    assert PassageIndex.load(directory, MODEL).passages == small_index.passages
    assert sorted(path.name for path in tmp_path.iterdir()) == ["index"]


def test_a_save_that_fails_midway_leaves_the_previous_set_whole(tmp_path, small_index):
    directory = tmp_path / "index"
    small_index.save(directory)
    # A lone surrogate cannot be written as UTF-8: the save fails after the FAISS file is written.
    broken_passages = list(small_index.passages)
    broken_passages[0] = replace(broken_passages[0], text="\ud800")
    broken = PassageIndex(small_index.index, broken_passages, small_index.manifest)
    with pytest.raises(UnicodeEncodeError):
        broken.save(directory)
    assert PassageIndex.load(directory, MODEL).passages == small_index.passages
    assert sorted(path.name for path in tmp_path.iterdir()) == ["index"]


def test_an_index_of_no_passages_is_refused(encoder):
    with pytest.raises(ValueError, match="make index"):
        PassageIndex.build([], encoder)
