from odoo import fields, models


class OmniSourcingShadowLine(models.Model):
    _name = "omni.sourcing.shadow.line"
    _description = "Omni Sourcing Shadow Result"
    _order = "id"

    shadow_id = fields.Many2one("omni.sourcing.shadow", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="shadow_id.company_id", store=True)
    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    rule_active_id = fields.Many2one("omni.sourcing.rule", string="Active Rule")
    rule_draft_id = fields.Many2one("omni.sourcing.rule", string="Draft Rule")
    status_active = fields.Char()
    status_draft = fields.Char()
    nodes_active = fields.Char(string="Nodes (active)")
    nodes_draft = fields.Char(string="Nodes (draft)")
    shipments_active = fields.Integer()
    shipments_draft = fields.Integer()
    distance_active = fields.Float()
    distance_draft = fields.Float()
    cost_active = fields.Float()
    cost_draft = fields.Float()
    changed = fields.Boolean()
