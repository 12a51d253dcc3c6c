"""The package's folders are its pipeline, and each layer uses only those below it:
reading the sources knows nothing of rendering, rendering nothing of building,
building nothing of releases, and only the command line knows every command."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "esafety_docs"
# Lowest first; packages on one level are peers and do not use each other.
LAYERS = [
    {"reading"},
    {"render"},
    {"audit"},
    {"building"},
    {"publishing"},
    {"linkcheck", "preview", "review"},
    {"commands"},
    {"cli"},
    {"__main__"},
]
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}


def _imported_parts(path: Path) -> set[str]:
    """The top-level parts of esafety_docs that a module imports from, however the
    import is written: `from .x import`, `from esafety_docs.x import`, `import
    esafety_docs.x`, or `from esafety_docs import x`."""
    inside = path.relative_to(PACKAGE).with_suffix("").parts
    package = ["esafety_docs", *inside[:-1]]
    targets: list[list[str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets += [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = [*base, *(node.module.split(".") if node.module else [])]
            targets += [[*module, alias.name] for alias in node.names]
    return {t[1] for t in targets if t[0] == "esafety_docs" and len(t) > 1}


def test_every_module_lives_in_a_layer() -> None:
    loose = sorted(
        path.name
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" or (path / "__init__.py").exists())
        and path.stem not in LEVEL
        and path.name != "__init__.py"
    )
    assert loose == [], "put these modules into one of the layers' folders"


def test_no_module_imports_from_its_own_layer_or_above() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        inside = path.relative_to(PACKAGE).with_suffix("").parts
        if inside == ("__init__",):
            continue
        own = inside[0]
        for part in _imported_parts(path) - {own, "__version__"}:
            if part in LEVEL and LEVEL[part] >= LEVEL[own]:
                upward.append(f"{path.relative_to(PACKAGE)} imports {part}")
    assert upward == []
