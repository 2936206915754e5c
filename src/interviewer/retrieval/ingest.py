"""Read the user's own files (.md, .txt, .pdf) into chunks.

A bad file is skipped with a one-line reason and the rest go on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from interviewer.retrieval.chunks import Chunk, markdown_chunks, text_chunks

SUFFIXES = frozenset({".md", ".markdown", ".txt", ".pdf"})
MAX_FILE_BYTES = 5 * 1024 * 1024


class Skip(Exception):
    """A file that cannot be ingested; the message is the one-line reason."""


@dataclass
class Ingested:
    chunks: list[Chunk] = field(default_factory=list)
    files: int = 0
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise Skip("binary file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Skip(f"not UTF-8 text (byte {exc.start})") from exc


def _pdf_text(path: Path) -> str:
    try:
        return "\n\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise Skip(f"unreadable PDF ({type(exc).__name__})") from exc


def read_file(path: Path, source: str) -> list[Chunk]:
    size = path.stat().st_size
    if size == 0:
        raise Skip("empty file")
    if size > MAX_FILE_BYTES:
        raise Skip(f"too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    suffix = path.suffix.lower()
    text = _pdf_text(path) if suffix == ".pdf" else _decode(path.read_bytes())
    if not text.strip():
        raise Skip("no text in it")
    chunks = markdown_chunks(source, text) if suffix in (".md", ".markdown") else text_chunks(source, text)
    if not chunks:
        raise Skip("no text in it")
    return chunks


def candidate_files(paths: Iterable[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
        else:
            yield path


def ingest(paths: Iterable[Path]) -> Ingested:
    result = Ingested()
    for path in candidate_files(paths):
        if path.suffix.lower() not in SUFFIXES:
            result.skipped.append((path, f"unsupported type {path.suffix or '(none)'}; use .md, .txt or .pdf"))
            continue
        try:
            result.chunks.extend(read_file(path, str(path.resolve())))
            result.files += 1
        except Skip as exc:
            result.skipped.append((path, str(exc)))
        except OSError as exc:
            result.skipped.append((path, f"cannot read ({exc.strerror or exc})"))
    return result
