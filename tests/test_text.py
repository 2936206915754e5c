from interviewer.text import ends_with_any, is_question, matches_any, quote, sentences, stem, terms


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


def test_ends_with_any_matches_whole_words_at_the_end_only() -> None:
    assert ends_with_any("Could be either, it depends.", ["it depends"])
    assert ends_with_any("IT   Depends!", ["it depends"])
    assert not ends_with_any("it depends on the index size", ["it depends"])
    assert not ends_with_any("the bit depends", ["it depends"])  # not part of a word
    assert not ends_with_any("anything", [".", ""])  # a phrase with no words matches nothing
