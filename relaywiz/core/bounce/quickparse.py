"""A fast reader for well-formed MIME, giving the standard library's own Message tree.

`email.message_from_bytes` walks its input one line at a time through a
generator stack; for a bounce that is most of explain's cost. This reader
finds header blocks with two regular expressions and boundary lines with
string searches, and builds the very same `email.message.Message` objects
(compat32 policy) that the standard parser would: same headers, same payload
strings, same trailing-newline rules (RFC 2046: the line break before a
boundary belongs to the boundary).

It reads only what it can read exactly. Anything the standard parser would
have to repair or flag as a defect (a stray bare CR, a header line that is not
one, a multipart without its boundary, empty parts, digests, a Unix "From "
line, deep nesting) makes it return None, and the caller parses with the
standard library instead. A test compares the two trees on the whole corpus
and on generated messages.
"""

from __future__ import annotations

import re
from email.message import Message

MAX_DEPTH = 40  # deeper nesting is left to the standard parser

# One header: a name (printable ASCII but ':'), its colon, the rest of the line,
# then any continuation lines (starting with space or tab).
_HEADER = re.compile(r"([\041-\071\073-\176]+):[ \t]*([^\n]*(?:\n|\Z)(?:[ \t][^\n]*(?:\n|\Z))*)")
_HEADERS = re.compile(r"(?:[\041-\071\073-\176]+:[^\n]*(?:\n|\Z)(?:[ \t][^\n]*(?:\n|\Z))*)*")
_BARE_CR = re.compile(r"\r(?!\n)")
_EOL_AT_END = re.compile(r"(?:\r\n|\r|\n)\Z")


class QuickMessage(Message):
    """A Message as the standard parser builds it, remembering its raw Content-Type
    (so a reader need not scan the headers for it again)."""

    raw_type: str | None = None


class _Unreadable(Exception):
    """The input needs the standard parser's repairs."""


def quick_parse(data: bytes) -> QuickMessage | None:
    """The Message tree `email.message_from_bytes(data)` would give, or None to use it."""
    text = data.decode("ascii", "surrogateescape")  # exactly what BytesParser does
    if "\r" in text and _BARE_CR.search(text):
        return None
    try:
        return _message(text, 0, len(text), 0)
    except (_Unreadable, RecursionError):
        return None


def _headers(msg: Message, text: str, start: int, end: int) -> tuple[int, str | None]:
    """Read the header block at `start` into `msg`: where the body starts, and the
    first Content-Type value."""
    block = _HEADERS.match(text, start, end)
    stop = block.end() if block is not None else start  # it always matches, maybe empty
    content_type: str | None = None
    for name, value in _HEADER.findall(text, start, stop):
        value = value.rstrip("\r\n")  # as compat32's header_source_parse leaves it
        msg.set_raw(name, value)
        if content_type is None and len(name) == 12 and name.lower() == "content-type":
            content_type = value
    if stop >= end:
        return end, content_type
    if text.startswith("\n", stop):
        return stop + 1, content_type
    if text.startswith("\r\n", stop) and stop + 2 <= end:
        return stop + 2, content_type
    raise _Unreadable  # a line that is neither header nor blank: the parser's defect path


def _message(text: str, start: int, end: int, depth: int, strip: bool = False) -> QuickMessage:
    """One entity from text[start:end]; with `strip`, the line break before the boundary
    that ends it comes off the message created last (RFC 2046: it belongs to the
    boundary), as the standard parser does: a leaf's payload, the innermost message
    of a message/* part, or a multipart's epilogue."""
    if depth > MAX_DEPTH:
        raise _Unreadable
    msg = QuickMessage()
    body, raw_type = _headers(msg, text, start, end)
    msg.raw_type = raw_type
    ctype = _content_type(msg, raw_type)
    if ctype == "message/delivery-status":
        _status_blocks(msg, text, body, end)  # its last block's payload is empty anyway
    elif ctype.startswith("message/"):
        msg.attach(_message(text, body, end, depth + 1, strip))
    elif ctype.startswith("multipart/"):
        _multipart(msg, ctype, _boundary(msg, raw_type), text, body, end, depth)
        if strip and msg.epilogue is not None:
            msg.epilogue = _strip_eol(msg.epilogue) if msg.epilogue else None
    else:
        payload = text[body:end]
        msg.set_payload(_strip_eol(payload) if strip else payload)
    return msg


def _status_blocks(msg: Message, text: str, start: int, end: int) -> None:
    """RFC 3464 fields: blank-line separated header blocks, one Message each."""
    pos = start
    while True:
        block = QuickMessage()
        stop, block.raw_type = _headers(block, text, pos, end)
        block.set_payload("")
        msg.attach(block)
        if stop >= end:
            return
        pos = stop


def _content_type(msg: Message, raw: str | None) -> str:
    """Message.get_content_type(), without its lookup when the value is plain ASCII."""
    if raw is None or not raw.isascii():  # 8-bit values go through compat32's sanitizing
        return msg.get_content_type()
    ctype = raw.partition(";")[0].strip().lower()
    return ctype if ctype.count("/") == 1 else "text/plain"


_BOUNDARY = re.compile(r';\s*boundary\s*=\s*(?:"([^"]*)"\s*(?=;|\Z)|([^;"]*))', re.I)


def _boundary(msg: Message, raw: str | None) -> str | None:
    """Message.get_boundary(), read directly in the plain cases: one boundary parameter,
    quoted or not, and no quoting, escapes, RFC 2231 or angle brackets to undo."""
    if raw is not None and raw.isascii() and "\\" not in raw and "*" not in raw:
        matches = list(_BOUNDARY.finditer(raw))
        m = matches[0] if len(matches) == 1 else None
        if m is not None and raw.count('"') == (0 if m.group(1) is None else 2):
            value = m.group(1) if m.group(1) is not None else m.group(2).strip()
            if not value.startswith("<"):
                return value.rstrip()
    return msg.get_boundary()


def _multipart(
    msg: Message, ctype: str, boundary: str | None, text: str, start: int, end: int, depth: int
) -> None:
    if boundary is None or ctype == "multipart/digest":
        raise _Unreadable
    lines = _delimiters(text, "--" + boundary, start, end)
    if not lines or lines[0][2]:
        raise _Unreadable  # no opening boundary
    first = lines[0][0]
    if first > start:
        msg.preamble = _strip_eol(text[start:first])
    for (_at, after, is_close), following in zip(lines, [*lines[1:], None], strict=True):
        if is_close:  # the closing boundary: the rest is epilogue
            msg.epilogue = text[after:end]
            return
        part_end = following[0] if following is not None else end
        if after >= part_end:
            raise _Unreadable  # empty part or doubled boundary line
        msg.attach(_message(text, after, part_end, depth + 1, strip=True))


def _delimiters(text: str, sep: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """The boundary lines in text[start:end]: (where the line starts, where the next line
    starts, whether it closes). A boundary line is `sep`, then `--` for the closing
    one, then only spaces or tabs (and the CR of a CRLF) up to the line break; the
    same lines the standard parser's boundary pattern accepts (no regex to compile
    per message)."""
    found: list[tuple[int, int, bool]] = []
    needle = "\n" + sep  # only line starts are looked at: one step per candidate line
    at_start = text.startswith(sep, start, end) and (start == 0 or text[start - 1] == "\n")
    at = start if at_start else _after(text.find(needle, start, end))
    while at >= 0:
        tail_at = at + len(sep)
        newline = text.find("\n", tail_at, end)
        line_end = end if newline < 0 else newline
        rest = text[tail_at:line_end]
        closing = rest.startswith("--")
        tail = rest[2:] if closing else rest
        if tail.endswith("\r"):
            tail = tail[:-1]
        if not tail.strip(" \t"):
            found.append((at, end if newline < 0 else newline + 1, closing))
        at = _after(text.find(needle, at, end))
    return found


def _after(newline: int) -> int:
    """The offset after a found line break (-1 stays -1: nothing found)."""
    return newline + 1 if newline >= 0 else -1


def _strip_eol(value: str) -> str:
    m = _EOL_AT_END.search(value)
    return value[: m.start()] if m else value
