"""The monitoring core stays free of Home Assistant (the house plan's one-way doors)."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).parents[2] / "custom_components" / "pialert" / "engine"


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            # Relative imports must stay inside the engine package.
            prefix = "." * node.level
            found.append(prefix + (node.module or ""))
    return found


def test_engine_imports_nothing_of_home_assistant_or_the_glue() -> None:
    files = sorted(ENGINE.rglob("*.py"))
    assert files
    for path in files:
        depth = len(path.relative_to(ENGINE).parts) - 1  # 0: engine/, 1: probes/
        for name in _imports(path):
            assert not name.startswith("homeassistant"), f"{path.name} imports {name}"
            level = len(name) - len(name.lstrip("."))
            assert level <= depth + 1, f"{path.name} reaches outside the engine: {name}"
