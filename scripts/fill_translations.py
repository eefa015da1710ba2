"""Fill the unfinished Spanish entries of the catalogue from translation lists.

Usage: python scripts/fill_translations.py resources/translations/viva_desktop_es.ts LIST.json...

Each list is a JSON array of {"context", "source", "translation"} ("translation" is a list of
forms for `%n` plural texts). Run it after `scripts/translations.sh` has added the new
source texts, then run `scripts/translations.sh --release` to compile. Prints the entries
that are still unfinished, and exits 1 while there are any.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main(argv: list[str]) -> int:
    ts_path = Path(argv[0])
    known: dict[tuple[str, str], str | list[str]] = {}
    for name in argv[1:]:
        for entry in json.loads(Path(name).read_text(encoding="utf-8")):
            known[(entry["context"], entry["source"])] = entry["translation"]
    tree = ET.parse(ts_path)  # noqa: S314 - our own catalogue
    missing = []
    for context in tree.getroot().iter("context"):
        ctx = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is None or translation.get("type") != "unfinished":
                continue
            value = known.get((ctx, source))
            if value is None:
                missing.append(f"{ctx}: {source}")
                continue
            if message.get("numerus") == "yes":
                forms = value if isinstance(value, list) else [value, value]
                for child in list(translation):
                    translation.remove(child)
                translation.text = None
                for form in forms:
                    ET.SubElement(translation, "numerusform").text = form
            else:
                translation.text = value if isinstance(value, str) else value[-1]
            del translation.attrib["type"]
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts_path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )
    for line in missing:
        print("unfinished:", line)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
