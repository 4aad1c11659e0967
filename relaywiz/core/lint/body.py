"""Body rules: a text part that matches the HTML, real text beside images, honest links, size."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from relaywiz.core.lint.model import LintResult, LintStatus
from relaywiz.core.lint.urls import host_of, is_numeric, is_shortener, shown_url
from relaywiz.core.lint.view import MessageView

OK, WARN, PROBLEM = LintStatus.OK, LintStatus.WARNING, LintStatus.PROBLEM
HTML_CLIP = 102 * 1024  # Gmail clips HTML over ~102 KB
MIN_TEXT_WITH_IMAGES = 200  # characters of visible text

_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0..1, compared word by word."""
    wa, wb = _words(a), _words(b)
    if not wa and not wb:
        return 1.0
    return SequenceMatcher(None, wa[:3000], wb[:3000], autojunk=False).ratio()


def text_part(v: MessageView) -> LintResult:
    why = (
        "Filters score HTML-only mail as typical of bulk spam, and some readers (and "
        "screen readers, watches) show only the text part."
    )
    if not v.plain.strip() and not v.html.strip():
        return LintResult(
            "text-part",
            PROBLEM,
            "the message has no readable text at all",
            why,
            "Write the message as text (and HTML if you like), not only attachments or images.",
        )
    if not v.plain.strip():
        return LintResult(
            "text-part",
            WARN,
            "HTML only: there is no text/plain part",
            why,
            "Send multipart/alternative with a text/plain version of the same content.",
        )
    return LintResult("text-part", OK, "a text/plain part is present", why)


def text_matches_html(v: MessageView) -> LintResult:
    why = (
        "Spammers put innocent text in the plain part and the pitch in the HTML; filters "
        "compare the two (a large difference scores as spam)."
    )
    if not v.plain.strip() or not v.html_text.strip():
        return LintResult("text-matches-html", OK, "only one of text and HTML is present", why)
    ratio = similarity(v.plain, v.html_text)
    found = f"text and HTML parts are {ratio:.0%} alike"
    if ratio < 0.5:
        return LintResult(
            "text-matches-html",
            WARN,
            found,
            why,
            "Generate the text part from the same content as the HTML (most mailing tools can).",
        )
    return LintResult("text-matches-html", OK, found, why)


def image_only(v: MessageView) -> LintResult:
    why = (
        "Mail that is mostly pictures hides its text from filters, which is what image spam "
        "does; it is junked, and readers who block images see nothing."
    )
    text = len(v.html_text) if v.html else len(v.plain)
    images = v.html_images + sum(
        1 for p in v.parts if p.content_type.startswith("image/") and not v.html
    )
    if images and text < MIN_TEXT_WITH_IMAGES:
        return LintResult(
            "image-only",
            PROBLEM,
            f"{images} image(s) and only {text} characters of text",
            why,
            "Put the message in text, with images as decoration; give every image alt text.",
        )
    return LintResult("image-only", OK, f"{images} image(s), {text} characters of text", why)


def numeric_urls(v: MessageView) -> LintResult:
    why = "Links to bare IP addresses are a classic phishing and malware sign; filters block them."
    bad = [u for u in v.urls if is_numeric(host_of(u))]
    if bad:
        return LintResult(
            "numeric-url",
            PROBLEM,
            f"link(s) to a numeric address: {', '.join(bad[:3])}",
            why,
            "Link to a host name in your own domain instead of an IP address.",
        )
    return LintResult("numeric-url", OK, "no links to numeric addresses", why)


def shorteners(v: MessageView) -> LintResult:
    why = (
        "URL shorteners hide where a link goes; spammers abuse them, so shortener domains are "
        "on domain blacklists and raise spam scores."
    )
    bad = [u for u in v.urls if is_shortener(host_of(u))]
    if bad:
        return LintResult(
            "url-shortener",
            WARN,
            f"shortened link(s): {', '.join(bad[:3])}",
            why,
            "Use the full link to its real destination, ideally on your own domain.",
        )
    return LintResult("url-shortener", OK, "no shortened links", why)


def link_text_mismatch(v: MessageView) -> LintResult:
    why = (
        "A link whose text shows one address but leads to another is how phishing looks; "
        "filters treat it as such."
    )
    bad = []
    for link in v.html_links:
        shown = shown_url(link.text)
        if not shown or not link.href.lower().startswith(("http:", "https:")):
            continue
        a, b = host_of(shown), host_of(link.href)
        if a and b and a != b and not b.endswith("." + a) and not a.endswith("." + b):
            bad.append(f"'{link.text}' -> {link.href}")
    if bad:
        return LintResult(
            "link-mismatch",
            PROBLEM,
            "link text shows another address: " + "; ".join(bad[:3]),
            why,
            "Make the visible text of each link either plain words or the exact address it opens.",
        )
    return LintResult("link-mismatch", OK, "link texts match their destinations", why)


def bare_urls(v: MessageView) -> LintResult:
    why = (
        "Addresses pasted as raw text in the HTML (not as links) look careless to readers "
        "and are a spam-score signal; long raw tracking URLs in text are worse."
    )
    raw = [u for u in v.text_urls if u in v.html_text] if v.html else []
    if raw:
        return LintResult(
            "bare-url",
            WARN,
            f"raw URL(s) in the HTML text: {', '.join(raw[:3])}",
            why,
            "Turn each into a link with descriptive text.",
        )
    return LintResult("bare-url", OK, "no raw URLs in the HTML text", why)


def html_size(v: MessageView) -> LintResult:
    why = (
        "Gmail clips HTML over about 102 KB (hiding the end, including the unsubscribe link), "
        "and heavy HTML scores as bulk."
    )
    size = len(v.html.encode("utf-8"))
    found = f"HTML is {size / 1024:.0f} KB"
    if size > HTML_CLIP:
        return LintResult(
            "html-size",
            WARN,
            found,
            why,
            "Trim the HTML under 100 KB: inline CSS once, drop comments and unused markup.",
        )
    return LintResult("html-size", OK, found, why)


def attachments(v: MessageView) -> list[LintResult]:
    why = (
        "Most providers refuse messages over 25 MB (after base64, attachments grow by a "
        "third), and large or executable attachments are treated as risky."
    )
    files = [p for p in v.parts if p.attachment]
    results: list[LintResult] = []
    total = v.size
    biggest = max((p.size for p in files), default=0)
    if total > 25 * 1024 * 1024:
        results.append(
            LintResult(
                "attachment-size",
                PROBLEM,
                f"the message is {total / 2**20:.1f} MB",
                why,
                "Share large files as a download link instead of attaching them.",
            )
        )
    elif biggest > 10 * 1024 * 1024:
        results.append(
            LintResult(
                "attachment-size",
                WARN,
                f"an attachment is {biggest / 2**20:.1f} MB",
                why,
                "Share large files as a download link instead of attaching them.",
            )
        )
    else:
        results.append(
            LintResult(
                "attachment-size",
                OK,
                f"{len(files)} attachment(s), message {total / 1024:.0f} KB",
                why,
            )
        )
    risky = [
        p.filename for p in files if p.filename and p.filename.lower().rsplit(".", 1)[-1] in _RISKY
    ]
    why_type = "Receivers reject or strip executable and script attachments outright."
    if risky:
        results.append(
            LintResult(
                "attachment-type",
                PROBLEM,
                f"risky attachment(s): {', '.join(risky[:3])}",
                why_type,
                "Do not attach programs or scripts; share them through a download page.",
            )
        )
    else:
        results.append(LintResult("attachment-type", OK, "no executable attachments", why_type))
    return results


_RISKY = frozenset(
    [
        "exe",
        "scr",
        "com",
        "pif",
        "bat",
        "cmd",
        "vbs",
        "vbe",
        "js",
        "jse",
        "wsf",
        "wsh",
        "msi",
        "msp",
        "hta",
        "cpl",
        "jar",
        "ps1",
        "lnk",
        "iso",
        "img",
        "reg",
    ]
)
