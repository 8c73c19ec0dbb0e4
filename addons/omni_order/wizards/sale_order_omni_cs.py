from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from .. import cs

CS_ACTIONS = [
    ("cancel", "Cancel lines or quantities"),
    ("address", "Change delivery address"),
    ("mode", "Switch fulfilment mode"),
    ("resend", "Resend last notification"),
]


class SaleOrderOmniCs(models.TransientModel):
    """A customer-service change of one order: first a preview of every downstream effect
    (the plan), then ``action_apply`` executes that same plan in one transaction."""

    _name = "sale.order.omni.cs"
    _description = "Customer-Service Change of an Order"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="order_id.company_id")
    action = fields.Selection(CS_ACTIONS, required=True, default="cancel")
    line_ids = fields.One2many("sale.order.omni.cs.line", "wizard_id", string="Lines")
    partner_shipping_id = fields.Many2one("res.partner", string="New Delivery Address")
    omni_mode = fields.Selection(
        [("home", "Home delivery"), ("collect", "Click & collect")], string="New Mode"
    )
    omni_pickup_node_id = fields.Many2one(
        "omni.fulfilment.node",
        string="Pickup Store",
        domain="[('kind', '=', 'store'), ('pickup_point', '=', True)]",
    )
    note = fields.Char(string="Reason", help="Why the customer asked; goes into the chatter.")
    state = fields.Selection([("edit", "Edit"), ("preview", "Preview")], default="edit")
    plan = fields.Json(readonly=True)
    preview_html = fields.Html(compute="_compute_preview", sanitize=False)
    refusal = fields.Text(compute="_compute_preview")
    can_apply = fields.Boolean(compute="_compute_preview")

    # === COMPUTE METHODS === #

    @api.depends("plan")
    def _compute_preview(self):
        for wizard in self:
            plan = wizard.plan or {}
            refusals = [wizard._omni_refusal_text(c, p) for c, p in plan.get("refusals", [])]
            wizard.refusal = "\n".join(refusals) or False
            wizard.can_apply = bool(plan.get("effects")) and not refusals
            wizard.preview_html = wizard._omni_preview_html(plan) if plan else False

    # === CRUD METHODS === #

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        order = self.env["sale.order"].browse(res.get("order_id"))
        if order and res.get("action", "cancel") == "cancel" and "line_ids" in fields_list:
            res["line_ids"] = [
                Command.create({"sale_line_id": line.id})
                for line in order.order_line.filtered(
                    lambda ln: not ln.display_type and ln.product_uom_qty
                )
            ]
        if order and "omni_mode" in fields_list:
            res.setdefault("omni_mode", "collect" if order.omni_mode == "home" else "home")
        return res

    # === ACTIONS === #

    def action_preview(self):
        self.ensure_one()
        self.write({"plan": self._omni_plan().to_dict(), "state": "preview"})
        return self._omni_reopen()

    def action_back(self):
        self.ensure_one()
        self.write({"plan": False, "state": "edit"})
        return self._omni_reopen()

    def action_apply(self):
        """Execute the previewed plan. Checked again first: the action must still be
        possible and the documents unchanged since the preview (else: preview again)."""
        self.ensure_one()
        if not self.plan:
            raise UserError(self.env._("Preview the change first."))
        fresh = self._omni_plan().to_dict()
        if fresh["refusals"]:
            raise UserError("\n".join(self._omni_refusal_text(c, p) for c, p in fresh["refusals"]))
        if fresh["effects"] != self.plan["effects"]:
            raise UserError(
                self.env._(
                    "%(order)s changed since the preview. Preview the change again.",
                    order=self.order_id.name,
                )
            )
        order = self.order_id
        order._omni_cs_execute(self.plan)
        summary = self._omni_preview_html(self.plan)
        title = dict(self._fields["action"]._description_selection(self.env))[self.action]
        body = Markup("<p><b>%s</b>%s</p>%s") % (
            title,
            Markup(": %s") % self.note if self.note else "",
            summary,
        )
        order.message_post(body=body, subtype_xmlid="mail.mt_note")
        if self.action != "cancel" or order.state != "cancel":
            order._omni_timeline(
                "changed", note=title if not self.note else f"{title}: {self.note}"
            )
        return {"type": "ir.actions.act_window_close"}

    # === BUSINESS METHODS === #

    def _omni_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Customer Service: %(order)s", order=self.order_id.name),
        }

    def _omni_plan(self):
        self.ensure_one()
        order = self.order_id
        info = order._omni_cs_info()
        if self.action == "cancel":
            quantities = {
                line.sale_line_id.id: line.cancel_qty for line in self.line_ids if line.cancel_qty
            }
            return cs.plan_cancel(info, quantities)
        uses_network = order.omni_sourcing_state != "none"
        if self.action == "address":
            partner = self.partner_shipping_id
            if not partner:
                raise UserError(self.env._("Choose the new delivery address."))
            routing = order._omni_cs_routing(partner=partner) if uses_network else None
            return cs.plan_address(info, partner.id, partner.display_name, routing)
        if self.action == "mode":
            pickup = self.omni_pickup_node_id if self.omni_mode == "collect" else None
            if self.omni_mode == "collect" and not pickup:
                raise UserError(self.env._("Choose the store where the customer collects."))
            pickup = pickup or self.env["omni.fulfilment.node"]
            routing = (
                order._omni_cs_routing(mode=self.omni_mode, pickup=pickup)
                if uses_network
                else None
            )
            mode_name = dict(self._fields["omni_mode"]._description_selection(self.env))[
                self.omni_mode
            ]
            return cs.plan_mode(
                info, self.omni_mode, mode_name, pickup.id, pickup.name or "", routing
            )
        return cs.plan_resend(info, order._omni_cs_last_notification())

    def _omni_refusal_text(self, code, params):
        _ = self.env._
        p = dict(params)
        if code == "order_cancelled":
            return _("%(order)s is cancelled: nothing can be changed any more.", **p)
        if code == "order_not_confirmed":
            return _("%(order)s is not confirmed: change the quotation itself.", **p)
        if code == "qty_too_high":
            return _("%(line)s: %(qty)s is more than the %(ordered)s ordered.", **p)
        if code == "qty_not_free":
            return _(
                "%(line)s: only %(free)s can still be cancelled, not %(qty)s "
                "(%(delivered)s already delivered; being picked or shipped: %(pickings)s).",
                **p,
            )
        if code == "nothing_to_cancel":
            return _("Enter the quantities to cancel.")
        if code == "needs_invoicing_rights":
            return _(
                "%(order)s is already invoiced: crediting %(amount)s needs invoicing rights.",
                **p,
            )
        if code == "shipped":
            return _("%(order)s has already shipped (%(pickings)s).", **p)
        if code == "started":
            return _("%(order)s is already being picked or packed (%(pickings)s).", **p)
        if code == "same_address":
            return _("%(order)s already goes to this address.", **p)
        if code == "same_mode":
            return _("%(order)s already has this fulfilment mode.", **p)
        if code == "no_route":
            return _("No store or warehouse can serve %(order)s this way.", **p)
        if code == "no_network":
            return _("%(order)s is not sourced through the fulfilment network.", **p)
        if code == "no_notification":
            return _("%(order)s has no customer notification to resend.", **p)
        return code

    def _omni_effect_text(self, effect):
        _ = self.env._
        kind, data = effect["kind"], effect.get("data") or {}
        values = dict(before=effect["before"], after=effect["after"], **data)
        texts = {
            cs.planner.MOVE_REDUCE: lambda: _("quantity %(before)s → %(after)s", **values),
            cs.planner.MOVE_CANCEL: lambda: _("move cancelled (%(before)s)", **values),
            cs.planner.LABEL_VOID: lambda: _("label %(labels)s voided", **values),
            cs.planner.LABEL_RENEW: lambda: _(
                "label %(labels)s voided and bought again", **values
            ),
            cs.planner.PO_LINE_REDUCE: lambda: _(
                "drop-ship quantity %(before)s → %(after)s", **values
            ),
            cs.planner.PO_CANCEL: lambda: _("drop-ship purchase order cancelled"),
            cs.planner.PO_NOTIFY: lambda: _(
                "already confirmed: the vendor must be told (%(before)s → %(after)s)", **values
            ),
            cs.planner.LINE_REDUCE: lambda: _("ordered %(before)s → %(after)s", **values),
            cs.planner.ORDER_CANCEL: lambda: _("order cancelled"),
            cs.planner.CREDIT_NOTE: lambda: _("credit note for %(before)s", **values),
            cs.planner.REFUND: lambda: _("refund paid back to the customer"),
            cs.planner.SHIP_TO: lambda: _("deliver to %(partner)s", **values),
            cs.planner.RESOURCE: lambda: _(
                "sourced again: %(nodes_from)s → %(nodes_to)s", **values
            ),
            cs.planner.MODE: lambda: _("fulfilment mode: %(mode_name)s %(pickup)s", **values),
            cs.planner.RESEND: lambda: _("sent to the customer again"),
        }
        return texts[kind]() if kind in texts else kind

    def _omni_preview_html(self, plan):
        currency = self.order_id.currency_id
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>")
            % (
                effect["name"],
                self._omni_effect_text(effect),
                currency.format(effect["amount"]) if effect["amount"] else "",
            )
            for effect in plan.get("effects", [])
        )
        money = [
            (self.env._("Order total before"), plan.get("total_before", 0.0)),
            (self.env._("Order total after"), plan.get("total_after", 0.0)),
        ]
        if plan.get("credit"):
            money.append((self.env._("Credit note"), plan["credit"]))
        if plan.get("refund"):
            money.append((self.env._("Refund to the customer"), plan["refund"]))
        money_rows = Markup("").join(
            Markup("<tr><th colspan='2'>%s</th><th class='text-end'>%s</th></tr>")
            % (label, currency.format(amount))
            for label, amount in money
        )
        return Markup(
            "<table class='table table-sm o_omni_cs_preview'><thead><tr><th>%s</th>"
            "<th>%s</th><th class='text-end'>%s</th></tr></thead><tbody>%s</tbody>"
            "<tfoot>%s</tfoot></table>"
        ) % (
            escape(self.env._("Document")),
            escape(self.env._("Change")),
            escape(self.env._("Amount")),
            rows,
            money_rows,
        )


class SaleOrderOmniCsLine(models.TransientModel):
    _name = "sale.order.omni.cs.line"
    _description = "Customer-Service Change: Line"

    wizard_id = fields.Many2one("sale.order.omni.cs", required=True, ondelete="cascade")
    sale_line_id = fields.Many2one("sale.order.line", string="Order Line", required=True)
    product_id = fields.Many2one(related="sale_line_id.product_id")
    ordered_qty = fields.Float(related="sale_line_id.product_uom_qty", string="Ordered")
    delivered_qty = fields.Float(related="sale_line_id.qty_delivered", string="Delivered")
    cancel_qty = fields.Float(string="Cancel", digits="Product Unit of Measure")
