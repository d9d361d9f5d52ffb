"""The layers hold: read every module's imports (module level and inside functions) and refuse
an import upward between packages, an import cycle between modules, and a private name taken
from another module. Nothing is imported to check this: the source is parsed."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
ROOT = "intake_tui"

# What each package may never import: a lower floor knows nothing of the floors above it
# (the command line and the screens are the top; check and teach stand on the engine and the rules).
# The modules directly in intake_tui (i18n, said, atomic, paths) are the ground floor: they
# import no package. From the ground up: rules, engine, words (what people read of a record),
# check and teach, then the screens and the command line.
FORBIDDEN = {
    "": {"rules", "engine", "words", "check", "teach", "cli", "tui"},
    "rules": {"engine", "words", "check", "teach", "cli", "tui"},
    "engine": {"words", "check", "teach", "cli", "tui"},
    "words": {"check", "teach", "cli", "tui"},
    "check": {"teach", "cli", "tui"},  # check and teach share a floor
    "teach": {"check", "cli", "tui"},
}
ENTRY = f"{ROOT}.__main__"  # ``python -m intake_tui`` runs the command line


def module_of(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_of(path): path for path in sorted((SRC / ROOT).rglob("*.py"))}


def imported(name: str, path: Path, known: dict[str, Path]) -> list[tuple[int, str, str | None]]:
    """(line, module imported, name taken from it or None) for each of the project's own imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names if alias.name.split(".")[0] == ROOT]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != ROOT:
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in known:
                    found.append((node.lineno, submodule, None))
                else:
                    found.append((node.lineno, source, alias.name))
    return found


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else None


def graph() -> dict[str, dict[str, list[int]]]:
    known = modules()
    edges: dict[str, dict[str, list[int]]] = {name: {} for name in known}
    for name, path in known.items():
        for line, target, _ in imported(name, path, known):
            if target in known and target != name:
                edges[name].setdefault(target, []).append(line)
    return edges


def cycles(edges: dict[str, dict[str, list[int]]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in edges:
        if node not in index:
            visit(node)
    return groups


def test_the_rules_name_the_packages_there_are() -> None:
    """A renamed or new package must be placed in FORBIDDEN, or its imports would go unchecked."""
    present = {path.name for path in (SRC / ROOT).iterdir() if (path / "__init__.py").is_file()}
    named = (set(FORBIDDEN) | {target for targets in FORBIDDEN.values() for target in targets}) - {""}
    assert present == named


def test_no_package_imports_upward() -> None:
    wrong = [
        f"{source} -> {target} (line {lines[0]})"
        for source, targets in graph().items()
        for target, lines in targets.items()
        if source != ENTRY and package_of(target) in FORBIDDEN.get(package_of(source) or "", set())
    ]
    assert not wrong, "imports that run upward:\n" + "\n".join(sorted(wrong))


def test_no_import_cycle() -> None:
    edges = graph()
    found = []
    for group in cycles(edges):
        ties = [f"  {a} -> {b} (line {edges[a][b][0]})" for a in group for b in group if b in edges[a]]
        found.append(" <-> ".join(group) + "\n" + "\n".join(ties))
    assert not found, "import cycles:\n" + "\n".join(found)


def test_no_private_name_across_modules() -> None:
    known = modules()
    wrong = [
        f"{name} line {line}: from {source} import {taken}"
        for name, path in known.items()
        for line, source, taken in imported(name, path, known)
        if taken and taken.startswith("_") and not taken.startswith("__") and source != name
    ]
    assert not wrong, "private names imported from another module:\n" + "\n".join(wrong)
