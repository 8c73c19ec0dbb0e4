from . import test_scoring_unit
from . import test_scorecard
from . import test_bonus
from . import test_campaign
from . import test_access
from . import test_portal
from . import test_portal_http
