from . import test_pos_uuid
from . import test_store_flows
from . import test_tours
from . import test_endless_aisle
from . import test_store_labels
from . import test_tours_counter
from . import test_concurrency
