"""The dependency rules of the architecture, checked on the source: ui -> services only;
services never import Qt; nothing imports ui; the sandbox shares no code with the client."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "viva_desktop"
ROOT = PACKAGE.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against the file's package
                base = path.relative_to(ROOT).with_suffix("").parts[: -node.level]
                module = ".".join(base + ((node.module,) if node.module else ()))
            else:
                module = node.module or ""
            names.add(module)
    return names


def files_in(subpackage: str) -> list[Path]:
    return sorted((PACKAGE / subpackage).rglob("*.py"))


def test_services_never_import_qt_or_ui() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imported_modules(path) if m.startswith(("PySide6", "viva_desktop.ui"))
        )
        for path in files_in("services")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_sandbox_shares_no_code_with_the_client() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m
            for m in imported_modules(path)
            if m.startswith("viva_desktop") and not m.startswith("viva_desktop.sandbox")
        )
        for path in files_in("sandbox")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_nothing_outside_ui_imports_ui() -> None:
    outside = [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts[:1]]
    allowed = {PACKAGE / "app.py"}  # the entry point builds the GUI
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imported_modules(path) if m.startswith("viva_desktop.ui")
        )
        for path in outside
        if path not in allowed
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff_is_clean(args: list[str]) -> None:
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
