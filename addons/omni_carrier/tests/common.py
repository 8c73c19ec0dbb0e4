import urllib.parse

from odoo.tests import BaseCase, HttpCase, TransactionCase
from odoo.tests.common import _super_send

from odoo.addons.queue_job.job import Job

from ..simulators.server import Simulator

ADDRESS = {
    "name": "Erika Mustermann",
    "street": "Heidestr.",
    "house": "17",
    "zip": "51147",
    "city": "Köln",
    "country": "DE",
    "email": "erika@example.com",
}


class SimulatorMixin:
    """Start the three carrier simulators on a free loopback port for the test class.

    Odoo's test harness raises every HTTP timeout below 10 s to 10 s; requests to our own
    loopback simulator keep the timeout the client chose, so timeouts are really exercised.
    """

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        if urllib.parse.urlsplit(r.url).hostname == "127.0.0.1":
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def start_simulator(cls):
        cls.sim = Simulator(step_seconds=1e9).start()
        cls.sim.state.timeout_delay = 1.0
        cls.addClassCleanup(cls.sim.stop)


class SimulatorCase(SimulatorMixin, BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_simulator()


class CarrierMixin(SimulatorMixin):
    @classmethod
    def setup_carriers(cls):
        cls.start_simulator()
        env = cls.env
        cls.company = env.company
        cls.company.partner_id.write(
            {
                "street": "Lagerweg 3",
                "zip": "10115",
                "city": "Berlin",
                "country_id": env.ref("base.de").id,
            }
        )
        Account = env["omni.carrier.account"]
        cls.accounts = {
            "dhl": Account.create(
                {
                    "name": "DHL sim",
                    "carrier_code": "dhl",
                    "base_url": cls.sim.url + "/dhl",
                    "username": "user-valid",
                    "password": "SandboxPasswort2023!",
                    "client_id": "sim-client",
                    "client_secret": "sim-secret",
                    "billing_number": "33333333330102",
                    "tracking_app_password": "geheim",
                    "webhook_secret": "s3cret-dhl",
                    "timeout_read": 0.5,
                }
            ),
            "dpd": Account.create(
                {
                    "name": "DPD sim",
                    "carrier_code": "dpd",
                    "base_url": cls.sim.url + "/dpd",
                    "username": "sandboxdpd",
                    "password": "sim-password",
                    "webhook_secret": "s3cret-dpd",
                    "timeout_read": 0.5,
                }
            ),
            "hermes": Account.create(
                {
                    "name": "Hermes sim",
                    "carrier_code": "hermes",
                    "base_url": cls.sim.url + "/hermes",
                    "username": "sim-user",
                    "password": "sim-password",
                    "client_id": "sim-client",
                    "client_secret": "sim-secret",
                    "webhook_secret": "s3cret-hermes",
                    "timeout_read": 0.5,
                }
            ),
        }
        cls.carriers = {}
        for code, account in cls.accounts.items():
            product = env["product.product"].create(
                {"name": f"Ship {code}", "type": "service", "list_price": 4.5}
            )
            cls.carriers[code] = env["delivery.carrier"].create(
                {
                    "name": f"{code} carrier",
                    "delivery_type": f"omni_{code}",
                    "product_id": product.id,
                    "omni_account_id": account.id,
                    "omni_use_locations": True,
                    "omni_product": {"dhl": "V01PAK", "dpd": "CL", "hermes": False}[code],
                }
            )
        cls.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.warehouse.out_type_id.print_label = True
        cls.product = env["product.product"].create(
            {"name": "Shoe", "is_storable": True, "weight": 1.5, "type": "consu"}
        )
        env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 1000
        )
        cls.customer = env["res.partner"].create(
            {
                "name": "Erika Mustermann",
                "street": "Heidestr. 17",
                "zip": "51147",
                "city": "Köln",
                "country_id": env.ref("base.de").id,
                "email": "erika@example.com",
            }
        )

    @classmethod
    def make_account(cls, code, **values):
        return cls.env["omni.carrier.account"].create(
            {
                "name": f"{code} sim",
                "carrier_code": code,
                "base_url": f"{cls.sim.url}/{code}",
                "username": {"dhl": "user-valid", "dpd": "sandboxdpd"}.get(code, "sim-user"),
                "password": "SandboxPasswort2023!" if code == "dhl" else "sim-password",
                "client_id": "sim-client",
                "client_secret": "sim-secret",
                "billing_number": "33333333330102",
                "tracking_app_password": "geheim",
                "timeout_read": 0.5,
                **values,
            }
        )

    def make_order(self, code, partner=None, qty=2, pickup=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": qty})],
            }
        )
        order.set_delivery_line(self.carriers[code], 4.5)
        if pickup:
            order.pickup_location_data = pickup
        order.action_confirm()
        return order

    def make_picking(self, code, partner=None, qty=2, packages=1, pickup=None):
        order = self.make_order(code, partner=partner, qty=qty, pickup=pickup)
        picking = order.picking_ids
        picking.action_assign()
        if packages > 1:
            move = picking.move_ids
            move.move_line_ids.unlink()
            for _i in range(packages):
                package = self.env["stock.quant.package"].create(
                    {"shipping_weight": 1.5 * qty / packages}
                )
                self.env["stock.move.line"].create(
                    {
                        "move_id": move.id,
                        "picking_id": picking.id,
                        "product_id": self.product.id,
                        "location_id": move.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                        "quantity": qty / packages,
                        "result_package_id": package.id,
                        "product_uom_id": move.product_uom.id,
                    }
                )
        picking.move_ids.picked = True
        return picking

    # --- queue jobs (stored for real, performed like the job runner does) ---
    def pending_jobs(self):
        return self.env["queue.job"].search(
            [
                ("model_name", "=", "omni.carrier.shipment"),
                ("state", "in", ("pending", "enqueued")),
            ]
        )

    def perform_jobs(self):
        for stored in self.pending_jobs():
            job = Job.load(self.env, stored.uuid)
            job.perform()
            job.set_done()
            job.store()


class CarrierCase(CarrierMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the carrier call log writes through its own cursor (registry.cursor()); in test
        # mode that cursor is a savepoint of the test transaction, as in HttpCase
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)
        cls.setup_carriers()


class CarrierHttpCase(CarrierMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_carriers()
