"""The package's architecture, kept by reading every module's imports with ``ast``.

Layers, top to bottom: ``cli`` -> ``pipeline``/``manifest``/``outputs`` -> the domain
packages (``overview``, ``iid``, ``themes``, ``jury``) -> ``inputs``, ``report`` -> the helpers
(``config``, ``fileio``, ``i18n``, ``issues``, ``keycheck``, ``artifacts``, ``registry``,
``yamlio``, ``spreadsheet``). A module may import anything below it, never above it; helpers
may import helpers and ``pipeline``/``manifest``/``outputs`` each other; ``inputs`` and
``report`` never import each other, and a domain package never imports another domain
package. No import cycles.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "evalkit"
DOMAINS = {"overview", "iid", "themes", "jury", "compare"}
LAYER = {
    "cli": 4,
    "pipeline": 3, "manifest": 3, "batch": 3, "comparison": 3, "outputs": 3,
    **{name: 2 for name in DOMAINS},
    "inputs": 1, "report": 1,
    "config": 0, "fileio": 0, "i18n": 0, "issues": 0, "keycheck": 0, "artifacts": 0,
    "registry": 0, "__init__": 0, "locales": 0, "kernels": 3, "yamlio": 0, "spreadsheet": 0,
}
PREFIXES = ("iid_", "jury_", "themes_")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every evalkit module a file imports, at any depth (function-level imports too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("evalkit")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("evalkit"):
            found.add(node.module)
            # `from evalkit.iid import chapter` imports a module too
            found |= {f"{node.module}.{a.name}" for a in node.names
                      if (PACKAGE.parent / f"{node.module}.{a.name}".replace(".", "/")).is_dir()
                      or (PACKAGE.parent / (f"{node.module}.{a.name}".replace(".", "/") + ".py"))
                      .is_file()}
    return found


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_top_level_part_has_a_layer() -> None:
    tops = {_top(_name(p)) for p in _modules()}
    assert tops <= set(LAYER), f"give these a layer in this test: {tops - set(LAYER)}"


def test_no_domain_prefixes_and_chapters_live_in_their_domain() -> None:
    flat = [p.name for p in PACKAGE.glob("*.py")]
    assert not [n for n in flat if n.startswith(PREFIXES)]
    assert not (PACKAGE / "chapters").exists()
    for domain in DOMAINS:
        assert list((PACKAGE / domain).glob("*chapter.py")), f"{domain} has no chapter module"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    here = _top(_name(path))
    for target in _imports(path):
        there = _top(target)
        if there == here:
            continue
        assert not (here in DOMAINS and there in DOMAINS), (
            f"{_name(path)} (domain {here}) imports {target} (domain {there})")
        same_layer_ok = LAYER[there] == LAYER[here] and LAYER[here] in (0, 3)
        assert LAYER[there] < LAYER[here] or same_layer_ok, (
            f"{_name(path)} (layer {LAYER[here]}) imports {target} (layer {LAYER[there]})")


def test_no_import_cycles() -> None:
    graph = {_name(p): {t for t in _imports(p) if t != _name(p)} for p in _modules()}
    known = set(graph)
    graph = {m: {t for t in targets if t in known} for m, targets in graph.items()}

    def edges(m: str) -> set[str]:
        return graph[m]

    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in edges(m):
            if state.get(t) == 1:
                cycle = [*stack[stack.index(t):], t]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
