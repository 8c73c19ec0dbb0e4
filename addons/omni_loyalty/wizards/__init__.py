from . import omni_loyalty_bonus_simulation
