from odoo import api, fields, models


class OmniSourcingRuleset(models.Model):
    """An ordered set of sourcing rules. One set per company is active; drafts can be replayed
    in shadow mode against real orders before they are activated."""

    _name = "omni.sourcing.ruleset"
    _description = "Omni Sourcing Rule Set"
    _order = "state, id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active")], default="draft", required=True, readonly=True
    )
    rule_ids = fields.One2many("omni.sourcing.rule", "ruleset_id", string="Rules", copy=True)

    def action_activate(self):
        for ruleset in self:
            self.search(
                [("company_id", "=", ruleset.company_id.id), ("state", "=", "active")]
            ).write({"state": "draft"})
            ruleset.state = "active"
        return True

    def action_shadow(self):
        self.ensure_one()
        shadow = self.env["omni.sourcing.shadow"].create({"ruleset_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.sourcing.shadow",
            "res_id": shadow.id,
            "view_mode": "form",
        }

    @api.model
    def _omni_active(self, company):
        return self.search([("company_id", "=", company.id), ("state", "=", "active")], limit=1)

    def _omni_match(self, order, mode):
        """The first rule of this set that applies to ``order`` (in sequence), or nothing."""
        for rule in self.rule_ids.filtered("active").sorted(lambda r: (r.sequence, r.id)):
            if rule._omni_applies(order, mode):
                return rule
        return self.env["omni.sourcing.rule"]
