"""Hostile and malformed messages: lint answers with results or LintInputError, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relaywiz.core.checks.message import parse_message
from relaywiz.core.lint import LintInputError, lint_message

HEADERS = st.sampled_from(
    [
        b"From: ",
        b"To: ",
        b"Date: ",
        b"Message-ID: ",
        b"Subject: ",
        b"Content-Type: ",
        b"Content-Transfer-Encoding: ",
        b"List-Unsubscribe: ",
        b"DKIM-Signature: ",
        b"Received: ",
        b"Return-Path: ",
        b"MIME-Version: ",
    ]
)
LINE = st.tuples(HEADERS, st.binary(max_size=80)).map(lambda t: t[0] + t[1].replace(b"\n", b" "))
MESSAGE = st.tuples(st.lists(LINE, max_size=12), st.binary(max_size=2000)).map(
    lambda t: b"\r\n".join(t[0]) + b"\r\n\r\n" + t[1]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MESSAGE)
def test_lint_never_crashes(raw: bytes) -> None:
    try:
        report = lint_message(raw)
    except LintInputError:
        return
    assert report.results and all(r.found for r in report.results)


MULTIPART = st.builds(
    lambda ctype, enc, body: (
        b"From: a@b.example\r\nContent-Type: multipart/alternative; boundary=zz\r\n\r\n"
        b"--zz\r\nContent-Type: "
        + ctype
        + b"\r\nContent-Transfer-Encoding: "
        + enc
        + b"\r\n\r\n"
        + body
        + b"\r\n--zz--\r\n"
    ),
    st.sampled_from(
        [
            b"text/plain; charset=bogus",
            b"text/html",
            b"image/png; name=x.exe",
            b"text/html; charset=utf-16",
        ]
    ),
    st.sampled_from([b"base64", b"quoted-printable", b"8bit", b"x-uuencode"]),
    st.binary(max_size=3000),
)


@settings(max_examples=200, deadline=None)
@given(MULTIPART)
def test_lint_survives_broken_parts(raw: bytes) -> None:
    report = lint_message(raw)
    assert report.by_id("encoding").found


@settings(max_examples=200, deadline=None)
@given(MESSAGE)
def test_check_message_parsing_never_crashes(raw: bytes) -> None:
    facts = parse_message(raw)
    if facts.hop is not None:
        assert facts.hop.ip
