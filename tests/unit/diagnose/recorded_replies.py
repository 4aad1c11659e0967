"""Server replies as the big MTAs and providers word them, typed in by us for the tests.

Host names, addresses and queue ids are invented; the wording follows what each
server family says for the situation.
"""

# --- Postfix ------------------------------------------------------------------------
POSTFIX_RELAY = "554 5.7.1 <postmaster@gmail.com>: Relay access denied"
POSTFIX_NOT_OWNED = (
    "553 5.7.1 <boss@example.org>: Sender address rejected: not owned by user alice@example.net"
)
POSTFIX_HELO = "504 5.5.2 <pc01>: Helo command rejected: need fully-qualified hostname"
POSTFIX_GREYLIST = (
    "450 4.2.0 <postmaster@gmail.com>: Recipient address rejected: Greylisted, see "
    "http://postgrey.example.net/help/example.net.html"
)
POSTFIX_AUTH_FAILED = "535 5.7.8 Error: authentication failed: authentication failure"
POSTFIX_STARTTLS_FIRST = "530 5.7.0 Must issue a STARTTLS command first"
POSTFIX_TLS_454 = "454 4.7.0 TLS not available due to local problem"
POSTSCREEN_SPAMHAUS = (
    "554 5.7.1 Service unavailable; Client host [203.0.113.7] blocked using zen.spamhaus.org; "
    "https://www.spamhaus.org/query/ip/203.0.113.7"
)
POSTFIX_USER_UNKNOWN = (
    "550 5.1.1 <postmaster@example.net>: Recipient address rejected: User unknown in local "
    "recipient table"
)
POSTFIX_TOO_MANY = "421 4.7.0 mail.example.net Error: too many connections from 203.0.113.7"
POSTFIX_SENDER_DOMAIN = (
    "553 5.1.8 <alice@example.invalid>: Sender address rejected: Domain not found"
)
# --- Exim ---------------------------------------------------------------------------
EXIM_BANNER = "220 mx.example.org ESMTP Exim 4.96 Sat, 28 Nov 2026 00:40:00 +0000"
EXIM_RELAY = "550 relay not permitted"
EXIM_AUTH_FAILED = "535 Incorrect authentication data"
EXIM_GREYLIST = "451 4.7.1 Greylisted, please try again in 5 minutes"
EXIM_BANNER_SPAMCOP = "554 Your host [203.0.113.7] is listed in bl.spamcop.net, go away"
# --- qmail --------------------------------------------------------------------------
QMAIL_BANNER = "220 mail.example.com ESMTP"
QMAIL_RELAY = "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"
QMAIL_AUTH_FAILED = "535 authorization failed (#5.7.0)"
# --- Sendmail -----------------------------------------------------------------------
SENDMAIL_BANNER = "220 mail.example.com ESMTP Sendmail 8.17.1/8.17.1; Sat, 28 Nov 2026 00:40:00 GMT"
SENDMAIL_RELAY = "550 5.7.1 <postmaster@gmail.com>... Relaying denied"
SENDMAIL_RELAY_AUTH = (
    "550 5.7.1 <postmaster@gmail.com>... Relaying denied. Proper authentication required."
)
# --- Exchange (on premises) -----------------------------------------------------------
EXCHANGE_BANNER = (
    "220 EXCH01.corp.example.com Microsoft ESMTP MAIL Service ready at Sat, 28 Nov 2026 "
    "00:40:00 +0000"
)
EXCHANGE_RELAY = "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"
EXCHANGE_ANONYMOUS = (
    "530 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM"
)
EXCHANGE_AUTH_FAILED = "535 5.7.3 Authentication unsuccessful"
# --- Microsoft 365 ------------------------------------------------------------------
M365_BANNER = (
    "220 AM0PR01CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready at Sat, 28 "
    "Nov 2026 00:40:00 +0000"
)
M365_AUTH_DISABLED = (
    "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
    "Tenant. Visit https://aka.ms/smtp_auth_disabled for more information."
)
M365_SEND_AS = "550 5.7.60 SMTP; Client does not have permissions to send as this sender"
# --- Gmail --------------------------------------------------------------------------
GMAIL_BANNER = "220 smtp.gmail.com ESMTP a640c23a62f3a-aa5f1sm123456.1 - gsmtp"
GMAIL_AUTH_REQUIRED = (
    "530-5.7.0 Authentication Required. For more information, go to\n"
    "530 5.7.0  https://support.google.com/mail/?p=WantAuthError a640c23a62f3a - gsmtp"
)
GMAIL_BAD_CREDENTIALS = (
    "535-5.7.8 Username and Password not accepted. For more information, go to\n"
    "535 5.7.8  https://support.google.com/mail/?p=BadCredentials a640c23a62f3a - gsmtp"
)
GMAIL_APP_PASSWORD = (
    "534-5.7.9 Application-specific password required. For more information, go to\n"
    "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor a640c23a62f3a - gsmtp"
)
# --- mail.ru ------------------------------------------------------------------------
MAILRU_BANNER = (
    "220 smtp.mail.ru ESMTP ready (Looking for Mail for your domain? Visit https://biz.mail.ru)"
)
MAILRU_APP_PASSWORD = (
    "535 5.7.0 NEOBHODIM parol prilozheniya https://help.mail.ru/mail/security/protection/"
    "external / Application password is REQUIRED"
)
MAILRU_INVALID_HEADERS = (
    "550 Message was not accepted -- it contains invalid headers. 'From:' header must match "
    "user you are sending mail from"
)
GMAIL_WEB_LOGIN = (
    "534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1>\n"
    "534-5.7.14 Please log in via your web browser and then try again.\n"
    "534 5.7.14  Learn more at https://support.google.com/mail/answer/78754 - gsmtp"
)
# --- Yahoo --------------------------------------------------------------------------
YAHOO_TOO_MANY = "535 5.7.0 (#AUTH005) Too many bad auth attempts."
