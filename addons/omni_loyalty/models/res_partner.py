from markupsafe import Markup, escape

from odoo import _, api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    omni_scorecard_count = fields.Integer(compute="_compute_omni_scorecard_count")
    omni_bonus_status = fields.Html(
        "Bonus Tiers", compute="_compute_omni_bonus_status", sanitize=False
    )

    # === COMPUTE METHODS === #

    def _compute_omni_scorecard_count(self):
        groups = self.env["omni.loyalty.scorecard"]._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.omni_scorecard_count = counts.get(partner.commercial_partner_id.id, 0)

    def _compute_omni_bonus_status(self):
        today = fields.Date.context_today(self)
        rules = (
            self.env["omni.loyalty.bonus.rule"]
            .sudo()
            .search([("company_id", "=", self.env.company.id)])
        )
        for partner in self:
            partner.omni_bonus_status = partner._omni_bonus_status_html(rules, today)

    def _omni_bonus_status_html(self, rules, day, extra_volume=0.0):
        self.ensure_one()
        if not self.id:
            return False
        items = [
            Markup("<li>%s</li>")
            % escape(rule._describe_status(rule._tier_status(self, day, extra_volume)))
            for rule in rules
            if rule._applies_to(self)
        ]
        return Markup("<ul>%s</ul>") % Markup("").join(items) if items else False

    # === BUSINESS === #

    @api.model
    def _omni_latest_grades(self, partners, companies):
        """{(partner_id, company_id): grade_id} of the latest supplier snapshot, one query."""
        if not partners or not companies:
            return {}
        cards = (
            self.env["omni.loyalty.scorecard"]
            .sudo()
            .search_read(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "in", companies.ids),
                    ("kind", "=", "supplier"),
                ],
                ["partner_id", "company_id", "grade_id"],
                order="period_date desc",
            )
        )
        result = {}
        for card in cards:
            key = (card["partner_id"][0], card["company_id"][0])
            if key not in result:
                result[key] = card["grade_id"] and card["grade_id"][0]
        return result

    # === ACTIONS === #

    def action_omni_view_scorecards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omni_loyalty.omni_loyalty_scorecard_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def action_omni_send_scorecard(self):
        """Mail composer with the scorecard PDF attached."""
        self.ensure_one()
        template = self.env.ref("omni_loyalty.mail_template_scorecard")
        return {
            "type": "ir.actions.act_window",
            "name": _("Send Scorecard"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": "res.partner",
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
            },
        }

    def _omni_report_scorecards(self):
        """Last 12 supplier snapshots for the PDF report (oldest first)."""
        self.ensure_one()
        cards = self.env["omni.loyalty.scorecard"].search(
            [("partner_id", "=", self.commercial_partner_id.id), ("kind", "=", "supplier")],
            order="period_date desc",
            limit=12,
        )
        return cards.sorted("period_date")
