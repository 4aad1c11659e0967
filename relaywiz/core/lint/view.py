"""A message taken apart once into the facts every rule reads (parts, links, headers).

Parsing is forgiving (compat32): spam rules must work on the broken messages that
need them most. HTML is read with the standard library's parser for its visible
text, links (href and the text shown) and images.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from html.parser import HTMLParser

from relaywiz.core.lint.model import LintInputError

_URL = re.compile(r"""\b(?:https?://|www\.)[^\s<>"'()]+""", re.IGNORECASE)
_KNOWN_HEADERS = ("from", "to", "subject", "date", "message-id", "received", "mime-version")


@dataclass(frozen=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True)
class Part:
    content_type: str
    encoding: str  # content-transfer-encoding, lower case ('' when absent)
    charset: str | None
    size: int  # decoded bytes
    filename: str | None
    attachment: bool
    text: str | None  # decoded text for text/* parts
    eight_bit_raw: bool  # raw payload has 8-bit bytes


class _Html(HTMLParser):
    """Collects visible text, links with their shown text, and the number of images."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[Link] = []
        self.images = 0
        self._href: str | None = None
        self._anchor: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): v or "" for k, v in attrs}
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag == "a" and values.get("href"):
            self._href, self._anchor = values["href"].strip(), []
        elif tag == "img":
            self.images += 1
            if self._href is not None and values.get("alt"):
                self._anchor.append(values["alt"])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title") and self._skip:
            self._skip -= 1
        elif tag == "a" and self._href is not None:
            self.links.append(Link(self._href, " ".join("".join(self._anchor).split())))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._href is not None:
            self._anchor.append(data)


@dataclass(frozen=True)
class MessageView:
    """Everything the rules look at."""

    msg: Message
    size: int
    parts: tuple[Part, ...]
    plain: str
    html: str
    html_text: str
    html_links: tuple[Link, ...]
    html_images: int
    text_urls: tuple[str, ...]  # URLs written as text (plain part, and HTML text outside links)

    def header(self, name: str) -> str | None:
        value = self.msg.get(name)
        return None if value is None else " ".join(str(value).split())

    @property
    def urls(self) -> tuple[str, ...]:
        seen = dict.fromkeys([*(link.href for link in self.html_links), *self.text_urls])
        return tuple(u for u in seen if u.lower().startswith(("http:", "https:", "www.")))


def read(raw: bytes) -> MessageView:
    """Parse `raw`; LintInputError when it carries no mail headers at all."""
    head = re.split(rb"\r?\n\r?\n", raw[:65536], maxsplit=1)[0]
    if b"\x00" in head:
        raise LintInputError("not an email message (binary data)")
    msg = BytesParser(policy=compat32).parsebytes(raw)
    if not any(msg.get(h) is not None for h in _KNOWN_HEADERS):
        raise LintInputError("not an email message (no From, To, Subject, Date or Received header)")
    parts: list[Part] = []
    plain: list[str] = []
    html: list[str] = []
    for sub in msg.walk():
        if sub.is_multipart():
            continue
        part = _part(sub)
        parts.append(part)
        if part.attachment or part.text is None:
            continue
        if part.content_type == "text/plain":
            plain.append(part.text)
        elif part.content_type == "text/html":
            html.append(part.text)
    parser = _Html()
    parser.feed("\n".join(html))
    parser.close()
    html_text = " ".join(" ".join(parser.text).split())
    outside_links = html_text
    for chunk in (link.text for link in parser.links if link.text):
        outside_links = outside_links.replace(chunk, " ", 1)
    text_urls = _URL.findall("\n".join(plain)) + _URL.findall(outside_links)
    return MessageView(
        msg=msg,
        size=len(raw),
        parts=tuple(parts),
        plain="\n".join(plain),
        html="\n".join(html),
        html_text=html_text,
        html_links=tuple(parser.links),
        html_images=parser.images,
        text_urls=tuple(u.rstrip(".,;:!?") for u in text_urls),
    )


def _part(sub: Message) -> Part:
    ctype = sub.get_content_type().lower()
    encoding = str(sub.get("Content-Transfer-Encoding", "")).strip().lower()
    disposition = str(sub.get("Content-Disposition", "")).lower()
    filename = sub.get_filename()
    payload = sub.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    raw_payload = sub.get_payload()
    raw_text = raw_payload if isinstance(raw_payload, str) else ""
    attachment = disposition.startswith("attachment") or (
        filename is not None and not ctype.startswith("text/")
    )
    text = None
    charset = sub.get_content_charset()
    if ctype.startswith("text/") and not disposition.startswith("attachment"):
        try:
            text = data.decode(charset or "utf-8", "replace")
        except LookupError:
            text = data.decode("utf-8", "replace")
    return Part(
        content_type=ctype,
        encoding=encoding,
        charset=charset,
        size=len(data),
        filename=filename,
        attachment=attachment,
        text=text,
        eight_bit_raw=any(ord(c) > 127 for c in raw_text[:100_000]),
    )
