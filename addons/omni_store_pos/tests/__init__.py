from . import test_pos_uuid
