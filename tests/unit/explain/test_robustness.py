"""Whatever it is fed, explain gives a result or a clear ExplainError, in bounded time and memory.

Hypothesis feeds malformed MIME, wrong and unknown charsets and binary garbage;
the large and deeply nested inputs run in a child process under an address-space
limit and a generous timeout (safety limits only, not timing assertions).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relaywiz.core.bounce import ExplainError, Explanation, InputKind, explain, explain_all

CHARSETS = (
    "utf-8",
    "koi8-r",
    "cp1251",
    "iso-8859-1",
    "utf-16",
    "x-unknown",
    "",
    "utf-8x",
    "ascii",
    "gb2312",
    "\x00bad",
)
CTYPES = (
    "text/plain",
    "text/html",
    "multipart/report",
    "multipart/mixed",
    "message/rfc822",
    "message/delivery-status",
    "text/rfc822-headers",
    "application/octet-stream",
    "multipart/alternative",
    "message/feedback-report",
    "bogus",
    "multipart/",
)
ENCODINGS = ("7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "garbage")
BOUNCE_LINE = (
    "<bob@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1 "
    "<bob@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO "
    "command)"
)


def _ok(data: bytes, kind: InputKind = InputKind.AUTO) -> None:
    try:
        result = explain(data, kind)
    except ExplainError as exc:
        assert str(exc)
        return
    assert isinstance(result, Explanation)
    for r in result.recipients:
        assert r.remedy


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_binary_garbage(data: bytes) -> None:
    _ok(data)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(list(InputKind)))
def test_garbage_forced_as_every_kind(data: bytes, kind: InputKind) -> None:
    _ok(data, kind)


@st.composite
def mime(draw: st.DrawFn, depth: int = 0) -> str:
    ctype = draw(st.sampled_from(CTYPES))
    charset = draw(st.sampled_from(CHARSETS))
    enc = draw(st.sampled_from(ENCODINGS))
    boundary = draw(st.sampled_from(("b1", "b2", "", "==x==", "b1 b1", '"')))
    head = f'Content-Type: {ctype}; charset={charset}; boundary="{boundary}"\n'
    head += f"Content-Transfer-Encoding: {enc}\n"
    if draw(st.booleans()):
        head += draw(st.text(max_size=60)).replace("\n", " ") + "\n"
    if ctype.startswith("multipart") and depth < 4:
        parts = draw(st.lists(mime(depth + 1), max_size=3))
        close = draw(st.booleans())
        body = "".join(f"--{boundary}\n{p}\n" for p in parts) + (
            f"--{boundary}--\n" if close else ""
        )
    else:
        body = draw(
            st.sampled_from(
                (
                    BOUNCE_LINE,
                    "Final-Recipient: rfc822; x@y\nStatus: 5.1.1",
                    "=?utf-8?b?broken",
                    "SGVsbG8=\n",
                    "=E2=9C=93=\n",
                    "",
                )
            )
        )
        body += draw(st.text(max_size=200))
    return head + "\n" + body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mime(),
    st.sampled_from(("MAILER-DAEMON@mail.example", "bob@example.org", "")),
    st.sampled_from(("Undelivered Mail Returned to Sender", "=?koi8-r?q?=F0=C9?=", "")),
)
def test_malformed_mime(body: str, sender: str, subject: str) -> None:
    raw = f"From: {sender}\nSubject: {subject}\nMIME-Version: 1.0\n{body}"
    for encoding in ("utf-8", "latin-1"):
        _ok(raw.encode(encoding, "replace"))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(CHARSETS), st.sampled_from(("utf-8", "koi8-r", "cp1251", "utf-16-le")))
def test_wrong_charset_still_finds_the_recipient(declared: str, actual: str) -> None:
    body = "Недоставленное сообщение / Undelivered\n\n" + BOUNCE_LINE + "\n"
    head = (
        f"From: MAILER-DAEMON@mail.example\nSubject: Undelivered Mail Returned to Sender\n"
        f"Content-Type: text/plain; charset={declared}\n\n"
    )
    result = explain(head.encode() + body.encode(actual, "replace"))
    assert result.kind.value == "bounce"
    if actual != "utf-16-le":  # ASCII survives every 8-bit charset
        assert [r.address for r in result.recipients] == ["bob@example.net"]
        assert result.recipients[0].category.value == "user_unknown"


def test_mbox_with_a_broken_message_yields_every_message() -> None:
    good = (
        b"From: MAILER-DAEMON@mail.example\nSubject: Undelivered Mail Returned to Sender\n\n"
        + BOUNCE_LINE.encode()
        + b"\n"
    )
    bad = b"Content-Type: multipart/mixed; boundary=x\n\n--x\n\xff\xfe\x00--x"
    mbox = (
        b"From MAILER-DAEMON Tue Mar  5 10:15:42 2024\n"
        + good
        + (b"\nFrom x Tue Mar  5 10:15:43 2024\n" + bad + b"\n")
    )
    results = list(explain_all(mbox))
    assert [i for i, _ in results] == [0, 1]
    first = results[0][1]
    assert isinstance(first, Explanation) and first.category.value == "user_unknown"


def _in_child(code: str, limit_mb: int = 3000, timeout: float = 300) -> str:
    script = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, ({limit_mb} << 20, {limit_mb} << 20))
    """) + textwrap.dedent(code)
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip()


def test_fifty_megabyte_message_in_bounded_memory() -> None:
    out = _in_child("""
        from relaywiz.core.bounce import explain
        head = (b"From: MAILER-DAEMON@mail.example\\nSubject: Undelivered Mail Returned to Sender\\n"
                b"MIME-Version: 1.0\\nContent-Type: multipart/report; report-type=delivery-status;"
                b" boundary=b\\n\\n--b\\nContent-Type: text/plain\\n\\n<bob@example.net>: host mx.ex"
                b"ample.net[192.0.2.1] said: 552 5.3.4 Message size exceeds fixed limit (in reply "
                b"to end of DATA command)\\n--b\\nContent-Type: message/rfc822\\n\\nSubject: big\\n"
                b"Content-Type: application/pdf\\nContent-Transfer-Encoding: base64\\n\\n")
        data = head + (b"QUJDRA" * 12 + b"\\n") * (50_000_000 // 73) + b"\\n--b--\\n"
        r = explain(data)
        print(r.kind.value, r.category.value)
    """)
    assert out == "bounce message_too_big"


def test_fifty_megabytes_of_garbage_and_of_text() -> None:
    out = _in_child("""
        import os
        from relaywiz.core.bounce import explain
        print(explain(os.urandom(50_000_000)).kind.value)
        print(explain(b"550 5.1.1 no such user here " * 1_800_000).kind.value)
    """)
    assert out.splitlines() == ["not_a_bounce", "smtp_reply"]


def test_large_log_is_read_in_one_pass() -> None:
    out = _in_child("""
        from relaywiz.core.bounce import explain
        line = (b"2024-03-05 10:15:42 1rhXaa-0004Ab-Cd ** u%d@example.net R=dnslookup "
                b"T=remote_smtp H=mx.example.net [192.0.2.25]: SMTP error from remote mail server "
                b"after RCPT TO:<u@example.net>: 550 5.1.1 User unknown\\n")
        quiet = b"2024-03-05 10:15:43 1rhXaa-0004Ab-Cd Completed\\n" * 20
        data = b"".join(line % i + quiet for i in range(20_000))
        r = explain(data)
        print(r.kind.value, len(r.recipients), r.summary[0].category.value, r.summary[0].count)
    """)
    assert out == "log 20000 user_unknown 20000"


def test_deeply_nested_multiparts() -> None:
    out = _in_child("""
        from relaywiz.core.bounce import explain
        for depth in (50, 3000):
            s = "From: MAILER-DAEMON@x.example\\nSubject: Undelivered Mail Returned to Sender\\n"
            s += "MIME-Version: 1.0\\n"
            for i in range(depth):
                s += f'Content-Type: multipart/mixed; boundary="b{i}"\\n\\n--b{i}\\n'
            s += ("Content-Type: text/plain\\n\\n<bob@example.net>: host mx.example.net[192.0.2.1]"
                  " said: 550 5.1.1 User unknown (in reply to RCPT TO command)\\n")
            for i in reversed(range(depth)):
                s += f"--b{i}--\\n"
            r = explain(s.encode())
            print(depth, r.kind.value, r.category.value)
    """)
    assert out.splitlines() == ["50 bounce user_unknown", "3000 bounce user_unknown"]
