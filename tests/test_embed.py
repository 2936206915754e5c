from __future__ import annotations

import numpy as np
import pytest

from interviewer.retrieval.adapters import MiniLMChromaFunction, MiniLMLangChainEmbeddings
from interviewer.retrieval.embed import DIMENSIONS, MiniLMEmbedder


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
