"""Test doubles: a scripted chat model that fails on unexpected or unconsumed calls."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from interviewer.llm.base import ChatMessage, ModelError


class ScriptedChat:
    """Each call to `stream` plays the next scripted reply (a list of pieces) or raises the scripted error."""

    name = "scripted"

    def __init__(self, *script: Sequence[str] | ModelError) -> None:
        self._script = list(script)
        self.calls: list[list[ChatMessage]] = []

    def stream(self, messages: Sequence[ChatMessage], max_tokens: int) -> Iterator[str]:
        if not self._script:
            raise AssertionError(f"unexpected model call #{len(self.calls) + 1}: nothing left in the script")
        self.calls.append(list(messages))
        step = self._script.pop(0)
        if isinstance(step, ModelError):
            raise step
        yield from step

    def assert_consumed(self) -> None:
        assert not self._script, f"{len(self._script)} scripted replies were never requested"
