from . import test_timeline
from . import test_sourcing_engine
from . import test_sourcing_flow
from . import test_reroute
from . import test_shadow_api
from . import test_availability_http
from . import test_click_collect
from . import test_concurrency
