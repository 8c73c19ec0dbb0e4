from odoo import api, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    _sql_constraints = [
        ("omni_uuid_unique", "unique(uuid)", "A POS order with this uuid already exists."),
    ]

    @api.model
    def sync_from_ui(self, orders):
        # serialise concurrent synchronisations of the same orders before core looks them up
        self.env["omni.pos.sync.claim"]._claim([order.get("uuid") for order in orders])
        return super().sync_from_ui(orders)
