from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount

from ..scoring import Tier, compute_tier

PERIODS = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]


class OmniLoyaltyBonusRule(models.Model):
    """Volume-tier bonus for customers (credit note or loyalty points) or suppliers
    (rebate claim). The volume is the net invoiced amount (invoices minus credit notes)
    of the period, optionally restricted to product categories and brands (product tags)."""

    _name = "omni.loyalty.bonus.rule"
    _description = "Bonus Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_kind = fields.Selection(
        [("customer", "Customers"), ("supplier", "Suppliers")],
        "Applies To",
        required=True,
        default="customer",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Partners",
        check_company=True,
        help="Leave empty to apply the rule to every partner with volume.",
    )
    categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Only volume of these categories (and their sub-categories) counts.",
    )
    brand_tag_ids = fields.Many2many(
        "product.tag",
        string="Brands",
        help="Only volume of products carrying one of these tags counts.",
    )
    period = fields.Selection(PERIODS, required=True, default="year")
    mode = fields.Selection(
        [("retroactive", "Retroactive"), ("incremental", "Incremental")],
        required=True,
        default="retroactive",
        help="Retroactive: the reached percent applies to the whole volume. "
        "Incremental: each slice between two thresholds earns its own percent.",
    )
    reward = fields.Selection(
        [
            ("credit_note", "Credit note"),
            ("points", "Loyalty points"),
            ("claim", "Rebate claim to invoice"),
        ],
        required=True,
        default="credit_note",
    )
    loyalty_program_id = fields.Many2one("loyalty.program", check_company=True)
    points_per_currency = fields.Float(
        "Points per Currency Unit", default=1.0, help="Points granted per unit of bonus amount."
    )
    product_id = fields.Many2one(
        "product.product",
        "Bonus Product",
        default=lambda self: self.env.ref(
            "omni_loyalty.product_omni_bonus", raise_if_not_found=False
        ),
        help="Product used on the credit note or rebate claim.",
    )
    tier_ids = fields.One2many("omni.loyalty.bonus.tier", "rule_id", "Tiers", copy=True)
    settlement_ids = fields.One2many("omni.loyalty.bonus.settlement", "rule_id")

    # === CONSTRAINTS === #

    @api.constrains("partner_kind", "reward", "loyalty_program_id")
    def _check_reward(self):
        for rule in self:
            if rule.partner_kind == "supplier" and rule.reward != "claim":
                raise UserError(_("Supplier bonuses are settled as a rebate claim."))
            if rule.partner_kind == "customer" and rule.reward == "claim":
                raise UserError(_("Customer bonuses are a credit note or loyalty points."))
            if rule.reward == "points" and not rule.loyalty_program_id:
                raise UserError(_("Loyalty points need a loyalty program."))

    # === BUSINESS === #

    def _period_bounds(self, day):
        self.ensure_one()
        if self.period == "month":
            start = day.replace(day=1)
            return start, start + relativedelta(months=1)
        if self.period == "quarter":
            start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
            return start, start + relativedelta(months=3)
        start = day.replace(month=1, day=1)
        return start, start + relativedelta(years=1)

    def _tiers(self):
        return [Tier(t.min_amount, t.percent) for t in self.tier_ids]

    def _volumes(self, date_from, date_to, partner_ids=None):
        """Net invoiced volume per commercial partner in [date_from, date_to), one query.

        Credit notes reduce the volume; our own bonus documents never count."""
        self.ensure_one()
        self.env.flush_all()
        if self.partner_kind == "customer":
            move_types, sign = ("out_invoice", "out_refund"), SQL("-1")
        else:
            move_types, sign = ("in_invoice", "in_refund"), SQL("1")
        conditions = [SQL("TRUE")]
        restrict = partner_ids if partner_ids is not None else self.partner_ids.ids or None
        if restrict is not None:
            conditions.append(SQL("am.commercial_partner_id = ANY(%s)", list(restrict)))
        if self.categ_ids:
            paths = [SQL("pc.parent_path LIKE %s", c.parent_path + "%") for c in self.categ_ids]
            conditions.append(SQL("(%s)", SQL(" OR ").join(paths)))
        if self.brand_tag_ids:
            conditions.append(
                SQL(
                    """EXISTS (SELECT 1 FROM product_tag_product_template_rel rel
                        WHERE rel.product_template_id = pt.id
                          AND rel.product_tag_id = ANY(%s))""",
                    self.brand_tag_ids.ids,
                )
            )
        self.env.cr.execute(
            SQL(
                """
            SELECT am.commercial_partner_id, SUM(%(sign)s * aml.balance)
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN product_product pp ON pp.id = aml.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN product_category pc ON pc.id = pt.categ_id
             WHERE am.state = 'posted' AND am.move_type IN %(move_types)s
               AND aml.display_type = 'product' AND am.omni_bonus_settlement_id IS NULL
               AND aml.company_id = %(company)s
               AND aml.date >= %(date_from)s AND aml.date < %(date_to)s
               AND %(conditions)s
             GROUP BY am.commercial_partner_id
            """,
                sign=sign,
                move_types=move_types,
                company=self.company_id.id,
                date_from=date_from,
                date_to=date_to,
                conditions=SQL(" AND ").join(conditions),
            )
        )
        return {partner_id: float(volume or 0.0) for partner_id, volume in self.env.cr.fetchall()}

    def _tier_status(self, partner, day, extra_volume=0.0):
        """TierResult of ``partner`` in the period containing ``day``, plus ``extra_volume``."""
        self.ensure_one()
        date_from, date_to = self._period_bounds(day)
        commercial = partner.commercial_partner_id
        volume = self._volumes(date_from, date_to, [commercial.id]).get(commercial.id, 0.0)
        return compute_tier(volume + extra_volume, self._tiers(), self.mode)

    def _applies_to(self, partner):
        self.ensure_one()
        return not self.partner_ids or partner.commercial_partner_id in self.partner_ids

    def _describe_status(self, status):
        self.ensure_one()
        currency = self.currency_id
        if status.tier:
            text = _(
                "%(rule)s: volume %(volume)s, tier %(percent)s %%, bonus %(bonus)s.",
                rule=self.name,
                volume=format_amount(self.env, status.volume, currency),
                percent=status.tier.percent,
                bonus=format_amount(self.env, status.bonus, currency),
            )
        else:
            text = _(
                "%(rule)s: volume %(volume)s, no tier reached yet.",
                rule=self.name,
                volume=format_amount(self.env, status.volume, currency),
            )
        if status.next_tier:
            text += " " + _(
                "%(missing)s missing to reach %(percent)s %%.",
                missing=format_amount(self.env, status.missing, currency),
                percent=status.next_tier.percent,
            )
        return text

    def close_period(self, day):
        """Settle the period containing ``day`` for every partner of the rule.

        Idempotent: a partner already settled for that period is skipped (and the unique
        constraint on rule × partner × period refuses a second settlement anyway)."""
        Settlement = self.env["omni.loyalty.bonus.settlement"]
        created = Settlement
        for rule in self:
            date_from, date_to = rule._period_bounds(day)
            volumes = rule._volumes(date_from, date_to)
            done = set(
                Settlement.search(
                    [("rule_id", "=", rule.id), ("period_start", "=", date_from)]
                ).partner_id.ids
            )
            tiers = rule._tiers()
            vals_list = []
            for partner_id, volume in volumes.items():
                if partner_id in done:
                    continue
                status = compute_tier(volume, tiers, rule.mode)
                if status.bonus <= 0:
                    continue
                vals_list.append(
                    {
                        "rule_id": rule.id,
                        "partner_id": partner_id,
                        "period_start": date_from,
                        "period_end": date_to - relativedelta(days=1),
                        "volume": volume,
                        "percent": status.tier.percent,
                        "amount": status.bonus,
                    }
                )
            settlements = Settlement.create(vals_list)
            settlements._settle()
            created |= settlements
        return created

    def action_close_last_period(self):
        """Button: settle the last complete period of each rule."""
        today = fields.Date.context_today(self)
        settlements = self.env["omni.loyalty.bonus.settlement"]
        for rule in self:
            date_from, _date_to = rule._period_bounds(today)
            settlements |= rule.close_period(date_from - relativedelta(days=1))
        return {
            "type": "ir.actions.act_window",
            "name": _("Bonus Settlements"),
            "res_model": "omni.loyalty.bonus.settlement",
            "view_mode": "list,form",
            "domain": [("id", "in", settlements.ids)],
        }

    @api.model
    def _cron_close_periods(self):
        """Daily: settle every period that ended yesterday (no-op on other days)."""
        today = fields.Date.context_today(self)
        for rule in self.search([]):
            date_from, _date_to = rule._period_bounds(today)
            if date_from == today:
                rule.close_period(today - relativedelta(days=1))
