import logging
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..scoring import buying_less, grade_for, normalise_supplier_kpis, trend, weighted_total

_logger = logging.getLogger(__name__)

KIND = [("supplier", "Supplier"), ("customer", "Customer")]

#: numeric KPI fields a campaign can watch, per kind
SUPPLIER_KPI_FIELDS = [
    "otif_rate",
    "lead_time_avg",
    "lead_time_std",
    "fill_rate",
    "return_rate",
    "price_deviation",
    "score",
]
CUSTOMER_KPI_FIELDS = [
    "order_frequency",
    "revenue",
    "margin",
    "margin_rate",
    "revenue_trend",
    "order_count",
    "days_since_last_order",
    "return_rate",
    "avg_days_late",
    "rating_avg",
]


def month_start(day):
    return date(day.year, day.month, 1)


class OmniLoyaltyScorecard(models.Model):
    """One snapshot per partner, company, kind (supplier/customer) and month.

    KPIs are filled by SQL aggregates over the whole partner set at once
    (:meth:`_compute_snapshots`); the arithmetic lives in :mod:`..scoring`.
    """

    _name = "omni.loyalty.scorecard"
    _description = "Partner Scorecard"
    _order = "period_date desc, kind, partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(KIND, required=True, index=True)
    period_date = fields.Date(
        "Month", required=True, index=True, help="First day of the month the snapshot covers."
    )
    salesperson_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    buyer_id = fields.Many2one(related="partner_id.buyer_id", string="Buyer")
    # --- supplier KPIs ---
    line_count = fields.Integer("Promised Lines", aggregator="sum")
    otif_rate = fields.Float("OTIF (%)", digits=(16, 2), aggregator="avg")
    lead_time_avg = fields.Float("Lead Time (days)", digits=(16, 2), aggregator="avg")
    lead_time_std = fields.Float("Lead Time Spread (days)", digits=(16, 2), aggregator="avg")
    fill_rate = fields.Float("Fill Rate (%)", digits=(16, 2), aggregator="avg")
    price_deviation = fields.Float(
        "Price Deviation (%)",
        digits=(16, 2),
        aggregator="avg",
        help="Billed amount against the ordered price; positive means billed above the order.",
    )
    score = fields.Float(digits=(16, 2), aggregator="avg")
    grade_id = fields.Many2one("omni.loyalty.grade", check_company=True)
    previous_grade_id = fields.Many2one("omni.loyalty.grade", check_company=True)
    # --- shared ---
    return_rate = fields.Float(
        "Returns (%)", digits=(16, 2), aggregator="avg", help="Quantity returned or rejected."
    )
    # --- customer KPIs ---
    revenue = fields.Monetary(currency_field="currency_id", aggregator="sum")
    margin = fields.Monetary(currency_field="currency_id", aggregator="sum")
    margin_rate = fields.Float("Margin (%)", digits=(16, 2), aggregator="avg")
    revenue_trend = fields.Float(
        "Revenue Trend (%)", digits=(16, 2), aggregator="avg", help="Against the previous month."
    )
    order_count = fields.Integer("Orders", aggregator="sum")
    order_frequency = fields.Float(
        "Orders per Month",
        digits=(16, 2),
        aggregator="avg",
        help="Average confirmed orders per month over the 12 months up to the period end.",
    )
    days_since_last_order = fields.Integer(aggregator="avg")
    avg_days_late = fields.Float("Payment Days Late", digits=(16, 2), aggregator="avg")
    rating_avg = fields.Float("Delivery Rating", digits=(16, 2), aggregator="avg")
    signal_buying_less = fields.Boolean("Buying Less")
    category_ids = fields.One2many("omni.loyalty.scorecard.category", "scorecard_id")

    _sql_constraints = [
        (
            "partner_period_unique",
            "unique(partner_id, company_id, kind, period_date)",
            "There is already a scorecard for this partner and month.",
        )
    ]

    # === COMPUTE METHODS === #

    @api.depends("partner_id", "period_date", "kind")
    def _compute_display_name(self):
        for card in self:
            card.display_name = _(
                "%(partner)s %(month)s",
                partner=card.partner_id.display_name or "",
                month=card.period_date.strftime("%Y-%m") if card.period_date else "",
            )

    # === BUSINESS === #

    @api.model
    def _period_bounds(self, period_date):
        start = month_start(period_date)
        end = start + relativedelta(months=1)
        return start, end

    @api.model
    def _supplier_kpi_rows(self, company, date_from, date_to, partner_ids=None):
        """One SQL aggregate over purchase lines promised in the period, their receipts,
        returns and bills. Returns {commercial_partner_id: raw KPI dict}."""
        partner_filter = SQL("")
        if partner_ids is not None:
            partner_filter = SQL("AND p.commercial_partner_id = ANY(%s)", list(partner_ids))
        query = SQL(
            """
            WITH lines AS (
                SELECT pol.id, p.commercial_partner_id AS partner_id,
                       pol.product_uom_qty AS ordered, pol.price_unit,
                       pol.date_planned::date AS promised, po.date_approve
                  FROM purchase_order_line pol
                  JOIN purchase_order po ON po.id = pol.order_id
                  JOIN res_partner p ON p.id = pol.partner_id
                 WHERE po.state IN ('purchase', 'done')
                   AND pol.display_type IS NULL
                   AND pol.company_id = %(company)s
                   AND pol.date_planned >= %(date_from)s AND pol.date_planned < %(date_to)s
                   %(partner_filter)s
            ), moves AS (
                SELECT l.id AS line_id,
                       SUM(sm.product_qty) FILTER (WHERE src.usage = 'supplier') AS received,
                       SUM(sm.product_qty) FILTER (
                           WHERE src.usage = 'supplier' AND sm.date::date <= l.promised
                       ) AS received_on_time,
                       SUM(sm.product_qty) FILTER (WHERE dst.usage = 'supplier') AS returned
                  FROM lines l
                  JOIN stock_move sm ON sm.purchase_line_id = l.id AND sm.state = 'done'
                  JOIN stock_location src ON src.id = sm.location_id
                  JOIN stock_location dst ON dst.id = sm.location_dest_id
                 GROUP BY l.id
            ), leads AS (
                SELECT l.partner_id,
                       AVG(EXTRACT(EPOCH FROM sm.date - l.date_approve) / 86400.0) AS lead_avg,
                       STDDEV_POP(EXTRACT(EPOCH FROM sm.date - l.date_approve) / 86400.0)
                           AS lead_std
                  FROM lines l
                  JOIN stock_move sm ON sm.purchase_line_id = l.id AND sm.state = 'done'
                  JOIN stock_location src ON src.id = sm.location_id AND src.usage = 'supplier'
                 GROUP BY l.partner_id
            ), bills AS (
                SELECT l.partner_id,
                       SUM(aml.price_unit * aml.quantity) AS billed,
                       SUM(l.price_unit * aml.quantity) AS expected
                  FROM lines l
                  JOIN account_move_line aml ON aml.purchase_line_id = l.id
                  JOIN account_move am ON am.id = aml.move_id
                 WHERE am.state = 'posted' AND am.move_type = 'in_invoice'
                 GROUP BY l.partner_id
            )
            SELECT l.partner_id,
                   COUNT(*) AS line_count,
                   COUNT(*) FILTER (WHERE COALESCE(m.received_on_time, 0) >= l.ordered)
                       AS otif_count,
                   SUM(LEAST(COALESCE(m.received, 0), l.ordered)) AS filled,
                   SUM(l.ordered) AS ordered,
                   SUM(COALESCE(m.received, 0)) AS received,
                   SUM(COALESCE(m.returned, 0)) AS returned,
                   MAX(le.lead_avg) AS lead_avg,
                   MAX(le.lead_std) AS lead_std,
                   MAX(b.billed) AS billed,
                   MAX(b.expected) AS expected
              FROM lines l
              LEFT JOIN moves m ON m.line_id = l.id
              LEFT JOIN leads le ON le.partner_id = l.partner_id
              LEFT JOIN bills b ON b.partner_id = l.partner_id
             GROUP BY l.partner_id
            """,
            company=company.id,
            date_from=date_from,
            date_to=date_to,
            partner_filter=partner_filter,
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        result = {}
        for row in self.env.cr.dictfetchall():
            result[row["partner_id"]] = self._supplier_kpis_from_row(row)
        return result

    @api.model
    def _supplier_kpis_from_row(self, row):
        def pct(num, den):
            return round(100.0 * float(num) / float(den), 2) if den else None

        return {
            "line_count": row["line_count"],
            "otif_rate": pct(row["otif_count"], row["line_count"]),
            "fill_rate": pct(row["filled"], row["ordered"]),
            "return_rate": pct(row["returned"], row["received"]),
            "lead_time_avg": None if row["lead_avg"] is None else round(float(row["lead_avg"]), 2),
            "lead_time_std": None if row["lead_std"] is None else round(float(row["lead_std"]), 2),
            "price_deviation": (
                round(
                    100.0
                    * (float(row["billed"]) - float(row["expected"]))
                    / float(row["expected"]),
                    2,
                )
                if row["expected"]
                else None
            ),
        }

    @api.model
    def _customer_kpi_rows(self, company, date_from, date_to, partner_ids=None):
        """SQL aggregates per commercial customer: invoiced revenue and margin, orders and
        recency, delivered and returned quantities, payment delays and delivery ratings.
        Returns {commercial_partner_id: raw KPI dict}."""
        cr = self.env.cr
        self.env.flush_all()
        ids = list(partner_ids) if partner_ids is not None else None

        def pfilter(column):
            if ids is None:
                return SQL("")
            return SQL("AND %s = ANY(%s)", SQL(column), ids)

        result = {}

        def slot(partner_id):
            return result.setdefault(
                partner_id,
                {
                    "revenue": 0.0,
                    "cost": 0.0,
                    "order_count": 0,
                    "order_frequency": 0.0,
                    "last_order": None,
                    "delivered": 0.0,
                    "returned": 0.0,
                    "avg_days_late": None,
                    "rating_avg": None,
                },
            )

        # invoiced revenue (credit notes reduce it) and cost at the current product cost
        cr.execute(
            SQL(
                """
            SELECT am.commercial_partner_id AS partner_id,
                   SUM(-aml.balance) AS revenue,
                   SUM(CASE WHEN am.move_type = 'out_refund' THEN -1 ELSE 1 END * aml.quantity
                       * COALESCE((pp.standard_price ->> %(company_key)s)::numeric, 0)) AS cost
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              LEFT JOIN product_product pp ON pp.id = aml.product_id
             WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
               AND aml.display_type = 'product' AND am.omni_bonus_settlement_id IS NULL
               AND aml.company_id = %(company)s
               AND aml.date >= %(date_from)s AND aml.date < %(date_to)s
               %(pfilter)s
             GROUP BY am.commercial_partner_id
            """,
                company=company.id,
                company_key=str(company.id),
                date_from=date_from,
                date_to=date_to,
                pfilter=pfilter("am.commercial_partner_id"),
            )
        )
        for partner_id, revenue, cost in cr.fetchall():
            data = slot(partner_id)
            data["revenue"] = float(revenue or 0.0)
            data["cost"] = float(cost or 0.0)
        # confirmed orders in the period and the last order up to the period end
        cr.execute(
            SQL(
                """
            SELECT p.commercial_partner_id,
                   COUNT(*) FILTER (WHERE so.date_order >= %(date_from)s) AS orders,
                   COUNT(*) FILTER (WHERE so.date_order >= %(year_from)s) AS orders_year,
                   MAX(so.date_order) AS last_order
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale' AND so.company_id = %(company)s
               AND so.date_order < %(date_to)s
               %(pfilter)s
             GROUP BY p.commercial_partner_id
            """,
                company=company.id,
                date_from=datetime.combine(date_from, time.min),
                year_from=datetime.combine(date_to - relativedelta(months=12), time.min),
                date_to=datetime.combine(date_to, time.min),
                pfilter=pfilter("p.commercial_partner_id"),
            )
        )
        for partner_id, orders, orders_year, last_order in cr.fetchall():
            if not orders and partner_id not in result:
                continue
            data = slot(partner_id)
            data["order_count"] = orders
            data["order_frequency"] = round(orders_year / 12.0, 2)
            data["last_order"] = last_order
        # delivered and returned quantities
        cr.execute(
            SQL(
                """
            SELECT p.commercial_partner_id,
                   SUM(sm.product_qty) FILTER (WHERE dst.usage = 'customer') AS delivered,
                   SUM(sm.product_qty) FILTER (WHERE src.usage = 'customer') AS returned
              FROM stock_move sm
              JOIN sale_order_line sol ON sol.id = sm.sale_line_id
              JOIN res_partner p ON p.id = sol.order_partner_id
              JOIN stock_location src ON src.id = sm.location_id
              JOIN stock_location dst ON dst.id = sm.location_dest_id
             WHERE sm.state = 'done' AND sm.company_id = %(company)s
               AND sm.date >= %(date_from)s AND sm.date < %(date_to)s
               %(pfilter)s
             GROUP BY p.commercial_partner_id
            """,
                company=company.id,
                date_from=datetime.combine(date_from, time.min),
                date_to=datetime.combine(date_to, time.min),
                pfilter=pfilter("p.commercial_partner_id"),
            )
        )
        for partner_id, delivered, returned in cr.fetchall():
            data = slot(partner_id)
            data["delivered"] = float(delivered or 0.0)
            data["returned"] = float(returned or 0.0)
        # payment punctuality: invoices due in the period, late days until paid (or period end)
        cr.execute(
            SQL(
                """
            WITH due AS (
                SELECT am.id, am.commercial_partner_id AS partner_id, am.invoice_date_due,
                       am.amount_residual,
                       (SELECT MAX(apr.max_date)
                          FROM account_move_line rl
                          JOIN account_account aa ON aa.id = rl.account_id
                          JOIN account_partial_reconcile apr ON apr.debit_move_id = rl.id
                         WHERE rl.move_id = am.id AND aa.account_type = 'asset_receivable'
                       ) AS paid_on
                  FROM account_move am
                 WHERE am.state = 'posted' AND am.move_type = 'out_invoice'
                   AND am.company_id = %(company)s
                   AND am.invoice_date_due >= %(date_from)s AND am.invoice_date_due < %(date_to)s
                   %(pfilter)s
            )
            SELECT partner_id,
                   AVG(GREATEST(
                       CASE WHEN amount_residual = 0 AND paid_on IS NOT NULL THEN paid_on
                            ELSE LEAST(%(last_day)s::date, %(today)s::date) END
                       - invoice_date_due, 0)) AS days_late
              FROM due
             GROUP BY partner_id
            """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                last_day=date_to - relativedelta(days=1),
                today=fields.Date.context_today(self),
                pfilter=pfilter("am.commercial_partner_id"),
            )
        )
        for partner_id, days_late in cr.fetchall():
            slot(partner_id)["avg_days_late"] = round(float(days_late), 2)
        # delivery ratings given through the portal
        cr.execute(
            SQL(
                """
            SELECT p.commercial_partner_id, AVG(f.rating)
              FROM omni_loyalty_feedback f
              JOIN res_partner p ON p.id = f.partner_id
             WHERE f.rating > 0 AND f.company_id = %(company)s
               AND f.rated_on >= %(date_from)s AND f.rated_on < %(date_to)s
               %(pfilter)s
             GROUP BY p.commercial_partner_id
            """,
                company=company.id,
                date_from=datetime.combine(date_from, time.min),
                date_to=datetime.combine(date_to, time.min),
                pfilter=pfilter("p.commercial_partner_id"),
            )
        )
        for partner_id, rating in cr.fetchall():
            slot(partner_id)["rating_avg"] = round(float(rating), 2)
        for data in result.values():
            data["margin"] = round(data["revenue"] - data["cost"], 2)
            data["margin_rate"] = (
                round(100.0 * data["margin"] / data["revenue"], 2) if data["revenue"] else None
            )
            data["return_rate"] = (
                round(100.0 * data["returned"] / data["delivered"], 2)
                if data["delivered"]
                else None
            )
            last = data["last_order"]
            data["days_since_last_order"] = (
                (date_to - relativedelta(days=1) - last.date()).days if last else None
            )
        return result

    @api.model
    def _category_revenue_rows(self, company, date_from, date_to, months, partner_ids=None):
        """Revenue per customer × product category × month, from ``months`` months before the
        period up to its end: {(partner, categ): {month_start: revenue}}."""
        pfilter = SQL("")
        if partner_ids is not None:
            pfilter = SQL("AND am.commercial_partner_id = ANY(%s)", list(partner_ids))
        self.env.cr.execute(
            SQL(
                """
            SELECT am.commercial_partner_id, pt.categ_id,
                   date_trunc('month', aml.date)::date AS month, SUM(-aml.balance)
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              JOIN product_product pp ON pp.id = aml.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
               AND aml.display_type = 'product' AND am.omni_bonus_settlement_id IS NULL
               AND aml.company_id = %(company)s
               AND aml.date >= %(start)s AND aml.date < %(date_to)s
               %(pfilter)s
             GROUP BY 1, 2, 3
            """,
                company=company.id,
                start=date_from - relativedelta(months=months),
                date_to=date_to,
                pfilter=pfilter,
            )
        )
        result = {}
        for partner_id, categ_id, month, revenue in self.env.cr.fetchall():
            result.setdefault((partner_id, categ_id), {})[month] = float(revenue or 0.0)
        return result

    @api.model
    def _compute_snapshots(self, period_date, kinds=("supplier", "customer"), partner_ids=None):
        """Create or refresh the snapshots of ``period_date``'s month for the current company.

        Idempotent: running it again for the same month updates the same records.
        """
        company = self.env.company
        date_from, date_to = self._period_bounds(period_date)
        cards = self.browse()
        for kind in kinds:
            if kind == "supplier":
                rows = self._supplier_kpi_rows(company, date_from, date_to, partner_ids)
            else:
                rows = self._customer_kpi_rows(company, date_from, date_to, partner_ids)
            vals_by_partner = self._prepare_snapshot_vals(kind, company, date_from, date_to, rows)
            cards |= self._store_snapshots(kind, company, date_from, vals_by_partner)
        return cards

    @api.model
    def _prepare_snapshot_vals(self, kind, company, date_from, date_to, rows):
        previous = self.search(
            [
                ("company_id", "=", company.id),
                ("kind", "=", kind),
                ("period_date", "=", date_from - relativedelta(months=1)),
                ("partner_id", "in", list(rows)),
            ]
        )
        previous_by_partner = {card.partner_id.id: card for card in previous}
        result = {}
        if kind == "supplier":
            weights = company._omni_loyalty_weights()
            grades = self.env["omni.loyalty.grade"].search([("company_id", "=", company.id)])
            bands = [(g.min_score, g.id) for g in grades]
            for partner_id, kpis in rows.items():
                scores = normalise_supplier_kpis(kpis, company.omni_loyalty_lead_time_target)
                total = weighted_total(scores, weights)
                prev = previous_by_partner.get(partner_id)
                result[partner_id] = {
                    **{k: v or 0.0 for k, v in kpis.items()},
                    "score": total or 0.0,
                    "grade_id": grade_for(total, bands) or False,
                    "previous_grade_id": prev.grade_id.id if prev else False,
                }
            return result
        months = company.omni_loyalty_buying_less_months or 6
        categ_rows = self._category_revenue_rows(company, date_from, date_to, months, list(rows))
        history_months = [date_from - relativedelta(months=i) for i in range(months, 0, -1)]
        lines_by_partner = {}
        for (partner_id, categ_id), by_month in categ_rows.items():
            current = by_month.get(date_from, 0.0)
            history = [by_month.get(month, 0.0) for month in history_months]
            baseline = sum(history) / len(history)
            signal = buying_less(
                current,
                history,
                rows.get(partner_id, {}).get("order_count", 0),
                threshold=company.omni_loyalty_buying_less_threshold / 100.0,
                min_baseline=company.omni_loyalty_buying_less_min_baseline,
            )
            if not current and not signal:
                continue
            lines_by_partner.setdefault(partner_id, []).append(
                {
                    "categ_id": categ_id,
                    "revenue": current,
                    "baseline": round(baseline, 2),
                    "buying_less": signal,
                }
            )
        for partner_id, kpis in rows.items():
            prev = previous_by_partner.get(partner_id)
            lines = lines_by_partner.get(partner_id, [])
            revenue = kpis["revenue"]
            for line in lines:
                line["share"] = round(100.0 * line["revenue"] / revenue, 2) if revenue else 0.0
            result[partner_id] = {
                "revenue": revenue,
                "margin": kpis["margin"],
                "margin_rate": kpis["margin_rate"] or 0.0,
                "revenue_trend": (trend(revenue, prev.revenue) if prev else None) or 0.0,
                "order_count": kpis["order_count"],
                "order_frequency": kpis["order_frequency"],
                "days_since_last_order": kpis["days_since_last_order"] or 0,
                "return_rate": kpis["return_rate"] or 0.0,
                "avg_days_late": kpis["avg_days_late"] or 0.0,
                "rating_avg": kpis["rating_avg"] or 0.0,
                "signal_buying_less": any(line["buying_less"] for line in lines),
                "category_ids": [(5, 0, 0)] + [(0, 0, line) for line in lines],
            }
        return result

    @api.model
    def _store_snapshots(self, kind, company, date_from, vals_by_partner):
        existing = self.search(
            [
                ("company_id", "=", company.id),
                ("kind", "=", kind),
                ("period_date", "=", date_from),
                ("partner_id", "in", list(vals_by_partner)),
            ]
        )
        by_partner = {card.partner_id.id: card for card in existing}
        to_create = []
        cards = existing
        for partner_id, vals in vals_by_partner.items():
            card = by_partner.get(partner_id)
            if card:
                card.write(vals)
            else:
                to_create.append(
                    {
                        **vals,
                        "partner_id": partner_id,
                        "company_id": company.id,
                        "kind": kind,
                        "period_date": date_from,
                    }
                )
        if to_create:
            cards |= self.create(to_create)
        return cards

    @api.model
    def _cron_compute_last_month(self):
        """Monthly snapshot of the previous month for every company, then campaigns."""
        last_month = month_start(fields.Date.context_today(self)) - relativedelta(months=1)
        for company in self.env["res.company"].search([]):
            scoped = self.with_company(company).sudo()
            scoped._compute_snapshots(last_month)
        self.env["omni.loyalty.campaign"]._cron_run()

    # === DEMO === #

    @api.model
    def _omni_demo_generate(self):
        """A year of history for the demo partners, so graphs and one campaign show at once.

        Customer scorecards come from real posted invoices through the SQL above; supplier
        snapshots are written directly from a fixed curve (a receipt history of a year would
        make the demo installation slow)."""
        company = self.env.ref("base.main_company")
        self = self.with_company(company)
        ref = self.env.ref
        today = fields.Date.context_today(self)
        this_month = month_start(today)
        months = [this_month - relativedelta(months=i) for i in range(12, 0, -1)]
        grades = self.env["omni.loyalty.grade"].search([("company_id", "=", company.id)])
        bands = [(g.min_score, g.id) for g in grades]
        weights = company._omni_loyalty_weights()
        curves = {
            "omni_loyalty.partner_supplier_reliable_demo": (97, 98, 6, 0.3, 0.0, 0),
            "omni_loyalty.partner_supplier_average_demo": (82, 90, 12, 1.5, 1.0, 0),
            "omni_loyalty.partner_supplier_slipping_demo": (92, 96, 9, 0.8, 0.5, -5),
        }
        vals_list = []
        for xmlid, (otif, fill, lead, ret, dev, slope) in curves.items():
            previous = False
            for index, month in enumerate(months):
                drift = slope * max(0, index - 5)
                kpis = {
                    "otif_rate": max(0.0, otif + drift + (index % 3) - 1),
                    "fill_rate": max(0.0, fill + drift / 2),
                    "lead_time_avg": lead - drift / 4,
                    "lead_time_std": 1.0 + abs(drift) / 5,
                    "return_rate": ret - drift / 10,
                    "price_deviation": dev - drift / 5,
                    "line_count": 20 + index,
                }
                score = weighted_total(normalise_supplier_kpis(kpis), weights) or 0.0
                grade = grade_for(score, bands) or False
                vals_list.append(
                    {
                        **kpis,
                        "partner_id": ref(xmlid).id,
                        "company_id": company.id,
                        "kind": "supplier",
                        "period_date": month,
                        "score": score,
                        "grade_id": grade,
                        "previous_grade_id": previous,
                    }
                )
                previous = grade
        self.create(vals_list)
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        if journal:
            lamp, cushion = (
                ref("omni_loyalty.product_lamp_demo"),
                ref("omni_loyalty.product_cushion_demo"),
            )
            plans = {
                "omni_loyalty.partner_customer_growing_demo": lambda i: [
                    (lamp, 20 + 4 * i, 80.0),
                    (cushion, 40, 25.0),
                ],
                "omni_loyalty.partner_customer_shrinking_demo": lambda i: [
                    (lamp, 30, 80.0),
                    (cushion, 80 if i < 11 else 10, 25.0),
                ],
                "omni_loyalty.partner_customer_steady_demo": lambda i: [(lamp, 15, 80.0)],
            }
            moves_vals = []
            for xmlid, plan in plans.items():
                for index, month in enumerate(months):
                    moves_vals.append(
                        {
                            "move_type": "out_invoice",
                            "partner_id": ref(xmlid).id,
                            "journal_id": journal.id,
                            "invoice_date": month + relativedelta(days=9),
                            "invoice_line_ids": [
                                (
                                    0,
                                    0,
                                    {
                                        "product_id": p.id,
                                        "quantity": q,
                                        "price_unit": price,
                                        "tax_ids": [(6, 0, [])],
                                    },
                                )
                                for p, q, price in plan(index)
                            ],
                        }
                    )
            self.env["account.move"].create(moves_vals).action_post()
            for xmlid in plans:
                order = self.env["sale.order"].create(
                    {
                        "partner_id": ref(xmlid).id,
                        "order_line": [(0, 0, {"product_id": lamp.id, "product_uom_qty": 1})],
                    }
                )
                order.action_confirm()
                order.date_order = months[-1] + relativedelta(days=3)
            for month in months:
                self._compute_snapshots(month, kinds=("customer",))
        self.env["omni.loyalty.campaign"]._cron_run()
