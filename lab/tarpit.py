"""Stand-ins for a blocked port 25, on a lab address (run as a child process).

`filtered`: a listener whose accept queue is full and never drained, so a new
client's SYN goes unanswered and its connect() times out, as behind a firewall
that drops packets. `silent`: a listener that accepts and never says a word, so
the client waits for a banner that never comes.
Prints "ready" on stdout once the port is in its final state; stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading
import time


def filtered(address: str, port: int) -> list[socket.socket]:
    """Listen with the smallest backlog and fill it with connections never accepted."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen(0)
    held = [listener]
    # Linux queues backlog + 1 completed connections; connect until one hangs.
    for _ in range(8):
        client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        client.settimeout(0.5)
        try:
            client.connect((address, port))
        except (TimeoutError, OSError):
            client.close()
            return held
        held.append(client)
    raise RuntimeError("the accept queue never filled up")


def silent(address: str, port: int) -> list[socket.socket]:
    """Accept every connection and keep it open without sending anything."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen(64)
    held: list[socket.socket] = [listener]

    def accept_forever() -> None:
        while True:
            conn, _ = listener.accept()
            held.append(conn)
            # Forget connections the client gave up on, so they do not pile up.
            if len(held) > 200:
                for old in held[1:101]:
                    old.close()
                del held[1:101]

    threading.Thread(target=accept_forever, daemon=True).start()
    return held


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["filtered", "silent"])
    parser.add_argument("address")
    parser.add_argument("port", type=int)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    held = (filtered if args.mode == "filtered" else silent)(args.address, args.port)
    print("ready", flush=True)
    while held:
        time.sleep(3600)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
