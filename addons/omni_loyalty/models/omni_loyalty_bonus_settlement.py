from odoo import _, api, fields, models


class OmniLoyaltyBonusSettlement(models.Model):
    """The bonus of one rule for one partner and one period, computed once."""

    _name = "omni.loyalty.bonus.settlement"
    _description = "Bonus Settlement"
    _order = "period_start desc, id desc"
    _check_company_auto = True

    rule_id = fields.Many2one(
        "omni.loyalty.bonus.rule", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(related="rule_id.company_id", store=True)
    currency_id = fields.Many2one(related="rule_id.currency_id")
    partner_kind = fields.Selection(related="rule_id.partner_kind", store=True)
    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="restrict")
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    volume = fields.Monetary(currency_field="currency_id", aggregator="sum")
    percent = fields.Float("Bonus (%)", digits=(16, 2))
    amount = fields.Monetary("Bonus", currency_field="currency_id", aggregator="sum")
    points = fields.Float()
    move_id = fields.Many2one("account.move", "Document", readonly=True, copy=False)
    loyalty_card_id = fields.Many2one("loyalty.card", readonly=True, copy=False)

    _sql_constraints = [
        (
            "rule_partner_period_unique",
            "unique(rule_id, partner_id, period_start)",
            "This partner's bonus for this period is already settled.",
        )
    ]

    @api.depends("rule_id", "partner_id", "period_start")
    def _compute_display_name(self):
        for settlement in self:
            settlement.display_name = _(
                "%(rule)s / %(partner)s / %(start)s",
                rule=settlement.rule_id.name or "",
                partner=settlement.partner_id.display_name or "",
                start=settlement.period_start or "",
            )

    def _prepare_move_vals(self):
        self.ensure_one()
        rule = self.rule_id
        return {
            "move_type": "out_refund" if rule.partner_kind == "customer" else "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "invoice_origin": rule.name,
            "omni_bonus_settlement_id": self.id,
            "invoice_line_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": rule.product_id.id,
                        "name": _(
                            "Volume bonus %(rule)s, %(start)s to %(end)s: %(percent)s %% of "
                            "%(volume)s",
                            rule=rule.name,
                            start=self.period_start,
                            end=self.period_end,
                            percent=self.percent,
                            volume=self.volume,
                        ),
                        "quantity": 1,
                        "price_unit": self.amount,
                        "tax_ids": [(6, 0, [])],
                    },
                )
            ],
        }

    def _settle(self):
        """Create the credit note, rebate claim or loyalty points of each settlement."""
        moves_vals = []
        to_move = self.browse()
        for settlement in self:
            if settlement.rule_id.reward == "points":
                settlement._grant_points()
            else:
                moves_vals.append(settlement._prepare_move_vals())
                to_move |= settlement
        moves = self.env["account.move"].create(moves_vals)
        for settlement, move in zip(to_move, moves, strict=True):
            settlement.move_id = move

    def _grant_points(self):
        self.ensure_one()
        rule = self.rule_id
        points = round(self.amount * rule.points_per_currency, 2)
        card = self.env["loyalty.card"]._omni_get_or_create(
            rule.loyalty_program_id, self.partner_id
        )
        card._omni_add_points(points, _("Volume bonus %(rule)s", rule=rule.name))
        self.write({"points": points, "loyalty_card_id": card.id})
