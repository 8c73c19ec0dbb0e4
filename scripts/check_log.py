"""Fail when an Odoo log holds WARNING/ERROR/CRITICAL lines raised by Omni's code.

Lines from other code are listed for information only (not with --quiet).
Usage: check_log.py [--quiet] LOGFILE
"""

import re
import sys

LEVEL = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) (\S+) (\S+): (.*)$")


def main(path, quiet=False):
    ours, others = [], []
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = LEVEL.match(line.rstrip("\n"))
            if not match:
                continue
            _level, _db, logger, message = match.groups()
            if logger.startswith("odoo.addons.omni_") or "omni_" in message:
                ours.append(line.rstrip())
            else:
                others.append(line.rstrip())
    for line in [] if quiet else others:
        print(f"omni: note (not ours): {line[:300]}", file=sys.stderr)
    for line in ours:
        print(f"omni: PROBLEM: {line[:500]}", file=sys.stderr)
    return 1 if ours else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(args[-1], quiet="--quiet" in args))
