from . import omni_pos_sync_claim
from . import pos_order
from . import pos_order_line
from . import pos_payment
