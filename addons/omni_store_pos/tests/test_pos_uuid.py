import threading

from psycopg2 import IntegrityError
from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.point_of_sale.tests.common import TestPoSCommon

from ..hooks import resolve_duplicate_uuids


@tagged("post_install", "-at_install")
class TestPosUuid(TestPoSCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = cls.basic_config
        cls.product = cls.create_product("Omni Mug", cls.categ_basic, 10.0)

    def _sync(self, order_data):
        result = self.env["pos.order"].sync_from_ui([order_data])
        return [o["id"] for o in result["pos.order"]]

    def test_same_order_synced_twice_is_stored_once(self):
        self.open_new_session()
        data = self.create_ui_order_data([(self.product, 1)])
        first = self._sync(data)
        second = self._sync(data)
        self.assertEqual(first, second)
        self.assertEqual(self.env["pos.order"].search_count([("uuid", "=", data["uuid"])]), 1)
        self.assertEqual(
            self.env["omni.pos.sync.claim"].search_count([("uuid", "=", data["uuid"])]), 1
        )

    def test_uuid_is_unique_in_the_database(self):
        self.open_new_session()
        first, second = self.env["pos.order"].browse(
            self._sync(self.create_ui_order_data([(self.product, 1)]))
            + self._sync(self.create_ui_order_data([(self.product, 2)]))
        )
        pairs = [
            (first, second),
            (first.lines[:1], second.lines[:1]),
            (first.payment_ids[:1], second.payment_ids[:1]),
        ]
        for kept, other in pairs:
            uuid = f"omni-collide-{kept._table}"
            kept.write({"uuid": uuid})
            kept.flush_recordset()
            with self.subTest(model=kept._name), mute_logger("odoo.sql_db"):
                with self.assertRaises(IntegrityError), self.env.cr.savepoint():
                    self.env.cr.execute(
                        SQL(
                            "UPDATE %s SET uuid = %s WHERE id = %s",
                            SQL.identifier(kept._table),
                            uuid,
                            other.id,
                        )
                    )

    def test_existing_duplicates_are_renamed_before_the_constraint(self):
        self.open_new_session()
        ids = self._sync(self.create_ui_order_data([(self.product, 1)]))
        ids += self._sync(self.create_ui_order_data([(self.product, 2)]))
        first, second = self.env["pos.order"].browse(ids)
        cr = self.env.cr
        # the state stock Odoo leaves behind after two concurrent syncs (R6)
        cr.execute("ALTER TABLE pos_order DROP CONSTRAINT pos_order_omni_uuid_unique")
        cr.execute("UPDATE pos_order SET uuid = %s WHERE id = %s", [first.uuid, second.id])
        with self.assertLogs("odoo.addons.omni_store_pos.hooks", "WARNING"):
            renamed = resolve_duplicate_uuids(cr)
        self.assertEqual(renamed, {"pos_order": 1, "pos_order_line": 0, "pos_payment": 0})
        second.invalidate_recordset(["uuid"])
        self.assertEqual(second.uuid, f"{first.uuid}-dup-{second.id}")
        cr.execute("ALTER TABLE pos_order ADD CONSTRAINT pos_order_omni_uuid_unique UNIQUE (uuid)")
        self.assertEqual(resolve_duplicate_uuids(cr)["pos_order"], 0)


@tagged("post_install", "-at_install")
class TestPosUuidConcurrency(BaseCase):
    """Two real transactions claim the same uuid at once (RELIABILITY.md P01)."""

    UUID = "omni-test-concurrent-claim"

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM omni_pos_sync_claim WHERE uuid = %s", [self.UUID])

    def test_second_claim_waits_then_is_retried_with_a_fresh_snapshot(self):
        claimed = threading.Event()
        attempts = []
        errors = []

        def first():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["omni.pos.sync.claim"]._claim([self.UUID])
                claimed.set()
                threading.Event().wait(0.5)  # hold the uncommitted claim while the second waits
                cr.commit()  # pylint: disable=invalid-commit  (a second, real transaction)

        def second():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    cr.execute("SELECT count(*) FROM omni_pos_sync_claim")  # snapshot taken now

                    def attempt():
                        attempts.append(1)
                        if len(attempts) == 1:
                            claimed.wait(5)
                        env["omni.pos.sync.claim"]._claim([self.UUID])
                        cr.execute(
                            "SELECT count(*) FROM omni_pos_sync_claim WHERE uuid = %s", [self.UUID]
                        )
                        return cr.fetchone()[0]

                    errors.append(("result", retrying(attempt, env)))
            except Exception as exc:  # noqa: BLE001 - reported to the main thread
                errors.append(("error", exc))

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        with mute_logger("odoo.service.model"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
        self.assertEqual(errors, [("result", 1)], "the retried claim sees the first one")
        self.assertEqual(len(attempts), 2, "the first attempt failed with a serialization error")
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM omni_pos_sync_claim WHERE uuid = %s", [self.UUID])
            self.assertEqual(cr.fetchone()[0], 1)

    def test_claim_conflict_is_a_serialization_failure(self):
        """Without retrying(), the waiting transaction gets a SerializationFailure (not a dup)."""
        claimed, done = threading.Event(), threading.Event()
        outcome = []

        def first():
            with self.registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})["omni.pos.sync.claim"]._claim([self.UUID])
                claimed.set()
                done.wait(0.3)
                cr.commit()  # pylint: disable=invalid-commit  (a second, real transaction)

        def second():
            with self.registry.cursor() as cr:
                cr.execute("SELECT 1")
                claimed.wait(5)
                try:
                    api.Environment(cr, SUPERUSER_ID, {})["omni.pos.sync.claim"]._claim(
                        [self.UUID]
                    )
                    outcome.append("no error")
                except SerializationFailure:
                    outcome.append("serialization failure")
                    cr.rollback()

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
        self.assertEqual(outcome, ["serialization failure"])
