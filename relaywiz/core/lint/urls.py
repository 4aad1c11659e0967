"""What makes a link look like spam: a numeric host, a shortener, text that shows another URL."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

SHORTENERS = frozenset(
    {
        "bit.ly",
        "bitly.com",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "tiny.cc",
        "rb.gy",
        "t.ly",
        "s.id",
        "v.gd",
        "bl.ink",
        "short.io",
        "lnkd.in",
        "soo.gd",
        "clck.ru",
        "qrco.de",
        "tr.im",
        "x.co",
    }
)


def host_of(url: str) -> str:
    """The lower-case host of a URL ('' when there is none); www.-URLs get a scheme first."""
    if url.lower().startswith("www."):
        url = "http://" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def is_numeric(host: str) -> bool:
    """True for IP-literal hosts, including decimal/hex forms browsers accept (http://3232235777)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        pass
    return host.isdigit() or (
        host.startswith("0x") and all(c in "0123456789abcdefx." for c in host)
    )


def is_shortener(host: str) -> bool:
    return host in SHORTENERS or any(host.endswith("." + s) for s in SHORTENERS)


def shown_url(text: str) -> str | None:
    """The URL a link's visible text claims to be, if the text is a URL or bare host name."""
    candidate = text.strip().rstrip("/")
    if " " in candidate or "." not in candidate:
        return None
    lower = candidate.lower()
    if lower.startswith(("http://", "https://", "www.")):
        return candidate
    label_ok = all(p and (p.replace("-", "").isalnum()) for p in lower.split("/")[0].split("."))
    tld = lower.split("/")[0].rsplit(".", 1)[-1]
    if label_ok and tld.isalpha() and 2 <= len(tld) <= 12:
        return "http://" + candidate
    return None
