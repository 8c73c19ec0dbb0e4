from . import stock_picking_omni_reject
