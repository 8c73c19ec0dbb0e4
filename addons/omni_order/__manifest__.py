{
    "name": "Omni Order Hub",
    "summary": "Omnichannel order hub: intake, sourcing across DC, stores and suppliers, "
    "fulfilment modes, order timeline",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Omni",
    "website": "https://github.com/omni-retail/omni",
    "license": "LGPL-3",
    "depends": ["sale_stock", "stock_dropshipping"],
    "data": [
        "security/omni_order_groups.xml",
        "security/ir.model.access.csv",
        "security/omni_order_security.xml",
        "views/omni_order_event_views.xml",
        "views/sale_order_views.xml",
        "views/omni_order_menus.xml",
    ],
    "demo": [],
    "installable": True,
    "application": True,
    "development_status": "Alpha",
}
