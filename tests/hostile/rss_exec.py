"""Run a command and report its own wall time and peak RSS on a file descriptor.

Why a separate small process: Linux counts a child's peak RSS from before its
exec, so a child forked straight from pytest or a benchmark (tens of MB, growing)
would report at least its parent's size. This launcher starts small (`python3 -I
-S`), forks the command from itself, reaps it with os.wait4 and writes one JSON
line - {"start", "end" (time.monotonic, comparable across processes), "maxrss_kb",
"status"} - to the descriptor given as its first argument. It exits with the
command's exit code (128 + signal number when killed).

    python3 -I -S rss_exec.py FD COMMAND [ARG ...]
"""

import json
import os
import sys
import time


def main() -> int:
    fd = int(sys.argv[1])
    argv = sys.argv[2:]
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(fd)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    end = time.monotonic()
    code = os.waitstatus_to_exitcode(status)
    report = {"start": start, "end": end, "maxrss_kb": usage.ru_maxrss, "status": code}
    os.write(fd, (json.dumps(report) + "\n").encode())
    os.close(fd)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
