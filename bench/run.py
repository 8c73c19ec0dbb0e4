"""Run Omni's benchmarks: every bench/bench_*.py, or those named (e.g. ``sourcing``).

usage: scripts/omni.sh bench [--quick] [TOPIC ...]
"""

import argparse
import importlib.util
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("topics", nargs="*")
    args = parser.parse_args()
    common.setup_odoo(args.config)
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.topics:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in args.topics]
    for script in scripts:
        spec = importlib.util.spec_from_file_location(script.stem, script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {script.stem} ==", flush=True)
        start = time.perf_counter()
        module.main(args.config, quick=args.quick)
        print(f"   ({time.perf_counter() - start:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
