from __future__ import annotations

import numpy as np
import pytest

from interviewer.retrieval.adapters import MiniLMChromaFunction, MiniLMLangChainEmbeddings
from interviewer.retrieval.embed import DIMENSIONS, MiniLMEmbedder, length_batches


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def test_vectors_are_unit_length_and_semantic(embedder: MiniLMEmbedder) -> None:
    vectors = embedder.embed([
        "which metric for a rare positive class",
        "evaluating a fraud model when fraud is very uncommon",
        "a recipe for tomato soup",
    ])
    assert vectors.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similar, unrelated = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert similar > unrelated + 0.2


def test_batching_and_padding_do_not_change_a_vector(embedder: MiniLMEmbedder) -> None:
    text = "train on older months and validate on newer ones"
    alone = embedder.embed([text])[0]
    padded = embedder.embed(["short", text, "a much longer sentence " * 20])[1]
    assert np.allclose(alone, padded, atol=1e-4)


def test_chroma_and_langchain_wrappers_agree(embedder: MiniLMEmbedder) -> None:
    chroma = MiniLMChromaFunction(embedder)
    langchain = MiniLMLangChainEmbeddings(embedder)
    from_chroma = np.asarray(chroma(["position bias in click logs"])[0])
    from_langchain = np.asarray(langchain.embed_query("position bias in click logs"))
    assert np.allclose(from_chroma, from_langchain, atol=1e-6)
    assert MiniLMChromaFunction.build_from_config(chroma.get_config()).name() == chroma.name()


def test_empty_input_gives_an_empty_matrix(embedder: MiniLMEmbedder) -> None:
    assert embedder.embed([]).shape == (0, DIMENSIONS)


def test_length_batches_group_texts_of_similar_length_and_keep_every_text_once() -> None:
    lengths = [9, 120, 10, 11, 118, 8, 12, 121]
    batches = length_batches(lengths, call_cost=24, most=16)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    assert [sorted(lengths[i] for i in batch) for batch in batches] == [[8, 9, 10, 11, 12], [118, 120, 121]]


def test_length_batches_start_a_batch_only_where_the_padding_saved_outweighs_a_call() -> None:
    assert length_batches([10, 20], call_cost=24, most=16) == [[0, 1]]  # 10 tokens of padding cost less than a call
    assert length_batches([10, 50], call_cost=24, most=16) == [[0], [1]]
    assert [len(batch) for batch in length_batches([10] * 20, call_cost=24, most=16)] == [4, 16]
    assert length_batches([]) == []
