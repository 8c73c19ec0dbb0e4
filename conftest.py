"""Repository-wide pytest hooks.

Odoo turns every problem of the browser test infrastructure (no Chromium, no
websocket-client, devtools unreachable) into a *skip*, so a tour could silently stop testing
anything. Here such skips fail the run instead: the setup installs what tours need.
"""

import pytest

BROWSER_SKIPS = (
    "websocket-client module is not installed",
    "Chrome executable not found",
    "chrome dev tools",
    "Chrome headless connection",
    "Chrome connection",
    "Failed to detect chrome devtools port",
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and call.excinfo is not None:
        reason = str(call.excinfo.value)
        lowered = reason.lower()
        chrome_not_found = "chrom" in lowered and lowered.endswith("not found")
        if chrome_not_found or any(marker.lower() in lowered for marker in BROWSER_SKIPS):
            report.outcome = "failed"
            report.longrepr = f"browser test infrastructure missing (a skip hides it): {reason}"
