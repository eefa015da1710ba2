"""`viva-desktop smoke` wired through the real entry point (`python -m viva_desktop`), as an
administrator or a CI job runs it, against the development sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_command_fails_on_the_development_sandbox_and_writes_junit(sandbox, tmp_path):
    junit = tmp_path / "ci" / "smoke.xml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "viva_desktop",
            "smoke",
            "--server",
            sandbox.url,
            "--junit",
            str(junit),
        ],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"Smoke checks against {sandbox.url}" in done.stdout
    assert "FAIL    hardening.api_docs" in done.stdout  # Swagger public in development
    root = ET.parse(junit).getroot()  # noqa: S314 - the file this test just had written
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert int(suite.attrib["tests"]) == len(cases) > 20
    failed = {c.attrib["name"].split(":")[0] for c in cases if c.find("failure") is not None}
    assert {"hardening.api_docs", "hardening.stack_traces"} <= failed
    assert int(suite.attrib["failures"]) == len(failed)
    passed = [c for c in cases if c.find("failure") is None and c.find("error") is None]
    assert any(c.attrib["name"].startswith("health.status") for c in passed)
