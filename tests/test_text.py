from interviewer.text import is_question, matches_any, quote, sentences, stem, terms


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


def test_sentences_and_quote() -> None:
    assert sentences("One. Two? Three!\nFour") == ["One.", "Two?", "Three!", "Four"]
    long = "word " * 100
    assert quote(long, 20).endswith("…") and len(quote(long, 20)) == 20
