from datetime import datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import OmniOrderCommon

NOW = datetime(2030, 3, 4, 12, 0)


@tagged("post_install", "-at_install")
class TestSla(OmniOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["omni.sla.policy"]
        # the shipped default policies would compete with the test ones
        Policy.search([]).action_archive()
        cls.web = cls.env["crm.team"].create({"name": "Web Shop", "sequence": 99})
        cls.shop = cls.env["crm.team"].create({"name": "Shop", "sequence": 98})
        cls.responsible = new_test_user(
            cls.env, "omni_sla_lead", groups="sales_team.group_sale_salesman"
        )
        cls.policy_company = Policy.create(
            {"name": "Any order: shipped in 48 h", "target_hours": 48, "sequence": 1}
        )
        cls.policy_home = Policy.create(
            {
                "name": "Home: shipped in 24 h",
                "mode": "home",
                "target_hours": 24,
                "sequence": 50,
                "user_id": cls.responsible.id,
            }
        )
        cls.policy_web_home = Policy.create(
            {
                "name": "Web home: shipped in 12 h",
                "mode": "home",
                "team_id": cls.web.id,
                "target_hours": 12,
                "sequence": 90,
                "user_id": cls.responsible.id,
            }
        )
        cls.policy_collect = Policy.create(
            {
                "name": "Collect: ready in 4 h",
                "mode": "collect",
                "to_step": "ready_for_pickup",
                "target_hours": 4,
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product_a, cls.warehouse.lot_stock_id, 50
        )

    def _confirmed_order(self, hours_ago, **vals):
        """An order confirmed ``hours_ago`` before NOW (its confirmed event backdated)."""
        with freeze_time(NOW - timedelta(hours=hours_ago)):
            vals.setdefault("team_id", self.shop.id)
            order = self._omni_create_order([(self.product_a, 1)], **vals)
            order.action_confirm()
        return order

    def _run_cron(self):
        with freeze_time(NOW):
            return self.env["omni.sla.policy"]._cron_omni_sla()

    def test_most_specific_policy_wins(self):
        web_home = self._confirmed_order(1, team_id=self.web.id)
        home = self._confirmed_order(1)
        collect = self._confirmed_order(1, omni_mode="collect")
        dropship = self._confirmed_order(1, omni_mode="dropship")
        self._run_cron()
        self.assertEqual(web_home.omni_sla_policy_id, self.policy_web_home)
        self.assertEqual(home.omni_sla_policy_id, self.policy_home)
        self.assertEqual(collect.omni_sla_policy_id, self.policy_collect)
        # no mode, no channel: the company-wide policy
        self.assertEqual(dropship.omni_sla_policy_id, self.policy_company)
        confirmed = web_home.omni_event_ids.filtered(lambda e: e.step == "confirmed").date
        self.assertEqual(web_home.omni_sla_deadline, confirmed + timedelta(hours=12))
        self.assertEqual(home.omni_sla_state, "ok")

    def test_warning_raises_picking_priority(self):
        order = self._confirmed_order(20)  # 20 of 24 h: past the 80 % warning share
        calm = self._confirmed_order(2)
        self.assertEqual(order.picking_ids.priority, "0")
        self._run_cron()
        self.assertEqual(order.omni_sla_state, "warning")
        self.assertEqual(order.picking_ids.priority, "1")
        self.assertEqual(calm.omni_sla_state, "ok")
        self.assertEqual(calm.picking_ids.priority, "0")
        self.assertFalse(order.activity_ids)

    def test_breach_flags_once_with_one_activity(self):
        order = self._confirmed_order(30)
        rows = self._run_cron()
        self.assertIn(order.id, [row[0] for row in rows])
        self.assertEqual(order.omni_sla_state, "breached")
        self.assertEqual(order.picking_ids.priority, "1")
        activity_type = self.env.ref("omni_order.mail_activity_type_sla_breach")
        activities = order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.responsible)
        # second run: nothing changes, no second activity
        rows = self._run_cron()
        self.assertNotIn(order.id, [row[0] for row in rows])
        order.invalidate_recordset(["activity_ids"])
        self.assertEqual(
            len(order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)), 1
        )
        self.assertIn(order, self.env["sale.order"].search([("omni_sla_state", "=", "breached")]))

    def test_met_when_shipped_in_time_and_cancel_clears(self):
        order = self._confirmed_order(5)
        cancelled = self._confirmed_order(22)
        self._run_cron()
        self.assertEqual(cancelled.omni_sla_state, "warning")
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        with freeze_time(NOW - timedelta(hours=1)):
            picking.button_validate()
        cancelled._action_cancel()
        self._run_cron()
        self.assertEqual(order.omni_sla_state, "met")
        self.assertFalse(cancelled.omni_sla_state)
        self.assertFalse(cancelled.omni_sla_deadline)

    def test_late_shipment_is_breached_without_activity(self):
        order = self._confirmed_order(40)
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        with freeze_time(NOW - timedelta(hours=2)):
            picking.button_validate()
        self._run_cron()
        self.assertEqual(order.omni_sla_state, "breached")
        self.assertFalse(order.activity_ids)

    def test_cron_is_batched(self):
        orders = self._confirmed_order(30) | self._confirmed_order(30) | self._confirmed_order(30)
        with freeze_time(NOW):
            rows, more = self.env["omni.sla.policy"]._omni_evaluate(batch_size=2)
            self.assertTrue(more)
            rows2, more2 = self.env["omni.sla.policy"]._omni_evaluate(batch_size=2)
        self.assertFalse(more2)
        self.assertEqual(len(rows) + len(rows2), 3)
        self.assertEqual(set(orders.mapped("omni_sla_state")), {"breached"})

    def test_policies_editable_only_by_managers(self):
        salesman = new_test_user(
            self.env, "omni_sla_salesman", groups="sales_team.group_sale_salesman"
        )
        manager = new_test_user(
            self.env, "omni_sla_manager", groups="omni_order.group_omni_manager"
        )
        self.assertTrue(self.policy_home.with_user(salesman).name)
        with self.assertRaises(AccessError):
            self.policy_home.with_user(salesman).write({"target_hours": 1})
        self.policy_home.with_user(manager).write({"target_hours": 30})
        self.assertEqual(self.policy_home.target_hours, 30)

    def test_multi_company_rule(self):
        other = self.env["res.company"].create({"name": "Other Retail GmbH"})
        foreign = self.env["omni.sla.policy"].create(
            {"name": "Foreign", "company_id": other.id, "target_hours": 5}
        )
        user = new_test_user(
            self.env,
            "omni_sla_mc",
            groups="sales_team.group_sale_salesman",
            company_id=self.env.company.id,
            company_ids=[self.env.company.id],
        )
        visible = self.env["omni.sla.policy"].with_user(user).search([])
        self.assertIn(self.policy_home, visible)
        self.assertNotIn(foreign, visible)
        # a policy of another company never applies
        foreign.write({"mode": "home", "team_id": False, "sequence": 0})
        order = self._confirmed_order(1)
        self._run_cron()
        self.assertEqual(order.omni_sla_policy_id, self.policy_home)
