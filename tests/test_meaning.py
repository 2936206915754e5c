"""Clarifying questions are matched to facts by meaning: paraphrases, several facts at once, and nothing off the
sheet. The thresholds were chosen on our own clarifying questions (evals/own/clarify), checked here."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np
import pytest

from interviewer.config import Settings
from interviewer.domain import Fact, Question
from interviewer.evals import clarify
from interviewer.evals.backends import BackendChoice
from interviewer.evals.gates import gate_failures, load_gates
from interviewer.evals.harness import EvalEnv, eval_env
from interviewer.meaning import (
    PART_MARGIN,
    Asked,
    FactFinder,
    asked_in,
    asks_how_for_a_count,
    coordinated_parts,
    joined_questions,
    listed_parts,
    names_something_else,
    question_parts,
    refers_back,
    thing_named,
)
from interviewer.questions import QuestionBank
from interviewer.retrieval.embed import DIMENSIONS
from interviewer.retrieval.similarity import EmbeddingSimilarity
from interviewer.transcripts import load_clarify_items

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def finder() -> FactFinder:
    return FactFinder(EmbeddingSimilarity())


def _sheet(bank: QuestionBank, question_id: str) -> Question:
    question = bank.get(question_id)
    assert question is not None
    return question


def _ids(finder: FactFinder, bank: QuestionBank, question_id: str, text: str) -> list[str]:
    question = _sheet(bank, question_id)
    return [f.id for asked in asked_in(text) for f in finder.find_asked(question, asked)]


def test_a_paraphrased_question_finds_its_fact(finder: FactFinder, bank: QuestionBank) -> None:
    assert _ids(finder, bank, "fraud_card_payments", "And how do we find out a transaction was actually fraud?") == [
        "labels"]
    assert _ids(finder, bank, "fraud_card_payments", "what's the latency budget for the decision?") == ["latency"]


def test_two_things_asked_at_once_get_both_facts(finder: FactFinder, bank: QuestionBank) -> None:
    found = _ids(finder, bank, "fraud_card_payments",
                 "How many payments do we handle at peak, and how long do we have to decide on each one?")
    assert found == ["scale", "latency"]


def test_a_terse_list_of_things_asks_for_each_of_them(finder: FactFinder, bank: QuestionBank) -> None:
    assert listed_parts("Photo quality and category mix?") == ["Photo quality", "category mix"]
    assert listed_parts("Catalogue size, query volume, latency target?") == [
        "Catalogue size", "query volume", "latency target"
    ]
    assert listed_parts("What volume and latency should I plan for?") == []  # asked in words: read as before
    assert listed_parts("Is this mostly fashion, or home goods too?") == []
    assert listed_parts("Do we keep the images and the clicks, and for how long do we keep them around?") == []
    assert _ids(finder, bank, "visual_product_search", "Photo quality and category mix?") == [
        "photo_quality", "categories"
    ]


def test_a_second_question_joined_to_the_first_gets_its_closest_fact(finder: FactFinder, bank: QuestionBank) -> None:
    question = bank.get("fraud_card_payments")
    assert question is not None
    second = "how long can we take for each"
    best, runner_up = finder.scores(question, [second])[0][:2]
    assert best.fact.id == "latency" and best.score - runner_up.score < 0.1  # not sure enough on its own
    joined = f"How many transactions per second at peak, and {second}?"
    assert joined_questions(joined) == ["How many transactions per second at peak", second]
    assert _ids(finder, bank, "fraud_card_payments", joined) == ["scale", "latency"]
    assert joined_questions("Do the fraudsters act alone, or in organised groups?") == []  # one question
    assert _ids(finder, bank, "fraud_card_payments", "How many engineers will build this, and when do we ship?") == []


def test_two_things_asked_in_one_clause_are_read_apart(finder: FactFinder, bank: QuestionBank) -> None:
    assert coordinated_parts("What daily volume and per-request latency am I designing for?") == [
        "What daily volume", "What per-request latency am I designing for"]
    assert coordinated_parts("How much past data on plays and skips can we use?") == []  # one thing, qualified
    assert coordinated_parts("Do we log clicks and conversions?") == []  # no question word to lead both
    asked = "What peak payment rate and response time should I design for?"
    assert _ids(finder, bank, "fraud_card_payments", asked) == ["scale", "latency"]


def test_a_question_the_sheet_does_not_cover_gets_no_fact(finder: FactFinder, bank: QuestionBank) -> None:
    assert _ids(finder, bank, "fraud_card_payments", "How many engineers will work on this with me?") == []
    assert _ids(finder, bank, "feed_ranking", "Which cloud provider are we on?") == []


def test_the_thing_a_question_names_is_read_from_its_opening() -> None:
    assert thing_named("Which languages are the emails written in?") == "languag"
    assert thing_named("So how many couriers quit each month?") == "courier"
    assert thing_named("What's the average daily volume of payments?") == "volum"  # how much of something: not it
    assert thing_named("What information do sellers give?") == "seller"  # "information" names nothing
    assert thing_named("What would make this a success?") is None  # no thing follows the opener
    assert thing_named("What are we trying to maximise?") is None
    assert thing_named("Do we keep the labels?") is None  # only questions opening on what they ask


@pytest.mark.parametrize(
    ("question_id", "text", "neighbour"),
    [
        ("spam_email_filter", "How many languages are the emails in?", "labels"),
        ("fraud_card_payments", "What currency are the amounts in?", "features_available"),
        ("feed_ranking", "Which countries are the users in?", "users"),
    ],
)
def test_a_question_naming_what_a_neighbouring_fact_never_mentions_gets_no_fact(
    finder: FactFinder, bank: QuestionBank, question_id: str, text: str, neighbour: str
) -> None:
    question = bank.get(question_id)
    assert question is not None
    assert [f.id for f in finder.find(question, text)] == [neighbour]  # close in meaning to that fact
    fact = next(f for f in question.facts if f.id == neighbour)
    assert names_something_else(text, fact)
    assert _ids(finder, bank, question_id, text) == []


def test_a_word_written_for_a_fact_in_another_form_still_names_it() -> None:
    """"availability" is "available" in another form, so a question naming it names what the fact mentions."""
    fact = Fact("uptime", ("uptime",), "The service must be available 99.9 % of the time.")
    assert not names_something_else("What availability do we promise?", fact)
    assert names_something_else("What region do we serve?", fact)


def test_a_question_naming_what_its_fact_mentions_or_naming_nothing_still_gets_it(
    finder: FactFinder, bank: QuestionBank
) -> None:
    assert _ids(finder, bank, "fraud_card_payments", "How many payments do we handle at peak?") == ["scale"]
    assert _ids(finder, bank, "fraud_card_payments", "What is the chargeback rate?") == ["labels"]
    both = "What's the document count and the daily search volume?"  # each part names what its fact mentions
    assert _ids(finder, bank, "enterprise_doc_search", both) == ["scale", "corpus"]


def test_a_question_naming_its_thing_gets_the_fact_that_mentions_it_when_meaning_is_unsure(
    finder: FactFinder, bank: QuestionBank
) -> None:
    part = "What's the viewer count"
    ranked = finder.scores(_sheet(bank, "video_up_next"), [part])[0]
    assert ranked[0].score - ranked[1].score < PART_MARGIN  # too close to call by meaning alone
    assert thing_named(part) == "viewer"
    asked = "What's the viewer count and the time we have per list?"
    assert _ids(finder, bank, "video_up_next", asked) == ["scale", "latency"]  # only the audience size names viewers


def test_a_vague_short_question_gets_the_closest_fact_when_it_uses_that_facts_cue_words(
    finder: FactFinder, bank: QuestionBank
) -> None:
    vague = "And what runs today?"
    closest = finder.scores(_sheet(bank, "fraud_card_payments"), [vague])[0][0]
    assert closest.score < 0.5  # far from every example: meaning alone is unsure
    assert _ids(finder, bank, "fraud_card_payments", vague) == ["existing_system"]
    assert _ids(finder, bank, "fraud_card_payments", "And what runs?") == []  # no cue word: an assumption instead
    assert _ids(finder, bank, "feed_ranking", "What would a perfect candidate say here?") == []  # the interviewee


def test_a_question_in_the_facts_own_words_gets_it_when_meaning_is_unsure(
    finder: FactFinder, bank: QuestionBank
) -> None:
    """Neither close to an example nor using a cue word, but every content word is among those written for the fact;
    two words nobody wrote for it ("post", "email") make it a question the sheet does not answer."""
    question = bank.get("fraud_card_payments")
    assert question is not None
    in_its_words = "Does a merchant get told why?"
    best, runner_up = finder.scores(question, [in_its_words])[0][:2]
    assert best.fact.id == "regulation" and best.score - runner_up.score < 0.12  # meaning alone is not sure
    assert _ids(finder, bank, "fraud_card_payments", in_its_words) == ["regulation"]
    assert _ids(finder, bank, "fraud_card_payments", "What do we see about the card at decision time?") == [
        "features_available"]
    assert _ids(finder, bank, "fraud_card_payments", "Does a merchant get told why, by post or email?") == []
    assert _ids(finder, bank, "fraud_card_payments", "What colour is the logo?") == []


def test_domain_neutral_examples_answer_a_question_nothing_else_matched_and_never_pull_one_away(
    finder: FactFinder, bank: QuestionBank
) -> None:
    question = bank.get("fake_reviews")
    assert question is not None and any(f.common_asks for f in question.facts if f.id == "current")
    without = replace(question, facts=tuple(replace(f, common_asks=()) for f in question.facts))
    vague = "What do we have in place right now?"
    assert finder.scores(question, [vague])[0][0].fact.id != "current"  # its own examples point elsewhere
    assert [f.id for f in finder.find(without, vague)] == []
    assert [f.id for f in finder.find(question, vague)] == ["current"]
    delayed = "Do we get conversion data, and how delayed is it?"  # "how delayed" is close to the latency examples
    assert _ids(finder, bank, "ads_ctr", delayed) == ["conversions"]


@pytest.mark.parametrize(
    ("question_id", "text"),
    [
        ("spam_email_filter", "How do we find out an email really was spam?"),
        ("spam_email_filter", "How would we know the filter got it wrong?"),
        ("harmful_content", "How would we ever learn that a post we left up was actually harmful?"),
        ("defect_detection", "How do we learn that a part we passed really was faulty?"),
        ("notification_ranking", "How would we ever tell that a notification really annoyed someone?"),
        ("enterprise_doc_search", "How do we learn which documents were really the right answer for a search?"),
    ],
)
def test_a_question_about_how_the_true_outcome_becomes_known_gets_the_labels(
    finder: FactFinder, bank: QuestionBank, question_id: str, text: str
) -> None:
    # its domain words pull it towards other facts by meaning ("spam" towards the spam rate and today's filters)
    assert _ids(finder, bank, question_id, text) == ["labels"]


def test_a_question_about_how_much_or_another_fact_is_not_taken_for_one_about_the_outcome(
    finder: FactFinder, bank: QuestionBank
) -> None:
    assert "labels" not in _ids(finder, bank, "fraud_card_payments",
                                "Do we know what share of fraud the current rules actually catch?")
    assert _ids(finder, bank, "fraud_card_payments",
                "Do we really know how many transactions we process per second?") == ["scale"]
    assert _ids(finder, bank, "spam_email_filter", "Can we look at the content of the emails?") == ["privacy"]


def test_a_question_going_on_after_a_dash_with_another_is_read_in_parts(finder: FactFinder, bank: QuestionBank) -> None:
    asked = "Who decides what's harmful today \u2014 is there a moderation team, and how big?"
    assert question_parts(asked) == ["Who decides what's harmful today", "is there a moderation team"]
    assert _ids(finder, bank, "harmful_content", asked) == ["reviewers"]
    thinking = "Most mail is never reported by anyone \u2014 do we log the rescues from the spam folder?"
    assert question_parts(thinking) == [thinking.rstrip("?")]  # a statement before the dash is no ask of its own


def test_a_way_of_doing_something_is_not_the_thing_a_question_names(finder: FactFinder, bank: QuestionBank) -> None:
    asked = "What's the current way the playlist is built?"
    assert thing_named(asked) == "playlist"
    assert _ids(finder, bank, "music_discovery", asked) == ["current"]


def test_a_short_question_is_read_with_the_sentence_before_it(finder: FactFinder, bank: QuestionBank) -> None:
    assert asked_in("I assume something catches fraud today. What does it do?") == [
        Asked("What does it do?", "I assume something catches fraud today.")]
    with_context = "I guess there are rules running already. How do they work?"
    assert _ids(finder, bank, "fraud_card_payments", with_context) == ["existing_system"]
    assert _ids(finder, bank, "fraud_card_payments", "How do they work?") == []


def test_a_short_question_that_finds_its_fact_alone_is_not_pulled_to_the_sentence_before(
    finder: FactFinder, bank: QuestionBank
) -> None:
    question = bank.get("ads_ctr")
    assert question is not None
    asked = "Is there a latency budget?"
    alone = [f.id for f in finder.find(question, asked)]
    before = "New advertisers join every day and their ads have no history."
    assert alone and [f.id for f in finder.find(question, f"{before} {asked}")] != alone  # the context would pull it
    assert _ids(finder, bank, "ads_ctr", f"{before} {asked}") == alone


def test_a_design_statement_is_not_a_question() -> None:
    assert asked_in("What the fraudsters cannot fake is the device history, so we lean on it.") == []
    assert asked_in("When analysts correct a decision, we use that as a new label.") == []
    assert asked_in("That covers the metrics. Shall I go into the architecture?") == []  # how to go on, no fact
    assert [a.question for a in asked_in("Should we expect fraud to spike on holidays?")] == [
        "Should we expect fraud to spike on holidays?"]
    assert question_parts("How many riders a day, and how fast must the estimate come back?") == [
        "How many riders a day", "how fast must the estimate come back"]


def test_without_embeddings_cue_words_are_used(bank: QuestionBank) -> None:
    question = bank.get("fraud_card_payments")
    assert question is not None
    assert [f.id for f in FactFinder().find(question, "What is the latency budget?")] == ["latency"]


@pytest.fixture(scope="module")
def env() -> Iterator[EvalEnv]:
    with TemporaryDirectory() as data, eval_env(Settings(data_dir=Path(data)), BackendChoice()) as built:
        yield built


@pytest.mark.parametrize(("split", "at_least"), [("own", 800), ("own_more", 240)])
def test_the_rule_holds_on_our_own_clarifying_questions(env: EvalEnv, split: str, at_least: int) -> None:
    gate = load_gates(ROOT / "evals" / "gates.toml")["clarify"][split]
    items = load_clarify_items(ROOT / gate["items"])
    assert len(items) >= at_least
    assert gate_failures(clarify.clarify_metrics(clarify.ask_each(env.service, items)), gate) == []


class _CountingEmbedder:
    """Stands in for MiniLM: slow enough for threads to overlap, and counts every text it embeds."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(0.05)
        self.texts.extend(texts)
        vectors = np.ones((len(texts), DIMENSIONS), dtype=np.float32)
        unit: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        return unit


def test_concurrent_sessions_embed_each_new_text_once() -> None:
    counting = _CountingEmbedder()
    fresh = [f"a sentence nobody has embedded yet {uuid.uuid4()}" for _ in range(3)]
    similarities = [EmbeddingSimilarity(embedder=lambda: counting) for _ in range(8)]  # type: ignore[arg-type, return-value]
    threads = [threading.Thread(target=s.vectors, args=(fresh,)) for s in similarities]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counting.texts) == sorted(fresh)


def test_a_question_about_what_no_sheet_covers_gets_no_neighbouring_fact_and_its_other_parts_still_do(
    finder: FactFinder, bank: QuestionBank
) -> None:
    question = bank.get("wake_word_detection")
    assert question is not None and question.unanswered
    without = replace(question, unanswered=())
    hardware = "How many microphones are in the speaker's array?"
    assert [f.id for f in finder.find(without, hardware)] == ["scale"]  # the traffic volume, a neighbouring fact
    assert [f.id for f in finder.find(question, hardware)] == []
    assert _ids(finder, bank, "ads_ctr", "Is there a feature store we already run?") == []
    mixed = "What is the latency target, and how many engineers will I have?"
    assert _ids(finder, bank, "fraud_card_payments", mixed) == ["latency"]
    assert _ids(finder, bank, "fraud_card_payments", "How many transactions per second at peak?") == ["scale"]


def test_a_question_asking_how_something_is_done_gets_no_bare_count(finder: FactFinder, bank: QuestionBank) -> None:
    question = _sheet(bank, "keyboard_next_word")
    count = next(f for f in question.facts if f.id == "scale")  # "500 million keyboard users."
    how = "How do new models get to the phones?"
    assert asks_how_for_a_count(how, count)
    assert [f.id for f in finder.find(question, how)] == ["scale"]  # close in meaning to the count ...
    assert _ids(finder, bank, "keyboard_next_word", how) == []  # ... but no answer to it
    assert not asks_how_for_a_count("How many people use the keyboard?", count)
    assert _ids(finder, bank, "keyboard_next_word", "How many people use the keyboard?") == ["scale"]
    assert _ids(finder, bank, "fraud_card_payments", "How fast does a decision have to come back?") == ["latency"]


def test_a_question_naming_something_no_sheet_covers_gets_no_fact_unless_its_fact_speaks_of_it(
    finder: FactFinder, bank: QuestionBank
) -> None:
    question = bank.get("fake_account_detection")
    assert question is not None and "vendor" in question.unanswered_topics
    vendor = "Which CAPTCHA vendor do we use?"
    assert [f.id for f in finder.find(replace(question, unanswered_topics=frozenset()), vendor)] == ["current"]
    assert [f.id for f in finder.find(question, vendor)] == []
    # the topic word said of something the sheet does cover, or a sure match for a fact, still gets the fact
    assert _ids(finder, bank, "fraud_card_payments", "What latency budget do we have for a decision?") == ["latency"]
    assert _ids(finder, bank, "support_ticket_routing", "How many teams do tickets get routed to?") == ["categories"]
    assert _ids(finder, bank, "receipt_ocr", "What would count as success for the expense team?") == ["goal"]


def test_a_yes_no_question_followed_by_two_statements_in_its_paragraph_is_posed() -> None:
    said = ("Is a GPU needed at all? At this volume a CPU pool is enough. It also keeps the cost down.\n"
            "What is the peak volume? That decides it.\nIs there a budget? I think so.")
    posed = {a.question: a.posed for a in asked_in(said)}
    assert posed == {"Is a GPU needed at all?": True, "What is the peak volume?": False, "Is there a budget?": False}
    assert not asked_in("Is a GPU needed at all?\nAt this volume a CPU pool is enough. It keeps cost down.")[0].posed


def test_a_run_of_questions_the_candidate_then_discusses_is_posed_question_by_question() -> None:
    """Structuring an answer with questions ("For each payment: should we block it? And for each merchant: is it
    colluding?") and going on to discuss them: every question of the run is theirs, not only the last one."""
    said = ("There are two calls. For each payment: should we block it? And for each merchant: is it colluding? The "
            "payment call must happen inside authorisation. The merchant call can run nightly.")
    assert [a.posed for a in asked_in(said)] == [True, True]
    put_to_us = said.replace(" The payment call must happen inside authorisation.", "")  # one statement after: ours
    assert [a.posed for a in asked_in(put_to_us)] == [False, False]


def test_a_question_that_only_points_back_is_told_apart_from_one_naming_its_thing() -> None:
    assert refers_back("How quick are they?")
    assert refers_back("How fast does that happen?")  # a demonstrative right after a verb
    assert refers_back("Where do those things come from?")  # followed by no thing in particular
    assert refers_back("Do we know how much more?")
    assert not refers_back("How fast do new shops sign up?")
    assert not refers_back("What's producing these predictions now?")  # "these predictions" names its thing


def test_a_question_pointing_back_that_alone_finds_only_a_fact_given_before_is_read_with_its_statement(
    finder: FactFinder, bank: QuestionBank
) -> None:
    """"How quick are they?" alone reads as the latency question; after the latency fact was given, and said right
    after a statement about news spikes, it asks how fast those spikes come: the statement decides."""
    question = _sheet(bank, "query_autocomplete")
    [asked] = asked_in("Sudden news spikes are the hard case for counting past queries. How quick are they?")
    assert [f.id for f in finder.find(question, asked.question)] == ["latency"]
    assert [f.id for f in finder.find_asked(question, asked)] == ["latency"]  # nothing given yet: read alone
    assert [f.id for f in finder.find_asked(question, asked, frozenset({"latency"}))] == ["trending"]
    named = asked_in("Sudden news spikes are the hard case for counting past queries. What is the latency target?")
    assert [f.id for f in finder.find_asked(question, named[0], frozenset({"latency"}))] == ["latency"]  # names it


def test_a_question_pointing_back_with_no_statement_of_its_own_reads_the_fact_it_points_at(
    finder: FactFinder, bank: QuestionBank
) -> None:
    """Told that customers mind lateness more, "Do we know how much more?" asks how much: read with the answer it
    points back at, it finds the asymmetry fact, not the goal again."""
    question = _sheet(bank, "delivery_eta")
    [asked] = asked_in("Do we know how much more?")
    assert [f.id for f in finder.find_asked(question, asked)] == ["goal"]  # nothing given yet: read alone
    assert [f.id for f in finder.find_asked(question, asked, frozenset({"goal"}))] == ["asymmetry"]


def test_a_part_of_a_question_too_short_to_read_by_meaning_is_read_by_its_cue_words(
    finder: FactFinder, bank: QuestionBank
) -> None:
    """"Volume" alone is too short for the embeddings; it names the scale fact by its cue word."""
    found = _ids(finder, bank, "delivery_eta", "Volume and history, and what's the goal?")
    assert found == ["scale", "history", "goal"]


def test_two_things_asked_in_one_clause_of_a_longer_question_are_read_apart(
    finder: FactFinder, bank: QuestionBank
) -> None:
    """A clause after another ("what does the app look like, and roughly how many listeners and songs ...?") asks for
    two things too, and a hedge before its question word ("roughly how many") still leads both: a new user's scale
    question got "state an assumption" and the catalogue size came unasked five replies later."""
    assert coordinated_parts("roughly how many listeners and songs are there") == [
        "roughly how many listeners", "roughly how many songs are there"]
    asked = ("Quick one before I start: what does the app look like, and roughly how many listeners and songs are we "
             "talking about?")
    assert _ids(finder, bank, "music_discovery", asked) == ["scale", "catalogue"]


def test_a_part_is_read_without_the_lead_in_before_its_colon(finder: FactFinder, bank: QuestionBank) -> None:
    """"A few things before framing: how many parts go by per minute, or ..." asks how many parts go by: the lead-in
    pulled it below the bar and a new user got "state an assumption" for the line speed."""
    asked = ("A few more things I want to pin down before framing: how many parts go by per minute, or in other words "
             "how much time do we have per image?")
    assert "scale" in _ids(finder, bank, "defect_detection", asked)


def test_a_longer_part_likely_by_meaning_and_naming_its_fact_by_a_cue_gets_it(
    finder: FactFinder, bank: QuestionBank
) -> None:
    """"do we have a history of promotions and prices" comes a hair short of the promotions by meaning alone, but
    names them: a new user's second half of a two-part question went unanswered."""
    asked = ("One more thing: roughly how many stores and products are we talking about, and do we have a history of "
             "promotions and prices, or only sales?")
    assert {"scale", "promotions"} <= set(_ids(finder, bank, "grocery_demand_forecasting", asked))
    asked = "When an advertiser uploads emails, how many actually map to our users?"  # "users" is no lead for scale
    assert _ids(finder, bank, "lookalike_audiences", asked) == ["match_rate"]


def test_a_short_lead_in_before_the_question_is_not_the_thing_it_names() -> None:
    assert thing_named("Quick one: which languages are the emails in?") == "languag"
    assert thing_named("So one more thing - what is the peak traffic?") == "traffic"
    long_lead = "Before I settle on a model I want to know what I am replacing: what is running today?"
    assert thing_named(long_lead) is None  # a whole clause before it: not a lead-in


def test_a_question_left_among_statements_and_followed_by_paragraphs_of_them_is_thinking_aloud() -> None:
    said = ("The headline metric is accepted invites per viewer. Later I'd check they are worth it: do people chat "
            "afterwards?\n\nOffline, recall of the candidates against next week's connections. Then a ranking metric "
            "on the top slots.")
    assert [a.posed for a in asked_in(said)] == [True]
    asked_at_the_end = said.split("\n\n", maxsplit=1)[0]  # nothing follows it: put to the interviewer
    assert [a.posed for a in asked_in(asked_at_the_end)] == [False]
    followed_by_a_question = said + "\n\nDo we log chats? That decides it."
    assert [a.posed for a in asked_in(followed_by_a_question)] == [False, False]
