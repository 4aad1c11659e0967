"""Reading MIME cheaply: headers in one pass, content types, decoded text, the part tree.

The standard library's Message API rescans every header on each lookup and
parses parameters with full RFC 2231 care; explain reads a few headers of
every part of every bounce, so these helpers read each header list once and
take only what explain needs. The returned original is cut off before parsing
(`without_original`), since it is never read for the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.header import decode_header, make_header
from email.message import Message

from relaywiz.core.bounce.quickparse import QuickMessage

MAX_DEPTH = 100
MAX_PART_TEXT = 1_000_000
_ORIGINAL_TYPES = frozenset(
    {
        "message/rfc822",
        "text/rfc822-headers",
        "message/global",
        "message/global-headers",
        "message/partial",
    }
)
_TAG = re.compile(r"<[^>]*>")


def header_map(msg: Message) -> dict[str, str]:
    """Lower-cased header name -> first raw value, in one pass (Message.get rescans each time)."""
    out: dict[str, str] = {}
    for name, value in msg.raw_items():
        out.setdefault(name.lower(), value if isinstance(value, str) else str(value))
    return out


def _clean(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # undecodable 8-bit bytes the parser kept as surrogates
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return value


def header_text(msg: Message | dict[str, str], name: str) -> str:
    """A header decoded from RFC 2047, never raising on broken encodings."""
    value = msg.get(name.lower()) if isinstance(msg, dict) else msg.get(name)
    if value is None:
        return ""
    value = _clean(str(value))
    if "=?" not in str(value):  # nothing encoded: the common case, skip the decoder
        return " ".join(str(value).split())
    try:
        return str(make_header(decode_header(str(value))))
    except Exception:  # malformed encoded-words: show them as they are
        return str(value)


_PARAM = re.compile(r';\s*([\w.-]+)\s*=\s*(?:"([^"]*)"|([^\s;]+))')


def content_type(part: Message, raw: str | None = None) -> str:
    """The part's MIME type, lower-cased (text/plain when missing or malformed), cheaply."""
    if raw is None:
        raw = part.get("content-type")
    if raw is None:
        return "text/plain"
    ctype = str(raw).split(";", 1)[0].strip().lower()
    return ctype if ctype.count("/") == 1 else "text/plain"


def content_param(part: Message, name: str, raw: str | None = None) -> str | None:
    """One Content-Type parameter (charset, report-type), lower-cased; no RFC 2231 decoding."""
    if raw is None:
        raw = part.get("content-type")
    if raw is None:
        return None
    for m in _PARAM.finditer(str(raw)):
        if m.group(1).lower() == name:
            return (m.group(2) if m.group(2) is not None else m.group(3)).lower()
    return None


def part_text(part: Message, ctype: str = "text/plain", raw_ct: str | None = None) -> str:
    """The decoded text of one leaf part (HTML reduced to text), bounded in size."""
    try:
        raw = part.get_payload(decode=True)
    except Exception:
        raw = None
    if not isinstance(raw, bytes):
        payload = part.get_payload()
        return payload[:MAX_PART_TEXT] if isinstance(payload, str) else ""
    raw = raw[:MAX_PART_TEXT]
    charset = content_param(part, "charset", raw_ct) or "utf-8"
    if charset.replace("-", "").startswith(("utf16", "utf32")) and b"\x00" not in raw[:2000]:
        charset = "utf-8"  # declared 16/32-bit, but the bytes are plainly 8-bit
    try:
        text = raw.decode(charset, "replace")
    except (LookupError, ValueError):
        text = raw.decode("utf-8", "replace")
    if ctype == "text/html":
        text = re.sub(r"(?i)(?:<br\s*/?>|</p>|</div>|</tr>)[ \t]*\r?\n?", "\n", text)
        text = (
            _TAG.sub("", text)
            .replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
            .replace("&#39;", "'")
            .replace("&quot;", '"')
        )
    return text


Part = tuple[Message, str, str | None]  # a part, its type and raw Content-Type, read once


def walk(msg: Message, *, into_attached: bool = False) -> Iterator[Part]:
    """Every (part, type, raw type), depth-first, iteratively, skipping returned originals."""
    stack: list[tuple[Message, int]] = [(msg, 0)]
    while stack:
        part, depth = stack.pop()
        raw_ct: str | None = None
        if isinstance(part, QuickMessage):  # read once already, by the quick reader
            raw_ct = part.raw_type
        else:
            for name, value in part.raw_items():
                if name.lower() == "content-type":
                    raw_ct = value
                    break
        ctype = content_type(part, "" if raw_ct is None else str(raw_ct))
        yield part, ctype, None if raw_ct is None else str(raw_ct)
        if depth >= MAX_DEPTH:
            continue
        if ctype in _ORIGINAL_TYPES and not into_attached:
            continue
        payload = (
            part.get_payload() if part.is_multipart() or ctype.startswith("message/") else None
        )
        if isinstance(payload, list):
            for child in reversed(payload):
                if isinstance(child, Message):
                    stack.append((child, depth + 1))


_ORIGINAL_PART = (
    b"content-type: message/rfc822",
    b"content-type: text/rfc822-headers",
    b"content-type: message/global",
    b"content-type:message/rfc822",
)
_SCAN = 2_000_000


def without_original(data: bytes) -> bytes | None:
    """The message cut just before a returned-original MIME part, or None if it has none.

    The original is never read for the reason, so it need not be parsed at all:
    for a bounce that returns a large message this is most of the parsing work.
    """
    low = data[:_SCAN].lower()
    found = [i for i in (low.find(m) for m in _ORIGINAL_PART) if i > 0]
    if not found:
        return None
    at = min(found)
    line = low.rfind(b"\n", 0, at) + 1
    while line > 1:  # back through this part's header lines to its boundary line
        start = low.rfind(b"\n", 0, line - 1) + 1
        text = low[start : line - 1].rstrip(b"\r")
        if text.startswith(b"--"):
            return data[:start]
        if not text.strip():
            return None  # a blank line first: the marker was body text, not a part header
        line = start
    return None
