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


# --------------------------------------------------------------------------- structure


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def runtime_imports(path: Path) -> set[str]:
    """The package modules `path` imports when it runs, lazily or not (type-only imports under
    `if TYPE_CHECKING:` excluded): `from a.b import c` counts as `a.b.c` when that is a
    module, else as `a.b`."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.ImportFrom) and child.module:
                for alias in child.names:
                    full = f"{child.module}.{alias.name}"
                    found.add(full if full in MODULES else child.module)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return {name for name in found if name in MODULES}


def test_no_import_cycle_between_modules() -> None:
    graph = {name: runtime_imports(path) - {name} for name, path in MODULES.items()}
    cycles: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def connect(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            connect(node)
    assert cycles == []


# Lower packages of `ui/` never import higher ones; packages of one rank may use each other.
UI_RANKS = {
    "common": 0,
    "models": 1,
    "dialogs": 2,
    "browser": 3,
    "editors": 4,
    "admin": 4,
    "reports": 4,
    "pages": 5,
    "shell": 6,
}


def test_ui_packages_only_import_lower_or_equal_ones() -> None:
    ui = PACKAGE / "ui"
    loose = sorted(p.name for p in ui.glob("*.py") if p.name != "__init__.py")
    assert loose == [], "ui/ keeps its modules in packages"
    assert {p.name for p in ui.iterdir() if p.is_dir() and p.name != "__pycache__"} <= set(UI_RANKS)
    offenders = []
    for path in ui.rglob("*.py"):
        own = path.relative_to(ui).parts[0]
        for name in runtime_imports(path):
            parts = name.split(".")
            if parts[:2] != ["viva_desktop", "ui"] or len(parts) < 3:
                continue
            if UI_RANKS[parts[2]] > UI_RANKS[own]:
                offenders.append(f"{path.relative_to(ROOT)} -> {name}")
    assert sorted(offenders) == []


def test_services_are_grouped_by_job_with_a_docstring_each() -> None:
    services = PACKAGE / "services"
    assert sorted(p.name for p in services.glob("*.py")) == ["__init__.py"]
    for package in [services, *(p for p in services.iterdir() if p.is_dir())]:
        if package.name == "__pycache__":
            continue
        init = package / "__init__.py"
        assert init.is_file(), package
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init


def test_cli_imports_no_ui() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in runtime_imports(path) if m.startswith("viva_desktop.ui")
        )
        for path in files_in("cli")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


LINE_LIMIT = 600


def test_no_module_is_over_600_lines() -> None:
    """Past about 500 lines a module is split by responsibility; 600 is where this fails."""
    long = {
        str(path.relative_to(ROOT)): lines
        for sub in ("services", "ui", "cli", "rendering", "sandbox")
        for path in files_in(sub)
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > LINE_LIMIT
    }
    assert long == {}
