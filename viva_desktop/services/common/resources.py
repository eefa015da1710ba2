"""Where the application's resources live, from the source tree or from a PyInstaller bundle.

Icons, styles and translations sit in the top-level `resources/` folder. A PyInstaller bundle
unpacks them under `sys._MEIPASS/resources` (see `build.spec`); an editable install finds them
next to the package. `VIVA_RESOURCES` overrides both, for packagers with their own layout.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

REQUIRED_ICONS = (
    "viva",
    "dashboard",
    "communities",
    "members",
    "offers",
    "events",
    "posts",
    "credits",
    "moderation",
    "sync",
    "configuration",
    "smoke",
    "logs",
    "health",
    "database",
    "online",
    "offline",
    "refresh",
    "search",
    "settings",
    "quit",
    "user",
    "login",
    "server",
    "add",
    "edit",
    "remove",
    "warning",
    "error",
    "info",
    "copy",
    "send",
    "sandbox",
    "lock",
    "notifications",
    "window",
    "offline_data",
)
REQUIRED_STYLES = ("base", "light", "dark")
LANGUAGES = ("en", "es")


def _candidates() -> list[Path]:
    found: list[Path] = []
    override = os.environ.get("VIVA_RESOURCES")
    if override:
        found.append(Path(override))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle) / "resources")
    found.append(Path(__file__).resolve().parents[3] / "resources")
    return found


@cache
def resource_root() -> Path:
    """The first candidate folder that holds our resources (the source tree's as a fallback)."""
    candidates = _candidates()
    for candidate in candidates:
        if (candidate / "icons").is_dir():
            return candidate
    return candidates[-1]


def icon_path(name: str) -> Path:
    return resource_root() / "icons" / f"{name}.svg"


def style_path(name: str) -> Path:
    return resource_root() / "styles" / f"{name}.qss"


def translations_dir() -> Path:
    return resource_root() / "translations"


def catalogue_path(language: str) -> Path:
    return translations_dir() / f"viva_desktop_{language}.qm"


def missing_resources() -> list[str]:
    """Relative paths of required resources that are not there (empty when complete)."""
    root = resource_root()
    expected = [icon_path(name) for name in REQUIRED_ICONS]
    expected += [style_path(name) for name in REQUIRED_STYLES]
    expected += [catalogue_path(lang) for lang in LANGUAGES if lang != "en"]
    return [str(path.relative_to(root)) for path in expected if not path.is_file()]
