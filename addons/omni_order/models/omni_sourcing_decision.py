from odoo import api, fields, models

DECISION_STATUS = [
    ("sourced", "Sourced"),
    ("held", "Held for review"),
    ("backorder", "Backorder at the DC"),
    ("dropship", "Drop-ship"),
]


class OmniSourcingDecision(models.Model):
    """One run of the sourcing engine for an order, with its readable log (append-only)."""

    _name = "omni.sourcing.decision"
    _description = "Omni Sourcing Decision"
    _order = "id desc"
    _check_company_auto = True

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    kind = fields.Selection(
        [("initial", "Initial"), ("reroute", "Re-route"), ("manual", "Re-source")],
        required=True,
        default="initial",
    )
    rule_id = fields.Many2one("omni.sourcing.rule", ondelete="set null")
    status = fields.Selection(DECISION_STATUS, required=True)
    shipment_count = fields.Integer(string="Shipments")
    distance = fields.Float(string="Distance (km)")
    cost = fields.Float()
    log = fields.Text(readonly=True)
    assignment_ids = fields.One2many("omni.sourcing.assignment", "decision_id")

    # === BUSINESS METHODS === #

    def _omni_templates(self):
        _ = self.env._
        return {
            "rule": _("Rule applied: %(rule)s"),
            "no_rule": _(
                "No rule of the active rule set matches this order (mode, channel, country, "
                "postal code, product categories, order value)."
            ),
            "no_ruleset": _("Company %(company)s has no active sourcing rule set."),
            "empty": _("Nothing to source: the order has no stocked products."),
            "excluded": _("Excluded nodes (rejected or late): %(nodes)s"),
            "rejected": _("%(node)s gave back %(products)s (%(reason)s): sourced again."),
            "no_pickup_store": _("The order has no valid pickup store."),
            "no_reservation": _("Store %(node)s does not take reservations."),
            "store_has_all": _("Store %(node)s has everything in stock."),
            "reserve_unavailable": _(
                "Store %(node)s lacks %(products)s: nothing can be reserved."
            ),
            "transfer_needed": _(
                "Store %(node)s lacks %(products)s: transfers into the store are sourced."
            ),
            "zip_fallback": _(
                "The customer has no coordinates: the centre of postal zone %(zone)s is used "
                "for distances."
            ),
            "no_coordinates": _(
                "The customer has neither coordinates nor a usable postal code: distance is "
                "ignored."
            ),
            "no_stock": _("No stock anywhere in the network for: %(products)s"),
            "candidates": _("%(count)s of %(total)s nodes can serve part of the order."),
            "candidate": _(
                "Candidate %(node)s (%(kind)s): covers %(coverage)s%%, %(distance)s km, cost "
                "%(cost)s, capacity left %(capacity)s%%, stock depth %(depth)s"
            ),
            "search_limited": _(
                "Many candidates: the search for %(k)s shipments is limited to the best "
                "%(m)s of %(n)s."
            ),
            "chosen": _(
                "Chosen: %(nodes)s (%(k)s shipment(s), %(distance)s km, cost %(cost)s), the "
                "best of %(plans)s possible plans by %(criteria)s."
            ),
            "no_plan": _("No plan with at most %(max)s shipments covers the order."),
            "fallback_hold": _("Nothing can serve the order: it is held for review."),
            "fallback_backorder": _("Nothing can serve the order now: backorder at %(node)s."),
            "fallback_dropship": _(
                "Nothing in the network can serve the order: drop-ship suppliers are tried."
            ),
        }

    @api.model
    def _omni_render_log(self, entries):
        templates = self._omni_templates()
        lines = []
        for entry in entries:
            template = templates.get(entry.code)
            try:
                lines.append(template % entry.params if template else entry.code)
            except (KeyError, TypeError, ValueError):
                lines.append(f"{entry.code}: {entry.params}")
        return "\n".join(lines)

    @api.model
    def _omni_held_message(self, entries):
        """The one-line reason shown on a held order: the most specific log entry."""
        for code in (
            "no_ruleset",
            "no_rule",
            "empty",
            "no_pickup_store",
            "no_reservation",
            "reserve_unavailable",
            "no_stock",
            "no_plan",
        ):
            entry = next((e for e in entries if e.code == code), None)
            if entry:
                return self._omni_render_log([entry])
        return self.env._("Nothing can serve the order: it is held for review.")
