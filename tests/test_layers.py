"""The README's layer diagram holds: no module of ``crawler`` imports from a layer above its own.

The diagram in README.md (between the ``layers`` markers) is the one source: each line is a
layer, top to bottom, naming its folders and modules. A module may import from its own folder and
from lower layers only.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "crawler"


def read_layers() -> dict[str, int]:
    """Folder or module name (``spiders``, ``items``) -> its layer number, from the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- layers: top to bottom -->\n```text\n(.*?)```", readme, re.S)
    assert block, "README.md has no layer diagram between the layers markers"
    layers: dict[str, int] = {}
    for line in block.group(1).splitlines():
        number, _, rest = line.partition(" ")
        for name in re.findall(r"(\w+)(?:/|\.py)(?=\s|$)", rest):
            assert name not in layers, f"{name} is in two layers of the diagram"
            layers[name] = int(number)
    return layers


def unit_of(module: str) -> str | None:
    """The top-level unit (folder or module under ``crawler``) a dotted module name belongs to."""
    parts = module.split(".")
    return parts[1] if parts[0] == "crawler" and len(parts) > 1 else None


def imported_modules(path: Path) -> list[str]:
    """Absolute names of the modules a source file imports (relative imports resolved)."""
    relative = path.relative_to(ROOT).with_suffix("")
    package = list(relative.parts if path.name == "__init__.py" else relative.parts[:-1])
    package = [part for part in package if part != "__init__"]
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                names.append(".".join(base + ([node.module] if node.module else [])))
            else:
                names.append(node.module or "")
    return names


def test_every_unit_of_the_package_is_in_the_diagram() -> None:
    layers = read_layers()
    units = {
        path.stem if path.is_file() else path.name
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").is_file()
    }
    assert units - layers.keys() == set(), "units missing from the README's layer diagram"
    assert layers.keys() - units == set(), (
        "the README's layer diagram names units that do not exist"
    )


def test_no_module_imports_from_a_higher_layer() -> None:
    layers = read_layers()
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = unit_of(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for module in imported_modules(path):
            target = unit_of(module)
            if own is None or target is None or target == own:
                continue
            if layers[target] >= layers[own]:
                upward.append(f"{path.relative_to(ROOT)} imports {module}")
    assert upward == []
