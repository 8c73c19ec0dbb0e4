"""The demo retailer: a DC in Hamburg, five stores, one drop-ship supplier, ~50 products,
customers across Germany, a rule set, and an order in every fulfilment mode.

Built in Python (called from demo/omni_order_demo.xml) because stock is spread by a seeded
random generator; the result is the same on every install.
"""

import base64
import json
import random
from email.message import EmailMessage

from odoo.fields import Command
from odoo.tools import file_open

STORES = [
    # name, code, lat, lon, zip, city
    ("Berlin", "BER", 52.5200, 13.4050, "10178", "Berlin"),
    ("München", "MUC", 48.1374, 11.5755, "80331", "München"),
    ("Köln", "CGN", 50.9375, 6.9603, "50667", "Köln"),
    ("Frankfurt", "FRA", 50.1109, 8.6821, "60311", "Frankfurt am Main"),
    ("Stuttgart", "STR", 48.7758, 9.1829, "70173", "Stuttgart"),
]
CUSTOMERS = [
    # name, city, zip, lat, lon
    ("Anna Huber", "München", "80331", 48.1351, 11.5820),
    ("Jonas Weber", "Berlin", "10115", 52.5321, 13.3849),
    ("Lena Schmitz", "Köln", "50667", 50.9413, 6.9583),
    ("Paul Hansen", "Hamburg", "20095", 53.5511, 9.9937),
    ("Mia Becker", "Frankfurt am Main", "60313", 50.1155, 8.6842),
    ("Felix Wagner", "Stuttgart", "70173", 48.7784, 9.1800),
    ("Emma Richter", "Leipzig", "04109", 51.3397, 12.3731),
    ("Noah Krüger", "Bremen", "28195", None, None),  # postal code only
]
APPAREL = [
    "Trail Running Shoe",
    "Rain Jacket",
    "Merino Sweater",
    "Denim Jeans",
    "Linen Shirt",
    "Wool Scarf",
    "Leather Belt",
    "Canvas Sneaker",
    "Down Vest",
    "Cotton Hoodie",
    "Chino Trousers",
    "Knitted Beanie",
    "Summer Dress",
    "Polo Shirt",
    "Hiking Socks",
    "Softshell Jacket",
    "Yoga Leggings",
    "Leather Gloves",
    "Bucket Hat",
    "Sports Bra",
]
HOME = [
    "Wool Blanket",
    "Vinyl Record Player",
    "Ceramic Vase",
    "Linen Bedding Set",
    "Cast Iron Pan",
    "Espresso Maker",
    "Scented Candle",
    "Bath Towel Set",
    "Table Lamp",
    "Cutting Board",
    "Wine Glasses (6)",
    "Throw Pillow",
    "Wall Clock",
    "Kitchen Scale",
    "Desk Organiser",
    "Photo Frame",
    "Tea Kettle",
    "Bluetooth Speaker",
    "Picnic Basket",
    "Doormat",
]
FURNITURE = [
    "Oak Dining Table",
    "Two-Seat Sofa",
    "Bookshelf",
    "Office Chair",
    "Bedside Table",
    "Wardrobe",
    "Coffee Table",
    "Armchair",
    "TV Bench",
    "Shoe Cabinet",
]


def load_demo(env):
    company = env.company
    de = env.ref("base.de")
    rng = random.Random(42)
    dc_wh = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    dc_wh.name = "Hamburg DC"
    warehouses = {"Hamburg": dc_wh}
    for name, code, *_rest in STORES:
        warehouses[name] = env["stock.warehouse"].create(
            {"name": f"Store {name}", "code": code, "company_id": company.id}
        )
    web = env["crm.team"].create({"name": "Web Shop", "company_id": company.id})
    web.sudo().omni_api_key = "demo-webshop-key"
    pos = env["crm.team"].create({"name": "Store POS", "company_id": company.id})
    pos.sudo().omni_api_key = "demo-pos-key"

    assembly = env["product.product"].create(
        {"name": "Furniture Assembly", "type": "service", "list_price": 49.0}
    )
    dc = env["omni.fulfilment.node"].create(
        {
            "name": "DC Hamburg",
            "kind": "dc",
            "warehouse_id": dc_wh.id,
            "latitude": 53.5511,
            "longitude": 9.9937,
            "daily_capacity": 2000,
            "cost_per_shipment": 4.9,
        }
    )
    nodes = {"Hamburg": dc}
    for name, _code, lat, lon, _zip, _city in STORES:
        nodes[name] = env["omni.fulfilment.node"].create(
            {
                "name": f"Store {name}",
                "kind": "store",
                "warehouse_id": warehouses[name].id,
                "latitude": lat,
                "longitude": lon,
                "pickup_point": True,
                "reservations": True,
                "reservation_hours": 48,
                "daily_capacity": 60,
                "cost_per_shipment": 6.5,
                "start_limit_hours": 24,
                "service_product_ids": [Command.set(assembly.ids)] if name == "Stuttgart" else [],
                # do not sell a store's last unit online
                "safety_stock_ids": [Command.create({"team_id": web.id, "quantity": 1})],
            }
        )
    supplier_partner = env["res.partner"].create(
        {"name": "Möbelwerk Süd GmbH", "is_company": True, "city": "Augsburg", "country_id": de.id}
    )
    supplier = env["omni.fulfilment.node"].create(
        {
            "name": "Möbelwerk Süd (drop-ship)",
            "kind": "supplier",
            "partner_id": supplier_partner.id,
            "latitude": 48.3705,
            "longitude": 10.8978,
            "cost_per_shipment": 19.0,
        }
    )

    categ = {
        "Apparel": env["product.category"].create({"name": "Apparel"}),
        "Home": env["product.category"].create({"name": "Home"}),
        "Furniture": env["product.category"].create({"name": "Furniture"}),
    }
    products = {}
    vals_list = []
    index = 0
    for cat, names in (("Apparel", APPAREL), ("Home", HOME), ("Furniture", FURNITURE)):
        for name in names:
            index += 1
            vals_list.append(
                {
                    "name": name,
                    "default_code": f"DEMO-{index:03d}",
                    "type": "consu",
                    "is_storable": True,
                    "categ_id": categ[cat].id,
                    "list_price": round(rng.uniform(15, 120) * (8 if cat == "Furniture" else 1)),
                    "omni_ship_group": "bedroom-set"
                    if name in ("Bedside Table", "Wardrobe")
                    else False,
                }
            )
    for product in env["product.product"].create(vals_list):
        products[product.name] = product

    _spread_stock(env, rng, products, categ, warehouses)
    # the supplier's stock arrives as a feed
    furniture = [p for p in products.values() if p.categ_id == categ["Furniture"]]
    env["product.supplierinfo"].create(
        [
            {
                "partner_id": supplier_partner.id,
                "product_tmpl_id": p.product_tmpl_id.id,
                "price": round(p.list_price * 0.6),
            }
            for p in furniture
        ]
    )
    csv_data = "sku;quantity\n" + "".join(
        f"{p.default_code};{rng.randint(2, 30)}\n" for p in furniture
    )

    feed = env["omni.supplier.feed"].create(
        {
            "node_id": supplier.id,
            "file": base64.b64encode(csv_data.encode()),
            "filename": "moebelwerk_stock.csv",
        }
    )
    feed.action_import()

    ruleset = env["omni.sourcing.ruleset"].create(
        {
            "name": "Standard",
            "company_id": company.id,
            "rule_ids": [
                Command.create(
                    {
                        "name": "Store pickup",
                        "sequence": 10,
                        "mode": "collect",
                        "allow_dc": True,
                        "allow_store": True,
                    }
                ),
                Command.create({"name": "Store reservation", "sequence": 15, "mode": "reserve"}),
                Command.create(
                    {
                        "name": "Furniture: DC, else drop-ship",
                        "sequence": 20,
                        "categ_ids": [Command.set(categ["Furniture"].ids)],
                        "allow_dc": True,
                        "allow_store": True,
                        "allow_supplier": False,
                        "fallback": "dropship",
                        "max_shipments": 2,
                    }
                ),
                Command.create(
                    {
                        "name": "Germany: ship from DC or store",
                        "sequence": 30,
                        "country_ids": [Command.set(de.ids)],
                        "allow_dc": True,
                        "allow_store": True,
                        "max_shipments": 3,
                        "min_shipment_value": 10.0,
                        "fallback": "backorder",
                        "backorder_node_id": dc.id,
                    }
                ),
                Command.create(
                    {
                        "name": "Everything else",
                        "sequence": 90,
                        "mode": "dropship",
                        "allow_dc": False,
                        "allow_store": False,
                        "allow_supplier": True,
                    }
                ),
            ],
        }
    )
    ruleset.action_activate()
    env["omni.sourcing.ruleset"].create(
        {
            "name": "Draft: DC only",
            "company_id": company.id,
            "rule_ids": [
                Command.create(
                    {
                        "name": "Everything from the DC",
                        "allow_dc": True,
                        "allow_store": False,
                        "weight_cost": 3.0,
                        "weight_distance": 1.0,
                        "fallback": "hold",
                    }
                )
            ],
        }
    )

    customers = {}
    for name, city, zip_code, lat, lon in CUSTOMERS:
        customers[city] = env["res.partner"].create(
            {
                "name": name,
                "city": city,
                "zip": zip_code,
                "street": "Hauptstraße 1",
                "country_id": de.id,
                "email": f"{name.split()[0].lower()}@example.com",
                "partner_latitude": lat or 0.0,
                "partner_longitude": lon or 0.0,
            }
        )
    nobody = env["res.partner"].create({"name": "Walk-in Customer (no address)"})

    def order(partner, lines, **vals):
        return env["sale.order"].create(
            {
                "partner_id": partner.id,
                "team_id": web.id,
                "order_line": [
                    Command.create({"product_id": products[p].id, "product_uom_qty": q})
                    for p, q in lines
                ],
                **vals,
            }
        )

    munich = customers["München"]
    orders = [
        order(
            munich,
            [("Trail Running Shoe", 1), ("Rain Jacket", 1)],
            client_order_ref="DEMO ship-from-store",
        ),
        order(
            munich,
            [("Trail Running Shoe", 1), ("Rain Jacket", 1), ("Wool Blanket", 1)],
            client_order_ref="DEMO split",
        ),
        order(
            customers["Köln"],
            [("Vinyl Record Player", 1)],
            omni_mode="collect",
            omni_pickup_node_id=nodes["Köln"].id,
            client_order_ref="DEMO click & collect",
        ),
        order(
            customers["Berlin"],
            [("Vinyl Record Player", 1)],
            omni_mode="reserve",
            omni_pickup_node_id=nodes["Berlin"].id,
            client_order_ref="DEMO click & reserve",
        ),
        order(customers["Leipzig"], [("Two-Seat Sofa", 1)], client_order_ref="DEMO drop-ship"),
        order(customers["Bremen"], [("Wool Blanket", 2)], client_order_ref="DEMO no coordinates"),
        order(nobody, [("Wool Scarf", 1)], client_order_ref="DEMO held: no rule matches"),
    ]
    for record in orders:
        record.action_confirm()
    # the supplier confirms the drop-ship purchase: its delivery to the customer appears
    env["purchase.order"].search([("partner_id", "=", supplier_partner.id)]).button_confirm()
    _load_intake_demo(env, web, customers)


def _spread_stock(env, rng, products, categ, warehouses):
    """Uneven stock: a few products in one place only, the rest spread at random."""
    dc_wh = warehouses["Hamburg"]
    Quant = env["stock.quant"]
    special = {
        # München customer's items: in München, not at the DC
        "Trail Running Shoe": {"München": 6, "Frankfurt": 2},
        "Rain Jacket": {"München": 4, "Köln": 3},
        # only in Hamburg
        "Wool Blanket": {"Hamburg": 25},
        # only in Berlin
        "Vinyl Record Player": {"Berlin": 3},
    }
    for name, product in products.items():
        if product.categ_id == categ["Furniture"]:
            if name in ("Bookshelf", "Office Chair", "Bedside Table", "Wardrobe"):
                Quant._update_available_quantity(product, dc_wh.lot_stock_id, rng.randint(3, 12))
            continue
        spread = special.get(name)
        if spread is None:
            spread = {"Hamburg": rng.choice([0, 5, 20, 60])}
            for store, *_rest in STORES:
                if rng.random() < 0.45:
                    spread[store] = rng.randint(1, 8)
        for where, qty in spread.items():
            if qty:
                Quant._update_available_quantity(product, warehouses[where].lot_stock_id, qty)


def _load_intake_demo(env, web, customers):
    """Orders arriving through each intake channel, and one error waiting in the queue."""

    def body(*orders):
        return json.dumps({"orders": list(orders)}, ensure_ascii=False).encode()

    def shop_order(ref, email, lines, **vals):
        return {
            "external_ref": ref,
            "partner": {"email": email},
            "lines": [{"sku": sku, "quantity": qty} for sku, qty in lines],
            **vals,
        }

    web.write({"omni_intake_create_partner": True})
    Payload = env["omni.intake.payload"]
    # REST: a batch from the web shop, sent twice (the second call only reports duplicates),
    # and an order with an EAN nobody knows: it waits in Omni > Intake > Intake Errors
    batch = body(
        shop_order("WEB-10001", "anna@example.com", [("DEMO-001", 1), ("DEMO-004", 1)]),
        shop_order(
            "WEB-10002",
            "lena@example.com",
            [("DEMO-023", 1)],
            fulfilment_mode="collect",
            pickup_store_ref="Store Köln",
        ),
        {
            "external_ref": "WEB-10003",
            "partner": {
                "email": "sophie.neumann@example.com",
                "name": "Sophie Neumann",
                "street": "Schanzenstraße 5",
                "zip": "20357",
                "city": "Hamburg",
                "country_code": "DE",
            },
            "lines": [{"sku": "DEMO-010", "quantity": 2}],
        },
    )
    Payload._omni_rest_response("demo-webshop-key", batch)
    Payload._omni_rest_response("demo-webshop-key", batch)
    Payload._omni_rest_response(
        "demo-webshop-key",
        body(
            {
                "external_ref": "WEB-10004",
                "partner": {"email": "jonas@example.com"},
                "lines": [
                    {"sku": "DEMO-002", "quantity": 1},
                    {"ean": "4006381333986", "quantity": 1, "description": "Gift wrap"},
                ],
            }
        ),
    )
    # B2B customers order by EDIFACT, by file (back-office import) and by e-mail; their
    # files are the parser samples of omni_order/tests/samples
    de = env.ref("base.de")
    b2b = env["crm.team"].create({"name": "B2B Orders", "company_id": env.company.id})
    eur = env.ref("base.EUR")
    eur.active = True
    edi = env["crm.team"].create(
        {
            "name": "EDI Partners",
            "company_id": env.company.id,
            # EANCOM orders state their currency: the channel's pricelist must match it
            "omni_intake_pricelist_id": env["product.pricelist"]
            .create({"name": "EDI (EUR)", "currency_id": eur.id, "company_id": env.company.id})
            .id,
        }
    )
    buyer, bookshop = env["res.partner"].create(
        [
            {
                "name": "Warenhaus Schäfer KG",
                "is_company": True,
                "omni_gln": "4012345000009",
                "ref": "K-10001",
                "email": "einkauf@schaefer-warenhaus.example",
                "street": "Königsallee 12",
                "zip": "40212",
                "city": "Düsseldorf",
                "country_id": de.id,
            },
            {
                "name": "Bücherstube Größmann GmbH",
                "is_company": True,
                "omni_gln": "4010000000012",
                "ref": "K-10002",
                "email": "bestellung@groessmann.example",
                "street": "Marienplatz 1",
                "zip": "80331",
                "city": "München",
                "country_id": de.id,
            },
        ]
    )
    Product = env["product.product"]
    for code, ean in (
        ("DEMO-001", "4006381333931"),
        ("DEMO-004", "4006381333948"),
        ("DEMO-007", "4006381333955"),
    ):
        Product.search([("default_code", "=", code)]).barcode = ean
    env["omni.intake.product.map"].create(
        [
            {
                "code": "KN-4711",
                "partner_id": buyer.id,
                "product_id": Product.search([("default_code", "=", "DEMO-021")]).id,
            },
            {
                "code": "OMNI-B",
                "partner_id": bookshop.id,
                "product_id": Product.search([("default_code", "=", "DEMO-010")]).id,
            },
        ]
    )
    for channel, sample in (
        (edi, "eancom_orders_unoc_2msg.edi"),
        (b2b, "orders_latin1_semicolon.csv"),
    ):
        with file_open(f"omni_order/tests/samples/{sample}", "rb") as handle:
            env["omni.intake.payload.import"].create(
                {
                    "channel_id": channel.id,
                    "file": base64.b64encode(handle.read()),
                    "filename": sample,
                }
            ).action_import()
    b2b_order = {
        "external_ref": "KN-2026-0815",
        "partner": {"gln": "4012345000009"},
        "lines": [
            {"customer_code": "KN-4711", "quantity": 4},
            {"sku": "DEMO-025", "quantity": 6},
        ],
    }
    if not env.company.alias_domain_id:
        env.company.alias_domain_id = env["mail.alias.domain"].create({"name": "example.com"})
    b2b.action_omni_create_intake_alias()
    message = EmailMessage()
    message["From"] = "Schäfer Einkauf <einkauf@schaefer-warenhaus.example>"
    message["To"] = b2b.omni_intake_alias_id.display_name
    message["Subject"] = "Bestellung KN-2026-0816"
    message["Message-Id"] = "<kn-2026-0816@schaefer-warenhaus.example>"
    message.set_content("Guten Tag, anbei unsere Bestellung.")
    message.add_attachment(
        body(dict(b2b_order, external_ref="KN-2026-0816")),
        maintype="application",
        subtype="json",
        filename="bestellung-0816.json",
    )
    env["mail.thread"].message_process(None, message.as_string())
