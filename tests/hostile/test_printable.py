"""Server text that is not clean UTF-8 must come out printable, and stay readable."""

from __future__ import annotations

import json

from relaywiz.core.model import Outcome, Stage
from relaywiz.core.smtp.classify import classify, parse_reply, printable


def test_undecodable_bytes_nul_and_escapes_become_replacement_characters() -> None:
    raw = b"554 5.7.1 Relay access denied \xff\xfe\x00 \xed\xa0\x80\x1b[31m end"
    text = printable(raw.decode("utf-8", "surrogateescape"))  # as aiosmtplib decodes
    assert "\x00" not in text and "\x1b" not in text
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    assert text.startswith("554 5.7.1 Relay access denied ") and text.endswith("[31m end")
    json.dumps(text, ensure_ascii=False).encode("utf-8")  # writable as UTF-8


def test_newlines_tabs_and_real_unicode_survive() -> None:
    assert printable("mx.test\nSIZE\t100\nПривет €") == "mx.test\nSIZE\t100\nПривет €"


def test_stray_surrogate_not_from_a_byte_is_replaced_too() -> None:
    assert printable("a\ud800b") == "a?b"


def test_classifier_still_reads_a_reply_with_garbage_after_it() -> None:
    text = printable("5.7.1 <x>: Relay access denied \udcff\x00")
    assert classify(Stage.RCPT_OTHER, parse_reply(554, text)).outcome is Outcome.RELAY_DENIED
