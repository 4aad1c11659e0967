"""Suite-wide rules: in CI (RELAYWIZ_REQUIRE_ALL=1) a skipped test is a failure, and a
thread left running by a test cannot hang the interpreter's exit (and so the CI job)."""

from __future__ import annotations

import faulthandler
import os
import sys
import threading
import time

import pytest

REQUIRE_ALL = os.environ.get("RELAYWIZ_REQUIRE_ALL") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"required test was skipped in CI: {reason}"


EXIT_GRACE_S = 60.0


def pytest_unconfigure(config: pytest.Config) -> None:
    """After the summary: if exit is still blocked a minute later, say why and fail.

    Python joins every non-daemon thread (executor workers included) at exit; a
    thread stuck in a test would otherwise keep the run alive until CI's limit.
    """

    def watchdog() -> None:
        time.sleep(EXIT_GRACE_S)
        alive = [t.name for t in threading.enumerate() if not t.daemon and t.is_alive()]
        sys.stderr.write(
            f"\nrelaywiz tests: interpreter exit blocked {EXIT_GRACE_S:.0f} s by threads "
            f"{alive}; a test left work running. Their stacks:\n"
        )
        faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
        sys.stderr.flush()
        os._exit(3)

    threading.Thread(target=watchdog, name="exit-watchdog", daemon=True).start()
