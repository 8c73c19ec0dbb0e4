{
    "name": "Omni Store POS",
    "summary": "Store work at the POS: pickup handover, returns of online orders, "
    "store picking, endless aisle",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "author": "Omni",
    "website": "https://github.com/omni-retail/omni",
    "license": "LGPL-3",
    "depends": ["omni_order", "omni_carrier", "point_of_sale", "pos_sale"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "pre_init_hook": "pre_init_hook",
    "installable": True,
    "development_status": "Alpha",
}
