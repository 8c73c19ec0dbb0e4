from odoo import api, fields, models

from ..sourcing import SourcingEngine


class OmniSourcingShadow(models.Model):
    """Shadow mode: replay a draft rule set against the last N real orders, next to the
    active rules, without changing anything on the orders or in stock."""

    _name = "omni.sourcing.shadow"
    _description = "Omni Sourcing Shadow Run"
    _order = "id desc"
    _check_company_auto = True

    ruleset_id = fields.Many2one(
        "omni.sourcing.ruleset", string="Draft Rule Set", required=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    order_count = fields.Integer(string="Last N Orders", default=50)
    line_ids = fields.One2many("omni.sourcing.shadow.line", "shadow_id", readonly=True)
    shipments_active = fields.Integer(compute="_compute_totals")
    shipments_draft = fields.Integer(compute="_compute_totals")
    distance_active = fields.Float(compute="_compute_totals")
    distance_draft = fields.Float(compute="_compute_totals")
    cost_active = fields.Float(compute="_compute_totals")
    cost_draft = fields.Float(compute="_compute_totals")
    changed_count = fields.Integer(string="Orders Changed", compute="_compute_totals")

    @api.depends("line_ids")
    def _compute_totals(self):
        for shadow in self:
            lines = shadow.line_ids
            shadow.shipments_active = sum(lines.mapped("shipments_active"))
            shadow.shipments_draft = sum(lines.mapped("shipments_draft"))
            shadow.distance_active = sum(lines.mapped("distance_active"))
            shadow.distance_draft = sum(lines.mapped("distance_draft"))
            shadow.cost_active = sum(lines.mapped("cost_active"))
            shadow.cost_draft = sum(lines.mapped("cost_draft"))
            shadow.changed_count = len(lines.filtered("changed"))

    def action_run(self):
        for shadow in self:
            shadow.line_ids.unlink()
            orders = self.env["sale.order"].search(
                [
                    ("company_id", "=", shadow.company_id.id),
                    ("state", "=", "sale"),
                    ("omni_sourcing_state", "!=", "none"),
                ],
                order="date_order desc, id desc",
                limit=shadow.order_count,
            )
            active = self.env["omni.sourcing.ruleset"]._omni_active(shadow.company_id)
            nodes = self.env["omni.fulfilment.node"].search(
                [("company_id", "=", shadow.company_id.id)]
            )
            engine_nodes = nodes._omni_engine_nodes()
            services = set().union(*(n.services for n in engine_nodes)) if engine_nodes else set()
            snapshot = nodes._omni_stock_snapshot(orders.order_line.product_id)
            engine = SourcingEngine(
                engine_nodes, {key: v["available"] for key, v in snapshot.items()}
            )
            vals_list = []
            for order in orders:
                request = order._omni_request(None, services)
                request = request.__class__(**{**request.__dict__, "excluded": frozenset()})
                result = {}
                for label, ruleset in (("active", active), ("draft", shadow.ruleset_id)):
                    rule = ruleset._omni_match(order, order.omni_mode) if ruleset else ruleset
                    decision = engine.source(request, rule._omni_engine_rule()) if rule else None
                    result[label] = (rule, decision)
                vals_list.append(shadow._omni_line_vals(order, result))
            self.env["omni.sourcing.shadow.line"].create(vals_list)
        return True

    def _omni_line_vals(self, order, result):
        vals = {"shadow_id": self.id, "order_id": order.id}
        nodes = {}
        for label, (rule, decision) in result.items():
            served = decision is not None and decision.status != "held"
            vals.update(
                {
                    f"rule_{label}_id": rule.id if rule else False,
                    f"status_{label}": decision.status if decision else "held",
                    f"shipments_{label}": decision.shipment_count if served else 0,
                    f"distance_{label}": decision.distance if served else 0.0,
                    f"cost_{label}": decision.cost if served else 0.0,
                }
            )
            names = self.env["omni.fulfilment.node"].browse(
                sorted({s.node_id for s in decision.shipments}) if served else []
            )
            vals[f"nodes_{label}"] = ", ".join(names.mapped("name"))
            nodes[label] = vals[f"nodes_{label}"]
        vals["changed"] = nodes["active"] != nodes["draft"] or (
            vals["status_active"] != vals["status_draft"]
        )
        return vals
