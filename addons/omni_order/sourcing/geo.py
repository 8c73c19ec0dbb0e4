"""Distances and a coarse geographic fallback for customers without coordinates."""

import math

# Approximate centroids of the German postal zones (first digit of the PLZ). Used only when a
# customer has a postal code but no coordinates: good enough to rank Hamburg against München.
DE_ZONE_CENTROIDS = {
    "0": (51.05, 13.10),  # Sachsen, Thüringen (east)
    "1": (52.55, 13.40),  # Berlin, Brandenburg
    "2": (53.55, 9.95),  # Hamburg, Schleswig-Holstein
    "3": (52.10, 9.70),  # Hannover, Kassel
    "4": (51.45, 7.00),  # Ruhr, Düsseldorf
    "5": (50.90, 6.95),  # Köln, Bonn, Aachen
    "6": (50.10, 8.65),  # Frankfurt, Saarland
    "7": (48.75, 9.10),  # Stuttgart, Baden
    "8": (48.15, 11.55),  # München, Augsburg
    "9": (49.45, 11.05),  # Nürnberg, Würzburg
}


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km between two points given in degrees."""
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat = rlat2 - rlat1
    dlon = math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def zip_centroid(country_code, zip_code):
    """(lat, lon) of the postal zone of ``zip_code`` in ``country_code``, or None."""
    if (country_code or "").upper() != "DE" or not zip_code:
        return None
    first = str(zip_code).strip()[:1]
    return DE_ZONE_CENTROIDS.get(first)
