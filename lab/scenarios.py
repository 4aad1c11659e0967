"""The lab's scenarios as data: which ports listen, and how each one treats a client.

Each scenario is one Postfix instance on its own loopback address (slot ->
127.B.C.(10+slot), with the block B.C chosen per run). Option values may use
placeholders that `lab.postfix` fills in: @@INSIDE@@ (the "own network" client
address), @@CONF@@ (the instance's config directory), @@POLICY@@ (the greylisting
policy server), @@POPMAP@@ (the POP-before-SMTP access map).
"""

from __future__ import annotations

from dataclasses import dataclass, field

Options = tuple[tuple[str, str], ...]

# Submission as most providers run it: STARTTLS first, then AUTH, then relay.
SUBMISSION: Options = (
    ("smtpd_tls_security_level", "encrypt"),
    ("smtpd_sasl_auth_enable", "yes"),
    ("smtpd_tls_auth_only", "yes"),
    ("smtpd_relay_restrictions", "permit_sasl_authenticated,reject_unauth_destination"),
)
# Implicit TLS (SMTPS), AUTH required for anything at all.
SMTPS_AUTH_REQUIRED: Options = (
    ("smtpd_tls_wrappermode", "yes"),
    ("smtpd_sasl_auth_enable", "yes"),
    (
        "smtpd_client_restrictions",
        "permit_sasl_authenticated,check_client_access,cidr:@@CONF@@/auth_required.cidr",
    ),
    ("smtpd_relay_restrictions", "permit_sasl_authenticated,reject"),
)


@dataclass(frozen=True)
class Service:
    """One smtpd listener of a scenario."""

    port: int
    options: Options = ()


@dataclass(frozen=True)
class Scenario:
    """One lab mail server and what it is for."""

    name: str
    slot: int
    domain: str
    description: str
    services: tuple[Service, ...]
    mynetworks: str = "127.0.0.1/32"
    main: Options = ()
    tarpits: tuple[tuple[int, str], ...] = ()  # (port, "filtered" | "silent")
    greylist: bool = False
    popauth: bool = False
    wrong_cert: bool = False
    transports: tuple[tuple[str, str], ...] = ()  # (domain, transport:nexthop)
    extra_master: tuple[str, ...] = ()
    mailboxes: tuple[str, ...] = ("alice", "bob", "postmaster")
    tags: frozenset[str] = field(default_factory=frozenset)
    mta: str = "postfix"  # or "exim" (lab/exim.py; service options do not apply)
    exim_template: str = "exim-isp.conf.in"

    @property
    def ports(self) -> tuple[int, ...]:
        """Every port something listens on (smtpd or a stand-in), sorted."""
        return tuple(sorted({s.port for s in self.services} | {p for p, _ in self.tarpits}))


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "isp",
            1,
            "isp.test",
            "ISP: 25 relays only for its own network; 587 needs STARTTLS then AUTH and "
            "refuses a From the login does not own",
            services=(
                Service(25),
                Service(
                    587,
                    (
                        *SUBMISSION,
                        ("smtpd_sender_restrictions", "reject_authenticated_sender_login_mismatch"),
                    ),
                ),
            ),
            mynetworks="@@INSIDE@@/32",
        ),
        Scenario(
            "implicit",
            2,
            "tls465.test",
            "implicit TLS on 465 only, AUTH required for everything",
            services=(Service(465, SMTPS_AUTH_REQUIRED),),
        ),
        Scenario(
            "p25_refused",
            3,
            "refused.test",
            "port 25 refused (nothing listens) beside a working 587",
            services=(Service(587, SUBMISSION),),
        ),
        Scenario(
            "p25_filtered",
            4,
            "filtered.test",
            "port 25 filtered (connect times out) beside a working 587",
            services=(Service(587, SUBMISSION),),
            tarpits=((25, "filtered"),),
        ),
        Scenario(
            "p25_silent",
            5,
            "silent.test",
            "port 25 accepts and never greets, beside a working 587",
            services=(Service(587, SUBMISSION),),
            tarpits=((25, "silent"),),
        ),
        Scenario(
            "greylist",
            6,
            "grey.test",
            "greylisting at RCPT on 25 (for its own network); 587 with AUTH is not greylisted",
            services=(
                Service(
                    25, (("smtpd_recipient_restrictions", "check_policy_service,inet:@@POLICY@@"),)
                ),
                Service(587, SUBMISSION),
            ),
            mynetworks="@@INSIDE@@/32",
            greylist=True,
        ),
        Scenario(
            "cleartext",
            7,
            "plain.test",
            "AUTH offered in clear text on 2525 (no TLS at all); relay refused without AUTH",
            services=(
                Service(
                    2525,
                    (
                        ("smtpd_tls_security_level", "none"),
                        ("smtpd_sasl_auth_enable", "yes"),
                        ("smtpd_tls_auth_only", "no"),
                        (
                            "smtpd_relay_restrictions",
                            "permit_sasl_authenticated,reject_unauth_destination",
                        ),
                    ),
                ),
            ),
        ),
        Scenario(
            "popauth",
            8,
            "pop.test",
            "POP-before-SMTP: 25 relays for an address for a while after a POP3 login from it",
            services=(
                Service(
                    25,
                    (
                        (
                            "smtpd_relay_restrictions",
                            "permit_mynetworks,check_client_access,hash:@@POPMAP@@,"
                            "reject_unauth_destination",
                        ),
                    ),
                ),
            ),
            popauth=True,
        ),
        Scenario(
            "open_relay",
            9,
            "open.test",
            "an open relay: accepts mail for any domain from anyone (the classic mistake: "
            "mynetworks covering the whole internet)",
            services=(Service(25),),
            mynetworks="0.0.0.0/0",
        ),
        Scenario(
            "wrong_cert",
            10,
            "wrongcert.test",
            "587 and 465 present a certificate (from the trusted CA) for another name",
            services=(Service(587, SUBMISSION), Service(465, SMTPS_AUTH_REQUIRED)),
            wrong_cert=True,
        ),
        Scenario(
            "exim_isp",
            11,
            "eximisp.test",
            "Exim as an ISP: 25 relays only for its own network ('relay not permitted'); "
            "587 needs STARTTLS, then AUTH",
            services=(Service(25), Service(587)),
            mta="exim",
        ),
        # The bounce pair (lab/capture_bounces.py): origin relays its users' mail to
        # dest, which refuses or bounces it in the ways explain's corpus needs.
        Scenario(
            "origin",
            20,
            "sender.test",
            "bounce lab: the sender's server; relays the lab domains to dest",
            services=(Service(25),),
            mynetworks="@@INSIDE@@/32",
            transports=(
                ("dest.test", "smtp:[@@SLOT21@@]:25"),
                ("elsewhere.test", "smtp:[@@SLOT21@@]:25"),
                ("blocked.dest.test", "blocked:[@@SLOT21@@]:25"),
            ),
            extra_master=(
                "blocked   unix  -       -       n       -       -       smtp"
                " -o smtp_bind_address=@@BLOCKED@@",
            ),
            mailboxes=("postmaster", "unknown", "full", "toobig", "relay", "blocked"),
        ),
        Scenario(
            "dest",
            21,
            "dest.test",
            "bounce lab: the recipient's server; small size limit, one full mailbox, "
            "refuses relay and one blocklisted client address",
            services=(
                Service(
                    25,
                    (
                        (
                            "smtpd_client_restrictions",
                            "check_client_access,cidr:@@CONF@@/blocklist.cidr",
                        ),
                    ),
                ),
            ),
            main=(
                ("message_size_limit", "20000"),
                ("virtual_mailbox_limit", "40000"),
                ("virtual_mailbox_domains", "dest.test, blocked.dest.test"),
            ),
            transports=(("sender.test", "smtp:[@@SLOT20@@]:25"),),
            mailboxes=("postmaster", "alice", "full"),
        ),
    )
}

PROBE_SCENARIOS: tuple[str, ...] = tuple(
    s for s in SCENARIOS if SCENARIOS[s].slot < 20 and SCENARIOS[s].mta == "postfix"
)
EXIM_PROBE_SCENARIOS: tuple[str, ...] = tuple(
    s for s in SCENARIOS if SCENARIOS[s].slot < 20 and SCENARIOS[s].mta == "exim"
)
