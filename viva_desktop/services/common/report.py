"""One report shape for every audit: the app's config, a server's .env, and similar checks.

The configuration dashboard renders any `AuditReport` the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    key: str  # the setting or variable concerned, e.g. "JWT_SECRET" or "profiles[0].url"
    message: str  # short, translated, user-facing
    advice: str = ""  # what to do about it, translated


@dataclass
class AuditReport:
    findings: list[Finding] = field(default_factory=list)
    # A named yes/no overview, e.g. {"database": True, "smtp": False}
    summary: dict[str, bool] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, severity: Severity, key: str, message: str, advice: str = "") -> None:
        self.findings.append(Finding(severity, key, message, advice))
