"""Writes the explain corpus: bounces in each MTA's layout, dialogs, replies, logs, non-bounces.

Run `python3 tests/corpus/explain/make_corpus.py` to (re)write the generated
families; hand-written files (and tests/corpus/explain/lab/) are left alone.
Each sample is `<family>/<name>.<eml|txt|log>` with `<name>.expect.json`
holding what a mail administrator concludes (from catalogue.py, by hand).
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from catalogue import LOCALS, REPLIES, Local, Reply  # noqa: E402

GENERATED = (
    "postfix",
    "exim",
    "sendmail",
    "qmail",
    "exchange",
    "gmail",
    "yahoo",
    "mailru",
    "yandex",
    "courier",
    "generic",
    "smtp",
)
PEOPLE = (
    "anna.petrova",
    "bob",
    "carol.white",
    "d.ivanov",
    "erik",
    "fatima",
    "george.k",
    "helen",
    "igor.s",
    "julia",
    "kevin",
    "lena.m",
    "mike",
    "nina",
    "oleg",
    "paula",
)
DOMAINS = (
    "example.net",
    "example.org",
    "corp.example",
    "shop.example.com",
    "partner.example",
    "mail.example.org",
    "school.example",
    "lab.example.net",
)
SENDERS = (
    "sales@acme.example",
    "ivan@office.example.ru",
    "news@shop.example",
    "maria@travel.example",
    "admin@clinic.example",
    "tom@home.example",
)
IPS = ("192.0.2.25", "198.51.100.7", "203.0.113.14", "192.0.2.201", "198.51.100.63")
SUBJECTS = (
    "Invoice 2024-0315",
    "Re: meeting on Thursday",
    "Photos from the trip",
    "Счёт на оплату",
    "Quarterly report",
    "Re: your order #4471",
    "Договор (проект)",
)
DATES = (
    "Tue, 05 Mar 2024 10:15:42 +0100",
    "Wed, 17 Apr 2024 08:02:11 +0300",
    "Fri, 02 Aug 2024 22:47:05 -0400",
    "Mon, 14 Oct 2024 06:30:00 +0000",
)
PROVIDER_DOMAINS = {
    "gmail-smtp-in.l.google.com": "gmail.com",
    "{dom_dash}.mail.protection.outlook.com": None,
    "mta7.am0.yahoodns.net": "yahoo.com",
    "mxs.mail.ru": "mail.ru",
    "mx.yandex.ru": "yandex.ru",
    "eur.olc.protection.outlook.com": "outlook.com",
}


class Ctx:
    """The made-up people, hosts and dates of one sample."""

    def __init__(self, n: int, reply: Reply | None = None) -> None:
        dom = DOMAINS[n % len(DOMAINS)]
        if reply is not None and PROVIDER_DOMAINS.get(reply.host):
            dom = PROVIDER_DOMAINS[reply.host] or dom
        self.dom = dom
        self.user = PEOPLE[n % len(PEOPLE)]
        self.rcpt = f"{self.user}@{dom}"
        self.sender = SENDERS[n % len(SENDERS)]
        self.sdom = self.sender.split("@")[1]
        self.ip = IPS[n % len(IPS)]
        self.subject = SUBJECTS[n % len(SUBJECTS)]
        self.date = DATES[n % len(DATES)]
        self.n = n
        self.values = {
            "rcpt": self.rcpt,
            "dom": dom,
            "ip": self.ip,
            "sender": self.sender,
            "sdom": self.sdom,
            "user": self.user,
            "dom_dash": dom.replace(".", "-"),
            "rcpt_new": f"{self.user}@new.{dom}",
        }
        self.host = (reply.host if reply else "mx.{dom}").format(**self.values)

    def fill(self, text: str) -> str:
        return text.format(**self.values)

    def reply_lines(self, reply: Reply) -> list[str]:
        return [self.fill(line) for line in reply.lines]


def original(ctx: Ctx, headers_only: bool = False) -> str:
    """The returned original, full of words that must NOT be read as the reason."""
    head = (
        f"Return-Path: <{ctx.sender}>\n"
        f"Received: from client.{ctx.sdom} (client.{ctx.sdom} [203.0.113.7])\n"
        f"\tby mail.{ctx.sdom} with ESMTPSA id 4F1A22C0{ctx.n:03d}; {ctx.date}\n"
        f"From: {ctx.sender}\nTo: {ctx.rcpt}\nSubject: Re: mailbox full? user unknown?\n"
        f"Date: {ctx.date}\nMessage-ID: <{ctx.n}.orig@{ctx.sdom}>\n"
        "X-Spam-Status: Yes, score=9.1 required=5.0 tests=RCVD_IN_SBL blocked using spamhaus\n"
        "X-Failed-Recipients: someone-else@elsewhere.example\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
    )
    if headers_only:
        return head
    body = (
        "\nHi,\n\nlast time my mail bounced with '550 5.7.1 Relaying denied' and "
        "'552 mailbox full'.\nVirus scan attached. Relay access denied, sorry.\n\nRegards\n"
    )
    return head + body


def email(headers: dict[str, str], body: str) -> str:
    return "".join(f"{k}: {v}\n" for k, v in headers.items()) + "\n" + body


def multipart_report(
    ctx: Ctx,
    human: str,
    dsn: str,
    orig_kind: str = "message/rfc822",
    extra_parts: str = "",
    headers: dict[str, str] | None = None,
) -> str:
    b = f"=_{ctx.n:04d}_boundary_relaywiz"
    orig = original(ctx, headers_only=orig_kind == "text/rfc822-headers")
    hdrs = dict(headers or {})
    hdrs["MIME-Version"] = "1.0"
    hdrs["Content-Type"] = f'multipart/report; report-type=delivery-status;\n\tboundary="{b}"'
    body = (
        f"This is a MIME-encapsulated message.\n\n--{b}\n"
        f"Content-Description: Notification\nContent-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: 8bit\n\n{human}\n{extra_parts.replace('BOUNDARY', b)}"
        f"--{b}\nContent-Description: Delivery report\n"
        f"Content-Type: message/delivery-status\n\n{dsn}\n"
        f"--{b}\nContent-Description: Undelivered Message\nContent-Type: {orig_kind}\n\n"
        f"{orig}\n--{b}--\n"
    )
    return email(hdrs, body)


STAGE_POSTFIX = {
    "rcpt": "RCPT TO command",
    "mail": "MAIL FROM command",
    "data": "DATA command",
    "after_data": "end of DATA command",
    "connect": None,
}


def dsn_fields(
    ctx: Ctx,
    reporting: str,
    action: str,
    status: str,
    remote: str | None,
    diag: str | None,
    diag_type: str = "smtp",
) -> str:
    lines = [
        f"Reporting-MTA: dns; {reporting}",
        f"Arrival-Date: {ctx.date}",
        "",
        f"Final-Recipient: rfc822; {ctx.rcpt}",
        f"Original-Recipient: rfc822;{ctx.rcpt}",
        f"Action: {action}",
        f"Status: {status}",
    ]
    if remote:
        lines.append(f"Remote-MTA: dns; {remote}")
    if diag:
        wrapped = textwrap.wrap(
            f"Diagnostic-Code: {diag_type}; {diag}",
            76,
            subsequent_indent="    ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines.extend(wrapped)
    if action == "delayed":
        lines.append("Will-Retry-Until: Sun, 10 Mar 2024 10:15:42 +0100")
    return "\n".join(lines) + "\n"


def status_in(text: str) -> str | None:
    m = re.search(r"(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d]|\.\d)", text)
    return m.group(1) if m else None


def expect_reply(
    reply: Reply,
    ctx: Ctx,
    kind: str = "bounce",
    *,
    permanent: bool | None = None,
    stage: bool = True,
) -> dict[str, object]:
    category = reply.category if stage else (reply.category_without_stage or reply.category)
    r: dict[str, object] = {"address": ctx.rcpt, "category": category, "reply_code": reply.code}
    if reply.status:
        r["status"] = reply.status
    r["permanent"] = reply.permanent if permanent is None else permanent
    if stage:
        r["stage"] = reply.stage
    return {"kind": kind, "recipients": [r]}


def expect_local(local: Local, ctx: Ctx, text: str, dsn_status: str | None) -> dict[str, object]:
    r: dict[str, object] = {
        "address": ctx.rcpt,
        "category": local.category,
        "permanent": local.permanent,
    }
    st = status_in(text) or (dsn_status if dsn_status and not dsn_status.endswith(".0.0") else None)
    if st:
        r["status"] = st
    return {"kind": "bounce", "recipients": [r]}


# ---------------------------------------------------------------- Postfix
def postfix(reply: Reply | None, local: Local | None, ctx: Ctx) -> tuple[str, dict[str, object]]:
    temporary = not reply.permanent if reply is not None else not local.permanent  # type: ignore[union-attr]
    if reply is not None:
        words = " ".join(ctx.reply_lines(reply))
        if reply.stage == "connect":
            detail = f"host {ctx.host}[{ctx.ip}] refused to talk to me: {words}"
        else:
            detail = (
                f"host {ctx.host}[{ctx.ip}] said: {words} (in reply to "
                f"{STAGE_POSTFIX[reply.stage]})"
            )
        status = status_in(words) or ("4.0.0" if temporary else "5.0.0")
        diag = words
        remote = ctx.host
    else:
        assert local is not None
        detail = ctx.fill(local.words["postfix"])
        # Postfix reports the last deferral's code when a message expires
        status = "4.4.1" if local.key == "expired" else status_in(detail) or local.status or "5.0.0"
        diag, remote = detail, None
    wrapped = textwrap.fill(
        f"<{ctx.rcpt}>: {detail}",
        72,
        subsequent_indent="    ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    if temporary:
        human = (
            f"This is the mail system at host mail.{ctx.sdom}.\n\n"
            "####################################################################\n"
            "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
            "####################################################################\n\n"
            "Your message could not be delivered for more than 4 hour(s).\n"
            "It will be retried until it is 5 day(s) old.\n\n"
            "For further assistance, please send mail to postmaster.\n\n"
            "                   The mail system\n\n" + wrapped + "\n"
        )
        subject = "Delayed Mail (still being retried)"
    else:
        human = (
            f"This is the mail system at host mail.{ctx.sdom}.\n\n"
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients. It's attached below.\n\n"
            "For further assistance, please send mail to postmaster.\n\n"
            "If you do so, please include this problem report. You can\n"
            "delete your own text from the attached returned message.\n\n"
            "                   The mail system\n\n" + wrapped + "\n"
        )
        subject = "Undelivered Mail Returned to Sender"
    action = "delayed" if temporary else "failed"
    dsn = dsn_fields(
        ctx, f"mail.{ctx.sdom}", action, status, remote, diag, "smtp" if reply else "X-Postfix"
    )
    headers = {
        "Return-Path": "<>",
        "Date": ctx.date,
        "From": f"MAILER-DAEMON@mail.{ctx.sdom} (Mail Delivery System)",
        "Subject": subject,
        "To": ctx.sender,
        "Auto-Submitted": "auto-replied",
        "Message-Id": f"<20240305091542.{ctx.n}@mail.{ctx.sdom}>",
    }
    text = multipart_report(
        ctx, human, dsn, "message/rfc822" if ctx.n % 2 else "text/rfc822-headers", headers=headers
    )
    if reply is not None:
        exp = expect_reply(reply, ctx)
    else:
        assert local is not None
        exp = expect_local(local, ctx, detail, status)
    return text, exp


# ---------------------------------------------------------------- Exim
EXIM_AFTER = {
    "rcpt": "RCPT TO:<{rcpt}>",
    "mail": "MAIL FROM:<{sender}> SIZE=48213",
    "data": "DATA",
    "after_data": "end of data",
    "connect": "initial connection",
}


def exim_detail(reply: Reply | None, local: Local | None, ctx: Ctx, old_style: bool) -> str:
    if reply is not None:
        lines = ctx.reply_lines(reply)
        after = ctx.fill(EXIM_AFTER[reply.stage])
        if old_style:  # Exim before 4.8x and mail.ru: host on the reply line
            return (
                f"    SMTP error from remote mail server after {after}:\n"
                f"    host {ctx.host} [{ctx.ip}]: " + "\n    ".join(lines)
            )
        return (
            f"    host {ctx.host} [{ctx.ip}]\n"
            f"    SMTP error from remote mail server after {after}:\n    " + "\n    ".join(lines)
        )
    assert local is not None
    return "    " + ctx.fill(local.words["exim"])


def exim(
    reply: Reply | None, local: Local | None, ctx: Ctx, family: str = "exim"
) -> tuple[str, dict[str, object]]:
    temporary = not reply.permanent if reply is not None else not local.permanent  # type: ignore[union-attr]
    detail = exim_detail(reply, local, ctx, old_style=family == "mailru" or ctx.n % 3 == 0)
    msgid = f"1rh{ctx.n:03d}z-000{ctx.n:03d}Ab-Cd"
    if temporary:
        body = (
            "This message was created automatically by mail delivery software.\n"
            "A message that you sent has not yet been delivered to one or more of its\n"
            f"recipients after more than 24 hours on the queue on mail.{ctx.sdom}.\n\n"
            f"The message identifier is:     {msgid}\n"
            f"The subject of the message is: {ctx.subject}\n"
            f"The date of the message is:    {ctx.date}\n\n"
            "The address to which the message has not yet been delivered is:\n\n"
            f"  {ctx.rcpt}\n"
            + detail.replace("    SMTP error", "    Delay reason: SMTP error")
            + "\n\nNo action is required on your part. Delivery attempts will continue for\n"
            "some time, and this warning may be repeated at intervals if the message\n"
            "remains undelivered. Eventually the mail delivery software will give up,\n"
            "and when that happens, the message will be returned to you.\n"
        )
        subject = f"Warning: message {msgid} delayed 24 hours"
    else:
        intro = ""
        if family == "mailru":
            intro = (
                "Это письмо создано автоматически сервером Mail.Ru,\n"
                "отвечать на него не нужно.\n\n"
                "К сожалению, Ваше письмо не может быть доставлено одному или нескольким\n"
                "получателям:\n\n"
                f"{ctx.rcpt}\n\n"
                "Рекомендуем Вам проверить корректность указания адресов получателей.\n\n"
            )
        body = (
            intro + "This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of its\n"
            "recipients. This is a permanent error. The following address(es) failed:\n\n"
            f"  {ctx.rcpt}\n{detail}\n"
        )
        subject = (
            "Недоставленное сообщение"
            if family == "mailru"
            else "Mail delivery failed: returning message to sender"
        )
    sender_host = "corp.mail.ru" if family == "mailru" else f"mail.{ctx.sdom}"
    headers = {
        "Return-path": "<>",
        "Envelope-to": ctx.sender,
        "Delivery-date": ctx.date,
        "Received": f"from mail by {sender_host} with local (Exim 4.96)\n\tid {msgid}",
        "X-Failed-Recipients": ctx.rcpt,
        "Auto-Submitted": "auto-replied",
        "From": f"Mail Delivery System <Mailer-Daemon@{sender_host}>",
        "To": ctx.sender,
        "Subject": subject,
        "Message-Id": f"<E{msgid}@{sender_host}>",
        "Date": ctx.date,
    }
    if temporary:
        del headers["X-Failed-Recipients"]
    use_dsn = family == "exim" and ctx.n % 2 == 0
    if use_dsn:
        words = " ".join(ctx.reply_lines(reply)) if reply else ctx.fill(local.words["exim"])  # type: ignore[union-attr]
        st = "4.0.0" if temporary else "5.0.0"
        dsn = dsn_fields(
            ctx,
            sender_host,
            "delayed" if temporary else "failed",
            st,
            ctx.host if reply else None,
            words,
            "smtp" if reply else "X-Exim",
        )
        text = multipart_report(ctx, body, dsn, headers=headers)
    else:
        orig = original(ctx)
        text = email(
            headers,
            body + "\n------ This is a copy of the message, including all "
            "the headers. ------\n" + orig,
        )
    if reply is not None:
        exp = expect_reply(reply, ctx)
    else:
        assert local is not None
        exp = expect_local(local, ctx, local.words["exim"], None)
    return text, exp


# ---------------------------------------------------------------- Sendmail
SM_CMD = {
    "rcpt": ">>> RCPT To:<{rcpt}>",
    "mail": ">>> MAIL From:<{sender}> SIZE=48213",
    "data": ">>> DATA",
    "after_data": '>>> DATA\n<<< 354 Enter mail, end with "." on a line by itself\n>>> .',
    "connect": "",
}


def sendmail(reply: Reply | None, local: Local | None, ctx: Ctx) -> tuple[str, dict[str, object]]:
    temporary = not reply.permanent if reply is not None else not local.permanent  # type: ignore[union-attr]
    if reply is not None:
        lines = ctx.reply_lines(reply)
        last = lines[-1]
        cmd = ctx.fill(SM_CMD[reply.stage])
        transcript = (
            f"... while talking to {ctx.host}.:\n"
            + (cmd + "\n" if cmd else "")
            + "\n".join("<<< " + ln for ln in lines)
            + "\n"
            + (f"{last}\n" if reply.stage == "rcpt" else "554 5.0.0 Service unavailable\n")
        )
        reason = last
        status = status_in(" ".join(lines)) or ("4.0.0" if temporary else "5.0.0")
        diag = " ".join(lines)
    else:
        assert local is not None
        words = ctx.fill(local.words["sendmail"])
        transcript = (
            f"{words}\n" if not words.startswith("Deferred") else (f"<{ctx.rcpt}>... {words}\n")
        )
        reason = words
        status = status_in(words) or local.status or "5.0.0"
        diag = words
    if temporary:
        human = (
            "    **********************************************\n"
            "    **      THIS IS A WARNING MESSAGE ONLY      **\n"
            "    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n"
            "    **********************************************\n\n"
            f"The original message was received at {ctx.date}\n"
            f"from client.{ctx.sdom} [203.0.113.7]\n\n"
            "   ----- The following addresses had transient non-fatal errors -----\n"
            f"<{ctx.rcpt}>\n    (reason: {reason})\n\n"
            "   ----- Transcript of session follows -----\n"
            + transcript
            + "Warning: message still undelivered after 4 hours\n"
            "Will keep trying until message is 5 days old\n"
        )
        subject, action = "Warning: could not send message for past 4 hours", "delayed"
    else:
        human = (
            f"The original message was received at {ctx.date}\n"
            f"from client.{ctx.sdom} [203.0.113.7]\n\n"
            "   ----- The following addresses had permanent fatal errors -----\n"
            f"<{ctx.rcpt}>\n    (reason: {reason})\n\n"
            "   ----- Transcript of session follows -----\n" + transcript
        )
        subject, action = "Returned mail: see transcript for details", "failed"
    dsn = dsn_fields(ctx, f"mail.{ctx.sdom}", action, status, ctx.host if reply else None, diag)
    headers = {
        "Date": ctx.date,
        "From": f"Mail Delivery Subsystem <MAILER-DAEMON@mail.{ctx.sdom}>",
        "To": f"<{ctx.sender}>",
        "Subject": subject,
        "Auto-Submitted": "auto-generated (failure)",
        "Message-Id": f"<20240305.{ctx.n}@mail.{ctx.sdom}>",
    }
    text = multipart_report(ctx, human, dsn, headers=headers)
    if reply is not None:
        return text, expect_reply(reply, ctx, stage=reply.stage != "connect")
    assert local is not None
    return text, expect_local(local, ctx, ctx.fill(local.words["sendmail"]), status)


# ---------------------------------------------------------------- qmail and Yahoo
QMAIL_STAGE = {
    "rcpt": "{ip} does not like recipient.",
    "mail": "Connected to {ip} but sender was rejected.",
    "after_data": "{ip} failed after I sent the message.",
    "data": "{ip} failed on DATA command.",
    "connect": "Connected to {ip} but greeting failed.",
}
YAHOO_TAG = {
    "rcpt": " [RCPT_TO]",
    "mail": " [MAIL_FROM]",
    "after_data": " [BODY]",
    "data": " [DATA]",
    "connect": "",
}


def qmail(
    reply: Reply | None, local: Local | None, ctx: Ctx, family: str = "qmail"
) -> tuple[str, dict[str, object]]:
    if reply is not None:
        lines = ctx.reply_lines(reply)
        if family == "yahoo":
            detail = "Remote host said: " + "\n".join(lines) + YAHOO_TAG[reply.stage]
        else:
            detail = (
                ctx.fill(QMAIL_STAGE[reply.stage])
                + "\nRemote host said: "
                + "\n".join(lines)
                + f"\nGiving up on {ctx.ip}."
            )
    else:
        assert local is not None
        detail = ctx.fill(local.words["qmail"])
        if not local.permanent:
            detail += "\nI'm not going to try again; this message has been in the queue too long."
    if family == "yahoo":
        body = (
            "Sorry, we were unable to deliver your message to the following address.\n\n"
            f"<{ctx.rcpt}>:\n{detail}\n\n--- Below this line is a copy of the message.\n\n"
        )
        frm, subject = "MAILER-DAEMON@yahoo.com", "Failure Notice"
    else:
        body = (
            f"Hi. This is the qmail-send program at mail.{ctx.sdom}.\n"
            "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
            "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
            f"<{ctx.rcpt}>:\n{detail}\n\n--- Below this line is a copy of the message.\n\n"
        )
        frm, subject = f"MAILER-DAEMON@mail.{ctx.sdom}", "failure notice"
    headers = {"Date": ctx.date, "From": frm, "To": ctx.sender, "Subject": subject}
    text = email(headers, body + original(ctx))
    if reply is not None:
        return text, expect_reply(reply, ctx, stage=reply.stage != "connect")
    assert local is not None
    exp = expect_local(local, ctx, detail, None)
    if not local.permanent:  # gave up after the queue lifetime: the mail expired
        rec = exp["recipients"][0]  # type: ignore[index]
        rec.update({"category": "expired", "permanent": True})
    return text, exp


# ---------------------------------------------------------------- Exchange / Microsoft 365
def exchange(reply: Reply | None, local: Local | None, ctx: Ctx) -> tuple[str, dict[str, object]]:
    temporary = not reply.permanent if reply is not None else not local.permanent  # type: ignore[union-attr]
    if reply is not None:
        words = " ".join(ctx.reply_lines(reply))
    else:
        assert local is not None
        words = ctx.fill(local.words["exchange"])
    returned = (
        f"Remote Server at {ctx.host} ({ctx.ip}) returned '{words}'"
        if ctx.n % 2
        else f"Remote server returned '{words}'"
    )
    admin = (
        "Diagnostic information for administrators:\n\n"
        "Generating server: AM0PR01MB5678.eurprd01.prod.exchangelabs.com\n\n"
        f"{ctx.rcpt}\n{returned}\n\n"
    )
    if temporary:
        human = (
            "Delivery is delayed to these recipients or groups:\n\n"
            f"{ctx.rcpt} ({ctx.rcpt})\n\nSubject: {ctx.subject}\n\n"
            "This message hasn't been delivered yet. Delivery will continue to be "
            "attempted.\n\nThe server will keep trying to deliver this message for the next "
            "1 days, 19 hours and 57 minutes. You'll be notified if the message can't be "
            "delivered by that time.\n\n" + admin
        )
        subject, action = f"Delivery delayed:{ctx.subject}", "delayed"
    else:
        human = (
            f"Your message to {ctx.rcpt} couldn't be delivered.\n\n"
            f"The message couldn't be delivered to {ctx.dom}.\n\n"
            f"{ctx.sender.split('@')[0]}     Office 365     {ctx.dom}\n"
            "Action Required                                  Recipient\n\n"
            "How to Fix It\nTry to resend the message later. If the problem continues, "
            "contact the recipient by some other means.\n\n" + admin
        )
        subject, action = f"Undeliverable: {ctx.subject}", "failed"
    status = status_in(words) or ("4.0.0" if temporary else "5.0.0")
    dsn = dsn_fields(
        ctx,
        "AM0PR01MB5678.eurprd01.prod.exchangelabs.com",
        action,
        status,
        ctx.host if reply else None,
        words,
    )
    html = (
        "--BOUNDARY\nContent-Type: text/html; charset=utf-8\n\n<html><body><p><b>Your "
        f"message to {ctx.rcpt} couldn't be delivered.</b></p><p>Remote server returned "
        f"'{words}'</p></body></html>\n"
    )
    headers = {
        "From": f"Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@{ctx.sdom}>",
        "To": f"<{ctx.sender}>",
        "Date": ctx.date,
        "Subject": subject,
        "Content-Language": "en-US",
        "X-MS-Exchange-Message-Is-Ndr": "",
        "Auto-Submitted": "auto-replied",
    }
    text = multipart_report(
        ctx, human, dsn, "text/rfc822-headers", extra_parts=html, headers=headers
    )
    if reply is not None:
        return text, expect_reply(reply, ctx, stage=False)
    assert local is not None
    return text, expect_local(local, ctx, words, status)


# ---------------------------------------------------------------- Gmail
def gmail(reply: Reply | None, local: Local | None, ctx: Ctx) -> tuple[str, dict[str, object]]:
    temporary = not reply.permanent if reply is not None else not local.permanent  # type: ignore[union-attr]
    if reply is not None:
        lines = ctx.reply_lines(reply)
        response = "The response from the remote server was:\n" + "\n".join(lines)
        if reply.category == "user_unknown":
            head = (
                f"** Address not found **\n\nYour message wasn't delivered to {ctx.rcpt} "
                "because the address couldn't be found, or is unable to receive mail.\n\n"
                "Learn more here: https://support.google.com/mail/?p=NoSuchUser\n\n"
            )
        elif temporary:
            head = (
                f"** Delivery incomplete **\n\nThere was a temporary problem delivering "
                f"your message to {ctx.rcpt}. Gmail will retry for 46 more hours. You'll be "
                "notified if the delivery fails permanently.\n\n"
            )
        elif reply.category in ("spam_detected", "ip_blocklisted", "policy_violation"):
            head = (
                f"** Message blocked **\n\nYour message to {ctx.rcpt} has been blocked. See "
                "technical details below for more information.\n\n"
            )
        else:
            head = (
                f"** Message not delivered **\n\nThere was a problem delivering your "
                f"message to {ctx.rcpt}. See the technical details below.\n\n"
            )
        diag = " ".join(lines)
    else:
        assert local is not None
        words = ctx.fill(local.words["gmail"])
        head = (
            f"** Address not found **\n\nYour message wasn't delivered to {ctx.rcpt} "
            f"because the domain {ctx.dom} couldn't be found. Check for typos or "
            "unnecessary spaces and try again.\n\n"
        )
        response = "The response was:\n" + words
        diag = words
    status = status_in(diag) or ("5.1.2" if local else "4.0.0" if temporary else "5.0.0")
    dsn = dsn_fields(
        ctx,
        "googlemail.com",
        "delayed" if temporary else "failed",
        status,
        f"{ctx.host}. ({ctx.ip}, the server for the domain {ctx.dom}.)" if reply else None,
        diag,
        "smtp" if reply else "DNS",
    )
    headers = {
        "Return-Path": "<>",
        "From": "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
        "To": ctx.sender,
        "Auto-Submitted": "auto-replied",
        "Subject": f"Delivery Status Notification ({'Delay' if temporary else 'Failure'})",
        "Date": ctx.date,
        "Message-ID": f"<65e6d1a2.{ctx.n}.bounce@mx.google.com>",
    }
    text = multipart_report(ctx, "\n" + head + response + "\n", dsn, headers=headers)
    if reply is not None:
        return text, expect_reply(reply, ctx, stage=False)
    assert local is not None
    return text, expect_local(local, ctx, words, status)


# ---------------------------------------------------------------- Yandex
def yandex(reply: Reply | None, local: Local | None, ctx: Ctx) -> tuple[str, dict[str, object]]:
    assert reply is not None
    words = " ".join(ctx.reply_lines(reply))
    if reply.stage == "connect":
        detail = f"host {ctx.host}[{ctx.ip}] refused to talk to me: {words}"
    else:
        detail = (
            f"host {ctx.host}[{ctx.ip}] said: {words} (in reply to {STAGE_POSTFIX[reply.stage]})"
        )
    body = (
        "Здравствуйте!\n\nВаше письмо не было доставлено одному или нескольким получателям.\n"
        "Подробности — ниже.\n\n"
        "This is the MAILER-DAEMON, please do not reply to this e-mail.\n\n"
        "An error has occurred while attempting to deliver a message for\n"
        "the following list of recipients:\n\n"
        f"{ctx.rcpt}: {detail}\n\nBelow is a copy of the original message:\n\n"
    )
    headers = {
        "From": "mailer-daemon@yandex.ru",
        "To": ctx.sender,
        "Date": ctx.date,
        "Subject": "Недоставленное сообщение",
        "Auto-Submitted": "auto-replied",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return email(headers, body + original(ctx)), expect_reply(reply, ctx)


# ---------------------------------------------------------------- Courier
def courier(reply: Reply | None, local: Local | None, ctx: Ctx) -> tuple[str, dict[str, object]]:
    temporary = not reply.permanent if reply is not None else not local.permanent  # type: ignore[union-attr]
    if reply is not None:
        cmd = {
            "rcpt": f">>> RCPT TO:<{ctx.rcpt}>",
            "mail": f">>> MAIL FROM:<{ctx.sender}>",
            "data": ">>> DATA",
            "after_data": ">>> .",
            "connect": "",
        }[reply.stage]
        detail = (
            f"    {ctx.host} [{ctx.ip}]:\n"
            + (cmd + "\n" if cmd else "")
            + "\n".join("<<< " + ln for ln in ctx.reply_lines(reply))
        )
        diag = " ".join(ctx.reply_lines(reply))
    else:
        assert local is not None
        detail = "    " + ctx.fill(local.words["courier"])
        diag = ctx.fill(local.words["courier"])
    title = (
        "DELAYED MAIL\n\nYour message to the following recipients is still being delivered:"
        if temporary
        else "UNDELIVERABLE MAIL\n\nYour message to the following recipients cannot be delivered:"
    )
    human = (
        f"This is a delivery status notification from mail.{ctx.sdom},\n"
        "running the Courier mail server, version 1.1.8.\n\n"
        f"The original message was received on {ctx.date}\n"
        f"from client.{ctx.sdom} (client.{ctx.sdom} [203.0.113.7])\n\n"
        "---------------------------------------------------------------------------\n\n"
        f"                           {title}\n\n<{ctx.rcpt}>:\n{detail}\n\n"
        "---------------------------------------------------------------------------\n\n"
        "If your message was also sent to additional recipients, their delivery\n"
        "status is not included in this report.\n"
    )
    status = status_in(diag) or ("4.0.0" if temporary else "5.0.0")
    dsn = dsn_fields(
        ctx,
        f"mail.{ctx.sdom}",
        "delayed" if temporary else "failed",
        status,
        ctx.host if reply else None,
        diag,
    )
    headers = {
        "From": f"Courier mail server at mail.{ctx.sdom} <@>",
        "To": ctx.sender,
        "Subject": "DELAYED MAIL" if temporary else "NOTICE: mail delivery status.",
        "Date": ctx.date,
    }
    text = multipart_report(ctx, human, dsn, headers=headers)
    if reply is not None:
        return text, expect_reply(reply, ctx, stage=reply.stage != "connect")
    assert local is not None
    return text, expect_local(local, ctx, diag, status)


# ---------------------------------------------------------------- generic
def generic(reply: Reply | None, local: Local | None, ctx: Ctx) -> tuple[str, dict[str, object]]:
    if reply is not None:
        words = " ".join(ctx.reply_lines(reply))
        if ctx.n % 2:
            body = (
                "This message was created automatically by mail delivery software.\n\n"
                "A message that you sent could not be delivered to one or more of\n"
                "its recipients. The following address(es) failed:\n\n"
                f"{ctx.rcpt}\nSMTP error from remote server for "
                f"{ {'rcpt': 'RCPT TO', 'mail': 'MAIL FROM', 'data': 'DATA', 'after_data': 'end of data', 'connect': 'connect'}[reply.stage] } "
                f"command, host: {ctx.host} ({ctx.ip}) reason: {words}\n\n"
            )
        else:
            body = (
                "Delivery to the following recipient failed permanently:\n\n"
                f"     {ctx.rcpt}\n\nTechnical details of permanent failure:\n"
                f"The mail server for {ctx.dom} ({ctx.host} [{ctx.ip}]) rejected the "
                "message.\n\nThe error that the other server returned was:\n"
                + "\n".join(ctx.reply_lines(reply))
                + "\n\n"
            )
    else:
        assert local is not None
        body = (
            "This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of\n"
            "its recipients. The following address(es) failed:\n\n"
            f"{ctx.rcpt}\n{ctx.fill(local.words['generic'])}\n\n"
        )
    headers = {
        "From": f"Mail Delivery Service <postmaster@{ctx.sdom}>",
        "To": ctx.sender,
        "Subject": "Undeliverable message",
        "Date": ctx.date,
        "Content-Type": "text/plain; charset=utf-8",
    }
    text = email(headers, body + "----- Original message -----\n\n" + original(ctx))
    if reply is not None:
        return text, expect_reply(reply, ctx, stage=False)
    assert local is not None
    return text, expect_local(local, ctx, local.words["generic"], None)


def smtp_reply(reply: Reply, ctx: Ctx) -> tuple[str, dict[str, object]]:
    text = "\n".join(ctx.reply_lines(reply)) + "\n"
    exp = expect_reply(reply, ctx, "smtp_reply", stage=False)
    rec = exp["recipients"][0]  # type: ignore[index]
    if ctx.rcpt not in text:
        del rec["address"]
    return text, exp


WRAPPERS = {
    "postfix": postfix,
    "exim": exim,
    "sendmail": sendmail,
    "qmail": qmail,
    "exchange": exchange,
    "gmail": gmail,
    "courier": courier,
    "generic": generic,
    "yandex": yandex,
    "yahoo": lambda r, lo, c: qmail(r, lo, c, "yahoo"),
    "mailru": lambda r, lo, c: exim(r, lo, c, "mailru"),
}
# families that only send final failures (no delay notices)
PERMANENT_ONLY = {"qmail", "yahoo", "yandex", "generic", "mailru"}


def write(family: str, name: str, text: str, expect: dict[str, object], ext: str = "eml") -> None:
    d = HERE / family
    d.mkdir(exist_ok=True)
    (d / f"{name}.{ext}").write_text(text, encoding="utf-8")
    (d / f"{name}.expect.json").write_text(
        json.dumps(expect, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def main() -> None:
    for family in GENERATED:
        d = HERE / family
        if d.exists():
            for f in d.iterdir():
                f.unlink()
    n = 0
    families = [f for f in WRAPPERS]
    # every reply through two families (rotating), so each family sees ~19 kinds of refusal
    for i, reply in enumerate(REPLIES):
        for k in (0, 5):
            family = families[(i + k) % len(families)]
            if not reply.permanent and family in PERMANENT_ONLY:
                family = ("postfix", "exim", "gmail", "exchange", "sendmail", "courier")[i % 6]
            n += 1
            ctx = Ctx(n, reply)
            text, exp = WRAPPERS[family](reply, None, ctx)
            write(family, f"{reply.key}_{n:03d}", text, exp)
    for local in LOCALS:
        for family in local.words:
            n += 1
            ctx = Ctx(n)
            text, exp = WRAPPERS[family](None, local, ctx)
            write(family, f"local_{local.key}_{n:03d}", text, exp)
    for reply in REPLIES[::3]:
        n += 1
        ctx = Ctx(n, reply)
        text, exp = smtp_reply(reply, ctx)
        write("smtp", f"{reply.key}_{n:03d}", text, exp, "txt")
    print(f"wrote {n} generated samples")


if __name__ == "__main__":
    main()
