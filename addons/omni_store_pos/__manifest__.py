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
        "security/omni_store_pos_security.xml",
        "security/ir.model.access.csv",
        "data/omni_return_reason_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/res_users_views.xml",
    ],
    "demo": ["demo/omni_store_pos_demo.xml"],
    "assets": {
        "point_of_sale._assets_pos": ["omni_store_pos/static/src/**/*"],
        "web.assets_tests": ["omni_store_pos/static/tests/tours/**/*"],
    },
    "pre_init_hook": "pre_init_hook",
    "installable": True,
    "development_status": "Alpha",
}
