"""The quick MIME reader gives exactly the standard library's tree, or steps aside.

Whenever `quick_parse` returns a Message, it must equal what
`email.message_from_bytes` builds from the same bytes: every header as stored,
every payload string, preamble and epilogue, part by part. Checked on the whole
explain corpus (where it must also do the work, not step aside) and on generated
MIME, well formed and broken.
"""

from __future__ import annotations

import email
from email.message import Message

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relaywiz.core.bounce import explain
from relaywiz.core.bounce.mime import without_original
from relaywiz.core.bounce.quickparse import quick_parse
from tests.unit.explain.corpus import CORPUS


def difference(a: Message, b: Message, path: str = "message") -> str | None:
    """Where two parsed trees differ, or None when they are the same."""
    if list(a.raw_items()) != list(b.raw_items()):
        return f"{path}: headers {list(a.raw_items())!r} != {list(b.raw_items())!r}"
    if a.preamble != b.preamble or a.epilogue != b.epilogue:
        return f"{path}: preamble/epilogue {(a.preamble, a.epilogue)!r} != {(b.preamble, b.epilogue)!r}"
    pa, pb = getattr(a, "_payload"), getattr(b, "_payload")  # noqa: B009 as stored: get_payload() may decode with the charset
    if isinstance(pa, list) and isinstance(pb, list):
        if len(pa) != len(pb):
            return f"{path}: {len(pa)} parts != {len(pb)}"
        for i, (x, y) in enumerate(zip(pa, pb, strict=True)):
            found = difference(x, y, f"{path}/{i}")
            if found:
                return found
        return None
    return None if pa == pb else f"{path}: payload {pa!r} != {pb!r}"


def check(data: bytes) -> bool:
    """True when read quickly (and then identical to the standard parse)."""
    quick = quick_parse(data)
    if quick is None:
        return False
    found = difference(quick, email.message_from_bytes(data))
    assert found is None, found
    return True


def test_the_whole_corpus_is_read_quickly_and_identically() -> None:
    inputs = 0
    quick = 0
    for path in sorted(CORPUS.rglob("*.eml")):
        data = path.read_bytes()
        for variant in (data, without_original(data)):
            if variant is not None:
                inputs += 1
                quick += check(variant)
    assert inputs > 300
    assert quick >= 0.95 * inputs, f"only {quick} of {inputs} read quickly"


def test_explain_gives_the_same_answer_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """The explanation through the quick reader equals the one through the stdlib parser."""
    from relaywiz.core.bounce import message

    paths = sorted(CORPUS.rglob("*.eml"))
    quick = [explain(p.read_bytes()) for p in paths]
    monkeypatch.setattr(message, "quick_parse", lambda data: None)
    slow = [explain(p.read_bytes()) for p in paths]
    assert quick == slow


def test_what_needs_repair_is_left_to_the_standard_parser() -> None:
    cases = {
        "bare CR": b"Subject: a\rb\n\nbody\n",
        "not a header": b"Subject: a\nthis is no header\n\nbody\n",
        "Unix From line": b"From someone Mon Jan  1 00:00:00 2024\nSubject: a\n\nbody\n",
        "no boundary": b"Content-Type: multipart/mixed\n\n--x\n\nbody\n--x--\n",
        "boundary never seen": b'Content-Type: multipart/mixed; boundary="x"\n\nbody\n',
        "closed before opened": b'Content-Type: multipart/mixed; boundary="x"\n\n--x--\n',
        "empty part": b'Content-Type: multipart/mixed; boundary="x"\n\n--x\n--x\n\nb\n--x--\n',
        "digest": b'Content-Type: multipart/digest; boundary="x"\n\n--x\n\nb\n--x--\n',
        "continuation first": b" folded\nSubject: a\n\nbody\n",
    }
    for name, data in cases.items():
        assert quick_parse(data) is None, name
        email.message_from_bytes(data)  # and the standard parser still reads it


def test_a_typical_bounce_is_read_quickly() -> None:
    data = (
        b"From: MAILER-DAEMON@mx.example.net\r\n"
        b"Subject: Undelivered Mail\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status;\r\n"
        b'\tboundary="B1"\r\n'
        b"\r\n"
        b"preamble\r\n"
        b"--B1\r\n"
        b"Content-Type: text/plain\r\n\r\nThe mail system\r\n\r\n"
        b"--B1\r\n"
        b"Content-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.net\r\n\r\n"
        b"Final-Recipient: rfc822; bob@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        b"--B1\r\n"
        b"Content-Type: message/rfc822\r\n\r\n"
        b"Subject: hi\r\n\r\nhello\r\n"
        b"--B1--\r\n"
        b"epilogue\r\n"
    )
    assert check(data)


# -- generated MIME ------------------------------------------------------------

NAMES = st.sampled_from(["Subject", "X-Test", "content-type", "From", "Received", "Foo_Bar"])
VALUES = st.lists(
    st.sampled_from([*"ab :;=\"'\t-@.\u00e9\x00", "\n ", "\r\n\t", "\r"]), max_size=20
).map("".join)
BODY_LINES = st.lists(
    st.sampled_from(
        ["text", "", "--B", "--B--", "--C", "--B-- ", "Name: value", " folded", "\u00e9t\u00e9"]
    ),
    max_size=6,
)
LEAF_TYPES = st.sampled_from(
    [
        "text/plain",
        "text/html; charset=utf-8",
        "text/plain; charset=\x00bad",
        "message/delivery-status",
        "text/rfc822-headers",
    ]
)


@st.composite
def entity(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """The lines of one MIME entity (headers, blank line, body)."""
    lines = [f"{draw(NAMES)}: {draw(VALUES)}" for _ in range(draw(st.integers(0, 3)))]
    kind = draw(st.sampled_from(["leaf", "multipart", "message"] if depth < 3 else ["leaf"]))
    if kind == "leaf":
        lines.append(f"Content-Type: {draw(LEAF_TYPES)}")
        lines += ["", *draw(BODY_LINES)]
    elif kind == "message":
        lines += ["Content-Type: message/rfc822", "", *draw(entity(depth + 1))]
    else:
        boundary = draw(st.sampled_from(["B", "C", "b c", "B--", " B", "B ", "<B>", ""]))
        form = draw(
            st.sampled_from(
                [
                    'multipart/mixed; boundary="{}"',
                    "multipart/mixed; boundary={}",
                    'Multipart/Report; report-type=x;\n\tBOUNDARY = "{}" ; x=1',
                    'multipart/mixed; a="q;boundary=Z"; boundary="{}"',
                    'multipart/mixed; boundary="{}"; boundary=Z',
                    "multipart/mixed; boundary*={}",
                    'multipart/alternative; boundary="{}\\"',
                    "multipart/mixed; xboundary={}",
                    "multipart/mixed; boundary=\u00e9{}",
                ]
            )
        )
        lines.append("Content-Type: " + form.format(boundary))
        lines += ["", *draw(BODY_LINES)]
        for _ in range(draw(st.integers(0, 3))):
            lines += [f"--{boundary}", *draw(entity(depth + 1))]
        if draw(st.booleans()):
            lines += [f"--{boundary}--", *draw(BODY_LINES)]
    return lines


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entity(), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_generated_mime_is_read_identically_or_left_alone(
    lines: list[str], eol: str, final_eol: bool
) -> None:
    text = eol.join(lines) + (eol if final_eol else "")
    check(text.encode("utf-8", "surrogateescape"))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_read_identically_or_left_alone(data: bytes) -> None:
    check(data)


WS = st.sampled_from(["", " ", "\t", "\r\n\t", "  "])
PARAM_VALUE = st.lists(st.sampled_from([*"aB1 -_.=<>;\"\\'", "\u00e9"]), max_size=8).map("".join)


@st.composite
def content_types(draw: st.DrawFn) -> str:
    """Content-Type values built like real ones: a type, then parameters, some odd."""
    raw = draw(st.sampled_from(["multipart/mixed", "Multipart/Report", "text/plain", "bogus", ""]))
    for _ in range(draw(st.integers(0, 3))):
        name = draw(
            st.sampled_from(
                [
                    "boundary",
                    "BOUNDARY",
                    "Boundary",
                    "xboundary",
                    "boundary*",
                    "report-type",
                    "charset",
                ]
            )
        )
        value = draw(PARAM_VALUE)
        if draw(st.booleans()):
            value = f'"{value}"'
        raw += f"{draw(WS)};{draw(WS)}{name}{draw(WS)}={draw(WS)}{value}{draw(WS)}"
    return raw


@settings(max_examples=1500, deadline=None)
@given(content_types())
def test_content_type_and_boundary_shortcuts_agree_with_the_stdlib(raw: str) -> None:
    from relaywiz.core.bounce.quickparse import _boundary, _content_type

    msg = Message()
    msg.set_raw("Content-Type", raw)
    assert _content_type(msg, raw) == msg.get_content_type()
    assert _boundary(msg, raw) == msg.get_boundary()
