"""The integration's modules import each other without cycles.

Imports under ``if TYPE_CHECKING:`` count too: a cycle hidden from the
interpreter is still two modules that cannot be understood one without the
other, and it becomes a real one as soon as an annotation is evaluated.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = "custom_components.pialert"
ROOT = Path(__file__).parent.parent / "custom_components" / "pialert"


def _module_name(path: Path, top: Path) -> str:
    parts = path.relative_to(top).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules(root: Path, top: Path) -> dict[str, Path]:
    return {_module_name(path, top): path for path in sorted(root.rglob("*.py"))}


def _imported(module: str, path: Path, known: set[str]) -> Iterator[str]:
    """Yield the package's modules that ``module`` imports, anywhere in it."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            for alias in node.names:
                # ``from . import x`` names a submodule or a name of the package.
                submodule = f"{base}.{alias.name}"
                if submodule in known:
                    yield submodule
                elif base in known:
                    yield base


def import_graph(root: Path, top: Path) -> dict[str, set[str]]:
    """Return each module's imports of other modules of the package at ``root``.

    ``top`` is the folder on the import path that holds the package.
    """
    modules = _modules(root, top)
    known = set(modules)
    return {
        name: set(_imported(name, path, known)) - {name}
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one import cycle as a path of modules, or None."""
    done: set[str] = set()
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(module: str) -> list[str] | None:
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.get(module, ())):
            if imported in on_stack:
                return [*stack[stack.index(imported) :], imported]
            if imported not in done and (cycle := visit(imported)):
                return cycle
        stack.pop()
        on_stack.discard(module)
        done.add(module)
        return None

    for module in sorted(graph):
        if module not in done and (cycle := visit(module)):
            return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    """No module of the integration imports itself through others."""
    graph = import_graph(ROOT, ROOT.parent.parent)
    assert f"{PACKAGE}.coordinator" in graph  # the walk found the package
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


@pytest.mark.parametrize(
    ("files", "cycle"),
    [
        (
            {
                "__init__.py": "from .a import thing\n",
                "a.py": "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from .sub.b import Other\n",
                "sub/__init__.py": "",
                "sub/b.py": "from .. import a\n",
            },
            ["pkg.a", "pkg.sub.b", "pkg.a"],
        ),
        (
            {
                "__init__.py": "",
                "a.py": "import pkg.b\n",
                "b.py": "from pkg.a import x\n",
            },
            ["pkg.a", "pkg.b", "pkg.a"],
        ),
        (
            {"__init__.py": "", "a.py": "from . import b\n", "b.py": "import os\n"},
            None,
        ),
    ],
)
def test_cycles_are_found_through_relative_and_type_checking_imports(
    tmp_path: Path, files: dict[str, str], cycle: list[str] | None
) -> None:
    """The check sees relative, absolute and type-checking-only imports."""
    root = tmp_path / "pkg"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    assert find_cycle(import_graph(root, tmp_path)) == cycle
