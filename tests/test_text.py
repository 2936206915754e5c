from interviewer.text import (
    asks_leave_only,
    asks_yes_no,
    ends_with_any,
    is_question,
    matches_any,
    proposes,
    quote,
    rejects,
    sentences,
    starts_with_any,
    stem,
    terms,
    without_leave_to_ask,
)


def test_stem_folds_common_inflections() -> None:
    assert stem("classes") == stem("class")
    assert stem("imbalanced") == stem("imbalance")
    assert stem("labels") == stem("label")
    assert stem("features") == stem("feature")


def test_cue_needs_every_content_word_in_any_order() -> None:
    text = terms("We must handle the imbalance between classes.")
    assert matches_any(text, ["class imbalance"])
    assert not matches_any(text, ["class weight"])


def test_questions_are_recognised_with_or_without_a_question_mark() -> None:
    assert is_question("What is the latency budget?")
    assert is_question("how many transactions per second do we handle")
    assert not is_question("What I would do is train a gradient boosted model on two years of data.")
    assert not is_question("I would start with a baseline.")
    assert not is_question("What could go wrong is mainly leakage")  # a statement built on a question word
    assert not is_question("What would help most is a cache in front of the store")
    assert is_question("What could the budget be") and is_question("what is the budget and what is the scale")


def test_yes_no_questions_open_with_an_auxiliary_after_any_lead_in() -> None:
    assert asks_yes_no("Would a lower error always mean happier users?")
    assert asks_yes_no("And per seller: are they part of a ring?") and asks_yes_no("But is that enough?")
    assert not asks_yes_no("Isn't that biased?")  # a yes agrees with the doubt
    assert not asks_yes_no("What is the budget?") and not asks_yes_no("The rules are enough.")
    assert asks_yes_no("Like, is a refund a fraud label at all?") and asks_yes_no("Okay, do we keep the logs?")
    assert not asks_yes_no("Like what?") and not asks_yes_no("Well, how many are there?")


def test_sentences_and_quote() -> None:
    assert sentences("One. Two? Three!\nFour") == ["One.", "Two?", "Three!", "Four"]
    long = "word " * 100
    assert quote(long, 20).endswith("…") and len(quote(long, 20)) == 20
    said = "Then we rerank the top results, and the ones people skip come back later."
    assert quote(said, 60) == "Then we rerank the top results, and the ones people skip…"  # never "come ba…"
    assert quote("x" * 80, 20) == "x" * 19 + "…"  # one long word is cut where it must


def test_ends_with_any_matches_whole_words_at_the_end_only() -> None:
    assert ends_with_any("Could be either, it depends.", ["it depends"])
    assert ends_with_any("IT   Depends!", ["it depends"])
    assert not ends_with_any("it depends on the index size", ["it depends"])
    assert not ends_with_any("the bit depends", ["it depends"])  # not part of a word
    assert not ends_with_any("anything", [".", ""])  # a phrase with no words matches nothing


def test_proposes_ignores_a_modal_that_only_thinks_aloud() -> None:
    proposals = ["i'd", "we could", "we'd"]
    assert proposes("I'd add a streaming path for trending queries", proposals)
    assert proposes("I'd probably want to understand the load, and we could cache the head", proposals)
    for musing in ("I'd want to understand how it is done today", "more than I would have expected",
                   "the way I'd think about the signals", "we'd have to think about the balance",
                   "I'd like to know what the team cares about"):
        assert not proposes(musing, proposals), musing


def test_starts_with_any_matches_whole_words_at_the_start_only() -> None:
    assert starts_with_any("I'd guess they do.", ["i'd guess"])
    assert starts_with_any("Not really, no.", ["not really"])
    assert not starts_with_any("Notably, yes.", ["not"])
    assert not starts_with_any("They do, I'd guess.", ["i'd guess"])


def test_rejects_finds_one_rejection_among_several_mentions() -> None:
    said = "Accuracy is not a good metric here, since almost every clip is silence, so accuracy is always near 100%."
    assert rejects(said, "accuracy")
    assert not rejects("Accuracy, not recall, is what the team reports.", "accuracy")
    assert rejects("Accuracy, not recall, is what the team reports.", "recall")
    assert not rejects("We report accuracy per field on the held-out receipts.", "accuracy")


def test_leave_to_ask_is_read_past_and_a_request_for_leave_alone_asks_nothing() -> None:
    assert without_leave_to_ask("Can I ask about scale?") == "scale?"
    assert without_leave_to_ask("So could I ask how many reviews we get?") == "how many reviews we get?"
    assert without_leave_to_ask("How many questions can I ask?") == "How many questions can I ask?"
    assert asks_leave_only("Before I start, can I ask some questions?")
    assert asks_leave_only("Could I ask you something?")
    assert not asks_leave_only("Can I ask about scale?") and not asks_leave_only("What questions do users ask?")
