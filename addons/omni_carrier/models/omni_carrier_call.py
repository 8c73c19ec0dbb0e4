import logging

from odoo import fields, models
from odoo.tools import SQL

from ..carriers.common import redact

_logger = logging.getLogger(__name__)


class OmniCarrierCall(models.Model):
    """Request log: one row per carrier call that may create something (redacted).

    Rows are written through their own cursor *before* the call, so that a later attempt
    knows that a create may already have happened at the carrier and reconciles first.
    """

    _name = "omni.carrier.call"
    _description = "Carrier Call"
    _order = "id desc"

    shipment_id = fields.Many2one("omni.carrier.shipment", index=True, ondelete="cascade")
    operation = fields.Char(required=True)
    detail = fields.Text()

    def _omni_log_before_call(self, shipment, operation, payload=None):
        detail = str(redact(payload))[:2000] if payload is not None else ""
        # own cursor: the row survives a rollback of the job's transaction (worker killed,
        # timeout raised as a retry); tests put the registry in test mode, where this cursor
        # is a savepoint of the test transaction (see tests/common.py)
        with self.env.registry.cursor() as cr:
            cr.execute(self._omni_insert_sql(shipment, operation, detail))
        _logger.debug("carrier call %s for %s: %s", operation, shipment.name, detail)

    def _omni_log(self, shipment, operation, detail=""):
        """A row in the current transaction (decisions taken by a user, not carrier I/O)."""
        self.env.cr.execute(self._omni_insert_sql(shipment, operation, detail))

    def _omni_last_operation(self, shipment):
        """The last logged step of ``shipment``: "create" means its outcome is not known."""
        self.env.cr.execute(
            SQL(
                "SELECT operation FROM omni_carrier_call WHERE shipment_id = %s "
                "ORDER BY id DESC LIMIT 1",
                shipment.id,
            )
        )
        row = self.env.cr.fetchone()
        return row[0] if row else None

    def _omni_insert_sql(self, shipment, operation, detail):
        return SQL(
            "INSERT INTO omni_carrier_call (shipment_id, operation, detail, create_date, "
            "write_date, create_uid, write_uid) VALUES (%s, %s, %s, now() at time zone "
            "'utc', now() at time zone 'utc', %s, %s)",
            shipment.id,
            operation,
            detail,
            self.env.uid,
            self.env.uid,
        )
