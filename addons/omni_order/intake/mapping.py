"""Map an ``OrderDraft`` to our customers, products and prices, from plain lookup tables.

The ORM side fills a ``Catalog`` with one query per kind of key for a whole payload; this
module decides. Whatever cannot be mapped unambiguously is an ``IntakeError``, never a guess.
"""

from dataclasses import dataclass, field

from odoo.tools.translate import LazyTranslate

from .base import IntakeError, PartyDraft

_lt = LazyTranslate(__name__)

ADDRESS_KEYS = ("street", "zip", "city", "country_code")


@dataclass
class Catalog:
    """Lookup tables: key -> list of ids (several ids = ambiguous)."""

    partners_by_gln: dict = field(default_factory=dict)
    partners_by_ref: dict = field(default_factory=dict)
    partners_by_email: dict = field(default_factory=dict)
    products_by_ean: dict = field(default_factory=dict)
    products_by_sku: dict = field(default_factory=dict)
    # (partner_id or None for the whole channel, customer code) -> product id
    customer_codes: dict = field(default_factory=dict)
    countries: dict = field(default_factory=dict)  # ISO code (upper) -> id
    nodes: dict = field(default_factory=dict)  # pickup store name/code (lower) -> id
    modes: tuple = ()
    create_partners: bool = False
    use_payload_price: bool = False


@dataclass
class MappedLine:
    product_id: int
    quantity: float
    price: float | None
    line_ref: str | None = None


@dataclass
class MappedOrder:
    partner_id: int | None
    new_partner: PartyDraft | None
    shipping: PartyDraft | None
    country_ids: dict
    lines: list
    mode: str | None
    pickup_node_id: int | None


def unmapped(message, code):
    error = IntakeError(message)
    error.unmapped_code = code
    return error


def map_partner(party, catalog):
    """(partner id, errors): by GLN, then our customer number, then e-mail."""
    for key, table in (
        (party.gln, catalog.partners_by_gln),
        (party.customer_ref, catalog.partners_by_ref),
        ((party.email or "").lower() or None, catalog.partners_by_email),
    ):
        if not key:
            continue
        ids = sorted(set(table.get(key, ())))
        if len(ids) == 1:
            return ids[0], []
        if len(ids) > 1:
            return None, [IntakeError(_lt("Customer %(key)s matches several partners.", key=key))]
    return None, []


def map_product(line, partner_id, catalog, position=1):
    """(product id, error): by EAN, then our SKU, then the mapping of the customer's code
    (or of an EAN/SKU we do not know: this customer's mapping first, then the channel's)."""
    for key, table in ((line.ean, catalog.products_by_ean), (line.sku, catalog.products_by_sku)):
        if not key:
            continue
        ids = sorted(set(table.get(key, ())))
        if len(ids) == 1:
            return ids[0], None
        if len(ids) > 1:
            return None, unmapped(
                _lt(
                    "Line %(line)s: product code %(code)s matches several products.",
                    line=position,
                    code=key,
                ),
                key,
            )
    for code in (line.customer_code, line.ean, line.sku):
        if not code:
            continue
        product_id = catalog.customer_codes.get((partner_id, code)) or catalog.customer_codes.get(
            (None, code)
        )
        if product_id:
            return product_id, None
    if line.ean:
        return None, unmapped(
            _lt("Line %(line)s: unknown EAN %(code)s.", line=position, code=line.ean), line.ean
        )
    if line.sku:
        return None, unmapped(
            _lt("Line %(line)s: unknown SKU %(code)s.", line=position, code=line.sku), line.sku
        )
    if line.customer_code:
        return None, unmapped(
            _lt(
                "Line %(line)s: unknown customer product code %(code)s.",
                line=position,
                code=line.customer_code,
            ),
            line.customer_code,
        )
    return None, IntakeError(_lt("Line %(line)s has no EAN, SKU or product code.", line=position))


def check_address(party, catalog, delivery=True):
    errors = []
    missing = ", ".join(key for key in ADDRESS_KEYS if not getattr(party, key))
    if missing and delivery:
        errors.append(IntakeError(_lt("The delivery address lacks %(fields)s.", fields=missing)))
    elif missing:
        errors.append(IntakeError(_lt("The customer address lacks %(fields)s.", fields=missing)))
    code = (party.country_code or "").upper()
    if code and code not in catalog.countries:
        errors.append(IntakeError(_lt("Unknown country code %(code)s.", code=code)))
    return errors


def map_order(draft, catalog):
    """(MappedOrder or None, errors) for one draft."""
    errors = []
    partner_id, partner_errors = map_partner(draft.partner, catalog)
    errors += partner_errors
    new_partner = None
    if not partner_id and not partner_errors:
        party = draft.partner
        if catalog.create_partners and party.name and party.email:
            new_partner = party
            errors += check_address(party, catalog, delivery=False)
        else:
            keys = ", ".join(
                k for k in (party.gln, party.customer_ref, party.email, party.name) if k
            )
            errors.append(IntakeError(_lt("Unknown customer %(keys)s.", keys=keys or "-")))
    if draft.shipping:
        errors += check_address(draft.shipping, catalog)
    lines = []
    for position, line in enumerate(draft.lines, start=1):
        product_id, error = map_product(line, partner_id, catalog, position)
        if error:
            errors.append(error)
            continue
        price = None
        if catalog.use_payload_price and line.unit_price is not None:
            price = float(line.unit_price)
        lines.append(MappedLine(product_id, float(line.quantity), price, line.line_ref))
    mode = draft.fulfilment_mode
    if mode and mode not in catalog.modes:
        errors.append(IntakeError(_lt("Unknown fulfilment mode %(mode)s.", mode=mode)))
    node_id = None
    if draft.pickup_store_ref:
        node_id = catalog.nodes.get(draft.pickup_store_ref.lower())
        if not node_id:
            errors.append(
                IntakeError(_lt("Unknown pickup store %(store)s.", store=draft.pickup_store_ref))
            )
    if errors:
        return None, errors
    return MappedOrder(
        partner_id=partner_id,
        new_partner=new_partner,
        shipping=draft.shipping,
        country_ids=catalog.countries,
        lines=lines,
        mode=mode,
        pickup_node_id=node_id,
    ), []
