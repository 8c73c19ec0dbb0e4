from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

from ..scoring import compute_tier, kpi_crosses
from .omni_loyalty_scorecard import month_start

KPI_SELECTION = [
    ("otif_rate", "OTIF (%)"),
    ("lead_time_avg", "Lead Time (days)"),
    ("fill_rate", "Fill Rate (%)"),
    ("return_rate", "Returns (%)"),
    ("price_deviation", "Price Deviation (%)"),
    ("score", "Score"),
    ("revenue", "Revenue"),
    ("margin_rate", "Margin (%)"),
    ("revenue_trend", "Revenue Trend (%)"),
    ("order_count", "Orders"),
    ("order_frequency", "Orders per Month"),
    ("days_since_last_order", "Days Since Last Order"),
    ("avg_days_late", "Payment Days Late"),
    ("rating_avg", "Delivery Rating"),
]


class OmniLoyaltyCampaign(models.Model):
    """When <trigger> then <steps>: evaluated on the scorecard snapshots (and the current
    bonus period for "tier almost reached"); events are unique per campaign, step, partner
    and period, so re-running never fires twice."""

    _name = "omni.loyalty.campaign"
    _description = "Loyalty Campaign"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_kind = fields.Selection(
        [("customer", "Customers"), ("supplier", "Suppliers")], required=True, default="customer"
    )
    trigger = fields.Selection(
        [
            ("kpi", "A KPI crosses a threshold"),
            ("signal", "Buying-less signal fires"),
            ("grade", "The grade changes"),
            ("tier", "A bonus tier is almost reached"),
        ],
        required=True,
        default="kpi",
    )
    kpi = fields.Selection(KPI_SELECTION, "KPI")
    operator = fields.Selection([("<", "falls below"), (">", "rises above")], default="<")
    threshold = fields.Float()
    grade_id = fields.Many2one(
        "omni.loyalty.grade",
        "To Grade",
        check_company=True,
        help="Fire only when the new grade is this one; empty fires on any change.",
    )
    bonus_rule_id = fields.Many2one("omni.loyalty.bonus.rule", check_company=True)
    near_percent = fields.Float(
        "Almost Reached Within (%)",
        default=10.0,
        help="Fire when the missing volume is at most this share of the next threshold.",
    )
    step_ids = fields.One2many("omni.loyalty.campaign.step", "campaign_id", copy=True)
    event_ids = fields.One2many("omni.loyalty.campaign.event", "campaign_id")
    event_count = fields.Integer(compute="_compute_event_count")

    # === COMPUTE METHODS === #

    def _compute_event_count(self):
        groups = self.env["omni.loyalty.campaign.event"]._read_group(
            [("campaign_id", "in", self.ids)], ["campaign_id"], ["__count"]
        )
        counts = {campaign.id: count for campaign, count in groups}
        for campaign in self:
            campaign.event_count = counts.get(campaign.id, 0)

    # === BUSINESS === #

    def _matching_partners(self, period_date):
        """{partner_id: reason} of the partners that meet the trigger for ``period_date``."""
        self.ensure_one()
        Scorecard = self.env["omni.loyalty.scorecard"]
        base = [("company_id", "=", self.company_id.id), ("kind", "=", self.partner_kind)]
        if self.trigger == "tier":
            return self._matching_tier_partners(period_date)
        cards = Scorecard.search(base + [("period_date", "=", period_date)])
        result = {}
        if self.trigger == "kpi" and self.kpi:
            previous = Scorecard.search(
                base + [("period_date", "=", period_date - relativedelta(months=1))]
            )
            previous_value = {card.partner_id.id: card[self.kpi] for card in previous}
            for card in cards:
                prev = previous_value.get(card.partner_id.id)
                if kpi_crosses(prev, card[self.kpi], self.operator, self.threshold):
                    result[card.partner_id.id] = _(
                        "%(kpi)s is %(value)s (threshold %(threshold)s)",
                        kpi=dict(KPI_SELECTION)[self.kpi],
                        value=card[self.kpi],
                        threshold=self.threshold,
                    )
        elif self.trigger == "signal":
            for card in cards.filtered("signal_buying_less"):
                categories = card.category_ids.filtered("buying_less").categ_id
                result[card.partner_id.id] = _(
                    "buys less of %(categories)s", categories=", ".join(categories.mapped("name"))
                )
        elif self.trigger == "grade":
            for card in cards:
                changed = card.previous_grade_id and card.grade_id != card.previous_grade_id
                if changed and (not self.grade_id or card.grade_id == self.grade_id):
                    result[card.partner_id.id] = _(
                        "grade changed from %(old)s to %(new)s",
                        old=card.previous_grade_id.name,
                        new=card.grade_id.name or "-",
                    )
        return result

    def _matching_tier_partners(self, period_date):
        rule = self.bonus_rule_id
        if not rule:
            return {}
        date_from, date_to = rule._period_bounds(period_date)
        result = {}
        tiers = rule._tiers()
        for partner_id, volume in rule._volumes(date_from, date_to).items():
            status = compute_tier(volume, tiers, rule.mode)
            if status.next_tier and status.missing <= status.next_tier.min_amount * (
                self.near_percent / 100.0
            ):
                result[partner_id] = _(
                    "%(missing)s missing to the %(percent)s %% tier of %(rule)s",
                    missing=status.missing,
                    percent=status.next_tier.percent,
                    rule=rule.name,
                )
        return result

    def _schedule(self, period_date, today=None):
        """Create the events of every step for the partners matching in ``period_date``."""
        Event = self.env["omni.loyalty.campaign.event"]
        today = today or fields.Date.context_today(self)
        created = Event
        for campaign in self:
            matches = campaign._matching_partners(period_date)
            if not matches or not campaign.step_ids:
                continue
            existing = Event.search(
                [
                    ("campaign_id", "=", campaign.id),
                    ("period_date", "=", period_date),
                    ("partner_id", "in", list(matches)),
                ]
            )
            seen = {(e.partner_id.id, e.step_id.id) for e in existing}
            vals_list = [
                {
                    "campaign_id": campaign.id,
                    "step_id": step.id,
                    "partner_id": partner_id,
                    "period_date": period_date,
                    "scheduled_date": today + relativedelta(days=step.delay_days),
                    "reason": reason,
                }
                for partner_id, reason in matches.items()
                for step in campaign.step_ids
                if (partner_id, step.id) not in seen
            ]
            created |= Event.create(vals_list)
        return created

    @api.model
    def _cron_run(self):
        """Evaluate every campaign on last month's snapshots, then run the due steps."""
        today = fields.Date.context_today(self)
        last_month = month_start(today) - relativedelta(months=1)
        for campaign in self.search([]):
            campaign = campaign.with_company(campaign.company_id)
            period = today if campaign.trigger == "tier" else last_month
            if campaign.trigger == "tier" and campaign.bonus_rule_id:
                period = campaign.bonus_rule_id._period_bounds(today)[0]
            campaign._schedule(period, today)
        self.env["omni.loyalty.campaign.event"]._process_due(today)

    def action_run_now(self):
        self._cron_run()
        return self.action_view_events()

    def action_view_events(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Campaign Events"),
            "res_model": "omni.loyalty.campaign.event",
            "view_mode": "list,form",
            "domain": [("campaign_id", "in", self.ids)],
        }
