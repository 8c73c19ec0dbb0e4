from . import omni_order_event
from . import sale_order
