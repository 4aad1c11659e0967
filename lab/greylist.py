"""A small greylisting policy server for the lab Postfix (check_policy_service).

Speaks Postfix's SMTP access policy delegation protocol: name=value lines ended
by an empty line, answered with one `action=` line. The first time a
(client address, sender, recipient) triplet is seen, and until `--delay`
seconds have passed, the answer is DEFER_IF_PERMIT, which Postfix sends to the
client as a 450 at RCPT; afterwards the triplet passes. Run as a child process;
prints "ready" once listening; stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import socketserver
import sys
import threading
import time

_seen: dict[tuple[str, str, str], float] = {}
_lock = threading.Lock()


def decide(attrs: dict[str, str], delay: float, now: float) -> str:
    """The policy answer for one request."""
    if attrs.get("request") != "smtpd_access_policy" or attrs.get("protocol_state") != "RCPT":
        return "DUNNO"
    triplet = (
        attrs.get("client_address", ""),
        attrs.get("sender", "").lower(),
        attrs.get("recipient", "").lower(),
    )
    with _lock:
        first = _seen.setdefault(triplet, now)
    waited = now - first
    if waited >= delay:
        return "DUNNO"
    retry = int(delay - waited) + 1
    return f"DEFER_IF_PERMIT Greylisted: first attempt from this sender, retry in {retry} s"


class PolicyHandler(socketserver.StreamRequestHandler):
    delay = 60.0

    def handle(self) -> None:
        attrs: dict[str, str] = {}
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if line:
                name, _, value = line.partition("=")
                attrs[name] = value
                continue
            action = decide(attrs, self.delay, time.time())
            self.wfile.write(f"action={action}\n\n".encode())
            self.wfile.flush()
            attrs = {}


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("address")
    parser.add_argument("port", type=int)
    parser.add_argument("--delay", type=float, default=60.0)
    args = parser.parse_args()
    PolicyHandler.delay = args.delay
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with Server((args.address, args.port), PolicyHandler) as server:
        print("ready", flush=True)
        server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
