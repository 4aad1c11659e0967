"""`relaywiz check DOMAIN`: the reputation and hygiene checks a mail administrator runs by hand.

Each module collects DNS answers for one area (sending IP, blacklists, SPF, DKIM,
DMARC, MX/MTA-STS/TLS-RPT) and judges them into `CheckResult`s; `runner.run_check`
runs them all concurrently. Entry points: `run_check(CheckRequest) -> CheckReport`,
`render.to_json_dict`, `render.render_text`.
"""

from relaywiz.core.checks.model import (
    Area,
    CheckReport,
    CheckRequest,
    CheckResult,
    IpSource,
    Status,
)
from relaywiz.core.checks.runner import run_check

__all__ = [
    "Area",
    "CheckReport",
    "CheckRequest",
    "CheckResult",
    "IpSource",
    "Status",
    "run_check",
]
