"""The replay task sends a recording's candidate messages through a live session and ends it as the recording ended:
where the recorded interviewer closed the interview, our interviewer is at the end of its time there too."""

from __future__ import annotations

from interviewer.domain import STAGES, Transcript, Turn, Verdict
from interviewer.evals.replay import closed_at, replay_case
from interviewer.evaluation import LabelledCase, Labels
from interviewer.policy import TIME_UP_REPLY
from interviewer.service import InterviewService

MESSAGES = (
    "I'd frame it as scoring each card payment for the chance it is fraud, then approve, review or decline.",
    "Labels come from chargebacks, which arrive weeks after the payment.",
    "A first version would be gradient boosted trees on amount, merchant and card history features.",
)


def _recording(closing: str, after: tuple[str, ...] = ()) -> Transcript:
    turns = [Turn("interviewer", "Welcome. What should the system decide?")]
    for message in MESSAGES:
        turns += [Turn("candidate", message), Turn("interviewer", "Go on: what comes next?")]
    turns[-1] = Turn("interviewer", closing)
    return Transcript("recorded", (*turns, *(Turn("candidate", text) for text in after)), "fraud_card_payments")


def test_the_candidate_message_a_recording_was_closed_after_is_found() -> None:
    last = len(MESSAGES) - 1
    assert closed_at(_recording("Okay, we're at time. Thanks for walking me through it.")) == last
    assert closed_at(_recording("Let's stop there, thanks.", after=("One last thought: watch for drift.",))) == last
    assert closed_at(_recording("And how would you monitor it after launch?")) is None  # cut off, not closed


def _replayed_lines(service: InterviewService, recording: Transcript) -> list[str]:
    labels = Labels(dict.fromkeys(STAGES, 3), Verdict.HIRE)
    assert replay_case(service, LabelledCase(recording, labels)) is not None
    return [t.content for t in service.session("session-1").turns if t.role == "interviewer"]


def test_a_replayed_interview_runs_out_of_time_where_its_recording_was_closed(service: InterviewService) -> None:
    lines = _replayed_lines(service, _recording("That's our time, thanks."))
    assert lines[-1] == TIME_UP_REPLY
    assert TIME_UP_REPLY not in lines[:-1]  # the messages before it were answered as usual


def test_a_recording_that_ends_on_a_question_is_replayed_without_time_running_out(service: InterviewService) -> None:
    lines = _replayed_lines(service, _recording("How would you monitor it after launch?"))
    assert TIME_UP_REPLY not in lines and len(lines) == len(MESSAGES) + 1
