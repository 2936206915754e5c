"""Retrieval adapters: offline embeddings, the Chroma index, BM25, and hybrid fusion."""
