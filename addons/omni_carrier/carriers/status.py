"""The common tracking vocabulary and each carrier's default code mapping (CARRIERS.md §4)."""

STATUSES = [
    ("label_created", "Label created"),
    ("picked_up", "Picked up"),
    ("in_transit", "In transit"),
    ("out_for_delivery", "Out for delivery"),
    ("ready_for_pickup", "Ready for pickup at a shop"),
    ("failed_attempt", "Failed delivery attempt"),
    ("exception", "Exception"),
    ("returning", "Returning to sender"),
    ("delivered", "Delivered"),
    ("returned", "Returned"),
    ("cancelled", "Cancelled"),
    ("unknown", "Unknown"),
]
FINAL = {"delivered", "returned", "cancelled"}
# Progress rank: a status only replaces one of lower rank (a late event never moves back).
RANK = {
    "unknown": 0,
    "label_created": 10,
    "picked_up": 20,
    "in_transit": 30,
    "exception": 35,
    "failed_attempt": 40,
    "out_for_delivery": 45,
    "ready_for_pickup": 50,
    "returning": 60,
    "delivered": 90,
    "returned": 95,
    "cancelled": 99,
}

# carrier -> {raw code: status}; the admin extends these in the UI (omni.carrier.status.map)
DEFAULT_MAPPINGS = {
    "dhl": {
        "VA": "label_created",
        "DD": "label_created",
        "ES": "picked_up",
        "AE": "picked_up",
        "AA": "in_transit",
        "EE": "in_transit",
        "NB": "in_transit",
        "ZO": "in_transit",
        "PO": "out_for_delivery",
        "ZU": "delivered",
        "ZF": "ready_for_pickup",
        "LA": "ready_for_pickup",
        "ZN": "failed_attempt",
        "BV": "exception",
        "AN": "exception",
        "RETRN": "returning",
        "CANCL": "cancelled",
    },
    "dpd": {
        "SHIPMENT": "label_created",
        "ACCEPTED": "picked_up",
        "AT_SENDING_DEPOT": "in_transit",
        "ON_THE_ROAD": "in_transit",
        "AT_DELIVERY_DEPOT": "in_transit",
        "DELIVERED": "delivered",
        "start_order": "label_created",
        "pickup_driver": "picked_up",
        "pickup_depot": "picked_up",
        "delivery_depot": "in_transit",
        "in_transit": "in_transit",
        "delivery_carload": "out_for_delivery",
        "out_for_delivery": "out_for_delivery",
        "delivery_customer": "delivered",
        "delivered": "delivered",
        "delivery_shop": "ready_for_pickup",
        "available_for_pickup": "ready_for_pickup",
        "delivery_nab": "failed_attempt",
        "error_pickup": "exception",
        "error_return": "exception",
        "error": "exception",
        "failure": "exception",
    },
    "hermes": {
        "0000": "label_created",
        "1000": "picked_up",
        "2000": "in_transit",
        "3000": "out_for_delivery",
        "3410": "ready_for_pickup",
        "5000": "ready_for_pickup",
        "3500": "delivered",
        "3731": "failed_attempt",
        "3732": "failed_attempt",
        "4000": "returning",
        "4010": "returning",
        "4500": "returned",
        "6000": "exception",
        "7000": "exception",
    },
}


def normalise_hermes_code(code):
    """Hermes codes come as 3 or 4 digits ("300" / "3000"): normalise to 4."""
    code = (code or "").strip()
    return code.ljust(4, "0") if code.isdigit() and len(code) == 3 else code


def map_status(mapping, carrier, code):
    """Status for a raw ``code``: exact match, then (Hermes) the thousands bucket, else unknown."""
    if code in mapping:
        return mapping[code]
    if carrier == "hermes" and code[:1].isdigit():
        return mapping.get(code[:1] + "000", "unknown")
    return "unknown"


def advances(current, current_time, new, new_time):
    """True when an event (``new`` at ``new_time``) should become the parcel's status."""
    if not current or current == "unknown":
        return new != "unknown"
    if current in FINAL or new == "unknown":
        return False
    if current_time and new_time and new_time < current_time:
        return False
    return RANK[new] >= RANK[current] or current in ("failed_attempt", "exception")
