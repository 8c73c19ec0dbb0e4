from . import stock_picking_omni_reject
from . import omni_intake_payload_import
from . import omni_intake_map_product
from . import sale_order_omni_cs
