import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

FULFILMENT_MODES = [
    ("home", "Home delivery"),
    ("collect", "Click & collect"),
    ("reserve", "Click & reserve"),
    ("dropship", "Drop-ship"),
]
ZIP_RANGE = re.compile(r"^\s*([0-9A-Za-z]+)\s*(?:-\s*([0-9A-Za-z]+))?\s*$")


class OmniSourcingRule(models.Model):
    """When a rule applies (channel, country, postal codes, categories, mode, order value) and
    how it chooses (node kinds, criteria, split limits, fallback)."""

    _name = "omni.sourcing.rule"
    _description = "Omni Sourcing Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    ruleset_id = fields.Many2one(
        "omni.sourcing.ruleset", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="ruleset_id.company_id", store=True)
    # --- when it applies
    team_ids = fields.Many2many("crm.team", string="Sales Channels")
    country_ids = fields.Many2many("res.country", string="Countries")
    zip_ranges = fields.Char(
        string="Postal Codes", help="Comma-separated ranges, e.g. 10000-19999, 80000-89999"
    )
    categ_ids = fields.Many2many(
        "product.category", string="Product Categories", help="Applies if any line is in one."
    )
    mode = fields.Selection(
        [("any", "Any mode")] + FULFILMENT_MODES, string="Fulfilment Mode", default="any"
    )
    min_amount = fields.Float(string="Order Value From")
    max_amount = fields.Float(string="Order Value Up To", help="0 = no limit")
    # --- how it chooses
    allow_dc = fields.Boolean(string="Distribution Centres", default=True)
    allow_store = fields.Boolean(string="Stores", default=True)
    allow_supplier = fields.Boolean(string="Drop-ship Suppliers")
    strategy = fields.Selection(
        [("priority", "Criteria in priority"), ("weighted", "Criteria by weight")],
        default="priority",
        required=True,
        help="In priority the criterion with the highest weight decides first.",
    )
    weight_distance = fields.Float(string="Distance", default=3.0)
    weight_cost = fields.Float(string="Shipping Cost", default=2.0)
    weight_capacity = fields.Float(string="Capacity Headroom", default=1.0)
    weight_depth = fields.Float(string="Stock Depth", default=0.0)
    max_shipments = fields.Integer(default=3, required=True)
    min_shipment_value = fields.Float(
        string="Minimum Value per Shipment", help="When an order is split."
    )
    fallback = fields.Selection(
        [
            ("hold", "Hold for review"),
            ("backorder", "Backorder at the DC"),
            ("dropship", "Drop-ship"),
        ],
        string="When Nothing Can Serve",
        default="hold",
        required=True,
    )
    backorder_node_id = fields.Many2one(
        "omni.fulfilment.node",
        string="Backorder Node",
        domain=[("kind", "=", "dc")],
        check_company=True,
    )

    _sql_constraints = [
        ("max_shipments_positive", "CHECK(max_shipments >= 1)", "At least one shipment."),
    ]

    @api.constrains("zip_ranges")
    def _check_zip_ranges(self):
        for rule in self:
            for part in (rule.zip_ranges or "").split(","):
                if part.strip() and not ZIP_RANGE.match(part):
                    raise ValidationError(
                        self.env._("Bad postal code range: %(range)s", range=part.strip())
                    )

    # === BUSINESS METHODS === #

    def _omni_applies(self, order, mode):
        self.ensure_one()
        partner = order.partner_shipping_id
        if self.mode not in ("any", mode):
            return False
        if self.team_ids and order.team_id not in self.team_ids:
            return False
        if self.country_ids and partner.country_id not in self.country_ids:
            return False
        if self.zip_ranges and not self._omni_zip_in_ranges(partner.zip):
            return False
        if self.categ_ids:
            categs = order.order_line.product_id.categ_id
            parents = set()
            for categ in categs:
                parents.update(int(x) for x in (categ.parent_path or "").split("/") if x)
            if not parents & set(self.categ_ids.ids):
                return False
        amount = order.amount_untaxed
        if amount < self.min_amount or (self.max_amount and amount > self.max_amount):
            return False
        return True

    def _omni_zip_in_ranges(self, zip_code):
        code = (zip_code or "").strip().replace(" ", "")
        if not code:
            return False
        for part in (self.zip_ranges or "").split(","):
            match = ZIP_RANGE.match(part)
            if not match:
                continue
            low, high = match.group(1), match.group(2) or match.group(1)
            width = max(len(low), len(high))
            candidate = code[:width].ljust(width, "0") if len(code) >= len(low) else code
            if low <= candidate <= high:
                return True
        return False

    def _omni_engine_rule(self):
        from ..sourcing import Rule

        self.ensure_one()
        kinds = {
            kind
            for kind, allowed in (
                ("dc", self.allow_dc),
                ("store", self.allow_store),
                ("supplier", self.allow_supplier),
            )
            if allowed
        }
        weights = [
            ("distance", self.weight_distance),
            ("cost", self.weight_cost),
            ("capacity", self.weight_capacity),
            ("depth", self.weight_depth),
        ]
        # priority order: highest weight first (stable on the fixed order above)
        criteria = tuple(sorted(weights, key=lambda cw: -cw[1]))
        return Rule(
            id=self.id,
            name=self.name,
            kinds=frozenset(kinds),
            strategy=self.strategy,
            criteria=criteria,
            max_shipments=self.max_shipments,
            min_shipment_value=self.min_shipment_value,
            fallback=self.fallback,
            backorder_node_id=self.backorder_node_id.id or None,
        )
