{
    "name": "Omni Carriers",
    "summary": "DHL, DPD and Hermes labels, returns, parcel shops and normalised tracking",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "author": "Omni",
    "website": "https://github.com/omni-retail/omni",
    "license": "LGPL-3",
    "depends": ["omni_order", "stock_delivery", "queue_job"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "installable": True,
    "development_status": "Alpha",
}
