"""Demo of the store at the POS: the Köln POS with a store staff member, a click & collect
order that is ready to be handed over and paid in store, and a ship-from-store task.

Built on omni_order's demo network (``omni_order/demo_loader.py``): the Köln store node, its
customer Lena Schmitz and the Rain Jacket that Köln stocks.
"""

from odoo.fields import Command


def load_store_demo(env):
    node = env["omni.fulfilment.node"].search([("name", "=", "Store Köln")], limit=1)
    if not node:
        return
    warehouse = node.warehouse_id
    company = warehouse.company_id
    # a cash method belongs to one POS only (Odoo's own POS demo may already use the
    # company's): the Köln POS gets its own cash journal and method, and shares the others
    methods = (
        env["pos.payment.method"]
        .search([("company_id", "=", company.id), ("is_online_payment", "=", False)])
        .filtered(lambda method: not method.is_cash_count)
    )
    cash_journal = env["account.journal"].create(
        {"name": "Cash Köln", "code": "CSHK", "type": "cash", "company_id": company.id}
    )
    methods |= env["pos.payment.method"].create(
        {"name": "Cash Köln", "journal_id": cash_journal.id, "company_id": company.id}
    )
    team = env["crm.team"].search([("name", "=", "Store POS")], limit=1)
    config = env["pos.config"].create(
        {
            "name": "Köln POS",
            "company_id": company.id,
            "picking_type_id": warehouse.pos_type_id.id,
            "payment_method_ids": [Command.set(methods.ids)],
            "crm_team_id": team.id or False,
        }
    )
    env["res.users"].create(
        {
            "name": "Kim Store (Köln)",
            "login": "store.koeln",
            "password": "store.koeln",
            # the handover is written in the order's chatter, which needs the author's e-mail
            "email": "store.koeln@example.com",
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "omni_store_warehouse_ids": [Command.set(warehouse.ids)],
            "groups_id": [Command.link(env.ref("omni_store_pos.group_store_staff").id)],
        }
    )
    customer = env["res.partner"].search([("name", "=", "Lena Schmitz")], limit=1)
    product = env["product.product"].search([("name", "=", "Rain Jacket")], limit=1)
    if not customer or not product:
        return
    web = env["crm.team"].search([("name", "=", "Web Shop")], limit=1)
    orders = env["sale.order"].create(
        [
            {
                "partner_id": customer.id,
                "team_id": web.id or False,
                "omni_mode": "collect",
                "omni_pickup_node_id": node.id,
                "client_order_ref": "DEMO Köln pickup (pay in store)",
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            },
            {
                "partner_id": customer.id,
                "team_id": web.id or False,
                "omni_mode": "home",
                "client_order_ref": "DEMO Köln ship-from-store",
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            },
        ]
    )
    for order in orders:
        order.action_confirm()
    return config
