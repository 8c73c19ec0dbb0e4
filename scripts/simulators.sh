#!/usr/bin/env bash
# Start the local carrier simulators (omni_carrier) in the background, if present.
# usage: simulators.sh start STATE_DIR PYTHON
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ "${1:-}" = start ] || { echo "usage: $0 start STATE_DIR PYTHON" >&2; exit 2; }
state=$2 py=$3
entry=$ROOT/addons/omni_carrier/simulators/__main__.py
[ -f "$entry" ] || exit 0
if [ -f "$state/sim.pid" ] && kill -0 "$(cat "$state/sim.pid")" 2>/dev/null; then exit 0; fi
(cd "$ROOT/addons/omni_carrier" && nohup "$py" -m simulators --host 127.0.0.1 --port "${OMNI_SIM_PORT:-8099}" >"$state/sim.log" 2>&1 & echo $! >"$state/sim.pid")
