"""Shared plumbing for Omni's benchmarks (no pass/fail: they print figures and ratios).

A benchmark script ``bench/bench_<topic>.py`` defines ``main(config_path, argv)``; it calls
``ensure_db`` to get a database with the modules it needs (created once, reused after) and
``environment`` to work in it. ``bench/run.py`` runs every script, or those named.
"""

import contextlib
import statistics
import subprocess
import sys
import time

import odoo
from odoo.tools import config as odoo_config


def setup_odoo(config_path):
    odoo_config.parse_config(["-c", config_path])


def db_exists(name):
    out = subprocess.run(
        ["psql", "-d", "postgres", "-Atqc", f"select 1 from pg_database where datname='{name}'"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() == "1"


def ensure_db(config_path, name, modules):
    """Create database ``name`` with ``modules`` installed (no demo data) unless it exists."""
    if not db_exists(name):
        print(f"  creating benchmark database {name} with {modules} ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                f"{odoo.__path__[0]}/../odoo-bin",
                "-c",
                config_path,
                "-d",
                name,
                "-i",
                ",".join(modules),
                "--without-demo=all",
                "--stop-after-init",
                "--log-level=warn",
            ],
            check=True,
        )
    return name


@contextlib.contextmanager
def environment(dbname, commit=False):
    registry = odoo.modules.registry.Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        yield env
        if commit:
            cr.commit()  # pylint: disable=invalid-commit
        else:
            cr.rollback()


class Timer:
    """Collect durations (seconds) and summarise them as p50/p95 in ms."""

    def __init__(self):
        self.samples = []

    @contextlib.contextmanager
    def measure(self):
        start = time.perf_counter()
        yield
        self.samples.append(time.perf_counter() - start)

    def summary(self):
        data = sorted(self.samples)
        if not data:
            return "no samples"
        p95 = data[min(len(data) - 1, int(round(0.95 * (len(data) - 1))))]
        return (
            f"n={len(data)} p50={statistics.median(data) * 1000:.2f} ms "
            f"p95={p95 * 1000:.2f} ms max={data[-1] * 1000:.2f} ms"
        )


def report(name, value, unit="", note=""):
    print(f"  {name:<58} {value:>12} {unit:<10} {note}", flush=True)
