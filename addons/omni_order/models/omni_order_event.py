from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

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
# How far an order has come in its fulfilment: a step "reaches" every step of lower or equal
# rank (delivered reaches shipped). Invoiced and paid are not fulfilment steps (a web order is
# often paid before it ships); returned and cancelled end the fulfilment.
FULFILMENT_RANK = {
    "received": 0,
    "validated": 1,
    "confirmed": 2,
    "sourced": 3,
    "released": 4,
    "picked": 5,
    "packed": 6,
    "shipped": 7,
    "in_transit": 8,
    "ready_for_pickup": 9,
    "delivered": 10,
    "picked_up": 10,
    "returned": 99,
    "cancelled": 99,
}
# Steps after which an order is closed for the "orders per step now" figures.
CLOSING_STEPS = ("delivered", "picked_up", "returned", "cancelled")
# Events that record something done to the order without moving it to another step (a
# customer-service change): shown in the timeline, but never the current step, and the time
# in a step runs on across them.
NOTE_STEPS = ("changed",)


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
    left_at = fields.Datetime(
        compute="_compute_duration",
        help="When the order entered its next step (empty for the current step).",
    )
    duration = fields.Float(
        string="Time in Step (h)",
        compute="_compute_duration",
        digits=(16, 2),
        help="Hours from this event to the next one of the order; up to now for the current "
        "step. Derived from the events, never stored.",
    )
    is_current = fields.Boolean(string="Current Step", compute="_compute_duration")

    # === COMPUTE METHODS === #

    def _compute_duration(self):
        """One query for the whole recordset: the next event of the same order (LEAD)."""
        rows = {}
        ids = [eid for eid in self.ids if eid]
        if ids:
            self.flush_model(["order_id", "date"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id, left_at
                      FROM (SELECT id,
                                   LEAD(date) OVER (PARTITION BY order_id ORDER BY date, id)
                                       AS left_at
                              FROM omni_order_event
                             WHERE order_id IN (SELECT order_id FROM omni_order_event
                                                 WHERE id = ANY(%s))
                               AND step NOT IN %s) AS timeline
                     WHERE id = ANY(%s)
                    """,
                    ids,
                    NOTE_STEPS,
                    ids,
                )
            )
            rows = dict(self.env.cr.fetchall())
        now = fields.Datetime.now()
        for event in self:
            left_at = rows.get(event.id)
            event.left_at = left_at or False
            if event.step in NOTE_STEPS:
                event.left_at, event.is_current, event.duration = False, False, 0.0
                continue
            event.is_current = bool(event.id) and not left_at
            end = left_at or now
            event.duration = (end - event.date).total_seconds() / 3600.0 if event.date else 0.0

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

        Idempotent per document: an order that already has a ``step`` event for the same
        ``document`` gets no second one, so a retried job, a second validation call or two
        modules reporting the same fact (the stock hook and the POS) write the step once.

        :param orders: sale.order recordset
        :param step: a code of ``TIMELINE_STEPS``
        :param note: short human-readable detail (translated by the caller)
        :param document: the record that made the step happen (picking, invoice, ...)
        :param date: when it happened (default: the context's ``omni_timeline_date``, else
            now)
        :return: the created events
        """
        if step not in dict(TIMELINE_STEPS):
            raise ValueError(f"unknown timeline step {step!r}")
        if document and orders:
            self.flush_model(["order_id", "step", "res_model", "res_id"])
            self.env.cr.execute(
                SQL(
                    "SELECT order_id FROM omni_order_event WHERE order_id = ANY(%s) "
                    "AND step = %s AND res_model = %s AND res_id = %s",
                    list(orders.ids),
                    step,
                    document._name,
                    document.id,
                )
            )
            done = {row[0] for row in self.env.cr.fetchall()}
            if done:
                orders = orders.filtered(lambda o: o.id not in done)
        base = {
            "step": step,
            "note": note,
            # ``omni_timeline_date`` in the context: history loaded after the fact (an
            # import of past orders, the demo) keeps the dates it really happened at
            "date": date or self.env.context.get("omni_timeline_date") or fields.Datetime.now(),
            "res_model": document._name if document else False,
            "res_id": document.id if document else False,
        }
        return self.sudo().create([dict(base, order_id=order.id) for order in orders])
