from . import test_pos_uuid
from . import test_store_flows
from . import test_tours
from . import test_concurrency
