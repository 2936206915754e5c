from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from tests.conftest import OFF_TOPIC, STRONG_FRAUD, offline_judge

from interviewer.domain import STAGES, Stage, StageScore, Transcript, Turn, TurnKind, Verdict
from interviewer.judge import (
    LATER_STAGES,
    Concerns,
    Features,
    Manner,
    StageFeatures,
    best_evidence,
    defended_challenges,
    overall_score,
    passed_over,
    said_in_turn,
    stopped_early,
    thin,
    verdict_of,
    verdict_with_reason,
)
from interviewer.mistakes import raising
from interviewer.questions import QuestionBank
from interviewer.reading import Reading, Said
from interviewer.transcripts import load_transcript

OWN = Path(__file__).resolve().parents[1] / "evals" / "own" / "transcripts"
OLD_DEV = Path(__file__).resolve().parents[1] / "evals" / "transcripts" / "dev"


def _transcript(answers: tuple[str, ...] | list[str], question_id: str = "fraud_card_payments") -> Transcript:
    turns = [Turn("interviewer", "Walk me through your design.", stage=s) for s in STAGES]
    turns += [Turn("candidate", a) for a in answers]
    return Transcript("t", tuple(turns), question_id)


def test_strong_candidate_scores_high_on_every_stage(bank: QuestionBank) -> None:
    report = offline_judge(bank).score(_transcript(STRONG_FRAUD), bank.get("fraud_card_payments"))
    assert all((report.stages[s].score or 0) >= 3 for s in STAGES)
    assert report.verdict in (Verdict.HIRE, Verdict.STRONG_HIRE)
    assert not report.red_flags


def test_off_topic_answers_score_one_everywhere(bank: QuestionBank) -> None:
    report = offline_judge(bank).score(_transcript(OFF_TOPIC), bank.get("fraud_card_payments"))
    assert {report.stages[s].score for s in STAGES} == {1}
    assert report.overall == 1.0
    assert report.verdict is Verdict.STRONG_NO_HIRE


def test_unreached_stages_are_null(bank: QuestionBank) -> None:
    turns = (
        Turn("interviewer", "Frame the problem.", stage=Stage.PROBLEM_FORMULATION),
        Turn("candidate", "It is a binary classification that outputs a fraud probability."),
    )
    question = bank.get("fraud_card_payments")
    report = offline_judge(bank).score(Transcript("t", turns, "fraud_card_payments"), question)
    assert report.stages[Stage.PROBLEM_FORMULATION].score == 2
    assert all(report.stages[s].score is None for s in STAGES[1:])


def test_naming_without_reasons_scores_lower_than_justifying(bank: QuestionBank) -> None:
    judge, question = offline_judge(bank), bank.get("fraud_card_payments")
    named = judge.score(_transcript(["Metrics: precision and recall. Also fraud loss."]), question)
    reasoned = judge.score(
        _transcript(["Precision and recall, because fraud is 0.1% of traffic. Fraud loss in dollars, since that is "
                     "what finance tracks."]),
        question,
    )
    assert named.stages[Stage.METRICS].score == 2
    assert (reasoned.stages[Stage.METRICS].score or 0) > 2


def test_evidence_quotes_the_candidate_and_excludes_their_questions(bank: QuestionBank) -> None:
    answers = ["What is the fraud rate?", STRONG_FRAUD[1]]
    report = offline_judge(bank).score(_transcript(answers), bank.get("fraud_card_payments"))
    evidence = report.stages[Stage.METRICS].evidence
    assert evidence and all(quote in STRONG_FRAUD[1] for quote in evidence)


def test_a_hint_caps_the_stage_at_three(bank: QuestionBank) -> None:
    base = _transcript(STRONG_FRAUD)
    hinted = Transcript("t", (*base.turns, Turn("interviewer", "Hint", TurnKind.HINT, Stage.METRICS)), base.question_id)
    judge, question = offline_judge(bank), bank.get("fraud_card_payments")
    assert judge.score(base, question).stages[Stage.METRICS].score == 4
    assert judge.score(hinted, question).stages[Stage.METRICS].score == 3


def test_red_flags_carry_evidence_and_explanation(bank: QuestionBank) -> None:
    answers = [
        "I would train a deep neural network on all transactions and report accuracy.",
        "We randomly split the data into train and test.",
    ]
    report = offline_judge(bank).score(_transcript(answers), bank.get("fraud_card_payments"))
    flags = {f.id: f for f in report.red_flags}
    assert {"accuracy_on_imbalanced", "no_baseline", "random_split_on_time", "random_split_fraud"} <= set(flags)
    assert "deep neural network" in flags["no_baseline"].evidence
    assert all(len(f.explanation) > 60 for f in report.red_flags)


QUESTION_FLAG_SAID = [  # (question, sentence, raises its own red flag)
    ("grocery_demand_forecasting", "Then shuffle and split randomly into train, validation and test.", True),
    ("fraud_card_payments", "We randomly split the data into train and test.", True),
    ("feed_ranking", "We maximise clicks on every post in the feed.", True),
    ("grocery_demand_forecasting", "Random splits are out, obviously, they'd leak the future.", False),
    ("defect_detection", "I think random split is not the best, because images from one batch look alike.", False),
    ("notification_ranking", "But maximising opens has a predictable failure: heavy users open anyway.", False),
    ("feed_ranking", "I think that's right, because if you just optimise for clicks you get clickbait.", False),
    ("hotel_search_ranking", "It's tempting to sort by commission and call it done.", False),
    ("harmful_content", "Multi-label: one score per policy, because a post can break several.", False),
    ("wake_word_detection", "Always-on on the DSP, because audio must stay on the device before the wake word.", False),
]


def test_a_question_flag_needs_a_sentence_that_argues_for_it(bank: QuestionBank) -> None:
    """Every wrong outcome is listed (a flag raised by a sentence that argues against it, or missed)."""
    wrong = []
    for question_id, sentence, raises in QUESTION_FLAG_SAID:
        question = bank.get(question_id)
        assert question is not None
        own = {f.id for f in question.red_flags}
        report = offline_judge(bank).score(_transcript([sentence], question_id), question)
        raised = own & {f.id for f in report.red_flags}
        if bool(raised) != raises:
            wrong.append((question_id, sentence, sorted(raised)))
    assert not wrong


def test_every_cue_of_a_question_flag_said_plainly_raises_it(bank: QuestionBank) -> None:
    """Lists every cue that can never raise its flag (one with "no" or "not" in it had been silenced)."""
    silent = [
        (question.id, cue)
        for question in bank.questions
        for rule in question.red_flags
        for cue in rule.cues
        if raising(rule, [f"Honestly, {cue} here."]) is None
    ]
    assert not silent


def test_free_text_question_is_scored_against_the_generic_flow(bank: QuestionBank) -> None:
    turns = (
        Turn("interviewer", "How would you measure success?"),
        Turn("candidate", "Offline precision and recall because positives are rare; online the conversion rate."),
    )
    transcript = Transcript("t", turns, question_text="Design a spam filter")
    report = offline_judge(bank).score(transcript, None)
    assert report.question_id is None
    assert (report.stages[Stage.METRICS].score or 0) >= 3
    assert report.stages[Stage.TRAINING].score is None


def test_the_verdict_says_which_rule_decided_it() -> None:
    """A no hire beside an overall of 3.16 read to a user as a contradiction: the report says why."""
    fours, threes = dict.fromkeys(STAGES, 4), dict.fromkeys(STAGES, 3)
    assert verdict_with_reason(threes, "E5") == (Verdict.HIRE, "")
    verdict, because = verdict_with_reason(fours, "E5", Concerns(stopped_early=True))
    assert verdict is Verdict.NO_HIRE and "stopped before the later stages" in because
    verdict, because = verdict_with_reason({**threes, Stage.METRICS: 2, Stage.TRAINING: 2, Stage.INFERENCE: 2}, "E5")
    assert verdict is Verdict.NO_HIRE and "more than 2 stage(s) at 2 or below" in because
    assert "uncorrected" in verdict_with_reason(fours, "E5", Concerns(mistakes=1))[1]
    # "7 stages scored 4, at least 4 needed at E5" read to a new user as a riddle
    assert verdict_with_reason(fours, "E5") == (Verdict.STRONG_HIRE, "7 of 7 stages scored 4 (E5 needs at least 4)")


def test_the_verdict_follows_the_committee_rules_at_each_level() -> None:
    fours, threes = dict.fromkeys(STAGES, 4), dict.fromkeys(STAGES, 3)
    two_twos = {s: (2 if i < 2 else 3) for i, s in enumerate(STAGES)}
    assert verdict_of(fours, "E5") is Verdict.STRONG_HIRE
    assert verdict_of(threes, "E5") is Verdict.HIRE
    assert verdict_of(two_twos, "E4") is Verdict.HIRE and verdict_of(two_twos, "E6") is Verdict.NO_HIRE
    assert verdict_of({**fours, Stage.METRICS: 1}, "E5") is Verdict.NO_HIRE  # a key stage at 1
    assert verdict_of(fours, "E5", Concerns(mistakes=1)) is Verdict.NO_HIRE
    assert verdict_of(fours, "E5", Concerns(stopped_early=True)) is Verdict.NO_HIRE
    assert verdict_of(fours, "E5", Concerns(bluffing=True)) is Verdict.STRONG_NO_HIRE
    assert verdict_of(dict.fromkeys(STAGES, 2), "E5") is Verdict.STRONG_NO_HIRE
    three_fours = {s: (4 if i in (2, 3, 4) else 3) for i, s in enumerate(STAGES)}  # strong on the model stages alone
    four_fours = {**three_fours, Stage.INFERENCE: 4}
    assert verdict_of(three_fours, "E4") is Verdict.STRONG_HIRE and verdict_of(three_fours, "E5") is Verdict.HIRE
    assert verdict_of(four_fours, "E5") is Verdict.STRONG_HIRE
    assert verdict_of({**four_fours, Stage.METRICS: 2}, "E5") is Verdict.STRONG_HIRE
    assert verdict_of({**four_fours, Stage.METRICS: 2}, "E6") is Verdict.HIRE


def test_overall_counts_unreached_stages_as_the_floor(bank: QuestionBank) -> None:
    all_three = {s: StageScore(3) for s in STAGES}
    half = {s: StageScore(3 if i < 3 else None) for i, s in enumerate(STAGES)}
    assert overall_score(all_three) == 3.0
    assert overall_score(half) < 2.0


def test_overall_orders_equal_rounded_scores_by_their_estimates() -> None:
    low = {s: StageScore(3, estimate=2.6) for s in STAGES}
    high = {s: StageScore(3, estimate=3.4) for s in STAGES}
    assert overall_score(low) < overall_score({s: StageScore(3) for s in STAGES}) < overall_score(high)


def test_each_estimate_rounds_to_its_stage_score_even_under_a_cap(bank: QuestionBank) -> None:
    weak = ["I'd check the accuracy of the model on the test set. If the accuracy is above 99 percent, it's good, "
            "because that is a strong number for fraud at our volume."]
    for answers in (STRONG_FRAUD, OFF_TOPIC, weak):
        report = offline_judge(bank).score(_transcript(answers), bank.get("fraud_card_payments"))
        for stage in report.stages.values():
            if stage.score is not None and stage.estimate is not None:
                assert abs(stage.estimate - stage.score) < 0.5 and 1.0 <= stage.estimate <= 4.0
        assert 1.0 <= report.overall <= 4.0
    capped = offline_judge(bank).score(_transcript(weak), bank.get("fraud_card_payments")).stages[Stage.METRICS]
    assert capped.score == 1 and capped.estimate is not None and capped.estimate < 1.5


def test_a_stage_said_in_turn_counts_clear_sentences_anywhere_and_guesses_only_in_its_turn() -> None:
    scaling, design = Stage.SCALING_MONITORING, Stage.MVP_DESIGN
    reading = Reading(
        (
            Said("Drift alerts fire when the score distribution shifts.", 0, design, (scaling,), clear=True),
            Said("Then we would keep an eye on it over time.", 1, design, (scaling,), clear=False),
            Said("We could look at it again every so often.", 1, design, (scaling,), clear=False),
            Said("It should be fine once it is running.", 2, scaling, (design,), clear=False),
        ),
        frozenset({design, scaling}),
    )
    assert said_in_turn(reading, scaling) == 2  # the clear one said earlier, and the guess said in its turn
    assert said_in_turn(reading, design) == 2  # the two guesses said while design was asked


def _features(in_turn: dict[Stage, int], time_up: bool = True, asked: Sequence[Stage] = STAGES) -> Features:
    stages = {s: StageFeatures(sentences=in_turn[s], in_turn=in_turn[s]) for s in STAGES}
    return Features(stages, Manner(), Reading((), frozenset(asked)), {}, time_up)


def test_an_interview_is_stopped_early_when_it_ended_on_a_barely_discussed_later_stage() -> None:
    cut_short = {s: (1 if s is Stage.SCALING_MONITORING else 9) for s in STAGES}
    assert stopped_early(_features(cut_short))  # the interviewer called time
    assert stopped_early(_features(cut_short, time_up=False, asked=STAGES[:5]))  # ended before it was asked about
    assert not stopped_early(_features(cut_short, time_up=False))  # asked, and the candidate said little: no rule
    terse = {s: (2 if s in LATER_STAGES else 5) for s in STAGES}  # short everywhere: the later stages are no thinner
    assert not stopped_early(_features(terse))
    assert not stopped_early(_features(dict.fromkeys(STAGES, 9)))


def test_a_later_stage_barely_reached_before_time_was_called_scores_at_most_two(bank: QuestionBank) -> None:
    """Our own cut-short interview (labelled 2 for both later stages): capped when time was called, not when the
    interviewer asked about both later stages instead."""
    cut = load_transcript(OWN / "account_takeover__out_of_time.json").to_domain()
    asking = [Turn("interviewer", bank.flow.guide(s).opener) for s in LATER_STAGES]
    calm = [new for t in cut.turns for new in (asking if "out of time" in t.content else [t])]
    question = bank.get(cut.question_id or "")
    judge = offline_judge(bank)
    features = judge.features(cut, question)
    assert stopped_early(features) and all(thin(features.stages[s], features) for s in LATER_STAGES)
    capped, uncapped = judge.score(cut, question), judge.score(replace(cut, turns=tuple(calm)), question)
    assert all((capped.stages[s].score or 0) <= 2 for s in LATER_STAGES)
    assert any((uncapped.stages[s].score or 0) > 2 for s in LATER_STAGES)
    assert capped.verdict is Verdict.NO_HIRE


@pytest.mark.parametrize("closing", [
    "Okay, that's our time. Thanks.",
    "We're close to time, so I'll stop us here.",
    "I'm going to have to stop you there, we're out of time.",
    "We are at time. Add a last thought if you like.",
])
def test_the_interviewer_calling_time_is_read_in_its_usual_wordings(bank: QuestionBank, closing: str) -> None:
    """Three blind dev interviews end on "that's our time" or "close to time", which the judge had not read as time
    called, so a later stage cut short there counted as an ordinary short answer."""
    cut = load_transcript(OWN / "account_takeover__out_of_time.json").to_domain()
    ended = replace(cut, turns=tuple(replace(t, content=closing) if "out of time" in t.content else t
                                     for t in cut.turns))
    features = offline_judge(bank).features(ended, bank.get(cut.question_id or ""))
    assert features.time_up
    asking = replace(ended, turns=tuple(t for t in ended.turns if t.content != closing))
    assert not offline_judge(bank).features(asking, bank.get(cut.question_id or "")).time_up


PASSING_SEEN = [  # (old self-written transcript, stage it mentions only in passing, both labellers' score, judge)
    ("eta_strong_01", Stage.METRICS, 3, 3),  # a strong candidate the model reads as a 4 there: 3, not 2
    ("eta_strong_01", Stage.TRAINING, 4, 3),  # never a 4, though the labellers gave one
    ("grocery_strong_01", Stage.SCALING_MONITORING, 3, 3),
    ("keyboard_average_01", Stage.MVP_DESIGN, 2, 2),  # an average candidate's passing mention stays at 2
    ("tickets_average_01", Stage.PROBLEM_FORMULATION, 2, 2),
]


def test_a_passing_mention_is_a_two_unless_the_model_reads_the_stage_as_a_four(bank: QuestionBank) -> None:
    judge, scored = offline_judge(bank), []
    for name, stage, labelled, _ in PASSING_SEEN:
        case = load_transcript(OLD_DEV / f"{name}.json")
        assert case.labels is not None and case.labels.stages[stage] == labelled
        transcript = case.to_domain()
        question = bank.get(transcript.question_id or "")
        said = judge.features(transcript, question).stages[stage]
        assert 0 < said.sentences <= 2 and not (said.reasons or said.numbers or said.trade_offs), name
        scored.append((name, stage, judge.score(transcript, question).stages[stage].score))
    assert scored == [(name, stage, expected) for name, stage, _, expected in PASSING_SEEN]


def test_a_stage_is_passed_over_only_between_discussed_stages() -> None:
    gap = {s: (0 if s is Stage.TRAINING else 4) for s in STAGES}
    assert passed_over(Stage.TRAINING, _features(gap))
    tail = {s: (0 if s in STAGES[4:] else 4) for s in STAGES}  # the interview never got past data
    assert not any(passed_over(s, _features(tail)) for s in STAGES[4:])
    head = {s: (0 if s is Stage.PROBLEM_FORMULATION else 4) for s in STAGES}  # nothing before it to pass from
    assert not passed_over(Stage.PROBLEM_FORMULATION, _features(head))


def test_a_stage_the_interview_went_through_is_reached_and_scores_at_most_two(bank: QuestionBank) -> None:
    """Our own weak candidate, whose few words on training were read as other stages' (both labellers: 2): training is
    reached because later stages were discussed; cut the interview before them and it is not."""
    case = load_transcript(OWN / "food_delivery_ranking__weak_junior.json").to_domain()
    question = bank.get(case.question_id or "")
    judge = offline_judge(bank)
    assert judge.features(case, question).stages[Stage.TRAINING].sentences == 0
    assert judge.score(case, question).stages[Stage.TRAINING].score == 2
    early = replace(case, turns=case.turns[:14])  # cut after the metrics: nothing after training discussed yet
    assert not any(judge.features(early, question).stages[s].sentences for s in STAGES[4:])
    assert judge.score(early, question).stages[Stage.TRAINING].score is None


def test_a_later_stage_never_asked_about_in_an_interview_cut_short_is_not_a_four(bank: QuestionBank) -> None:
    """Our own cut-short interview whose serving was only talked about while other stages were asked (both labellers:
    3): at most 3 when time was called before the interviewer asked about it, a 4 when it had been asked about."""
    cut = load_transcript(OWN / "wake_word_detection__out_of_time.json").to_domain()
    question = bank.get(cut.question_id or "")
    judge = offline_judge(bank)
    features = judge.features(cut, question)
    assert stopped_early(features) and not features.stages[Stage.INFERENCE].asked
    asking = Turn("interviewer", bank.flow.guide(Stage.INFERENCE).opener, stage=Stage.INFERENCE)
    asked_first = replace(cut, turns=(asking, *cut.turns))
    assert judge.features(asked_first, question).stages[Stage.INFERENCE].asked
    assert judge.score(cut, question).stages[Stage.INFERENCE].score == 3
    assert judge.score(asked_first, question).stages[Stage.INFERENCE].score == 4
    # asked only in the interviewer's last reply, which the candidate never took up: not reached either
    asked_last = replace(cut, turns=(*cut.turns, asking))
    assert not judge.features(asked_last, question).stages[Stage.INFERENCE].asked
    assert judge.score(asked_last, question).stages[Stage.INFERENCE].score == 3
    answered = replace(cut, turns=(*cut.turns, asking, Turn("candidate", "On the device, as I said.")))
    assert judge.features(answered, question).stages[Stage.INFERENCE].asked



def _challenged(question: str, reply: str, bank: QuestionBank) -> Transcript:
    """The strong fraud interview, stage by stage, with the interviewer's `question` on its serving plan and the
    candidate's `reply` right after it."""
    turns = [t for s, a in zip(STAGES, STRONG_FRAUD, strict=True)
             for t in (Turn("interviewer", bank.flow.guide(s).opener, stage=s), Turn("candidate", a))]
    at = 2 * STAGES.index(Stage.INFERENCE) + 2
    asked = [Turn("interviewer", question, stage=Stage.INFERENCE), Turn("candidate", reply)]
    return Transcript("challenged", (*turns[:at], *asked, *turns[at:]), "fraud_card_payments")


def test_a_challenge_stood_by_caps_its_stage_and_the_verdict_and_is_quoted(bank: QuestionBank) -> None:
    judge, question = offline_judge(bank), bank.get("fraud_card_payments")
    doubt = "You rely on Redis for the aggregates. Is that really safe when the cache is cold after a deploy?"
    stood = judge.score(_challenged(doubt, "It should be fine in practice. The cache stays warm almost all the "
                                           "time, so I wouldn't plan anything for that case.", bank), question)
    conceded = judge.score(_challenged(doubt, "Fair point, a cold cache could blow the 100 ms budget. I'd warm it "
                                              "from the batch job before traffic moves and use the rules on a miss.",
                                       bank), question)
    flags = {f.id: f for f in stood.red_flags}
    assert "defended_challenge" in flags and "should be fine" in flags["defended_challenge"].evidence
    assert (stood.stages[Stage.INFERENCE].score or 0) <= 2
    assert stood.verdict in (Verdict.NO_HIRE, Verdict.STRONG_NO_HIRE)
    assert "defended_challenge" not in {f.id for f in conceded.red_flags}
    assert (conceded.stages[Stage.INFERENCE].score or 0) > 2
    assert conceded.verdict in (Verdict.HIRE, Verdict.STRONG_HIRE)


def test_a_stance_kept_after_a_nod_to_a_though_question_is_a_challenge_stood_by(bank: QuestionBank) -> None:
    judge, question = offline_judge(bank), bank.get("fraud_card_payments")
    doubt = "A cold cache after every deploy, though?"
    kept = judge.score(_challenged(doubt, "Yes, that happens. Deploys are rare and short. I'd still serve straight "
                                          "from the cache and skip a fallback.", bank), question)
    flags = {f.id: f for f in kept.red_flags}
    assert flags["defended_challenge"].evidence.strip('"').startswith("I'd still serve")  # the stance is quoted
    assert (kept.stages[Stage.INFERENCE].score or 0) <= 2
    changed = judge.score(_challenged(doubt, "Yes, that happens. Fair point: I'd warm it from the batch job and "
                                             "still fall back to the rules on a miss.", bank), question)
    assert "defended_challenge" not in {f.id for f in changed.red_flags}


def test_standing_by_an_answer_to_a_plain_question_is_no_challenge(bank: QuestionBank) -> None:
    judge, question = offline_judge(bank), bank.get("fraud_card_payments")
    plain = judge.score(_challenged("Which store would hold the aggregates?", "I don't think it matters much here. "
                                    "Redis or any key-value store with fast reads works for the aggregates.", bank),
                        question)
    assert "defended_challenge" not in {f.id for f in plain.red_flags}
    assert (plain.stages[Stage.INFERENCE].score or 0) > 2


def test_a_yes_to_a_doubt_that_it_holds_stands_by_it_and_a_yes_to_a_risk_concedes(bank: QuestionBank) -> None:
    judge, question = offline_judge(bank), bank.get("fraud_card_payments")
    holds = "Would a warm cache always keep you inside the 100 ms budget?"
    kept = judge.score(_challenged(holds, "Generally yes, the cache is warm nearly all the time, so the budget holds.",
                                   bank), question)
    flags = {f.id: f for f in kept.red_flags}
    assert flags["defended_challenge"].evidence.strip('"').startswith("Generally yes")
    assert (kept.stages[Stage.INFERENCE].score or 0) <= 2
    assert kept.verdict in (Verdict.NO_HIRE, Verdict.STRONG_NO_HIRE)
    risk = "Is there a risk that a cold cache after a deploy blows the budget?"
    agreed = judge.score(_challenged(risk, "Yes, for a few minutes after each deploy, so I'd warm it from the batch "
                                           "job before traffic moves.", bank), question)
    assert "defended_challenge" not in {f.id for f in agreed.red_flags}
    assert (agreed.stages[Stage.INFERENCE].score or 0) > 2
    negative = "Isn't a warm cache always a gamble after a deploy?"  # a yes agrees with the doubt
    assert "defended_challenge" not in {
        f.id for f in judge.score(_challenged(negative, "Yes, so I'd warm it from the batch job first.", bank),
                                  question).red_flags
    }


def test_a_challenge_caps_the_stage_the_questioned_message_is_clearly_about(bank: QuestionBank) -> None:
    """The interviewer was still asking about the framing, but what it questioned was a metric: the metric's stage is
    capped. Where the questioned message is clearly about no stage, the stage being asked about still is."""
    framing, metrics = Stage.PROBLEM_FORMULATION, Stage.METRICS
    transcript = Transcript("asked framing", (
        Turn("interviewer", "What are we optimising, and how will we know it works?"),
        Turn("candidate", "Online I'd count invitations sent from the module. More of them means better suggestions."),
        Turn("interviewer", "Would more invitations going out always mean better suggestions?"),
        Turn("candidate", "Mostly, yes. It has the most volume of any signal."),
    ), "people_you_may_know")
    clear = (Said("Online I'd count invitations sent from the module.", 0, framing, (metrics,), clear=True),
             Said("More of them means better suggestions.", 0, framing, (framing,)),
             Said("Mostly, yes.", 1, framing, (framing,)))
    reading = Reading(clear, frozenset({framing}), 2, asked_at=(framing, framing))
    assert defended_challenges(transcript, reading, bank.probes) == {metrics: "Mostly, yes."}
    guessed = tuple(replace(s, clear=False) for s in clear)
    assert defended_challenges(transcript, replace(reading, said=guessed), bank.probes) == {framing: "Mostly, yes."}


def test_a_challenge_with_no_stage_asked_caps_the_stage_of_the_message_it_questioned(bank: QuestionBank) -> None:
    said = (Said("Recall at a fixed review rate is the offline metric.", 0, None, (Stage.METRICS,)),
            Said("Precision per merchant would be tracked too.", 0, None, (Stage.METRICS,)),
            Said("Generally yes, they track each other.", 1, None, (Stage.TRAINING,)))
    reading = Reading(said, frozenset(), 2, asked_at=(None, None))
    transcript = Transcript("untagged", (
        Turn("interviewer", "How will you know it works?"),
        Turn("candidate", "Recall at a fixed review rate is the offline metric. Precision per merchant too."),
        Turn("interviewer", "Would higher recall always mean fewer losses?"),
        Turn("candidate", "Generally yes, they track each other."),
    ), "fraud_card_payments")
    assert defended_challenges(transcript, reading, bank.probes) == {
        Stage.METRICS: "Generally yes, they track each other."
    }


def test_a_stage_quotes_sentences_whose_closest_point_is_its_own_or_said_while_it_was_asked(bank: QuestionBank) -> None:
    """Counted for the stage (scores read every sentence) but not quoted there: a sentence that comes closer to another
    stage's point, or that states no point, said while another stage was asked. Two raters found about half of such
    quotes about another stage (evals/raters/evidence)."""
    question = bank.get("fraud_card_payments")
    assert question is not None
    training = Stage.TRAINING
    own = Said("We'd use gradient-boosted trees with class weights.", 3, training, (training,), ("gbdt_imbalance",))
    nearer_framing = Said("It's a real-time binary decision we'd model with boosted trees.", 1,
                          Stage.PROBLEM_FORMULATION, (Stage.PROBLEM_FORMULATION, training),
                          ("binary_realtime", "gbdt_imbalance"))
    by_content = Said("We'd keep an eye on how the trees behave over time.", 5, Stage.SCALING_MONITORING, (training,))
    asked_there = Said("Nothing fancy on the model side for the first version.", 3, training, (training,))
    quoted = best_evidence([nearer_framing, own, by_content, asked_there], training, question.points_for(training))
    assert quoted == [own, asked_there]
    alone = best_evidence([nearer_framing], training, question.points_for(training))
    assert alone == [nearer_framing]  # nothing better said about the stage: the stage still shows what it was read from
