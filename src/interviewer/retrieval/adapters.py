"""The embedder as a chromadb EmbeddingFunction (registered by name) and as a LangChain Embeddings."""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings as LangChainEmbeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from interviewer.domain import Retriever
from interviewer.retrieval.embed import MODEL_ID, MiniLMEmbedder


@register_embedding_function
class MiniLMChromaFunction(EmbeddingFunction[Documents]):
    def __init__(self, embedder: MiniLMEmbedder | None = None) -> None:
        self._embedder = embedder or MiniLMEmbedder()

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._embedder.embed(list(input)))

    @staticmethod
    def name() -> str:
        return "interviewer-" + MODEL_ID

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_ID}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMChromaFunction:
        return MiniLMChromaFunction()


class MiniLMLangChainEmbeddings(LangChainEmbeddings):
    def __init__(self, embedder: MiniLMEmbedder | None = None) -> None:
        self._embedder = embedder or MiniLMEmbedder()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self._embedder.embed(texts)]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class KnowledgeRetriever(BaseRetriever):
    """The hybrid retriever as a LangChain retriever: passages become Documents with their citation metadata."""

    source: Retriever
    k: int = 5

    model_config = ConfigDict(arbitrary_types_allowed=True)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(
                page_content=p.text,
                metadata={"chunk_id": p.chunk_id, "source": p.source, "heading": p.heading, "score": p.score},
            )
            for p in self.source.search(query, self.k)
        ]
