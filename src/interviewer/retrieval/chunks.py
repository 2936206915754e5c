"""Turn documents into retrievable chunks: Markdown split by heading (front matter kept as metadata), plain text by
paragraph groups. Pure functions; ids are stable and each chunk carries a hash of its text."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import yaml

from interviewer.domain import STAGES, Stage

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*$", re.MULTILINE)
TEXT_CHUNK_CHARS = 1200


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    source: str
    heading: str
    text: str
    note_id: str
    stages: tuple[Stage, ...] = ()

    @property
    def content_hash(self) -> str:
        return digest(f"{self.heading}\n{self.text}\n{','.join(self.stages)}")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _chunk_id(source: str, position: int) -> str:
    return f"{digest(source)[:12]}-{position:03d}"


def front_matter(text: str) -> tuple[dict[str, object], str]:
    """(metadata, body). Missing or unreadable front matter gives empty metadata and the whole text."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    return (meta if isinstance(meta, dict) else {}), text[match.end() :]


def _stages(meta: dict[str, object]) -> tuple[Stage, ...]:
    listed = meta.get("stages")
    names = {str(s) for s in listed} if isinstance(listed, list) else set()
    return tuple(s for s in STAGES if s.value in names)


def markdown_chunks(source: str, text: str) -> list[Chunk]:
    """One chunk per heading section; text before the first heading joins the title's chunk."""
    meta, body = front_matter(text)
    note_id = str(meta.get("id") or source)
    title = str(meta.get("title") or "")
    stages = _stages(meta)
    sections: list[tuple[str, str]] = []
    matches = list(_HEADING.finditer(body))
    preamble = body[: matches[0].start()] if matches else body
    if preamble.strip():
        sections.append((title or source, preamble.strip()))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        section = body[match.end() : end].strip()
        if section:
            heading = match.group(2) if match.group(1) != "#" or not title else title
            sections.append((heading, section))
    asks = _asks(meta)
    if asks:  # how candidates bring the topic up, in their words: found by questions that share no heading word
        sections.append((title or source, "\n".join(asks)))
    return [
        Chunk(_chunk_id(source, n), source, heading, f"{title}: {heading}\n{text}" if title else text, note_id, stages)
        for n, (heading, text) in enumerate(sections)
    ]


def _asks(meta: dict[str, object]) -> list[str]:
    listed = meta.get("asks")
    return [str(a) for a in listed if str(a).strip()] if isinstance(listed, list) else []


def text_chunks(source: str, text: str, limit: int = TEXT_CHUNK_CHARS) -> list[Chunk]:
    """Paragraphs packed into chunks of at most about `limit` characters."""
    groups: list[str] = []
    current = ""
    for paragraph in (p.strip() for p in re.split(r"\n\s*\n", text)):
        if not paragraph:
            continue
        if current and len(current) + len(paragraph) > limit:
            groups.append(current)
            current = ""
        current = f"{current}\n\n{paragraph}".strip()
        while len(current) > limit * 2:
            groups.append(current[:limit])
            current = current[limit:]
    if current:
        groups.append(current)
    return [Chunk(_chunk_id(source, n), source, f"part {n + 1}", g, source) for n, g in enumerate(groups)]
