"""Every module of the program stays under 400 lines: past that it holds more than one concept
and is split along a seam (not squeezed). Counted as ``wc -l`` counts: lines of the file."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "intake_tui"
LIMIT = 400  # a module has fewer lines than this


def too_long(root: Path, limit: int = LIMIT) -> list[str]:
    """Each module under ``root`` of ``limit`` lines or more, with its count."""
    found = []
    for path in sorted(root.rglob("*.py")):
        count = len(path.read_bytes().splitlines())
        if count >= limit:
            found.append(f"{path.relative_to(root)}: {count} lines")
    return found


def test_every_module_is_under_the_limit() -> None:
    found = too_long(SRC)
    assert not found, f"modules of {LIMIT} lines or more (split them along a seam):\n" + "\n".join(found)


def test_the_count_sees_a_module_one_line_too_long(tmp_path: Path) -> None:
    (tmp_path / "package").mkdir()
    (tmp_path / "package" / "short.py").write_text("x = 1\n" * (LIMIT - 1))
    (tmp_path / "package" / "long.py").write_text("x = 1\n" * LIMIT + "y = 2")  # the last line without its newline
    assert too_long(tmp_path) == [f"{Path('package', 'long.py')}: {LIMIT + 1} lines"]
