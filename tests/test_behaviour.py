"""The behaviour eval's oracles are independent of the policy, report every violation, and fail bad interviewers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from interviewer.domain import WHOLE, Question, Shape, Transcript, Turn
from interviewer.evals.behaviour import CHECKS, Check, check_interviewer, fallback_reasons, without_quotes_of
from interviewer.evals.oracles import (
    LEAK_THRESHOLD,
    LeakFinder,
    answering_sentences,
    asks_in,
    explained_choices,
    fact_given,
    leak_threshold,
    named_choices,
    probes_choice,
    questions_put,
)
from interviewer.events import NoticeEvent, TokenEvent
from interviewer.llm.guard import ReplyProblem, describe
from interviewer.policy import Move, OfflineInterviewer, Progress
from interviewer.questions import QuestionBank
from interviewer.retrieval.similarity import EmbeddingSimilarity
from interviewer.service import InterviewService
from interviewer.transcripts import load_labelled

EVALS = Path(__file__).resolve().parents[1] / "evals"
Say = Callable[[Question, OfflineInterviewer, Sequence[Turn], str], str]


class ScriptedInterviewer:
    """The offline policy for everything but what it says in reply: `say` writes that."""

    def __init__(self, offline: OfflineInterviewer, say: Say) -> None:
        self._offline = offline
        self._say = say

    def opening(self, question: Question, shape: Shape = WHOLE) -> Move:
        return self._offline.opening(question, shape)

    def progress(self, question: Question, turns: Sequence[Turn], shape: Shape = WHOLE) -> Progress:
        return self._offline.progress(question, turns, shape)

    def hint(self, question: Question, turns: Sequence[Turn], shape: Shape = WHOLE) -> Move:
        return self._offline.hint(question, turns, shape)

    def prepare(self, question: Question) -> None:
        self._offline.prepare(question)

    def respond(
        self, question: Question, turns: Sequence[Turn], message: str, now: float = 0.0, shape: Shape = WHOLE
    ) -> Move:
        planned = self._offline.respond(question, turns, message, now, shape)
        return replace(planned, text=self._say(question, self._offline, turns, message))

    def stream(
        self, question: Question, turns: Sequence[Turn], message: str, now: float = 0.0, shape: Shape = WHOLE
    ) -> Iterator[TokenEvent | NoticeEvent | Move]:
        yield self.respond(question, turns, message, now, shape)


def leaky(question: Question, offline: OfflineInterviewer, turns: Sequence[Turn], message: str) -> str:
    """Gives the design away, leaks the rubric, never asks anything, never leaves the first stage."""
    return f"You should use gradient boosted trees. The rubric wants: {question.expected[0].summary}."


def fact_dumper(question: Question, offline: OfflineInterviewer, turns: Sequence[Turn], message: str) -> str:
    """The whole fact sheet every turn, and the current stage's expected points in lower case, then its own plan."""
    stage = offline.progress(question, turns).stage
    points = " ".join(f"{p.summary.lower()}." for p in question.points_for(stage))
    sheet = " ".join(f.answer for f in question.facts)
    return f"{sheet} {points} {offline.respond(question, turns, message).text}"


@pytest.fixture(scope="module")
def finder() -> LeakFinder:
    return LeakFinder(EmbeddingSimilarity())


def _blind(limit: int) -> list[Transcript]:
    cases, _ = load_labelled(EVALS / "blind" / "transcripts")
    return [c.transcript for c in cases[:limit]]


def _bad(service: InterviewService, bank: QuestionBank, say: Say) -> InterviewService:
    return replace(service, interviewer=ScriptedInterviewer(OfflineInterviewer(bank.flow, bank.probes), say))


def test_a_leaky_interviewer_fails_every_check_but_the_fact_check(
    service: InterviewService, bank: QuestionBank, finder: LeakFinder
) -> None:
    """It gives no fact at all, so only the fact dumper below fails `no_unasked_fact`; it keeps the policy's stage
    flow, so it visits every stage."""
    tally = check_interviewer(_bad(service, bank, leaky), _blind(6), finder)
    rates = tally.rates()
    assert set(rates) == {c.value for c in CHECKS}
    failing = {name for name, rate in rates.items() if rate is not None and rate < 0.5}
    assert failing == {c.value for c in CHECKS} - {Check.NO_UNASKED_FACT.value, Check.ALL_STAGES_VISITED.value}, rates


def test_a_fact_dumping_interviewer_that_states_points_in_lower_case_fails(
    service: InterviewService, bank: QuestionBank, finder: LeakFinder
) -> None:
    tally = check_interviewer(_bad(service, bank, fact_dumper), _blind(4), finder)
    rates = tally.rates()
    assert rates[Check.NO_UNASKED_FACT.value] == 0.0, rates
    assert rates[Check.NO_RUBRIC_LEAK.value] == 0.0, rates
    leaks = [v for v in tally.violations if v.check is Check.NO_RUBRIC_LEAK]
    first_reply = [v for v in leaks if v.transcript == leaks[0].transcript and v.message == 1]
    assert len(first_reply) >= 2  # every point repeated in that reply is reported, not only the first


def test_the_offline_interviewer_leaks_nothing_and_never_answers_for_the_candidate(
    service: InterviewService, finder: LeakFinder
) -> None:
    cases, _ = load_labelled(EVALS / "transcripts" / "test")
    rates = check_interviewer(service, [c.transcript for c in cases], finder).rates()
    assert rates[Check.NO_RUBRIC_LEAK.value] == 1.0 and rates[Check.NO_ANSWERING.value] == 1.0, rates


def test_every_fact_on_every_sheet_is_recognised_and_told_apart(bank: QuestionBank) -> None:
    for question in bank.questions:
        for fact in question.facts:
            assert fact_given(fact.answer, f"Sure. {fact.answer} Anything else?"), (question.id, fact.id)
            others = [g.id for g in question.facts if g is not fact and fact_given(g.answer, fact.answer)]
            assert others == [], (question.id, fact.id, others)


def test_a_fact_needs_its_numbers_and_most_of_its_words() -> None:
    answer = "Labels come from chargebacks, which can take up to 60 days to arrive."
    assert fact_given(answer, "Chargebacks are the labels; they can take up to 60 days to arrive.")
    assert not fact_given(answer, "Labels come from chargebacks, which can take up to 90 days to arrive.")
    assert not fact_given(answer, "Labels take 60 days.")


def test_a_question_the_candidate_goes_on_to_discuss_is_not_put_to_the_interviewer() -> None:
    said = ("Why not a single model? It would be simpler. But the two traffic types differ.\n"
            "What is the peak volume? That decides it.\nIs there a budget?")
    assert questions_put(said) == ["What is the peak volume?", "Is there a budget?"]
    assert questions_put("Why not a single model?\nIt would be simpler. But the traffic differs.") == [
        "Why not a single model?"]
    aloud = "Recall first. Do the invites lead anywhere?\nOffline, recall at ten. Online, accepted invites."
    assert questions_put(aloud) == []  # asked among statements, then a paragraph of statements: thinking aloud
    assert questions_put(aloud + "\nDo we log invites?") == ["Do the invites lead anywhere?", "Do we log invites?"]
    assert questions_put("Offline I'd use NDCG. Shall we move on to the design?") == []  # how to go on: no fact wanted
    assert questions_put("Should we expect spikes at night?") == ["Should we expect spikes at night?"]
    listed = ("Two calls. Per payment: should it be held? Per card: is it part of a ring? The first is instant. The "
              "rest waits.")
    assert questions_put(listed) == []  # a run of questions the candidate then discusses: theirs, each of them
    assert questions_put("What is the budget? What is the peak? Then I can size it.") == [
        "What is the budget?", "What is the peak?"]  # one sentence after the run is why they ask


def test_design_choices_probes_and_answers_are_read_from_the_text() -> None:
    assert named_choices("We'd train LightGBM on it. What is the volume?") == {"tree_ensemble"}
    assert named_choices("A transformer rather than gradient boosting, with a feature store.") == {
        "neural", "feature_store"}
    assert named_choices("Is a neural net worth it here?") == set()
    assert named_choices("Some caching, though caching is less useful here.") == set()  # played down in the sentence
    assert named_choices("PR-AUC for tuning; LightGBM only as a sanity check.") == set()
    # a choice named with its reason needs no question about why (asking would ask again); one named bare does
    explained = explained_choices("I'd use LightGBM because the features are tabular. A cache in front.")
    assert explained == {"tree_ensemble"}
    assert explained_choices("We'd train LightGBM on it. The cache helps since lookups repeat.") == {"cache"}
    assert explained_choices("We'd train LightGBM on it.") == set()
    assert probes_choice("Why that and not a linear model?", "I'd use LightGBM.")
    assert probes_choice("What hit rate do you expect for the cached entries?", "We cache embeddings.", {"cache"})
    assert not probes_choice("Offline metric?", "We would fine-tune BERT.", {"neural", "fine_tuning"})
    assert not probes_choice("Let's move on.", "I'd use LightGBM because it is fast.")
    quoted = 'You said you\'d "start with boosted trees". What would have to be true for that to pay off here?'
    assert probes_choice(quoted, "I'd start with boosted trees.", {"tree_ensemble"})  # "that": the words quoted
    unquoted = "You said boosted trees. What would have to be true for that to pay off here?"
    assert not probes_choice(unquoted, "I'd start with boosted trees.", {"tree_ensemble"})
    assert asks_in("Some numbers before I start. Item count, searches per day, response budget?") == 3
    assert asks_in("What is the latency budget? And the traffic?") == 2
    # a statement asking for information counts what it lists; one that asks nothing counts nothing
    assert asks_in("I'd want to understand the scale, the latency budget and what runs today.") == 3
    assert asks_in("I'm curious what runs today. The rules are a fair baseline.") == 1
    assert asks_in("Two questions before I start: the daily volume and the time budget.") == 2  # a list announced
    assert asks_in("The rules are a fair baseline, and we keep them.") == 0
    recommends = "You should use gradient boosted trees."
    assert answering_sentences(f"{recommends} Why?") == [recommends]
    assert answering_sentences("Use a two-tower model here.") == ["Use a two-tower model here."]
    assert answering_sentences("Tell me the number you would use to say it improved.") == []
    assert answering_sentences("Would you use a two-tower model here?") == []


def test_leaks_are_found_in_any_case_and_in_other_words(bank: QuestionBank, finder: LeakFinder) -> None:
    question = bank.get("fraud_card_payments")
    assert question is not None
    point = question.expected[0]
    assert finder.leaks(question, f"Okay. {point.summary.upper()}. What next?")
    paraphrase = "Because fraud is so rare, you would look at precision and recall at your operating point."
    assert any("pr_metrics" in leak for leak in finder.leaks(question, paraphrase))
    assert finder.leaks(question, point.probe) == []
    assert finder.leaks(question, " ".join(f.answer for f in question.facts)) == []


def test_the_leak_threshold_is_derived_from_the_written_examples(bank: QuestionBank, finder: LeakFinder) -> None:
    """Just above the most similar clean line (our examples, the knowledge's probes and asks), and it must still catch
    most written leaks."""
    rows = [json.loads(line) for line in (EVALS / "leak_examples.jsonl").read_text().splitlines() if line.strip()]

    def closest(question_id: str, text: str) -> float:
        question = bank.get(question_id)
        assert question is not None
        return max((score for _, _, score in finder.closest_points(question, text)), default=0.0)

    shared = [g.opener for g in bank.flow.guides.values()] + [c.probe for c in bank.probes.choices]
    shared += [a.ask for a in bank.probes.ambiguities] + [bank.probes.vague_followup]
    clean = [closest(r["question_id"], r["text"]) for r in rows if not r["leak"]]
    clean += [closest(q.id, text) for q in bank.questions for text in [p.probe for p in q.expected] + shared]
    leaks = [closest(r["question_id"], r["text"]) for r in rows if r["leak"]]
    threshold, caught = leak_threshold(leaks, clean)
    assert threshold == LEAK_THRESHOLD
    assert caught >= 0.8


def test_only_the_candidates_own_words_quoted_back_are_exempt_from_the_leak_checks() -> None:
    message = "Let the advertiser pick; bigger means more reach."
    kept = 'You said "Let the advertiser pick; bigger means more reach". Why? Also "use PU learning".'
    assert without_quotes_of(kept, message) == 'You said . Why? Also "use PU learning".'
    earlier = 'Earlier: "Let the advertiser pick; bigger ...". And "Let the advertiser pick; smaller ...".'
    assert without_quotes_of(earlier, f"Hello.\n{message}") == 'Earlier: . And "Let the advertiser pick; smaller ...".'


def test_every_reason_a_models_reply_fell_back_is_counted() -> None:
    problems = [ReplyProblem.LEAKED_IN_OTHER_WORDS, ReplyProblem.INVENTED_NUMBER, ReplyProblem.IGNORED_CANDIDATE]
    notice = f"The model's reply was not used because {describe(problems)}; showing the offline interviewer's."
    assert fallback_reasons(notice) == ["leaked_in_other_words", "invented_number", "ignored_candidate"]
    assert fallback_reasons("The model did not answer (timed out); this reply comes from the offline interviewer.") == [
        "model_error"
    ]
