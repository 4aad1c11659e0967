"""Findings about the login (SMTP AUTH): where it is offered, and why it was refused.

A refused password today is often not a wrong password: many providers no
longer accept the account's normal password from mail programs (app passwords,
OAuth2 only), so the hint names the provider's rule when it can tell.
"""

from __future__ import annotations

from relaywiz.core.diagnose import catalogue as C
from relaywiz.core.diagnose.facts import Facts, describe, reply_text
from relaywiz.core.model import Finding, Outcome, Reply
from relaywiz.core.providers import AuthPolicy, Provider, by_host

# Reply text that tells which kind of login the server wanted.
_APP_PASSWORD_MARKERS = (
    "application-specific password",
    "app password",
    "application password",
    "parol prilozheniya",
    "external application",
)
_WEB_LOGIN_MARKERS = ("web browser", "web login", "log in via your web")
_TOO_MANY_MARKERS = ("too many", "rate limit", "try again later")
_OAUTH_MARKERS = (
    "smtpclientauthentication is disabled",
    "smtp_auth_disabled",
    "basic authentication is disabled",
    "oauth",
)


def rules(f: Facts) -> list[Finding]:
    out: list[Finding] = []
    for pr in f.evidence.ports:
        if pr.implicit_tls:
            continue
        if pr.auth_mechanisms_tls and not pr.auth_mechanisms_plain and pr.starttls_offered:
            out.append(
                C.finding(
                    C.AUTH_ONLY_AFTER_STARTTLS,
                    f"On port {pr.port} the server offers a login only after STARTTLS "
                    f"(after STARTTLS: AUTH {' '.join(pr.auth_mechanisms_tls)}). A client set "
                    "to no encryption sees no login and Outlook says none of its "
                    "authentication methods is supported.",
                    "Set the encryption to STARTTLS on this port.",
                    evidence=("AUTH " + " ".join(pr.auth_mechanisms_tls),),
                    port=pr.port,
                )
            )
        if pr.auth_mechanisms_plain:
            out.append(
                C.finding(
                    C.AUTH_OFFERED_IN_CLEAR,
                    f"On port {pr.port} the server offers a login before any encryption (AUTH "
                    f"{' '.join(pr.auth_mechanisms_plain)}): a client set to no encryption "
                    "sends the password readable by anyone on the network.",
                    "Clients: use STARTTLS or SSL/TLS. The server's administrator: offer AUTH "
                    "only over TLS (Postfix: smtpd_tls_auth_only = yes).",
                    evidence=("AUTH " + " ".join(pr.auth_mechanisms_plain),),
                    port=pr.port,
                )
            )
    if f.any_auth_offered():
        for pr, at in f.attempts():
            if at.outcome is Outcome.AUTH_UNAVAILABLE and at.auth:
                out.append(
                    C.finding(
                        C.AUTH_UNAVAILABLE,
                        f"On port {pr.port} ({describe(at)}) the server offered no login "
                        "method the probe could use, while another port does.",
                        "Use a port that offers the login (see the recommendation).",
                        evidence=(reply_text(at.reply) or at.detail,),
                        port=pr.port,
                    )
                )
                break
    out.extend(_auth_failed(f))
    return out


def _auth_failed(f: Facts) -> list[Finding]:
    failed = [(p, a) for p, a in f.attempts() if a.outcome is Outcome.AUTH_FAILED]
    if not failed:
        return []
    replies = [a.reply for _, a in failed if a.reply is not None]
    provider = by_host(f.host)
    hint = auth_hint(provider, replies, f.evidence.username)
    p = failed[0][0]
    user = f.evidence.username or "(none)"
    worked = any(a.auth and a.outcome is Outcome.OK for _, a in f.attempts())
    scope = "on some ports" if worked else "on every port where it was tried"
    return [
        C.finding(
            C.AUTH_FAILED,
            f"The server refused the login for user name {user} {scope}. {hint}",
            "Check the user name (usually the full e-mail address) and the password; "
            + _policy_remedy(provider, replies),
            evidence=tuple(reply_text(r) for r in replies),
            port=p.port,
        )
    ]


def auth_hint(provider: Provider | None, replies: list[Reply], username: str | None) -> str:
    """Why the password may have been refused, from the provider and the replies' words."""
    texts = " ".join(r.text.lower() for r in replies)
    parts: list[str] = []
    if any(m in texts for m in _OAUTH_MARKERS):
        parts.append(
            "The server says password logins are switched off for this account: it wants a "
            "client that signs in with the provider (OAuth2), or the admin must allow SMTP AUTH."
        )
    elif any(m in texts for m in _APP_PASSWORD_MARKERS):
        parts.append(
            "The server asks for an app password (a separate password created for mail "
            "programs) instead of the account's normal password."
        )
    elif any(m in texts for m in _WEB_LOGIN_MARKERS):
        parts.append(
            "The server wants the account to sign in once through the provider's web page "
            "(a security check), then to use an app password in the mail program."
        )
    if any(m in texts for m in _TOO_MANY_MARKERS):
        parts.append(
            "The server also counts failed logins: after too many it refuses for a while, "
            "even the right password. Wait before trying again."
        )
    if provider is not None:
        parts.append(f"{provider.name}: {provider.notes}")
    if username and "@" not in username and (provider is not None):
        parts.append(f"{provider.name} expects {provider.username} as the user name.")
    if not parts:
        parts.append(
            "Besides a wrong password, many providers now refuse the normal password from "
            "mail programs and want an app password or a sign-in with the provider (OAuth2)."
        )
    return " ".join(parts)


def _policy_remedy(provider: Provider | None, replies: list[Reply]) -> str:
    if provider is None:
        return "if the provider offers app passwords, create one and use it here."
    return {
        AuthPolicy.PASSWORD: "use the account's password.",
        AuthPolicy.APP_PASSWORD: f"create an app password at {provider.name} and use it here.",
        AuthPolicy.APP_PASSWORD_OR_OAUTH2: (
            f"create an app password at {provider.name}, or let the mail client sign in with "
            f"{provider.name} (OAuth2)."
        ),
        AuthPolicy.OAUTH2_ONLY: (
            f"{provider.name} wants a client that signs in with OAuth2 (Outlook, Thunderbird: "
            "Authentication method OAuth2)."
        ),
        AuthPolicy.BRIDGE: f"send through {provider.name}'s bridge program ({provider.notes})",
    }[provider.auth]
