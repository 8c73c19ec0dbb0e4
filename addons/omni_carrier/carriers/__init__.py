"""Pure-Python carrier layer (no ORM): wire clients, errors, status vocabulary."""
