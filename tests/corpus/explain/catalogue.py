"""What receiving servers say, and what a mail administrator concludes from it.

Each entry is one reply (or one local failure) in the wording of a real MTA
or provider, written by us from the MTAs' documented formats, with the
conclusion we expect: category, RFC 3463 status, reply code, stage, and
whether it is permanent. `make_corpus.py` wraps these in each MTA's bounce
layout. Expectations are written here by hand, never taken from relaywiz.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reply:
    """One remote server's reply that refused a recipient."""

    key: str
    lines: tuple[str, ...]  # the reply as sent, one item per line; {rcpt} {ip} {dom} {sender}
    category: str
    status: str | None
    code: int | None
    stage: str  # rcpt, mail, data, after_data, connect
    host: str = "mx.{dom}"  # remote MTA host name
    permanent: bool = True
    tags: tuple[str, ...] = field(default=())
    # the conclusion when the bounce does not say at which stage the reply came
    category_without_stage: str | None = None


def R(
    key: str,
    text: str,
    category: str,
    status: str | None,
    code: int | None,
    stage: str,
    host: str = "mx.{dom}",
    permanent: bool | None = None,
    without_stage: str | None = None,
) -> Reply:
    lines = tuple(text.split("\n"))
    perm = permanent if permanent is not None else (code is None or code >= 500)
    return Reply(key, lines, category, status, code, stage, host, perm, (), without_stage)


GMAIL = "gmail-smtp-in.l.google.com"
MSFT = "{dom_dash}.mail.protection.outlook.com"
YAHOO = "mta7.am0.yahoodns.net"
MAILRU = "mxs.mail.ru"
YANDEX = "mx.yandex.ru"

REPLIES: tuple[Reply, ...] = (
    # --- the recipient does not exist
    R(
        "uu_postfix",
        "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table",
        "user_unknown",
        "5.1.1",
        550,
        "rcpt",
    ),
    R(
        "uu_gmail",
        "550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
        "550-5.1.1 double-checking the recipient's email address for typos or\n"
        "550-5.1.1 unnecessary spaces. For more information, go to\n"
        "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser d9si2231870qkb.118 - gsmtp",
        "user_unknown",
        "5.1.1",
        550,
        "rcpt",
        GMAIL,
    ),
    R(
        "uu_m365_dbeb",
        "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) "
        "[DB5PEPF00014B8E.eurprd02.prod.outlook.com 2024-03-05T10:15:42.512Z 08DC3C4F1A2B3C4D]",
        "user_unknown",
        "5.4.1",
        550,
        "rcpt",
        MSFT,
    ),
    R(
        "uu_exchange",
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
        "user_unknown",
        "5.1.10",
        550,
        "rcpt",
        MSFT,
    ),
    R(
        "uu_yahoo",
        "554 delivery error: dd This user doesn't have a yahoo.com account ({rcpt}) "
        "[0] - mta1171.mail.ne1.yahoo.com",
        "user_unknown",
        "5.1.1",
        554,
        "after_data",
        YAHOO,
    ),
    R(
        "uu_mailru",
        "550 Message was not accepted -- invalid mailbox.  Local mailbox {rcpt} is "
        "unavailable: user not found",
        "user_unknown",
        "5.1.1",
        550,
        "rcpt",
        MAILRU,
    ),
    R("uu_yandex", "550 5.7.1 No such user!", "user_unknown", "5.7.1", 550, "rcpt", YANDEX),
    R("uu_sendmail", "550 5.1.1 <{rcpt}>... User unknown", "user_unknown", "5.1.1", 550, "rcpt"),
    R("uu_exim", "550 Unrouteable address", "user_unknown", "5.1.1", 550, "rcpt"),
    R("uu_courier", "550 User unknown.", "user_unknown", "5.1.1", 550, "rcpt"),
    R(
        "uu_generic",
        "550 Requested action not taken: mailbox unavailable",
        "user_unknown",
        "5.1.1",
        550,
        "rcpt",
    ),
    # "user unknown" only after the body: a content filter, not a missing mailbox
    R(
        "uu_after_data",
        "550 5.1.1 <{rcpt}>: user unknown",
        "content_rejected",
        "5.1.1",
        550,
        "after_data",
        without_stage="user_unknown",
    ),
    # --- mailbox full / disabled / moved
    R(
        "full_gmail",
        "552-5.2.2 The email account that you tried to reach is over quota. Please direct\n"
        "552-5.2.2 the recipient to\n"
        "552 5.2.2  https://support.google.com/mail/?p=OverQuotaPerm k20si1107395ejx.361 - gsmtp",
        "mailbox_full",
        "5.2.2",
        552,
        "rcpt",
        GMAIL,
    ),
    R(
        "full_yandex",
        "552 5.2.2 Mailbox size limit exceeded",
        "mailbox_full",
        "5.2.2",
        552,
        "after_data",
        YANDEX,
    ),
    R(
        "full_dovecot",
        "552 5.2.2 <{rcpt}> Quota exceeded (mailbox for user is full)",
        "mailbox_full",
        "5.2.2",
        552,
        "after_data",
    ),
    R("full_temp", "452 4.2.2 Mailbox full", "mailbox_full", "4.2.2", 452, "rcpt"),
    R(
        "full_exchange",
        "554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException."
        "MapiExceptionShutoffQuotaExceeded",
        "mailbox_full",
        "5.2.2",
        554,
        "after_data",
        MSFT,
    ),
    R(
        "dis_gmail",
        "550-5.2.1 The email account that you tried to reach is disabled. Learn more at\n"
        "550 5.2.1  https://support.google.com/mail/?p=DisabledUser z5si1234567pgc.67 - gsmtp",
        "mailbox_disabled",
        "5.2.1",
        550,
        "rcpt",
        GMAIL,
    ),
    R(
        "dis_yahoo",
        "554 delivery error: dd Sorry your message to {rcpt} cannot be delivered. This "
        "mailbox is disabled (554.30). - mta4321.mail.bf1.yahoo.com",
        "mailbox_disabled",
        "5.2.1",
        554,
        "after_data",
        YAHOO,
    ),
    R(
        "dis_mailru",
        "550 Message was not accepted -- invalid mailbox.  Local mailbox {rcpt} is "
        "unavailable: account is disabled",
        "mailbox_disabled",
        "5.2.1",
        550,
        "rcpt",
        MAILRU,
    ),
    R(
        "dis_generic",
        "550 5.2.1 <{rcpt}>: Recipient address rejected: Account suspended",
        "mailbox_disabled",
        "5.2.1",
        550,
        "rcpt",
    ),
    R(
        "moved_551",
        "551 5.1.6 User not local; please try <{rcpt_new}>",
        "address_moved",
        "5.1.6",
        551,
        "rcpt",
    ),
    R(
        "moved_text",
        "550 5.1.6 Recipient has moved; new address is {rcpt_new}",
        "address_moved",
        "5.1.6",
        550,
        "rcpt",
    ),
    # --- the recipient's side refuses you
    R(
        "filt_access",
        "550 5.7.1 <{rcpt}>: Recipient address rejected: Access denied",
        "recipient_filtered",
        "5.7.1",
        550,
        "rcpt",
    ),
    R(
        "filt_group",
        "550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication "
        "required; Delivery restriction check failed as sender not authenticated for group",
        "recipient_filtered",
        "5.7.133",
        550,
        "rcpt",
        MSFT,
    ),
    R(
        "filt_blocked",
        "550 5.7.1 Message rejected: sender is on the recipient's blocked senders list",
        "recipient_filtered",
        "5.7.1",
        550,
        "after_data",
    ),
    # --- size
    R(
        "big_gmail",
        "552-5.3.4 Your message exceeded Google's message size limits. Please visit\n"
        "552-5.3.4  https://support.google.com/mail/?p=MaxSizeError to view our size\n"
        "552 5.3.4 guidelines. 4si1234567wrc.45 - gsmtp",
        "message_too_big",
        "5.3.4",
        552,
        "after_data",
        GMAIL,
    ),
    R(
        "big_postfix",
        "552 5.3.4 Message size exceeds fixed limit",
        "message_too_big",
        "5.3.4",
        552,
        "after_data",
    ),
    R(
        "big_m365",
        "550 5.3.4 ROUTING.SizeLimit; message size exceeds fixed maximum size for route",
        "message_too_big",
        "5.3.4",
        550,
        "after_data",
        MSFT,
    ),
    R(
        "big_exim",
        "552 Message size exceeds maximum permitted",
        "message_too_big",
        "5.3.4",
        552,
        "data",
    ),
    # --- sender
    R(
        "snd_domain",
        "553 5.1.8 <{sender}>: Sender address rejected: Domain not found",
        "sender_rejected",
        "5.1.8",
        553,
        "mail",
    ),
    R(
        "snd_verify",
        "550-Verification failed for <{sender}>\n550-Unrouteable address\n550 Sender verify failed",
        "sender_rejected",
        None,
        550,
        "mail",
    ),
    R(
        "snd_m365",
        "550 5.1.8 Access denied, bad outbound sender. AS(42004)",
        "sender_rejected",
        "5.1.8",
        550,
        "mail",
        MSFT,
    ),
    R(
        "mismatch_m365",
        "550 5.7.60 SMTP; Client does not have permissions to send as this sender",
        "sender_mismatch",
        "5.7.60",
        550,
        "mail",
        MSFT,
    ),
    R(
        "mismatch_postfix",
        "553 5.7.1 <{sender}>: Sender address rejected: not owned by user {user}",
        "sender_mismatch",
        "5.7.1",
        553,
        "mail",
    ),
    # --- relay
    R(
        "relay_postfix",
        "554 5.7.1 <{rcpt}>: Relay access denied",
        "relay_denied",
        "5.7.1",
        554,
        "rcpt",
    ),
    R("relay_exchange", "550 5.7.1 Unable to relay", "relay_denied", "5.7.1", 550, "rcpt"),
    R(
        "relay_qmail",
        "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
        "relay_denied",
        "5.7.1",
        553,
        "rcpt",
    ),
    R("relay_exim", "550 relay not permitted", "relay_denied", "5.7.1", 550, "rcpt"),
    R(
        "relay_m365",
        "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain",
        "relay_denied",
        "5.7.54",
        550,
        "rcpt",
        MSFT,
    ),
    R(
        "relay_sendmail",
        "550 5.7.1 <{rcpt}>... Relaying denied. Proper authentication required.",
        "relay_denied",
        "5.7.1",
        550,
        "rcpt",
    ),
    # --- the sending IP
    R(
        "bl_spamhaus",
        "554 5.7.1 Service unavailable; Client host [{ip}] blocked using "
        "zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}",
        "ip_blocklisted",
        "5.7.1",
        554,
        "rcpt",
    ),
    R(
        "bl_outlookcom",
        "550 5.7.1 Unfortunately, messages from [{ip}] weren't sent. Please "
        "contact your Internet service provider since part of their network is on our block list "
        "(S3150). You can also refer your provider to "
        "http://mail.live.com/mail/troubleshooting.aspx#errors. "
        "[AM2PEPF0001C70F.eurprd05.prod.outlook.com]",
        "ip_blocklisted",
        "5.7.1",
        550,
        "rcpt",
        "eur.olc.protection.outlook.com",
    ),
    R(
        "bl_yahoo",
        "553 5.7.1 [BL21] Connections will not be accepted from {ip}, because the ip "
        "is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes",
        "ip_blocklisted",
        "5.7.1",
        553,
        "connect",
        YAHOO,
    ),
    R(
        "bl_m365",
        "550 5.7.606 Access denied, banned sending IP [{ip}]. To request removal from "
        "this list please visit https://sender.office.com/ and follow the directions. For more "
        "information please go to  http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430)",
        "ip_blocklisted",
        "5.7.606",
        550,
        "rcpt",
        MSFT,
    ),
    R(
        "bl_spamcop",
        "550 5.7.1 Rejected - see https://www.spamcop.net/bl.shtml?{ip}",
        "ip_blocklisted",
        "5.7.1",
        550,
        "rcpt",
    ),
    R(
        "bl_barracuda",
        "554 Service unavailable; Client host [{ip}] blocked using b.barracudacentral.org",
        "ip_blocklisted",
        "5.7.1",
        554,
        "rcpt",
    ),
    R(
        "bl_sorbs",
        "554 5.7.1 Service unavailable; Client host [{ip}] blocked using "
        "dnsbl.sorbs.net; Currently Sending Spam See: http://www.sorbs.net/lookup.shtml?{ip}",
        "ip_blocklisted",
        "5.7.1",
        554,
        "rcpt",
    ),
    R(
        "rep_gmail_rate",
        "421-4.7.0 [{ip}      15] Our system has detected an unusual rate of\n"
        "421-4.7.0 unsolicited mail originating from your IP address. To protect our\n"
        "421-4.7.0 users from spam, mail sent from your IP address has been temporarily\n"
        "421-4.7.0 rate limited. Please visit\n"
        "421-4.7.0  https://support.google.com/mail/?p=UnsolicitedRateLimitError to\n"
        "421 4.7.0 review our Bulk Email Senders Guidelines. u7si1234567qkh.88 - gsmtp",
        "bad_reputation",
        "4.7.0",
        421,
        "after_data",
        GMAIL,
    ),
    R(
        "rep_gmail_low",
        "550-5.7.1 [{ip}] Our system has detected that this message is likely\n"
        "550-5.7.1 suspicious due to the very low reputation of the sending IP address.\n"
        "550-5.7.1 To best protect our users from spam, the message has been blocked.\n"
        "550 5.7.1 Please visit https://support.google.com/mail/answer/188131 for more "
        "information. a1si2345678wmb.12 - gsmtp",
        "bad_reputation",
        "5.7.1",
        550,
        "after_data",
        GMAIL,
    ),
    R(
        "rep_yahoo",
        "421 4.7.0 [TSS04] Messages from {ip} temporarily deferred due to unexpected "
        "volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
        "bad_reputation",
        "4.7.0",
        421,
        "connect",
        YAHOO,
    ),
    R(
        "ptr_postfix",
        "450 4.7.1 Client host rejected: cannot find your hostname, [{ip}]",
        "ptr_required",
        "4.7.1",
        450,
        "rcpt",
    ),
    R(
        "ptr_gmail",
        "550-5.7.25 [{ip}] The IP address sending this message does not have a\n"
        "550-5.7.25 PTR record setup, or the corresponding forward DNS entry does not\n"
        "550-5.7.25 point to the sending IP. As a policy, Gmail does not accept messages\n"
        "550-5.7.25 from IPs with missing PTR records. Please visit\n"
        "550-5.7.25  https://support.google.com/mail/answer/81126#ip-practices for more\n"
        "550 5.7.25 information. s14si4567890ejd.300 - gsmtp",
        "ptr_required",
        "5.7.25",
        550,
        "rcpt",
        GMAIL,
    ),
    R(
        "ptr_reverse",
        "550 5.7.1 Client host rejected: cannot find your reverse hostname, [{ip}]",
        "ptr_required",
        "5.7.1",
        550,
        "rcpt",
    ),
    R(
        "ptr_helo",
        "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname",
        "ptr_required",
        "5.5.2",
        504,
        "rcpt",
    ),
    # --- SPF / DKIM / DMARC
    R(
        "dmarc_gmail_unauth",
        "550-5.7.26 This mail has been blocked because the sender is "
        "unauthenticated.\n550-5.7.26 Gmail requires all senders to authenticate with either SPF "
        "or DKIM.\n550-5.7.26\n550-5.7.26  Authentication results:\n550-5.7.26  DKIM = did not "
        "pass\n550-5.7.26  SPF [{sdom}] with ip: [{ip}] = did not pass\n550-5.7.26\n"
        "550-5.7.26  For instructions on setting up authentication, go to\n"
        "550 5.7.26  https://support.google.com/mail/answer/81126#authentication "
        "o7si1234567wrd.78 - gsmtp",
        "auth_failure",
        "5.7.26",
        550,
        "after_data",
        GMAIL,
    ),
    R(
        "dmarc_gmail",
        "550-5.7.26 Unauthenticated email from {sdom} is not accepted due to\n"
        "550-5.7.26 domain's DMARC policy. Please contact the administrator of {sdom}\n"
        "550-5.7.26 domain if this was a legitimate mail. To learn about the DMARC\n"
        "550 5.7.26 initiative, go to https://support.google.com/mail/?p=DmarcRejection "
        "f3si99887766ejf.510 - gsmtp",
        "auth_failure",
        "5.7.26",
        550,
        "after_data",
        GMAIL,
    ),
    R(
        "spf_msft",
        "550 5.7.23 The message was rejected because of Sender Policy Framework violation",
        "auth_failure",
        "5.7.23",
        550,
        "after_data",
        MSFT,
    ),
    R(
        "dmarc_m365",
        "550 5.7.509 Access denied, sending domain {sdom} does not pass DMARC "
        "verification and has a DMARC policy of reject.",
        "auth_failure",
        "5.7.509",
        550,
        "after_data",
        MSFT,
    ),
    R(
        "spf_generic",
        "550 5.7.1 SPF MAIL FROM check failed: the domain {sdom} does not "
        "designate {ip} as permitted sender",
        "auth_failure",
        "5.7.1",
        550,
        "mail",
    ),
    R(
        "auth_yahoo",
        "550 5.7.9 This mail has been blocked because the sender is "
        "unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.",
        "auth_failure",
        "5.7.9",
        550,
        "after_data",
        YAHOO,
    ),
    # --- SMTP AUTH / TLS required (a smarthost the sending server relays through)
    R(
        "authreq_530",
        "530 5.7.0 Authentication required",
        "auth_required",
        "5.7.0",
        530,
        "mail",
        "smtp.{dom}",
    ),
    R(
        "authreq_m365",
        "530 5.7.57 Client not authenticated to send mail. "
        "[AM0PR02CA0123.eurprd02.prod.outlook.com]",
        "auth_required",
        "5.7.57",
        530,
        "mail",
        "smtp.office365.com",
    ),
    R(
        "authreq_tls",
        "530 5.7.0 Must issue a STARTTLS command first",
        "auth_required",
        "5.7.0",
        530,
        "mail",
        "smtp.{dom}",
    ),
    # --- security / policy / limits
    R(
        "sec_requiretls",
        "550 5.7.30 REQUIRETLS support required",
        "security_error",
        "5.7.30",
        550,
        "mail",
    ),
    R(
        "sec_integrity",
        "554 5.7.7 Message integrity failure",
        "security_error",
        "5.7.7",
        554,
        "after_data",
    ),
    R("pol_exim", "550 Administrative prohibition", "policy_violation", None, 550, "rcpt"),
    R(
        "pol_yahoo",
        "554 5.7.9 Message not accepted for policy reasons.  See "
        "https://postmaster.yahooinc.com/error-codes",
        "policy_violation",
        "5.7.9",
        554,
        "after_data",
        YAHOO,
    ),
    R(
        "pol_gmail",
        "550-5.7.1 The user or domain that you are sending to (or from) has a policy "
        "that\n550 5.7.1 prohibited the mail that you sent. Please contact your domain "
        "administrator for further details. e10si12345wrc.34 - gsmtp",
        "policy_violation",
        "5.7.1",
        550,
        "after_data",
        GMAIL,
    ),
    R(
        "grey_postgrey",
        "450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted, see "
        "http://postgrey.schweikert.ch/help/{dom}.html",
        "policy_violation",
        "4.2.0",
        450,
        "rcpt",
    ),
    R(
        "grey_exim",
        "451 4.7.1 Greylisting in action, please come back later",
        "policy_violation",
        "4.7.1",
        451,
        "rcpt",
    ),
    R(
        "rate_gmail",
        "550-5.4.5 Daily user sending limit exceeded. For more information on Gmail\n"
        "550-5.4.5 sending limits go to\n"
        "550 5.4.5  https://support.google.com/a/answer/166852 y11sm1234567wrd.21 - gsmtp",
        "rate_limited",
        "5.4.5",
        550,
        "mail",
        "smtp.gmail.com",
    ),
    R(
        "rate_gmail_rcv",
        "450-4.2.1 The user you are trying to contact is receiving mail at a rate "
        "that\n450-4.2.1 prevents additional messages from being delivered. Please resend your\n"
        "450-4.2.1 message at a later time. If the user is able to receive mail at that\n"
        "450-4.2.1 time, your message will be delivered. For more information, go to\n"
        "450 4.2.1  https://support.google.com/mail/?p=ReceivingRatePerm a1si1234567qkd.9 - gsmtp",
        "rate_limited",
        "4.2.1",
        450,
        "rcpt",
        GMAIL,
    ),
    R(
        "rate_m365",
        "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; "
        "Failed to process message due to a permanent exception with message Cannot submit "
        "message.",
        "rate_limited",
        "5.2.0",
        554,
        "after_data",
        "smtp.office365.com",
    ),
    R(
        "rate_postfix",
        "450 4.7.1 <{rcpt}>: Recipient address rejected: Error: too much mail from {ip}",
        "rate_limited",
        "4.7.1",
        450,
        "rcpt",
    ),
    R(
        "conn_postfix",
        "421 4.7.0 mx.{dom} Error: too many connections from {ip}",
        "too_many_connections",
        "4.7.0",
        421,
        "connect",
    ),
    R(
        "conn_exim",
        "421 Too many concurrent SMTP connections from this IP address; please try again later.",
        "too_many_connections",
        None,
        421,
        "connect",
    ),
    R(
        "rcpts_postfix",
        "452 4.5.3 Error: too many recipients",
        "too_many_recipients",
        "4.5.3",
        452,
        "rcpt",
    ),
    R(
        "rcpts_gmail",
        "452-4.5.3 Your message has too many recipients. For more information "
        "regarding\n452 4.5.3 Google's sending limits, go to "
        "https://support.google.com/mail/?p=TooManyRecipientsError",
        "too_many_recipients",
        "4.5.3",
        452,
        "rcpt",
        GMAIL,
    ),
    R(
        "rcpts_exchange",
        "550 5.5.3 RESOLVER.ADR.RecipLimit; too many recipients",
        "too_many_recipients",
        "5.5.3",
        550,
        "rcpt",
        MSFT,
    ),
    # --- content
    R(
        "spam_mailru",
        "550 spam message rejected. Please visit "
        "https://help.mail.ru/notspam-support/id?c=Xb3kPqLr0vWmNa8sZt or  report details to "
        "abuse@corp.mail.ru. Error code: 3F7A21C9E0D84B56. ID: 0000000A1B2C3D4E.",
        "spam_detected",
        "5.7.1",
        550,
        "after_data",
        MAILRU,
    ),
    R(
        "spam_gmail",
        "550-5.7.1 [{ip}] Our system has detected that this message is\n"
        "550-5.7.1 likely unsolicited mail. To reduce the amount of spam sent to Gmail,\n"
        "550-5.7.1 this message has been blocked. Please visit\n"
        "550-5.7.1  https://support.google.com/mail/?p=UnsolicitedMessageError\n"
        "550 5.7.1  for more information. c2si9876543wrx.88 - gsmtp",
        "spam_detected",
        "5.7.1",
        550,
        "after_data",
        GMAIL,
    ),
    R(
        "spam_yandex",
        "554 5.7.1 [2] Message rejected under suspicion of SPAM; https://ya.cc/1IrBc "
        "1709633742-aBcDeFgHiJ-1",
        "spam_detected",
        "5.7.1",
        554,
        "after_data",
        YANDEX,
    ),
    R(
        "spam_filter",
        "550 5.7.1 Message rejected as spam by Content Filtering.",
        "spam_detected",
        "5.7.1",
        550,
        "after_data",
    ),
    R(
        "spam_sa",
        "550 5.7.1 Spam score too high (8.2/5.0)",
        "spam_detected",
        "5.7.1",
        550,
        "after_data",
    ),
    R(
        "content_gmail",
        "552-5.7.0 This message was blocked because its content presents a "
        "potential\n552-5.7.0 security issue. Please visit\n"
        "552-5.7.0  https://support.google.com/mail/?p=BlockedMessage to review our\n"
        "552 5.7.0 message content and attachment content guidelines. j4si1234567ejc.90 - gsmtp",
        "content_rejected",
        "5.7.0",
        552,
        "after_data",
        GMAIL,
    ),
    R(
        "content_postfix",
        "550 5.7.1 Message content rejected",
        "content_rejected",
        "5.7.1",
        550,
        "after_data",
    ),
    R(
        "content_attach",
        "550 5.7.1 This message contains a prohibited attachment type (.exe)",
        "content_rejected",
        "5.7.1",
        550,
        "after_data",
    ),
    R(
        "virus_clamav",
        "550 5.7.1 Virus detected: Win.Test.EICAR_HDB-1",
        "virus_detected",
        "5.7.1",
        550,
        "after_data",
    ),
    R(
        "virus_exim",
        "550 This message contains a virus (Eicar-Test-Signature).",
        "virus_detected",
        None,
        550,
        "after_data",
    ),
    R(
        "virus_m365",
        "550 5.7.1 Message rejected due to malware",
        "virus_detected",
        "5.7.1",
        550,
        "after_data",
        MSFT,
    ),
    R(
        "rfc_gmail_from",
        "550-5.7.1 [{ip}] Messages missing a valid address in From:\n"
        "550 5.7.1 header, or having no From: header, are not accepted. a1si2233445wrc.1 - gsmtp",
        "not_rfc_compliant",
        "5.7.1",
        550,
        "after_data",
        GMAIL,
    ),
    R(
        "rfc_gmail_5322",
        "550-5.7.1 [{ip}] Our system has detected that this message is not RFC\n"
        "550-5.7.1 5322 compliant:\n550-5.7.1 'From' header is missing.\n"
        "550-5.7.1 To reduce the amount of spam sent to Gmail, this message has been\n"
        "550-5.7.1 blocked. Please visit\n"
        "550-5.7.1  https://support.google.com/mail/?p=RfcMessageNonCompliant\n"
        "550 5.7.1  and review RFC 5322 specifications for more information. "
        "b9si12345ejc.2 - gsmtp",
        "not_rfc_compliant",
        "5.7.1",
        550,
        "after_data",
        GMAIL,
    ),
    R(
        "rfc_barelf",
        "554 5.6.0 Message contains bare LF and is violating 822.bis section 2.3",
        "not_rfc_compliant",
        "5.6.0",
        554,
        "after_data",
    ),
    R(
        "rfc_mime",
        "550 5.6.211 Invalid MIME Content: Single text value size (32768) limit exceeded",
        "not_rfc_compliant",
        "5.6.211",
        550,
        "after_data",
        MSFT,
    ),
    # --- the receiving system
    R(
        "sys_queue",
        "451 4.3.0 Error: queue file write error",
        "system_error",
        "4.3.0",
        451,
        "after_data",
    ),
    R(
        "sys_temp",
        "451 Temporary local problem - please try later",
        "system_error",
        None,
        451,
        "rcpt",
    ),
    R(
        "sys_loop",
        "554 5.4.6 Hop count exceeded - possible mail loop",
        "system_error",
        "5.4.6",
        554,
        "after_data",
    ),
    R("sys_config", "451 4.3.5 Server configuration problem", "system_error", "4.3.5", 451, "rcpt"),
    R("full_sys", "452 4.3.1 Insufficient system storage", "system_full", "4.3.1", 452, "mail"),
    R("syn_rcpt", "501 5.1.3 Bad recipient address syntax", "syntax_error", "5.1.3", 501, "rcpt"),
    R(
        "syn_cmd",
        '500 5.5.1 Command unrecognized: "XCLIENT NAME=[UNAVAILABLE]"',
        "syntax_error",
        "5.5.1",
        500,
        "mail",
    ),
    R(
        "sup_mailgun",
        "550 5.0.0 Not delivering to previously bounced address",
        "suppressed",
        None,
        550,
        "rcpt",
        "smtp.mailgun.org",
    ),
    R(
        "sup_list",
        "550 5.1.1 Recipient address is on the suppression list of this account",
        "suppressed",
        "5.1.1",
        550,
        "rcpt",
        "email-smtp.eu-west-1.amazonaws.com",
    ),
    R("unk_554", "554 Transaction failed", "unknown", None, 554, "after_data"),
    R("unk_rejected", "550 Rejected", "unknown", None, 550, "rcpt"),
)


@dataclass(frozen=True)
class Local:
    """A failure the sending server itself reports (no remote reply): per-family wording."""

    key: str
    category: str
    status: str | None
    permanent: bool
    words: dict[str, str]  # family -> text


LOCALS: tuple[Local, ...] = (
    Local(
        "host_unknown",
        "host_unknown",
        "5.1.2",
        True,
        {
            "postfix": "Host or domain name not found. Name service error for name={dom} type=MX: "
            "Host not found",
            "exim": "all relevant MX records point to non-existent hosts",
            "qmail": "Sorry, I couldn't find any host named {dom}. (#5.1.2)",
            "sendmail": "550 5.1.2 {rcpt}... Host unknown (Name server: {dom}: host not found)",
            "gmail": "DNS Error: DNS type 'mx' lookup of {dom} responded with code NXDOMAIN Domain "
            "name not found: {dom}",
            "courier": "No such domain: {dom}",
        },
    ),
    Local(
        "nullmx",
        "domain_not_accepting_mail",
        "5.1.10",
        True,
        {
            "postfix": "Domain {dom} does not accept mail (nullMX)",
            "exim": "an MX or SRV record indicated no SMTP service",
            "generic": "Domain {dom} does not accept mail (null MX)",
        },
    ),
    Local(
        "timeout",
        "network_timeout",
        "4.4.1",
        False,
        {
            "postfix": "connect to mx.{dom}[{ip}]:25: Connection timed out",
            "exim": "host mx.{dom} [{ip}]: Connection timed out",
            "sendmail": "Deferred: Connection timed out with mx.{dom}.",
            "courier": "mx.{dom} [{ip}]: Connection timed out",
        },
    ),
    Local(
        "refused",
        "network_error",
        "4.4.1",
        False,
        {
            "postfix": "connect to mx.{dom}[{ip}]:25: Connection refused",
            "exim": "host mx.{dom} [{ip}]: Connection refused",
            "qmail": "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)",
            "sendmail": "Deferred: Connection refused by mx.{dom}.",
        },
    ),
    Local(
        "expired",
        "expired",
        "4.4.7",
        True,
        {
            "exim": "retry timeout exceeded",
            "qmail": "I'm not going to try again; this message has been in the queue too long.",
            "sendmail": "Message could not be delivered for 5 days",
            "exchange": "550 4.4.7 QUEUE.Expired; message expired",
            "postfix": "delivery temporarily suspended: connect to mx.{dom}[{ip}]:25: Connection "
            "timed out",
        },
    ),
    Local(
        "tls",
        "starttls_failed",
        "4.7.5",
        False,
        {
            "postfix": "TLS is required, but was not offered by host mx.{dom}[{ip}]",
            "exim": "a TLS session is required, but an attempt to start TLS failed",
            "exchange": "450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch "
            "Target host responded with error. -> 421 4.4.317 TlsNegotiationFailed]",
        },
    ),
    Local(
        "mailer",
        "mailer_error",
        "5.3.0",
        True,
        {
            "postfix": 'Command died with status 1: "/usr/bin/procmail". Command output: procmail: '
            'Couldn\'t create "/var/mail/{user}"',
            "exim": "Child process of address_pipe transport returned 69 (could mean service or "
            "program unavailable) from command: /usr/local/bin/ticket-import",
            "sendmail": "554 5.3.0 unknown mailer error 1",
            "qmail": "Unable to chdir to maildir. (#4.2.1)",
        },
    ),
    Local(
        "localuser",
        "user_unknown",
        "5.1.1",
        True,
        {
            "postfix": 'unknown user: "{user}"',
            "qmail": "Sorry, no mailbox here by that name. (#5.1.1)",
            "exim": "Unrouteable address",
            "courier": "Unknown user.",
        },
    ),
    Local(
        "localfull",
        "mailbox_full",
        "5.2.2",
        True,
        {
            "postfix": "cannot update mailbox /var/mail/{user} for user {user}. error writing "
            "message: File too large",
            "exim": "mailbox is full (MTA-imposed quota exceeded while writing to "
            "/var/mail/{user})",
            "qmail": "The users mailfolder is over the allowed quota (size). (#5.2.2)",
        },
    ),
)
