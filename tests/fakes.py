"""Test doubles: a scripted chat model that fails on unexpected or unconsumed calls."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from interviewer.llm.base import CallOptions, ChatMessage, Finished, ModelError, ModelEvent, TextDelta

Step = Sequence[str] | ModelError | tuple[Sequence[str], Finished]


class ScriptedChat:
    """Each call to `stream` plays the next scripted reply: its pieces, then `Finished("stop")` (or the scripted
    `Finished`, given as `(pieces, finished)`), or raises the scripted error. Every call's options are kept."""

    name = "scripted"

    def __init__(self, *script: Step) -> None:
        self._script = list(script)
        self.calls: list[list[ChatMessage]] = []
        self.options: list[CallOptions] = []

    def stream(self, messages: Sequence[ChatMessage], options: CallOptions) -> Iterator[ModelEvent]:
        if not self._script:
            raise AssertionError(f"unexpected model call #{len(self.calls) + 1}: nothing left in the script")
        self.calls.append(list(messages))
        self.options.append(options)
        step = self._script.pop(0)
        if isinstance(step, ModelError):
            raise step
        pieces, finished = step if isinstance(step, tuple) else (step, Finished("stop"))
        yield from (TextDelta(piece) for piece in pieces)
        yield finished

    def assert_consumed(self) -> None:
        assert not self._script, f"{len(self._script)} scripted replies were never requested"
