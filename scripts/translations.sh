#!/usr/bin/env bash
# Refresh the Qt Linguist catalogues from the source, then compile them.
#   scripts/translations.sh           update resources/translations/*.ts and build the .qm files
#   scripts/translations.sh --release only build the .qm files from the .ts files
# lupdate reads Python natively: self.tr(...), QCoreApplication.translate("Ctx", ...), the
# services' translate("Ctx", ...) and QT_TRANSLATE_NOOP("Ctx", ...). The sandbox is left out:
# it plays the server and has no user interface. After updating, translate the new
# "unfinished" entries (pyside6-linguist resources/translations/viva_desktop_es.ts), then run
# this script again; tests/ui/common/test_translations.py fails while any string is
# untranslated. Translations written as JSON lists can be filled in with
# scripts/fill_translations.py (see its docstring). lupdate marks a text as plural only in
# self.tr(text, "", n), never in QCoreApplication.translate(...).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${VIVA_VENV:-.venv}"
[ -x "$venv/bin/pyside6-lupdate" ] || scripts/bootstrap.sh test
dir=resources/translations

if [ "${1:-}" != "--release" ]; then
    mapfile -t sources < <(find viva_desktop -name '*.py' -not -path 'viva_desktop/sandbox/*' | sort)
    # Spanish: every string. English is the source language: only plural forms need entries.
    "$venv/bin/pyside6-lupdate" -locations none -no-obsolete -source-language en \
        -target-language es_ES "${sources[@]}" -ts "$dir/viva_desktop_es.ts"
    "$venv/bin/pyside6-lupdate" -locations none -no-obsolete -pluralonly -source-language en \
        -target-language en "${sources[@]}" -ts "$dir/viva_desktop_en.ts"
    # English plurals follow the "(s)" convention of the source texts: "%n record(s)" becomes
    # "%n record" / "%n records". Fill the forms lupdate left unfinished that way.
    "$venv/bin/python" - "$dir/viva_desktop_en.ts" <<'PY'
import re, sys
from pathlib import Path

path = Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
unfinished = re.compile(
    r'(<source>(?P<src>[^<]*)</source>\s*<translation) type="unfinished">\s*'
    r"(?:<numerusform>\s*</numerusform>\s*)+</translation>"
)


def fill(match: re.Match) -> str:
    source = match.group("src")
    forms = (source.replace("(s)", ""), source.replace("(s)", "s"))
    body = "".join(f"\n            <numerusform>{form}</numerusform>" for form in forms)
    return f"{match.group(1)}>{body}\n        </translation>"


text = unfinished.sub(fill, text)
# Forms lupdate carried over from the same text in another context are already right.
carried = re.compile(r'<translation type="unfinished">(\s*<numerusform>[^<]+</numerusform>)')
path.write_text(carried.sub(r"<translation>\1", text), encoding="utf-8")
PY
fi
"$venv/bin/pyside6-lrelease" -removeidentical "$dir/viva_desktop_en.ts" -qm "$dir/viva_desktop_en.qm"
"$venv/bin/pyside6-lrelease" "$dir/viva_desktop_es.ts" -qm "$dir/viva_desktop_es.qm"
