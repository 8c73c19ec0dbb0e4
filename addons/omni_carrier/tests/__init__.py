from . import test_wire_clients
from . import test_shipping
from . import test_tracking
from . import test_cs_labels
from . import test_timeline_shipped
