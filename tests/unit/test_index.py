import json
import shutil
import subprocess
from dataclasses import replace

import pytest

import settings
from embeddings.index import (
    EXAMPLES_FILE,
    INDEX_FILE,
    MANIFEST_FILE,
    PASSAGES_FILE,
    IndexSetError,
    PassageIndex,
    embedding_text,
)
from embeddings.search import Query
from knowledge.examples import Example

MODEL = settings.DEFAULT_EMBEDDING_MODEL


def _saved(index: PassageIndex, directory) -> PassageIndex:
    index.save(directory)
    return PassageIndex.load(directory, MODEL)


def test_a_saved_set_loads_with_the_same_passages_and_the_same_search_results(tmp_path, small_index, encoder):
    loaded = _saved(small_index, tmp_path / "index")
    assert loaded.passages == small_index.passages
    assert loaded.manifest == small_index.manifest and loaded.examples == small_index.examples
    query = encoder.encode_queries(["penyebab mati rasa kaki saat berlari"])
    assert loaded.search(query, 5) == small_index.search(query, 5)


def test_scores_are_cosine_similarities_of_normalized_embeddings(small_index, small_passages, encoder):
    query = encoder.encode_passages([embedding_text(small_passages[2])])
    position, score = small_index.search(query, 1)[0][0]
    assert position == 2 and score == pytest.approx(1.0, abs=1e-4)


def test_the_manifest_records_model_dimension_count_and_hashes(tmp_path, small_index):
    small_index.save(tmp_path / "index")
    manifest = json.loads((tmp_path / "index" / MANIFEST_FILE).read_text())
    assert manifest["model"] == MODEL
    assert manifest["dimension"] == 384
    assert manifest["count"] == len(small_index.passages)
    assert len(manifest["corpus_sha256"]) == 64 and len(manifest["index_sha256"]) == 64
    assert manifest["index_type"] == "Flat" and manifest["search_params"] == ""
    assert manifest["example_count"] == len(small_index.examples) > 0 and len(manifest["examples_sha256"]) == 64
    assert len(manifest["model_revision"]) == 64  # the built model's weights


@pytest.mark.parametrize("index_type, search_params", [("HNSW32", "efSearch=64"), ("IVF4,Flat", "nprobe=4")])
def test_an_hnsw_or_ivf_set_builds_saves_loads_and_searches_like_the_flat_one(
    tmp_path, small_passages, small_index, small_retriever, encoder, index_type, search_params
):
    loaded = _saved(PassageIndex.build(small_passages, encoder, index_type, search_params), tmp_path / "index")
    assert (loaded.manifest.index_type, loaded.manifest.search_params) == (index_type, search_params)
    query = encoder.encode_queries(["penyebab mati rasa kaki saat berlari"])
    assert [pos for pos, _ in loaded.search(query, 5)[0]] == [pos for pos, _ in small_index.search(query, 5)[0]]
    # With top_k=1 the best BM25 passage is not the nearest: its cosine is read back from the index.
    question = Query("kram kaki saat berlari")
    found = small_retriever.replaced(index=loaded, top_k=1).search(question)
    expected = small_retriever.replaced(top_k=1).search(question)
    assert [(h.passage.id, round(h.dense, 5)) for h in found] == [(h.passage.id, round(h.dense, 5)) for h in expected]


def test_loading_refuses_a_set_built_with_another_model_and_names_the_fix(tmp_path, small_index):
    small_index.save(tmp_path / "index")
    with pytest.raises(IndexSetError, match=r"built with model .*EMBEDDING_MODEL.*make index"):
        PassageIndex.load(tmp_path / "index", "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2")


def test_loading_refuses_a_set_built_with_other_weights_of_the_model(tmp_path, small_index):
    small_index.save(tmp_path / "index")
    with pytest.raises(IndexSetError, match="other files of .*make index"):
        PassageIndex.load(tmp_path / "index", MODEL, "0" * 64)


def test_loading_refuses_changed_example_questions(tmp_path, small_index):
    directory = tmp_path / "index"
    small_index.save(directory)
    (directory / EXAMPLES_FILE).write_text((directory / EXAMPLES_FILE).read_text().replace("kram", "kaku", 1))
    with pytest.raises(IndexSetError, match="does not match its manifest"):
        PassageIndex.load(directory, MODEL)


def test_examples_must_point_at_passages_of_the_set(small_index, encoder):
    with pytest.raises(IndexSetError, match="not in the set"):
        PassageIndex.build(small_index.passages[:2], encoder, examples=[Example("x?", ("elsewhere-0000000000",))])


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


def test_loading_refuses_a_changed_faiss_file(tmp_path, small_index):
    directory = tmp_path / "index"
    small_index.save(directory)
    data = bytearray((directory / INDEX_FILE).read_bytes())
    data[-1] ^= 0xFF
    (directory / INDEX_FILE).write_bytes(bytes(data))
    with pytest.raises(IndexSetError, match="does not match its manifest"):
        PassageIndex.load(directory, MODEL)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda manifest: manifest.update(format_version=99), "has format 99"),
        (lambda manifest: manifest.update(dimension=768), "dimensions 384, 384 differ"),
        (lambda manifest: manifest.pop("corpus_sha256"), "Unreadable"),
    ],
)
def test_loading_refuses_a_manifest_of_another_format_dimension_or_shape(tmp_path, small_index, change, message):
    directory = tmp_path / "index"
    small_index.save(directory)
    manifest = json.loads((directory / MANIFEST_FILE).read_text())
    change(manifest)
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(IndexSetError, match=message):
        PassageIndex.load(directory, MODEL)


def test_loading_a_missing_set_names_the_fix(tmp_path):
    with pytest.raises(IndexSetError, match="make index"):
        PassageIndex.load(tmp_path / "nothing-here", MODEL)


def _versions(parent):
    return sorted(path.name for path in parent.iterdir() if path.name.startswith(".index.v"))


def test_saving_switches_the_link_to_a_new_version_and_removes_the_old_one(tmp_path, small_index, encoder):
    directory = tmp_path / "index"
    PassageIndex.build(small_index.passages[:3], encoder).save(directory)
    first = directory.resolve()
    small_index.save(directory)
    assert directory.is_symlink() and directory.resolve() != first and not first.exists()
    assert PassageIndex.load(directory, MODEL).passages == small_index.passages
    assert _versions(tmp_path) == [directory.resolve().name]


def test_a_save_replaces_a_set_copied_in_as_a_plain_directory(tmp_path, small_index):
    source = tmp_path / "source"
    small_index.save(source)
    shutil.copytree(source, tmp_path / "index")  # follows the link: a plain directory
    small_index.save(tmp_path / "index")
    assert (tmp_path / "index").is_symlink()
    assert PassageIndex.load(tmp_path / "index", MODEL).passages == small_index.passages


def test_versions_left_by_a_killed_save_are_removed_by_the_next_one(tmp_path, small_index):
    finished = subprocess.Popen(["true"])
    finished.wait()
    dead_pid = finished.pid
    leftover = tmp_path / f".index.v1-{dead_pid}"
    leftover.mkdir()
    (leftover / INDEX_FILE).write_bytes(b"half written")
    small_index.save(tmp_path / "index")
    assert not leftover.exists()


def test_a_save_that_fails_midway_leaves_the_previous_set_whole(tmp_path, small_index):
    directory = tmp_path / "index"
    small_index.save(directory)
    # A lone surrogate cannot be written as UTF-8: the save fails after the FAISS file is written.
    broken_passages = list(small_index.passages)
    broken_passages[0] = replace(broken_passages[0], text="\ud800")
    broken = PassageIndex(
        small_index.index, broken_passages, small_index.manifest, small_index.examples, small_index.example_index
    )
    before = _versions(tmp_path)
    with pytest.raises(UnicodeEncodeError):
        broken.save(directory)
    assert PassageIndex.load(directory, MODEL).passages == small_index.passages
    assert _versions(tmp_path) == before


def test_an_index_of_no_passages_is_refused(encoder):
    with pytest.raises(ValueError, match="make index"):
        PassageIndex.build([], encoder)
