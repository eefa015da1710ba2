"""The `.env` audit's summary agrees with its findings (issue 17, defect 9): a JWT secret the
rules refuse is not counted as there."""

from __future__ import annotations

from viva_desktop.services.admin.envaudit import audit_env_text
from viva_desktop.services.common.report import Severity

GOOD_SECRET = "k3Jd9fQ2xLm8Zr5TvB1nW7yHc4pGs6Ea0Ui2Oq9R"


def test_a_refused_jwt_secret_is_not_counted() -> None:
    report = audit_env_text("NODE_ENV=development\nJWT_SECRET=short\n")
    assert any(f.key == "JWT_SECRET" and f.severity is Severity.ERROR for f in report.findings)
    assert report.summary["jwt"] is False


def test_a_good_jwt_secret_is_counted() -> None:
    report = audit_env_text(f"NODE_ENV=development\nJWT_SECRET={GOOD_SECRET}\n")
    assert not any(f.key == "JWT_SECRET" and f.severity is Severity.ERROR for f in report.findings)
    assert report.summary["jwt"] is True
