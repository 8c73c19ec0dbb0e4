from . import omni_carrier_shipment_reconcile
