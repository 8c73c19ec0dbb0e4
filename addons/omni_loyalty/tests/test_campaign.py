from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common import MARCH, OmniLoyaltyCommon


@tagged("post_install", "-at_install")
class TestCampaign(OmniLoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.omni_loyalty_max_alerts = 2
        cls.card = cls.Scorecard.create(
            {
                "partner_id": cls.vendor.id,
                "kind": "supplier",
                "period_date": MARCH,
                "otif_rate": 40.0,
                "score": 45.0,
                "grade_id": cls.grades[3].id,
                "previous_grade_id": cls.grades[1].id,
            }
        )
        cls.tag = cls.env["res.partner.category"].create({"name": "Watch"})
        cls.campaign = cls.env["omni.loyalty.campaign"].create(
            {
                "name": "OTIF dropped",
                "partner_kind": "supplier",
                "trigger": "kpi",
                "kpi": "otif_rate",
                "operator": "<",
                "threshold": 60.0,
                "step_ids": [
                    Command.create({"sequence": 1, "action": "activity", "summary": "Call"}),
                    Command.create({"sequence": 2, "action": "tag", "tag_id": cls.tag.id}),
                    Command.create({"sequence": 3, "action": "activity", "summary": "Visit"}),
                    Command.create({"sequence": 4, "action": "activity", "summary": "Audit"}),
                    Command.create(
                        {"sequence": 5, "action": "activity", "summary": "Review", "delay_days": 7}
                    ),
                ],
            }
        )

    def _activities(self):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.vendor.id)]
        )

    def test_throttle_and_digest(self):
        today = date(2024, 4, 2)
        events = self.campaign._schedule(MARCH, today)
        self.assertEqual(len(events), 5)
        self.env["omni.loyalty.campaign.event"]._process_due(today)
        self.assertEqual(events.mapped("state"), ["done", "done", "digest", "digest", "pending"])
        self.assertIn(self.tag, self.vendor.category_id)
        activities = self._activities()
        # one activity for step 1, and one digest grouping steps 3 and 4
        self.assertEqual(len(activities), 2)
        digest = activities.filtered(lambda a: "digest" in a.summary)
        self.assertIn("OTIF", str(digest.note))
        # running again changes nothing
        self.assertFalse(self.campaign._schedule(MARCH, today))
        self.env["omni.loyalty.campaign.event"]._process_due(today)
        self.assertEqual(len(self._activities()), 2)
        # the delayed step is due a week later; the limit is used up, so it goes to a digest
        self.env["omni.loyalty.campaign.event"]._process_due(date(2024, 4, 9))
        self.assertEqual(events[4].state, "digest")

    def test_kpi_edge_not_level(self):
        self.Scorecard.create(
            {
                "partner_id": self.vendor.id,
                "kind": "supplier",
                "period_date": date(2024, 2, 1),
                "otif_rate": 50.0,
            }
        )
        self.assertFalse(self.campaign._matching_partners(MARCH))

    def test_grade_change_trigger(self):
        self.campaign.write({"trigger": "grade", "grade_id": self.grades[3].id})
        self.assertIn(self.vendor.id, self.campaign._matching_partners(MARCH))
        self.campaign.grade_id = self.grades[0]
        self.assertFalse(self.campaign._matching_partners(MARCH))

    def test_tier_almost_reached_trigger(self):
        rule = self.env["omni.loyalty.bonus.rule"].create(
            {
                "name": "Yearly",
                "tier_ids": [Command.create({"min_amount": 10000, "percent": 2.0})],
            }
        )
        self._invoice(self.customer, [(self.item, 95, 100.0)], "2024-03-10")
        self.campaign.write(
            {"partner_kind": "customer", "trigger": "tier", "bonus_rule_id": rule.id}
        )
        self.assertIn(self.customer.id, self.campaign._matching_partners(date(2024, 1, 1)))
        self.campaign.near_percent = 1.0
        self.assertFalse(self.campaign._matching_partners(date(2024, 1, 1)))

    def test_email_and_points_actions(self):
        program = self.env["loyalty.program"].create(
            {"name": "Supplier points", "program_type": "loyalty", "trigger": "auto"}
        )
        template = self.env["mail.template"].create(
            {
                "name": "Heads-up",
                "model_id": self.env.ref("base.model_res_partner").id,
                "subject": "Your OTIF",
                "email_to": "{{ object.email }}",
                "body_html": "<p>OTIF needs attention</p>",
            }
        )
        self.vendor.email = "v@example.com"
        self.campaign.step_ids = [
            Command.clear(),
            Command.create({"action": "email", "template_id": template.id}),
            Command.create({"action": "points", "loyalty_program_id": program.id, "points": 50}),
        ]
        self.campaign._schedule(MARCH, date(2024, 4, 2))
        self.env["omni.loyalty.campaign.event"]._process_due(date(2024, 4, 2))
        mail = self.env["mail.mail"].search([("subject", "=", "Your OTIF")])
        self.assertEqual(mail.email_to, "v@example.com")
        card = self.env["loyalty.card"].search(
            [("program_id", "=", program.id), ("partner_id", "=", self.vendor.id)]
        )
        self.assertEqual(card.points, 50.0)
