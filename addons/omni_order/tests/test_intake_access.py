from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import OmniIntakeCommon


@tagged("post_install", "-at_install")
class TestIntakeAccess(OmniIntakeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.payload = cls.env["omni.intake.payload"]._omni_receive(
            cls.channel, cls._intake_body(cls._intake_order("ACC-1")), "rest", fmt="json"
        )

    def test_salesman_cannot_read_api_key(self):
        salesman = new_test_user(
            self.env, "intake_sales", groups="sales_team.group_sale_salesman_all_leads"
        )
        with self.assertRaises(AccessError):
            self.channel.with_user(salesman).read(["omni_api_key"])

    def test_portal_and_public_cannot_read_payloads(self):
        portal = new_test_user(self.env, "intake_portal", groups="base.group_portal")
        public = self.env.ref("base.public_user")
        for user in (portal, public):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.payload.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.payload.intake_ids.with_user(user).read(["draft"])
                with self.assertRaises(AccessError):
                    self.payload.attachment_id.with_user(user).read(["raw"])

    def test_omni_user_reads_corrects_and_retries(self):
        user = new_test_user(self.env, "intake_user", groups="omni_order.group_omni_user")
        self.assertEqual(self.payload.intake_ids.with_user(user).state, "done")
        self.assertTrue(self.payload.with_user(user).attachment_id.raw)
        broken = self.env["omni.intake.payload"]._omni_receive(
            self.channel,
            self._intake_body(self._intake_order("ACC-2", lines=[{"sku": "NOPE", "quantity": 1}])),
            "rest",
            fmt="json",
        )
        intake = broken.intake_ids.with_user(user)
        self.assertEqual(intake.state, "error")
        broken.with_user(user).action_replay()
        self.assertEqual(intake.state, "error")
        intake.draft = intake.draft.replace("NOPE", "OMNI-A")
        intake.action_retry()
        self.assertEqual(intake.state, "done")
        self.assertEqual(intake.attempt_ids.sorted("id")[-1].user_id, user)
        self.assertEqual(intake.sale_order_id.create_uid, user)

    def test_multi_company_rule(self):
        other = self.env["res.company"].create({"name": "Intake Other Co"})
        channel = self.env["crm.team"].create({"name": "Other Shop", "company_id": other.id})
        foreign = self.env["omni.intake.payload"]._omni_receive(
            channel, b"not json", "rest", fmt="json"
        )
        self.assertEqual(foreign.company_id, other)
        user = new_test_user(self.env, "intake_mc", groups="omni_order.group_omni_user")
        Payload = self.env["omni.intake.payload"].with_user(user)
        self.assertIn(self.payload, Payload.search([]))
        self.assertNotIn(foreign, Payload.search([]))
        with self.assertRaises(AccessError):
            foreign.with_user(user).read(["name"])
