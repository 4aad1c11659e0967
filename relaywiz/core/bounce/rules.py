"""The judgement: which category a diagnostic text, status, reply code and stage mean.

The text decides first (it says more than the code: Exim reports 5.0.0 for
everything, providers reuse 5.7.x codes for different things); the status and
then the reply code decide only when the text is silent. Order matters: the
first matching rule wins, so specific wordings come before generic ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from relaywiz.core.bounce.categories import REPLY_CATEGORY, status_category
from relaywiz.core.bounce.model import BounceStage, Category
from relaywiz.core.bounce.wording import Rule, index, rule

C = Category


GREYLIST = rule(
    C.POLICY_VIOLATION,
    r"gr[ae]y-?list|postgrey|sqlgrey|greylisted|try again in \d+ (?:seconds|minutes)"
    r"|грейлист",
    note="greylisting",
)

EXPIRY = re.compile(
    r"retry timeout exceeded|message expired|queue\.expired|delivery time expired|"
    r"too long in (?:the )?queue|in the queue too long|has been in the queue too long|"
    r"retry time not reached for any host after a long failure period|"
    r"could not be delivered for (?:more than )?\d+ (?:days|hours)|"
    r"status=expired|message (?:has )?expired|expired after|время доставки истекло",
)

RULES: tuple[Rule, ...] = (
    rule(C.USER_UNKNOWN, r"as\(201806281\)"),  # Microsoft directory-based edge blocking
    rule(C.VIRUS_DETECTED, r"\bvirus|malware|\binfected\b|eicar|trojan|вирус"),
    rule(
        C.SUPPRESSED,
        r"suppression list|suppressed|previously bounced|manualsuppression|"
        r"hardbounce(?:d)? address|on the do.not.send list",
    ),
    rule(
        C.DOMAIN_NOT_ACCEPTING_MAIL,
        r"does not accept (?:e-?)?mail|null ?mx|nullmx|no smtp service|"
        r"domain does not receive mail|не принимает почту",
    ),
    rule(
        C.SENDER_MISMATCH,
        r"not owned by (?:auth )?user|sender address rejected: not logged in|"
        r"from address (?:is )?not verified|sendasdenied|send ?as (?:permission )?denied|"
        r"does not have permissions? to send as|not allowed to send as|"
        r"sender (?:address )?(?:is not|doesn't|does not) (?:the same as|match) (?:the )?auth|"
        r"must match (?:the )?authenticated|address is not verified|identities failed the check|"
        r"it contains invalid headers|"
        r"envelope sender does not match|отправитель не совпадает|не принадлежит",
    ),
    GREYLIST,
    rule(
        C.RELAY_DENIED,
        r"relay(?:ing)? (?:access )?(?:is )?(?:denied|not permitted|prohibited|"
        r"not allowed|refused)|unable to relay|not permitted to relay|we do not relay|"
        r"allowed rcpthosts|relay not permitted|no relaying|relaying disallowed|"
        r"ретрансляция запрещена|релей запрещ|пересылка запрещена",
    ),
    rule(
        C.STARTTLS_FAILED,
        r"tls is required,? but (?:was )?not offered|"
        r"starttls.{0,40}(?:failed|failure|error)|tls ?(?:handshake|negotiation) ?fail|"
        r"(?:failed|unable) to (?:negotiate|establish|start) tls|cannot start tls|"
        r"tls session fail|tls error|ssl (?:handshake|routines)|"
        r"certificate (?:verification|verify) (?:failed|error)|untrusted certificate|"
        r"certificate has expired|mta-sts|\bdane\b|\btlsa\b|an attempt to start tls failed|"
        r"wrong version number|no shared cipher",
    ),
    rule(
        C.AUTH_FAILURE,
        r"\bspf\b|\bdkim\b|\bdmarc\b|sender policy framework|"
        r"sender is unauthenticated|unauthenticated (?:e-?)?mail|domainkeys|"
        r"\barc\b (?:validation|fail)",
    ),
    rule(
        C.RECIPIENT_FILTERED,
        r"resolver\.rst\.|sendernotauthenticatedforgroup|"
        r"not authorized to send to|restricted to (?:internal|authorized|certain)|"
        r"only accepts mail from|blocked by (?:the )?recipient|recipient (?:has )?blocked|"
        r"on the recipient's (?:block|blocked senders)|blocked senders list|"
        r"recipient address rejected: access denied|does not accept mail from you|"
        r"rejected by (?:the |this )?(?:recipient|user)|отправитель в черном списке получателя",
    ),
    rule(
        C.AUTH_REQUIRED,
        r"authentication (?:is )?required|auth(?:entication)? required|"
        r"must (?:be )?authenticat|not authenticated|authentication (?:failed|unsuccessful|"
        r"credentials invalid)|incorrect authentication data|invalid (?:login|credentials|"
        r"username or password)|username and password not accepted|bad username or password|"
        r"application-specific password|smtpclientauthentication is disabled|"
        r"smtp auth\S* .{0,20}disabled|must issue a starttls|starttls (?:command )?(?:is )?"
        r"required|encryption required|tls required|must use (?:tls|starttls|ssl)|"
        r"secure connection required|please log ?in|login (?:failed|incorrect)|"
        r"mechanism is too weak|требуется (?:аутентификация|авторизация|проверка подлинности)|"
        r"неверн\w+ (?:логин|пароль|имя)",
    ),
    rule(
        C.PTR_REQUIRED,
        r"reverse (?:dns|lookup|hostname|address)|\bptr\b|\brdns\b|"
        r"cannot find your (?:reverse )?hostname|no reverse|does not have a ptr|"
        r"helo command rejected|need fully-qualified hostname|invalid (?:helo|ehlo)|"
        r"bad helo|forward[- ]confirmed|fcrdns|обратн\w+ (?:зон|запис|dns)",
    ),
    rule(
        C.IP_BLOCKLISTED,
        r"blocked using|listed (?:at|in|on|by)\b|\b(?:rbl|dnsbl|rbls)\b|"
        r"blacklist|blocklist|block list|black list|denylist|spamhaus|spamcop|barracuda|"
        r"sorbs|uceprotect|psbl|abuseat|\bcbl\b|banned sending ip|banned sender|\(s3150\)|"
        r"\(s3140\)|\[bl2\d\]|ip (?:address )?(?:is )?(?:blocked|banned|blacklisted)|"
        r"your ip .{0,40}(?:blocked|banned|listed)|connections will not be accepted from|"
        r"черн\w+ спис|ip-адрес заблокирован",
    ),
    rule(
        C.BAD_REPUTATION,
        r"reputation|unusual rate of unsolicited|\[tss\d\d\]|\[ts\d\d\]|"
        r"user complaints|temporarily deferred due to|sender score|suspicious due to|"
        r"not yet trusted|репутаци",
    ),
    rule(
        C.TOO_MANY_CONNECTIONS,
        r"too many (?:concurrent |simultaneous |open )?(?:smtp )?"
        r"(?:connections|sessions)|connection (?:count|limit|rate) (?:limit )?exceeded|"
        r"maximum (?:number of )?connections|слишком много (?:соединений|подключений)",
    ),
    rule(
        C.TOO_MANY_RECIPIENTS,
        r"too many recipients|recipient (?:count|limit) exceeded|"
        r"maximum (?:number of )?recipients|reciplimit|слишком много получателей",
    ),
    rule(
        C.RATE_LIMITED,
        r"rate.?limit|too many (?:messages|mails|emails)|"
        r"sending (?:rate|quota|limit)|(?:daily|hourly) (?:user )?(?:sending )?(?:quota|limit)|"
        r"sending limits|reached (?:a|your) (?:daily )?limit|receiving mail at a rate|"
        r"message rate|throttl|submissionquotaexceeded|too fast|too much mail|"
        r"слишком (?:много писем|часто)",
    ),
    rule(
        C.MAILBOX_FULL,
        r"mailbox (?:is )?full|mailbox.{0,30}(?:over|exceed\w*).{0,10}quota|"
        r"over ?quota|quota exceeded|exceeded (?:the |his |her |their )?(?:storage|quota)|"
        r"storage (?:allocation|quota|limit) exceeded|insufficient (?:mailbox )?storage for|"
        r"mailbox size limit exceeded|mail ?folder is over|over the allowed quota|"
        r"not enough (?:space|storage) in (?:the )?mailbox|cannot update mailbox.{0,200}file too "
        r"large|out of storage|ящик переполнен|превышен\w* квот|mailbox (?:has )?exceeded",
    ),
    rule(
        C.MAILBOX_DISABLED,
        r"(?:account|mailbox|user|address)(?: has been| is)? (?:disabled|"
        r"deactivated|suspended|inactive|locked|frozen|closed|no longer active|not active|"
        r"blocked by the administrator)|(?:disabled|inactive|suspended) (?:account|mailbox|user)|"
        r"account is expired|mailbox is disabled|"
        r"(?:ящик|учетная запись|пользователь|аккаунт) (?:заблокирован|отключен)",
    ),
    rule(
        C.ADDRESS_MOVED,
        r"user not local|(?:user|mailbox|address|recipient) has moved|"
        r"please (?:try|use|send to) <|new address is",
    ),
    rule(
        C.MESSAGE_TOO_BIG,
        r"message (?:size )?(?:exceeds|too (?:big|large))|too (?:big|large)|"
        r"size (?:limit|exceeds|exceeded)|exceeds? (?:the )?(?:maximum |fixed )?(?:message )?"
        r"size|message (?:length|file) (?:exceeds|too)|file too large|maximum message size|"
        r"sizelimit|размер (?:письма|сообщения) превыша|слишком больш",
    ),
    rule(
        C.SENDER_REJECTED,
        r"sender address rejected|sender verify failed|"
        r"sender (?:address |domain )?(?:must exist|not found|unknown|invalid|rejected|denied|"
        r"refused)|bad sender|unverifiable sender|sender address (?:is )?(?:invalid|not valid)|"
        r"domain of sender address|could not verify sender|verification failed for <|"
        r"bad outbound sender|unknown sender|invalid sender|sender was rejected|"
        r"rejected mail <|отправитель (?:не найден|отклон)",
    ),
    rule(
        C.SYNTAX_ERROR,
        r"syntax|bad (?:recipient |destination )?address|"
        r"address contains invalid|malformed address|unbalanced|unrecognized command|"
        r"command (?:not )?unrecognized|need fully-qualified address|invalid address format|"
        r"синтаксис",
    ),
    rule(
        C.HOST_UNKNOWN,
        r"host or domain name not found|host not found|domain not found|"
        r"no such domain|nxdomain|unrouteable (?:mail )?domain|unroutable domain|"
        r"name service error|dns error|domain (?:name )?does not exist|"
        r"couldn't find any host|could not find any host|unknown (?:host|domain)|"
        r"mx records point to non-existent hosts|no mx (?:record|host)|no valid mx|"
        r"unable to resolve|домен не (?:найден|существует)",
    ),
    rule(
        C.USER_UNKNOWN,
        r"user unknown|unknown user|no such (?:user|mailbox|recipient|address|"
        r"account|person)|user (?:not found|doesn't exist|does not exist)|recipient (?:not found|"
        r"unknown|does not exist)|address (?:not found|unknown|does not exist)|"
        r"invalid (?:recipient|mailbox)|mailbox (?:not found|does not exist|unknown|"
        r"doesn't exist)|unrouteable address|not a valid (?:recipient|user|mailbox)|"
        r"doesn't have an? .{1,40} account|does not have an? account|tried to reach does not "
        r"exist|recip(?:ient)?notfound|no mailbox here|account (?:does not exist|doesn't exist|"
        r"not found)|address couldn't be found|wasn't found at|unknown (?:local[- ])?"
        r"(?:recipient|address|mailbox)|bad destination mailbox|"
        r"нет такого (?:пользователя|адреса|ящика)|пользовател\w+ не (?:найден|существует)|"
        r"(?:адрес|ящик) не существует",
    ),
    rule(
        C.NOT_RFC_COMPLIANT,
        r"rfc ?(?:5322|2822|822|5321)|not (?:rfc|standards?)[- ]compliant|"
        r"non[- ]compliant|missing (?:a |the )?(?:valid )?(?:'?from'?|date|message-id|"
        r"subject)\b|header is missing|multiple (?:'?from'?|date|subject|message-id) headers|"
        r"missing a valid address in from|no from: header|having no from|duplicate header|"
        r"bare (?:lf|cr|linefeed|line feed|newline)|8-?bit data|"
        r"line (?:too long|length exceeded)|malformed (?:header|message|mime)|"
        r"invalid (?:header|mime)|improperly formatted|not properly formatted|smtputf8",
    ),
    rule(
        C.SPAM_DETECTED,
        r"\bspam\b|unsolicited|\bjunk\b|bulk mail|spamassassin|spam ?score|"
        r"спам",
    ),
    rule(
        C.CONTENT_REJECTED,
        r"content (?:rejected|filter|policy|violation)|message content|unacceptable content|"
        r"banned (?:attachment|file|content|word)|attachment.{0,40}(?:not allowed|blocked|"
        r"prohibited|rejected|forbidden)|(?:blocked|prohibited|forbidden) (?:file|attachment)|"
        r"executable|potential security issue|rejected because of (?:its )?content|"
        r"(?:url|link).{0,30}blocked|blocked.{0,30}(?:url|link)|недопустим\w+ (?:содерж|влож)",
    ),
    rule(
        C.SECURITY_ERROR,
        r"security (?:policy|error|violation|features)|encryption (?:needed|"
        r"failure)|cryptographic|message integrity|signature (?:verification )?fail|s/mime|"
        r"requiretls",
    ),
    rule(
        C.MAILER_ERROR,
        r"command died with status|mailer error|unknown mailer|"
        r"child process of .{0,80} returned|transport returned|pipe to \||"
        r"local delivery failed|procmail|maildrop|dovecot-lda|"
        r"cannot (?:update|append to|write to|open) (?:mailbox|maildir)|"
        r"unable to (?:chdir|write) to maildir|lmtp.{0,30}(?:error|failed)|"
        r"service unavailable \(program",
    ),
    rule(
        C.SYSTEM_FULL,
        r"insufficient system (?:storage|resources)|(?:disk|file ?system|spool|"
        r"queue) (?:is )?full|no space left|out of (?:disk )?space|not enough (?:system |disk )?"
        r"space|недостаточно места",
    ),
    rule(C.EXPIRED, EXPIRY.pattern),
    rule(C.NETWORK_TIMEOUT, r"timed? ?out|timeout|no response from|истекло время|тайм-?аут"),
    rule(
        C.NETWORK_ERROR,
        r"connection refused|connection reset|no route to host|"
        r"network (?:is )?unreachable|host (?:is )?unreachable|lost connection|"
        r"connection (?:was )?(?:dropped|closed|lost|died)|could not connect|unable to connect|"
        r"failed to connect|couldn't connect|cannot connect|wasn't able to establish|"
        r"connection died|broken pipe|refused to talk to me|socket error|"
        r"не удается подключиться|соединение (?:разорвано|сброшено)",
    ),
    rule(
        C.SYSTEM_ERROR,
        r"configuration (?:error|problem)|internal (?:server )?error|server error|"
        r"temporary (?:local )?(?:problem|failure|error)|local error|system error|"
        r"mail(?:ing)? (?:forwarding )?loop|too many hops|hop count|looping|routing loop|"
        r"queue file write error|unexpected error|internal failure|server busy|"
        r"service (?:is )?(?:temporarily |currently )?(?:unavailable|not available)|"
        r"внутренняя ошибка",
        weak=True,
    ),
    rule(
        C.POLICY_VIOLATION,
        r"policy|administrative(?:ly)? prohibit|prohibited|forbidden|запрещ|политик",
    ),
    rule(
        C.POLICY_VIOLATION,
        r"not allowed|access denied|\bdenied\b|\brefused\b|\bblocked\b",
        weak=True,
    ),
    rule(
        C.USER_UNKNOWN,
        r"mailbox unavailable|mailbox not available|"
        r"requested action not taken: mailbox",
        weak=True,
    ),
)

#: Causes that, when the sender finally gave up, are best reported as "expired".
EXPIRES_INTO = frozenset(
    {
        C.UNKNOWN,
        C.NETWORK_ERROR,
        C.NETWORK_TIMEOUT,
        C.SYSTEM_ERROR,
        C.TOO_MANY_CONNECTIONS,
        C.RATE_LIMITED,
        C.POLICY_VIOLATION,
        C.HOST_UNKNOWN,
        C.EXPIRED,
    }
)
_UNKNOWN_RCPT = frozenset({C.USER_UNKNOWN})
# providers known to check the mailbox only after the body (Yahoo's "dd" replies)
_ACCOUNT_CHECKED_AFTER_DATA = re.compile(r"delivery error: dd |doesn't have an? \S+ account", re.I)


# "550-5.7.1 " prefixes inside a multi-line reply would split the words the rules look for
_CONTINUATION = re.compile(r"(?<![\w.])[245]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3}\s)?")


@dataclass(frozen=True)
class Verdict:
    """A category, with a more precise remedy key when one rule supplied it."""

    category: Category
    note: str | None = None


_TRIGGERS, _RULES_BY_TRIGGER, _ALWAYS = index(RULES)


def _match(text: str) -> Rule | None:
    """The first rule, in order, whose wording occurs in (lower-cased) `text`."""
    candidates = set(_ALWAYS)
    for t in filter(text.__contains__, _TRIGGERS):  # one C-level pass over all literals
        candidates |= _RULES_BY_TRIGGER[t]
    for i in sorted(candidates):
        if RULES[i].search(text):
            return RULES[i]
    return None


# addresses and IPv4 addresses do not change the verdict: masked, repeated texts hit the cache
_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")


def classify(
    text: str,
    status: str | None = None,
    reply_code: int | None = None,
    stage: BounceStage | None = None,
) -> Verdict:
    """The category of one failure, judged by its text, then status, then reply code, then stage."""
    text = text[:4000]
    if any(map(text.__contains__, _DASHED)):  # a multi-line reply: drop the line prefixes
        text = _CONTINUATION.sub(" ", text)
    flat = " ".join(map(_mask, text.lower().split()))
    return _classify(flat, status, reply_code, stage)


_DASHED = tuple(f"{d}-" for d in "0123456789")


def _mask(word: str) -> str:
    """Addresses and IPv4 addresses do not change a verdict: one token for all of them."""
    if "@" in word:
        return "@"
    if word.count(".") >= 3:
        return _IPV4.sub("@", word)
    return word


@lru_cache(maxsize=4096)
def _classify(
    text: str,
    status: str | None,
    reply_code: int | None,
    stage: BounceStage | None,
) -> Verdict:
    if EXPIRY.search(text):
        inner = _classify(EXPIRY.sub(" ", text), status, reply_code, stage)
        if inner.category in EXPIRES_INTO:
            return Verdict(C.EXPIRED)
        return inner
    rule = _match(text)
    by_status = status_category(status)
    if rule is not None and not (rule.weak and by_status is not None):
        verdict = Verdict(rule.category, rule.note)
    elif by_status is not None:
        verdict = Verdict(by_status)
    elif rule is not None:
        verdict = Verdict(rule.category, rule.note)
    elif reply_code is not None and reply_code in REPLY_CATEGORY:
        verdict = Verdict(REPLY_CATEGORY[reply_code])
    elif status and status[1:] in (".7.0", ".7.1"):  # "refused by policy", and nothing more said
        verdict = Verdict(C.POLICY_VIOLATION)
    else:
        verdict = Verdict(C.UNKNOWN)
    if (
        verdict.category in _UNKNOWN_RCPT
        and stage is BounceStage.AFTER_DATA
        and not _ACCOUNT_CHECKED_AFTER_DATA.search(text)
    ):
        # "user unknown" after the body was sent is a content filter's verdict
        return Verdict(C.CONTENT_REJECTED, "unknown_after_data")
    return verdict
