"""GS1 identifiers: the mod-10 check digit shared by GLN (13 digits) and GTIN/EAN (8-14)."""


def gs1_check_digit(body):
    """The check digit for ``body`` (all digits but the last)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def is_valid_gs1(code, lengths=(8, 12, 13, 14)):
    """True when ``code`` is all digits, of an allowed length, with a correct check digit."""
    return (
        bool(code)
        and code.isdigit()
        and len(code) in lengths
        and gs1_check_digit(code[:-1]) == code[-1]
    )


def is_valid_gln(code):
    return is_valid_gs1(code, lengths=(13,))
