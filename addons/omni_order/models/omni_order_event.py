from odoo import _, api, fields, models
from odoo.exceptions import UserError

# The steps of an order's life, in the order they normally happen. Every module that makes a
# step happen (intake, sourcing, carrier, POS) appends an event with one of these codes through
# ``omni.order.event._omni_record`` (or ``sale.order._omni_timeline``); nothing else writes it.
TIMELINE_STEPS = [
    ("received", "Received"),
    ("validated", "Validated"),
    ("confirmed", "Confirmed"),
    ("sourced", "Sourced"),
    ("released", "Released to node"),
    ("picked", "Picked"),
    ("packed", "Packed"),
    ("shipped", "Shipped"),
    ("in_transit", "In transit"),
    ("ready_for_pickup", "Ready for pickup"),
    ("delivered", "Delivered"),
    ("picked_up", "Picked up"),
    ("invoiced", "Invoiced"),
    ("paid", "Paid"),
    ("returned", "Returned"),
    ("cancelled", "Cancelled"),
    ("changed", "Changed by customer service"),
]


class OmniOrderEvent(models.Model):
    """One step of an order's life: append-only.

    The current step of an order and the time spent in each step are derived from these rows
    (the latest event, and the gap to the next one); they are never stored a second time.
    """

    _name = "omni.order.event"
    _description = "Omni Order Timeline Event"
    _order = "date desc, id desc"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    step = fields.Selection(TIMELINE_STEPS, required=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    note = fields.Char()
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(string="Document ID", model_field="res_model", readonly=True)

    # === CRUD METHODS === #

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(_("Timeline events cannot be changed: the timeline is append-only."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_append_only(self):
        if not self.env.is_superuser():
            raise UserError(_("Timeline events cannot be deleted: the timeline is append-only."))

    # === ACTIONS === #

    def action_open_document(self):
        self.ensure_one()
        if not (self.res_model and self.res_id):
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    # === BUSINESS METHODS === #

    @api.model
    def _omni_record(self, orders, step, note=None, document=None, date=None):
        """Append one ``step`` event to each order of ``orders`` (batched, one INSERT).

        :param orders: sale.order recordset
        :param step: a code of ``TIMELINE_STEPS``
        :param note: short human-readable detail (translated by the caller)
        :param document: the record that made the step happen (picking, invoice, ...)
        :param date: when it happened (default: now)
        :return: the created events
        """
        if step not in dict(TIMELINE_STEPS):
            raise ValueError(f"unknown timeline step {step!r}")
        base = {
            "step": step,
            "note": note,
            "date": date or fields.Datetime.now(),
            "res_model": document._name if document else False,
            "res_id": document.id if document else False,
        }
        return self.sudo().create([dict(base, order_id=order.id) for order in orders])
