"""`viva-desktop --self-test`: prove that a build works on this machine.

It opens the main window offscreen and checks the resources (icons render, style sheets
load), the translations (the Spanish catalogue loads and translates a known string), the
keyring (a memory-only session is a warning, not a failure) and the store (`health_check`).
The report goes to standard output; the exit code is 0 when every required check passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QTranslator
from PySide6.QtGui import QGuiApplication

from viva_desktop.services.common.resources import (
    REQUIRED_ICONS,
    REQUIRED_STYLES,
    catalogue_path,
    missing_resources,
    resource_root,
)
from viva_desktop.services.local.store import Store
from viva_desktop.ui.common.icons import renders
from viva_desktop.ui.common.theme import style_sheet

KNOWN_STRING = ("Pages", "Dashboard", "Panel")  # (context, English, Spanish)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True

    @property
    def label(self) -> str:
        if self.ok:
            return "OK"
        return "FAIL" if self.required else "WARN"


@dataclass
class SelfTestReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c.ok for c in self.checks if c.required)

    def add(self, name: str, ok: bool, detail: str, *, required: bool = True) -> None:
        self.checks.append(Check(name, ok, detail, required))

    def text(self) -> str:
        width = max((len(c.name) for c in self.checks), default=0)
        lines = ["Viva Desktop self-test"]
        lines += [f"  [{c.label:>4}] {c.name.ljust(width)}  {c.detail}" for c in self.checks]
        failed = [c.name for c in self.checks if c.required and not c.ok]
        lines.append(
            "Result: PASSED" if not failed else "Result: FAILED (" + ", ".join(failed) + ")"
        )
        return "\n".join(lines)


def check_resources(report: SelfTestReport) -> None:
    missing = missing_resources()
    broken = [name for name in REQUIRED_ICONS if name not in str(missing) and not renders(name)]
    empty_styles = [name for name in REQUIRED_STYLES if not style_sheet(name).strip()]
    ok = not missing and not broken and not empty_styles
    if ok:
        detail = (
            f"{len(REQUIRED_ICONS)} icons, {len(REQUIRED_STYLES)} style sheets in {resource_root()}"
        )
    else:
        problems = [f"missing {m}" for m in missing] + [f"icon {b} does not render" for b in broken]
        problems += [f"style {s} is empty" for s in empty_styles]
        detail = "; ".join(problems)
    report.add("resources", ok, detail)


def check_translations(report: SelfTestReport) -> None:
    context, english, spanish = KNOWN_STRING
    translator = QTranslator()
    path = catalogue_path("es")
    if not translator.load(str(path)):
        report.add("translations", False, f"cannot load {path}")
        return
    got = translator.translate(context, english)
    report.add(
        "translations",
        got == spanish,
        f"es: '{english}' -> '{got}'" if got == spanish else f"es: '{english}' gave '{got}'",
    )


def check_keyring(report: SelfTestReport, persistent: bool, reason: str | None) -> None:
    report.add(
        "keyring",
        persistent,
        "system keyring available" if persistent else f"memory only: {reason or 'no keyring'}",
        required=False,
    )


def check_store(store: Store | None) -> Check:
    """Runs on a worker thread (it touches the database)."""
    if store is None:
        return Check("store", False, "not opened")
    health = store.health_check()
    latency = f", {health.latency_ms:.1f} ms" if health.latency_ms is not None else ""
    return Check("store", health.ok, f"{health.backend} {store.url}: {health.message}{latency}")


def check_window(report: SelfTestReport, window: object) -> None:
    built: list[str] = []
    failures: list[str] = []
    for spec in window.specs:  # type: ignore[attr-defined]
        try:
            window.page(spec.key)  # type: ignore[attr-defined]
            built.append(spec.key)
        except Exception as exc:
            failures.append(f"{spec.key}: {type(exc).__name__}: {exc}")
    shown = bool(window.isVisible())  # type: ignore[attr-defined]
    ok = shown and not failures
    detail = (
        f"shown on '{QGuiApplication.platformName()}', {len(built)} page(s): {', '.join(built)}"
        if ok
        else "; ".join(failures) or "the main window is not visible"
    )
    report.add("main window", ok, detail)
