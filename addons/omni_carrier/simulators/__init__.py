"""Local simulators of the DHL, DPD and Hermes APIs (stdlib HTTP server, no Odoo import).

Run ``python -m simulators --host 127.0.0.1 --port 8099`` from the module folder, or start
:class:`~.server.Simulator` in-process (tests, benchmark). Paths: ``/dhl/...``, ``/dpd/...``,
``/hermes/...``; see ``CARRIERS.md`` section 5 for the contracts followed here.
"""
