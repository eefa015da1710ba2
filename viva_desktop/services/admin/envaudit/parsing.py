"""Reading a `.env` file the way the server does (dotenv 16: the last duplicate wins, an
unquoted `#` starts a comment, quoted values may span lines), noting every line it would
misread."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from viva_desktop.services.common.i18n import translate

_KEY = re.compile(r"[\w.-]+")
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*|:\s+)(.*)$", re.DOTALL)


@dataclass(frozen=True)
class ParseProblem:
    line: int
    key: str | None
    message: str


@dataclass
class ParsedEnv:
    """The variables as the server would see them, plus what looked wrong in the file."""

    values: dict[str, str] = field(default_factory=dict)  # in file order; the last one wins
    lines: dict[str, int] = field(default_factory=dict)  # line of the value that wins
    problems: list[ParseProblem] = field(default_factory=list)


def parse_env(text: str) -> ParsedEnv:
    """Parse `.env` text like dotenv 16 does, noting every line the server would misread."""
    parsed = ParsedEnv()
    seen: dict[str, list[int]] = {}
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    index = 0
    while index < len(lines):
        number = index + 1
        line = lines[index]
        index += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _ASSIGNMENT.match(line)
        if match is None:
            parsed.problems.append(
                ParseProblem(
                    number,
                    None,
                    translate(
                        "EnvAudit",
                        "Line {line} is not a KEY=value assignment; the server ignores it.",
                    ).format(line=number),
                )
            )
            continue
        key, rest = match.group(1), match.group(2).strip()
        if rest[:1] in ("'", '"', "`"):
            quote = rest[0]
            closing = _closing_quote(rest, quote)
            while closing < 0 and index < len(lines):  # a quoted value may span lines
                rest += "\n" + lines[index]
                index += 1
                closing = _closing_quote(rest, quote)
            if closing < 0:
                parsed.problems.append(
                    ParseProblem(
                        number,
                        key,
                        translate(
                            "EnvAudit", "The quote opened on line {line} for {key} is never closed."
                        ).format(line=number, key=key),
                    )
                )
                value = rest.split("\n", 1)[0].split("#", 1)[0].strip()
                index = number  # resume right after the broken line
            else:
                value = rest[1:closing]
                trailing = rest[closing + 1 :].strip()
                if trailing and not trailing.startswith("#"):
                    parsed.problems.append(
                        ParseProblem(
                            number,
                            key,
                            translate(
                                "EnvAudit",
                                "Text after the closing quote of {key} (line {line}) is ignored.",
                            ).format(key=key, line=number),
                        )
                    )
                if quote == '"':
                    value = value.replace("\\n", "\n").replace("\\r", "\r")
        else:
            value, _, comment = rest.partition("#")
            value = value.strip()
            if comment and value and not rest.split("#", 1)[0].endswith((" ", "\t")):
                parsed.problems.append(
                    ParseProblem(
                        number,
                        key,
                        translate(
                            "EnvAudit",
                            "The value of {key} (line {line}) contains '#': the server reads only "
                            "the part before it. Put the value in quotes.",
                        ).format(key=key, line=number),
                    )
                )
        seen.setdefault(key, []).append(number)
        parsed.values.pop(key, None)  # keep file order of the winning line
        parsed.values[key] = value
        parsed.lines[key] = number
    for key, numbers in seen.items():
        if len(numbers) > 1:
            parsed.problems.append(
                ParseProblem(
                    numbers[-1],
                    key,
                    translate(
                        "EnvAudit", "{key} is set {count} times (lines {lines}); the last one wins."
                    ).format(key=key, count=len(numbers), lines=", ".join(map(str, numbers))),
                )
            )
    return parsed


def _closing_quote(text: str, quote: str) -> int:
    """Index of the quote closing `text[0]`, skipping backslash-escaped ones; -1 when open."""
    position = 1
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == quote:
            return position
        position += 1
    return -1
