"""`relaywiz --probe` as a user runs it: a real process against real loopback servers."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from aiosmtpd.smtp import AuthResult

from relaywiz.core.report import load_schema
from tests.support.servers import (
    USER,
    Certs,
    Policy,
    RawServer,
    free_port,
    hold,
    make_certs,
    smtp_server,
)

ROOT = Path(__file__).resolve().parents[2]
CANARY = "canary-Pa55w0rd-7f3a9c"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("certs"))


def run(
    args: list[str],
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "relaywiz", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
        cwd=ROOT,
    )


def probe_args(port: int, *extra: str) -> list[str]:
    return [
        "--probe",
        "127.0.0.1",
        "--port",
        str(port),
        "--implicit-tls-port",
        "1",
        "--from",
        USER,
        "--to",
        "friend@other.test",
        "--timeout",
        "2",
        *extra,
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--probe", "127.0.0.1", "--from", "not-an-address"], "not a valid email address"),
        (["--probe", "127.0.0.1", "--from", USER, "--port", "70000"], "out of range"),
        (["--probe", "127.0.0.1", "--from", USER, "--port", "0"], "out of range"),
        (["--probe", "127.0.0.1"], "--from ADDR is required"),
        (["--probe", "127.0.0.1", "--from", USER, "--password-stdin"], "needs --user"),
        (["--probe", "127.0.0.1", "--from", USER, "--source-address", "nope"], "not an IP"),
        (
            ["--probe", "127.0.0.1", "--from", USER, "--source-address", "192.0.2.77"],
            "cannot send from",
        ),
        (["--probe", "bad host", "--from", USER], "not a valid host"),
        (["--probe", "127.0.0.1", "--from", USER, "--format", "xml"], "xml"),
        (
            ["--probe", "127.0.0.1", "--from", USER, "--cafile", "/nonexistent.pem"],
            "does not exist",
        ),
        (["--frobnicate"], "unknown argument"),
    ],
)
def test_bad_input_is_one_line_and_exit_3(args: list[str], message: str) -> None:
    out = run(args, stdin="")
    assert out.returncode == 3, out.stderr
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert out.stdout == ""


def test_dead_port_is_a_finding_exit_2_with_valid_json() -> None:
    out = run(probe_args(free_port(), "--json"))
    assert out.returncode == 2, out.stderr
    doc = json.loads(out.stdout)
    jsonschema.validate(doc, load_schema())
    assert list(doc)[0] == "schema_version"
    assert doc["ports"][0]["outcome"] == "refused"
    assert doc["exit_code"] == 2 and doc["recommendation"] is None


def test_working_server_exit_0_json_text_markdown_nagios(certs: Certs) -> None:
    policy = Policy(users={USER: CANARY})
    with smtp_server(policy, starttls=certs.server_context(certs.good)) as (port, h):
        base = probe_args(port, "--user", USER, "--password-stdin", "--cafile", str(certs.cafile))
        js = run([*base, "--json"], stdin=CANARY + "\n")
        text = run([*base, "-v"], stdin=CANARY + "\n")
        md = run([*base, "--format", "markdown"], stdin=CANARY + "\n")
        nag = run([*base, "--format", "nagios"], stdin=CANARY + "\n")
    doc = json.loads(js.stdout)
    jsonschema.validate(doc, load_schema())
    assert doc["ports"][0]["outcome"] == "ok"
    assert doc["recommendation"]["port"] == port and doc["recommendation"]["auth"] is True
    assert js.returncode == doc["exit_code"] in (0, 1)
    assert re.search(rf"^{port}\s+ok\s+rcpt_other", text.stdout, re.M)
    assert "C: AUTH PLAIN ****" in text.stdout  # the transcript, redacted
    assert "| port | outcome |" in md.stdout
    assert re.match(
        r"^SMTP (OK|WARNING) - 127\.0\.0\.1: \d+ ok.* \| port\d+=\d+\.\d{3}s", nag.stdout
    )
    assert h.log.data_sent == 0


def _echoing_authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
    # A hostile server that repeats the password (decoded) in its refusal.
    pw = auth_data.password.decode()
    return AuthResult(success=False, handled=False, message=f"535 5.7.8 bad password {pw} for you")


def test_canary_password_never_appears_anywhere(certs: Certs, tmp_path: Path) -> None:
    forms = [
        CANARY,
        base64.b64encode(CANARY.encode()).decode(),
        base64.b64encode(f"\0{USER}\0{CANARY}".encode()).decode(),
    ]
    policy = Policy(users={USER: "something else"})
    with smtp_server(policy, starttls=certs.server_context(certs.good)) as (port, h):
        h.authenticator = _echoing_authenticator  # type: ignore[method-assign]
        outputs = []
        for fmt in ("json", "text", "markdown", "nagios"):
            report = tmp_path / f"report.{fmt}"
            for extra in (["-o", str(report)], ["-v"]):
                out = run(
                    [
                        *probe_args(
                            port,
                            "--user",
                            USER,
                            "--password-stdin",
                            "--cafile",
                            str(certs.cafile),
                            "--format",
                            fmt,
                        ),
                        *extra,
                    ],
                    stdin=CANARY + "\n",
                )
                outputs += [out.stdout, out.stderr]
                if report.exists():
                    outputs.append(report.read_text())
    everything = "\n".join(outputs)
    assert "auth_failed" in everything  # the failure path really ran
    for form in forms:
        assert form not in everything


def test_password_from_keyring(certs: Certs, tmp_path: Path) -> None:
    store = tmp_path / "keyring.json"
    env = {
        "PYTHON_KEYRING_BACKEND": "tests.support.keyring_backend.FileKeyring",
        "RELAYWIZ_TEST_KEYRING_FILE": str(store),
    }
    store.write_text(json.dumps({f"relaywiz\0{USER}": CANARY}))
    with smtp_server(Policy(users={USER: CANARY}), starttls=certs.server_context(certs.good)) as (
        port,
        _h,
    ):
        out = run(
            [*probe_args(port, "--user", USER, "--cafile", str(certs.cafile), "--json")],
            stdin="",
            env=env,
        )
    doc = json.loads(out.stdout)
    assert doc["ports"][0]["outcome"] == "ok", out.stderr
    assert CANARY not in out.stdout + out.stderr


def test_no_keyring_backend_and_no_terminal_is_exit_3() -> None:
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    out = run(probe_args(25, "--user", USER), stdin="", env=env)
    assert out.returncode == 3
    assert "no system keyring" in out.stderr and "--password-stdin" in out.stderr
    assert "Traceback" not in out.stderr


def test_probe_subcommand_is_the_same_as_the_flag() -> None:
    with RawServer(hold) as srv:
        a = run(["probe", *probe_args(srv.port, "--json", "--timeout", "0.5")[1:]])
    assert a.returncode == 2
    assert json.loads(a.stdout)["ports"][0]["outcome"] == "no_banner"


def test_output_file_and_stdout_stays_empty(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    out = run([*probe_args(free_port(), "--json"), "-o", str(target)])
    assert out.stdout == ""
    assert json.loads(target.read_text())["schema_version"].startswith("1.")
