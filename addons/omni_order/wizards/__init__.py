from . import stock_picking_omni_reject
from . import sale_order_omni_cs
