from odoo import api, fields, models
from odoo.tools import SQL

OPERATION_KINDS = [
    ("handover", "Pickup handover"),
    ("return", "In-store return"),
    ("aisle", "Endless aisle sale"),
]


class OmniPosOperation(models.Model):
    """One row per store operation confirmed at the POS: the idempotency claim.

    The POS sends a key it generated once per confirmation; a retry (network, double click)
    sends the same key and gets the first result back. A pickup is handed over once: a partial
    unique index on the sale order makes a second handover (another terminal, another store)
    fail with "already collected" (RELIABILITY.md P04). The claim is taken with
    ``INSERT ... ON CONFLICT DO NOTHING``: a concurrent claim waits for the first transaction,
    then gets a serialization failure and is replayed by Odoo's ``retrying()``.
    """

    _name = "omni.pos.operation"
    _description = "Omni Store Operation at the POS"
    _order = "id desc"

    kind = fields.Selection(OPERATION_KINDS, required=True, readonly=True)
    key = fields.Char(required=True, readonly=True, index=True)
    config_id = fields.Many2one("pos.config", readonly=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True, index=True, ondelete="cascade")
    pos_order_id = fields.Many2one("pos.order", readonly=True)
    picking_id = fields.Many2one("stock.picking", readonly=True)
    refund_move_id = fields.Many2one("account.move", string="Credit Note", readonly=True)
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    result = fields.Json(readonly=True)

    _sql_constraints = [("key_unique", "unique(key)", "A store operation is confirmed once.")]

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS omni_pos_operation_handover_once
                    ON omni_pos_operation (sale_order_id) WHERE kind = 'handover'
                """
            )
        )

    @api.model
    def _omni_claim(self, kind, key, config, order=None):
        """Claim ``key``: the new operation, or (existing operation, False) when taken.

        :return: (operation, created)
        """
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO omni_pos_operation
                       (kind, key, config_id, sale_order_id, user_id, create_uid, write_uid,
                        create_date, write_date)
                VALUES (%s, %s, %s, %s, %s, %s, %s, now() at time zone 'UTC',
                        now() at time zone 'UTC')
                ON CONFLICT DO NOTHING
                RETURNING id
                """,
                kind,
                key,
                config.id or None,
                order.id if order else None,
                self.env.uid,
                self.env.uid,
                self.env.uid,
            )
        )
        row = self.env.cr.fetchone()
        self.invalidate_model()
        self.env["sale.order"].invalidate_model(["omni_operation_ids"])
        if row:
            return self.browse(row[0]), True
        existing = self.search([("key", "=", key)], limit=1)
        if not existing and order and kind == "handover":
            existing = self.search([("kind", "=", kind), ("sale_order_id", "=", order.id)])
        return existing, False
