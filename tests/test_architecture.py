"""The pure core imports no framework: it stays testable with plain values and reusable by the eval suite."""

import ast
from pathlib import Path

import pytest

import interviewer

CORE = ("domain", "text", "policy", "judge", "feedback", "views", "service")
FRAMEWORKS = {"openai", "langchain", "langchain_core", "langchain_openai", "chromadb", "gradio", "fastapi", "sqlite3",
              "uvicorn", "typer", "httpx", "psycopg", "vcr", "playwright"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_framework(module: str) -> None:
    path = Path(interviewer.__file__).parent / f"{module}.py"
    assert not _imports(path) & FRAMEWORKS
