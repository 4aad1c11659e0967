"""`relaywiz --probe … --json` against hostile servers: a named outcome, valid JSON,
exit code 0 or 2, and not a word of traceback on stderr."""

from __future__ import annotations

import pytest

from relaywiz.core.report import load_schema
from tests.hostile.harness import BUDGET, EXPECT, MARGIN, MAX_RSS_KB, cli_args, report_of, run_child
from tests.hostile.servers import hostile
from tests.support.servers import Certs, Policy, smtp_server

jsonschema = pytest.importorskip("jsonschema")


@pytest.mark.parametrize(
    "name",
    ["silent", "bad_bytes", "endless_multiline", "tls_reset_implicit", "plain_on_implicit_port"],
)
def test_cli_json_against_hostile_server(name: str, certs: Certs) -> None:
    with (
        hostile(name, certs) as h,
        smtp_server(Policy(), starttls=certs.server_context(certs.good)) as (good, _),
    ):
        run = run_child(cli_args("127.0.0.1", [h.port, good], str(certs.cafile), h.implicit))
    assert run.returncode in (0, 2), (run.returncode, run.stderr[-2000:])
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.max_rss_kb < MAX_RSS_KB
    report = report_of(run)
    jsonschema.validate(report, load_schema())
    assert list(report)[0] == "schema_version"
    assert report["elapsed_ms"] / 1000 < BUDGET + MARGIN
    ports = {p["port"]: p for p in report["ports"]}
    want = EXPECT[name]
    assert (ports[h.port]["outcome"], ports[h.port]["stage"]) == (want.outcome, want.stage)
    assert ports[h.port]["detail"]
    assert ports[good]["outcome"] == "relay_denied"  # the good neighbour, as when alone
    assert report["exit_code"] == run.returncode
    assert h.data_sent() == 0
