from odoo import api, fields, models
from odoo.tools import SQL

from .omni_order_event import TIMELINE_STEPS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_event_ids = fields.One2many("omni.order.event", "order_id", string="Timeline")
    omni_step = fields.Selection(
        TIMELINE_STEPS,
        string="Current Step",
        compute="_compute_omni_step",
        help="The step of the latest timeline event.",
    )
    omni_step_since = fields.Datetime(string="In Step Since", compute="_compute_omni_step")

    # === COMPUTE METHODS === #

    @api.depends("omni_event_ids.step", "omni_event_ids.date")
    def _compute_omni_step(self):
        latest = {}
        if self.ids:
            # one query for the whole recordset: the latest event per order
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (order_id) order_id, step, date
                      FROM omni_order_event
                     WHERE order_id = ANY(%s)
                  ORDER BY order_id, date DESC, id DESC
                    """,
                    list(self.ids),
                )
            )
            latest = {oid: (step, date) for oid, step, date in self.env.cr.fetchall()}
        for order in self:
            order.omni_step, order.omni_step_since = latest.get(order.id, (False, False))

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        self.env["omni.order.event"]._omni_record(orders, "received")
        return orders

    # === ACTIONS === #

    def action_confirm(self):
        res = super().action_confirm()
        self._omni_timeline("confirmed")
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._omni_timeline("cancelled")
        return res

    # === BUSINESS METHODS === #

    def _omni_timeline(self, step, note=None, document=None, date=None):
        """The one small API through which every module appends a timeline step."""
        return self.env["omni.order.event"]._omni_record(
            self, step, note=note, document=document, date=date
        )
