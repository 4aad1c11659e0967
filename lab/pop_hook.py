"""POP-before-SMTP for the lab: record a POP3 login's address in a Postfix access map.

Run by Dovecot's post-login hook (templates/pop-hook.sh.in) for every POP3
login. Entries expire after `--ttl` seconds: each run drops the old ones,
rewrites the map and rebuilds it with postmap, so the lab Postfix (which checks
`check_client_access hash:MAP`) lets that address relay for a while.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from pathlib import Path


def update(
    map_path: Path, state_path: Path, ttl: float, ip: str | None, now: float
) -> dict[str, float]:
    """Add `ip` (if any), drop expired entries; returns address -> expiry time."""
    try:
        state: dict[str, float] = json.loads(state_path.read_text())
    except (OSError, ValueError):
        state = {}
    state = {addr: exp for addr, exp in state.items() if exp > now}
    if ip:
        state[ip] = now + ttl
    tmp = state_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state))
    tmp.replace(state_path)
    lines = [f"{addr}\tOK\n" for addr in sorted(state)]
    map_path.write_text("".join(lines))
    return state


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--map", required=True, type=Path)
    parser.add_argument("--state", required=True, type=Path)
    parser.add_argument("--ttl", required=True, type=float)
    parser.add_argument("--config", required=True, help="Postfix config_directory")
    parser.add_argument("--ip", default="")
    args = parser.parse_args()
    state = update(args.map, args.state, args.ttl, args.ip or None, time.time())
    subprocess.run(["postmap", "-c", args.config, f"hash:{args.map}"], check=True)
    print(
        f"pop-before-smtp: {args.ip or '-'} allowed; {len(state)} address(es) in the map",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
