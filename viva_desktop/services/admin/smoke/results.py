"""What a smoke run produces: one result per check, and the report in text, JUnit and JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from viva_desktop import __version__
from viva_desktop.services.common.i18n import translate


class Outcome(StrEnum):
    PASS = "pass"  # noqa: S105 - an outcome, not a password
    FAIL = "fail"
    SKIPPED = "skipped"
    ERROR = "error"  # the check could not reach a verdict (no answer, rate limited, ...)


class Category(StrEnum):
    HEALTH = "health"
    AUTH = "auth"
    DATA = "data"
    VALIDATION = "validation"
    HARDENING = "hardening"


@dataclass(frozen=True)
class CheckResult:
    id: str
    name: str
    category: Category
    outcome: Outcome
    evidence: str
    advice: str = ""
    duration_ms: float = 0.0


@dataclass
class SmokeReport:
    server: str
    read_only: bool
    started_at: datetime
    finished_at: datetime
    results: list[CheckResult]
    cancelled: bool = False

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def failed(self) -> list[CheckResult]:
        return [r for r in self.results if r.outcome in (Outcome.FAIL, Outcome.ERROR)]

    @property
    def exit_code(self) -> int:
        """0 when nothing failed; 1 when a check failed or errored, or the run was cancelled."""
        return 1 if self.failed or self.cancelled else 0

    @property
    def duration_s(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    def summary_line(self) -> str:
        # Labels before the numbers: correct in every language whatever the counts (the
        # services' translation hook has no plural forms).
        return translate(
            "Smoke", "passed: {passed}, failed: {failed}, errors: {errors}, skipped: {skipped}"
        ).format(
            passed=self.count(Outcome.PASS),
            failed=self.count(Outcome.FAIL),
            errors=self.count(Outcome.ERROR),
            skipped=self.count(Outcome.SKIPPED),
        )

    def to_text(self) -> str:
        """A report for a terminal or a text file: one line per check, details under problems."""
        lines = [
            translate("Smoke", "Smoke checks and hardening audit of {server}").format(
                server=self.server
            ),
            translate("Smoke", "Started {start}, took {seconds:.1f} s{mode}").format(
                start=self.started_at.isoformat(timespec="seconds"),
                seconds=self.duration_s,
                mode=translate("Smoke", ", read-only") if self.read_only else "",
            ),
            "",
        ]
        for result in self.results:
            lines.append(format_result_line(result))
            if result.outcome is not Outcome.PASS or result.category is Category.HARDENING:
                lines.append("        " + result.evidence)
                if result.advice and result.outcome is not Outcome.PASS:
                    lines.append("        " + translate("Smoke", "Advice: ") + result.advice)
        lines.append("")
        if self.cancelled:
            lines.append(translate("Smoke", "Cancelled before the end."))
        lines.append(self.summary_line())
        return "\n".join(lines) + "\n"

    def to_junit_xml(self) -> str:
        """JUnit XML (testsuites/testsuite/testcase with failure, error or skipped)."""
        suites = ET.Element("testsuites", name="viva-desktop smoke")
        suite = ET.SubElement(
            suites,
            "testsuite",
            name="viva-desktop smoke " + self.server,
            tests=str(len(self.results)),
            failures=str(self.count(Outcome.FAIL)),
            errors=str(self.count(Outcome.ERROR)),
            skipped=str(self.count(Outcome.SKIPPED)),
            time=f"{self.duration_s:.3f}",
            timestamp=self.started_at.astimezone(UTC).isoformat(timespec="seconds"),
            hostname=urlsplit(self.server).hostname or "",
        )
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("server", self.server),
            ("read_only", str(self.read_only).lower()),
            ("tool", f"viva-desktop {__version__}"),
        ):
            ET.SubElement(properties, "property", name=name, value=value)
        for result in self.results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"smoke.{result.category.value}",
                name=f"{result.id}: {result.name}",
                time=f"{result.duration_ms / 1000:.3f}",
            )
            details = result.evidence + (
                "\n" + translate("Smoke", "Advice: ") + result.advice if result.advice else ""
            )
            if result.outcome is Outcome.FAIL:
                node = ET.SubElement(case, "failure", message=result.evidence, type="failure")
                node.text = details
            elif result.outcome is Outcome.ERROR:
                node = ET.SubElement(case, "error", message=result.evidence, type="error")
                node.text = details
            elif result.outcome is Outcome.SKIPPED:
                ET.SubElement(case, "skipped", message=result.evidence)
            else:
                ET.SubElement(case, "system-out").text = result.evidence
        ET.indent(suites)
        return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "read_only": self.read_only,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "cancelled": self.cancelled,
            "exit_code": self.exit_code,
            "counts": {o.value: self.count(o) for o in Outcome},
            "results": [
                {**asdict(r), "category": r.category.value, "outcome": r.outcome.value}
                for r in self.results
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def format_result_line(result: CheckResult) -> str:
    label = result.outcome.value.upper()
    return f"{label:<7} {result.id:<28} {result.name}  ({result.duration_ms:.0f} ms)"
