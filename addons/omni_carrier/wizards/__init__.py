from . import omni_carrier_shipment_reconcile
from . import sale_order_omni_cs
