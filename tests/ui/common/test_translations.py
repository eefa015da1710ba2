"""The Qt Linguist catalogues are complete and current, placeholders survive translation,
the compiled .qm files match their .ts sources, and both the UI and the services' messages
are translated at run time."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from viva_desktop.services.common.config import SANDBOX_PROFILE_NAME, sandbox_profile
from viva_desktop.services.common.i18n import translate
from viva_desktop.services.common.resources import translations_dir

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "viva_desktop"
TOOLS = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n")

Message = tuple[str, str]  # (context, source)


def sources() -> list[str]:
    """The files `scripts/translations.sh` scans: everything but the sandbox."""
    return sorted(
        str(p.relative_to(ROOT))
        for p in PACKAGE.rglob("*.py")
        if "sandbox" not in p.relative_to(PACKAGE).parts[:1]
    )


def read_ts(path: Path) -> dict[Message, list[str] | None]:
    """Messages of a .ts file → their translations (None when unfinished or empty)."""
    result: dict[Message, list[str] | None] = {}
    for context in ET.parse(path).getroot().iter("context"):  # noqa: S314 - our own files
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            assert translation is not None
            if message.get("numerus") == "yes":
                forms = [f.text or "" for f in translation.iter("numerusform")]
            else:
                forms = [translation.text or ""]
            finished = translation.get("type") not in ("unfinished", "vanished", "obsolete")
            result[(name, source)] = forms if finished and all(forms) else None
    return result


@pytest.fixture(scope="module")
def current_strings(tmp_path_factory) -> dict[Message, list[str] | None]:
    """Every translatable string in the code today, extracted the way the script does."""
    out = tmp_path_factory.mktemp("lupdate") / "current.ts"
    result = subprocess.run(
        [str(TOOLS / "pyside6-lupdate"), "-locations", "none", *sources(), "-ts", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return read_ts(out)


def test_lupdate_sees_the_services_translate_calls(current_strings) -> None:
    assert ("Errors", "Resource not found.") in current_strings
    assert ("Pages", "Dashboard") in current_strings  # QT_TRANSLATE_NOOP
    assert ("LoginDialog", "Sign in") in current_strings  # self.tr


def test_spanish_catalogue_is_complete_and_current(current_strings) -> None:
    spanish = read_ts(translations_dir() / "viva_desktop_es.ts")
    missing = sorted(m for m in current_strings if spanish.get(m) is None)
    assert not missing, (
        f"{len(missing)} string(s) have no Spanish translation; run scripts/translations.sh, "
        f"translate them, and run it again. First ones: {missing[:15]}"
    )


def test_english_plural_forms_are_complete(current_strings) -> None:
    english = read_ts(translations_dir() / "viva_desktop_en.ts")
    plural = {m for m in english}
    assert all(english[m] for m in plural), [m for m in plural if not english[m]]
    assert ("ErrorDialog", "Wait %n second(s) before trying again.") in english


def test_placeholders_survive_translation() -> None:
    broken = []
    for path in sorted(translations_dir().glob("*.ts")):
        for (context, source), forms in read_ts(path).items():
            expected = sorted(set(PLACEHOLDER.findall(source)) - {"%n"})
            for form in forms or []:
                if sorted(set(PLACEHOLDER.findall(form)) - {"%n"}) != expected:
                    broken.append((path.name, context, source, form))
    assert not broken, broken[:10]


def test_compiled_catalogues_match_their_sources(tmp_path) -> None:
    for language, extra in (("es", []), ("en", ["-removeidentical"])):
        ts = translations_dir() / f"viva_desktop_{language}.ts"
        qm = tmp_path / f"{language}.qm"
        result = subprocess.run(
            [str(TOOLS / "pyside6-lrelease"), *extra, str(ts), "-qm", str(qm)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        committed = translations_dir() / f"viva_desktop_{language}.qm"
        assert committed.read_bytes() == qm.read_bytes(), (
            f"{committed.name} is older than its .ts: run scripts/translations.sh --release"
        )


def test_ui_and_service_messages_are_translated_at_run_time(translations) -> None:
    translations.set_language("es")
    try:
        assert QCoreApplication.translate("Pages", "Dashboard") == "Panel"
        assert translate("Errors", "Resource not found.") == "No se ha encontrado el recurso."
        assert QCoreApplication.translate("Format", "%n day(s) ago", None, 3) == "hace 3 días"
    finally:
        translations.set_language("en")
    assert translate("Errors", "Resource not found.") == "Resource not found."
    assert QCoreApplication.translate("Format", "%n day(s) ago", None, 1) == "1 day ago"


def test_built_in_sandbox_profile_is_shown_in_the_users_language(translations) -> None:
    profile = sandbox_profile()
    translations.set_language("es")
    try:
        assert profile.display_name == "Sandbox (integrado)"
        assert profile.name == SANDBOX_PROFILE_NAME  # the keyring and store key stays fixed
    finally:
        translations.set_language("en")
    assert profile.display_name == SANDBOX_PROFILE_NAME
    renamed = profile.model_copy(update={"name": "Demo"})
    assert renamed.display_name == "Demo"  # a name the user chose is shown as it is
