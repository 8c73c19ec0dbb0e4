from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL

from .omni_order_event import CLOSING_STEPS, TIMELINE_STEPS
from .omni_sla_policy import SLA_STATES
from .omni_sourcing_rule import FULFILMENT_MODES


class OmniOrderTimelineReport(models.Model):
    """One row per timeline event with the time the order spent in that step.

    A view over ``omni_order_event``: the step is left when the order's next event is
    entered (``LEAD`` over the order's events, served by the (order_id, date, id) index);
    the current step runs until now. Nothing is stored twice.
    """

    _name = "omni.order.timeline.report"
    _description = "Omni Order Timeline Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("crm.team", string="Channel", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    node_id = fields.Many2one("omni.fulfilment.node", string="Node", readonly=True)
    mode = fields.Selection(FULFILMENT_MODES, string="Fulfilment Mode", readonly=True)
    step = fields.Selection(TIMELINE_STEPS, readonly=True)
    date = fields.Datetime(string="Entered At", readonly=True)
    left_at = fields.Datetime(readonly=True)
    duration = fields.Float(string="Duration (h)", readonly=True, aggregator="avg")
    is_current = fields.Boolean(string="Current Step", readonly=True)
    sla_state = fields.Selection(SLA_STATES, string="SLA", readonly=True)

    # === VIEW === #

    def _query(self):
        # The step is left when the order's next event is entered: one probe per row in the
        # (order_id, date, id) index rather than a window over the whole table, so that the
        # filters of a graph or pivot (a period, a step, a channel) are applied first.
        return SQL(
            """
            SELECT e.id,
                   e.order_id,
                   e.company_id,
                   so.team_id,
                   so.user_id,
                   so.omni_mode AS mode,
                   COALESCE(picking_node.id, main.node_id) AS node_id,
                   e.step,
                   e.date,
                   next_event.date AS left_at,
                   EXTRACT(EPOCH FROM COALESCE(next_event.date, NOW() AT TIME ZONE 'UTC')
                                      - e.date)::float / 3600.0 AS duration,
                   next_event.date IS NULL AS is_current,
                   so.omni_sla_state AS sla_state
              FROM omni_order_event e
              JOIN sale_order so ON so.id = e.order_id
         LEFT JOIN LATERAL (SELECT later.date
                              FROM omni_order_event later
                             WHERE later.order_id = e.order_id
                               AND (later.date, later.id) > (e.date, e.id)
                          ORDER BY later.order_id, later.date, later.id
                             LIMIT 1) AS next_event ON TRUE
         LEFT JOIN stock_picking sp ON e.res_model = 'stock.picking' AND sp.id = e.res_id
         LEFT JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
         LEFT JOIN omni_fulfilment_node picking_node
                ON picking_node.warehouse_id = spt.warehouse_id
         LEFT JOIN %(main)s ON main.order_id = e.order_id
            """,
            main=self._main_node_sql(),
        )

    @api.model
    def _main_node_sql(self):
        """The node of an order: the one of its first live sourcing assignment."""
        return SQL(
            """(SELECT DISTINCT ON (order_id) order_id, node_id
                  FROM omni_sourcing_assignment
                 WHERE state != 'rejected'
              ORDER BY order_id, id) AS main"""
        )

    def init(self):
        cr = self.env.cr
        # the indexes the timeline, the SLA cron and the dashboard read through
        cr.execute(
            "CREATE INDEX IF NOT EXISTS omni_order_event_order_date_idx "
            "ON omni_order_event (order_id, date, id)"
        )
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS omni_order_event_closing_idx "
                "ON omni_order_event (order_id) WHERE step IN %s",
                CLOSING_STEPS,
            )
        )
        cr.execute(
            "CREATE INDEX IF NOT EXISTS omni_order_event_company_date_idx "
            "ON omni_order_event (company_id, date)"
        )
        tools.drop_view_if_exists(cr, self._table)
        cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    # === ACTIONS === #

    def action_omni_open_orders(self):
        """Drill down from report rows to their orders."""
        return self.env["sale.order"]._omni_orders_action(
            [("id", "in", self.order_id.ids)], self.env._("Orders")
        )

    # === DASHBOARD === #

    @api.model
    def omni_dashboard_data(self, period_days=30):
        """Every figure of the overview screen, from SQL aggregates (no record loops).

        - ``steps``: open orders (no closing step yet) per current step, with their age in
          that step (average / max, hours);
        - ``durations``: per step entered within the period, how long orders stayed in it
          (average and p90, hours; only steps already left);
        - ``breaches``: orders breached or nearing breach whose SLA deadline falls within the
          period, by channel, node and fulfilment mode;
        - ``totals``.
        """
        self.check_access("read")
        companies = self.env.companies.ids
        now = fields.Datetime.now()
        since = now - timedelta(days=period_days)
        cr = self.env.cr
        for model in ("omni.order.event", "sale.order", "omni.sourcing.assignment"):
            self.env[model].flush_model()
        # the window and the p90 sort a period of events: in memory, not on disk
        cr.execute("SET LOCAL work_mem = '64MB'")
        step_labels = dict(self._fields["step"]._description_selection(self.env))
        mode_labels = dict(self._fields["mode"]._description_selection(self.env))

        cr.execute(self._steps_now_sql(companies, now=now))
        steps = [
            {
                "step": step,
                "label": step_labels.get(step, step),
                "count": count,
                "avg_age": round(avg_age or 0.0, 2),
                "max_age": round(max_age or 0.0, 2),
            }
            for step, count, avg_age, max_age in cr.fetchall()
        ]
        cr.execute(self._durations_sql(companies, since))
        durations = [
            {
                "step": step,
                "label": step_labels.get(step, step),
                "count": count,
                "avg": round(avg or 0.0, 2),
                "p90": round(p90 or 0.0, 2),
            }
            for step, count, avg, p90 in cr.fetchall()
        ]
        order = {code: index for index, (code, _label) in enumerate(TIMELINE_STEPS)}
        steps.sort(key=lambda row: order[row["step"]])
        durations.sort(key=lambda row: order[row["step"]])

        cr.execute(self._breaches_sql(companies, since))
        rows = cr.fetchall()
        # GROUPING() bit set for every column aggregated away: 3 = by channel, 5 = by
        # node, 6 = by mode, 7 = the grand total
        teams = self.env["crm.team"].browse({r[0] for r in rows if r[3] == 3 and r[0]})
        nodes = self.env["omni.fulfilment.node"].browse({r[1] for r in rows if r[3] == 5 and r[1]})
        team_names = {t.id: t.display_name for t in teams.sudo()}
        node_names = {n.id: n.display_name for n in nodes.sudo()}
        none = self.env._("None")
        breaches = {"team": [], "node": [], "mode": []}
        totals = {"breached": 0, "warning": 0}
        for team_id, node_id, mode, grouping_set, breached, warning in rows:
            figures = {"breached": breached, "warning": warning}
            if grouping_set == 3:
                breaches["team"].append(
                    dict(figures, key=team_id or False, label=team_names.get(team_id, none))
                )
            elif grouping_set == 5:
                breaches["node"].append(
                    dict(figures, key=node_id or False, label=node_names.get(node_id, none))
                )
            elif grouping_set == 6:
                breaches["mode"].append(dict(figures, key=mode, label=mode_labels.get(mode, none)))
            else:
                totals = figures
        for values in breaches.values():
            values.sort(key=lambda row: (-row["breached"], -row["warning"], str(row["label"])))
        totals["open"] = sum(row["count"] for row in steps)
        return {
            "period_days": period_days,
            "steps": steps,
            "durations": durations,
            "breaches": breaches,
            "totals": totals,
        }

    @api.model
    def _durations_sql(self, companies, since):
        """Per step entered since ``since``: count, average and p90 of the hours spent in it
        (steps already left). The next event of an event in the period is in it too, so the
        window runs over the period's events only (company_id, date index)."""
        return SQL(
            """
            SELECT step, COUNT(*), AVG(hours),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY hours)
              FROM (SELECT e.step,
                           EXTRACT(EPOCH FROM LEAD(e.date) OVER (
                               PARTITION BY e.order_id ORDER BY e.date, e.id) - e.date
                           )::float / 3600.0 AS hours
                      FROM omni_order_event e
                     WHERE e.company_id = ANY(%(companies)s) AND e.date >= %(since)s
                   ) AS spans
             WHERE hours IS NOT NULL
          GROUP BY step
            """,
            companies=companies,
            since=since,
        )

    @api.model
    def _breaches_sql(self, companies, since):
        """Orders breached or nearing breach (deadline since ``since``) by channel, node and
        mode, plus the total, in one pass (GROUPING SETS)."""
        return SQL(
            """
            SELECT so.team_id, main.node_id, so.omni_mode,
                   GROUPING(so.team_id, main.node_id, so.omni_mode) AS grouping_set,
                   COUNT(*) FILTER (WHERE so.omni_sla_state = 'breached'),
                   COUNT(*) FILTER (WHERE so.omni_sla_state = 'warning')
              FROM sale_order so
         LEFT JOIN %(main)s ON main.order_id = so.id
             WHERE so.omni_sla_state IN ('breached', 'warning')
               AND so.company_id = ANY(%(companies)s)
               AND so.omni_sla_deadline >= %(since)s
          GROUP BY GROUPING SETS ((so.team_id), (main.node_id), (so.omni_mode), ())
            """,
            main=self._main_node_sql(),
            companies=companies,
            since=since,
        )

    @api.model
    def _steps_now_sql(self, companies, step=None, now=None):
        """Open orders (confirmed or not, none of the closing steps yet) with their current
        step: the latest event, found per order through the (order_id, date, id) index."""
        return SQL(
            """
            SELECT %(select)s
              FROM sale_order so
              JOIN LATERAL (SELECT e.step, e.date
                              FROM omni_order_event e
                             WHERE e.order_id = so.id
                          ORDER BY e.date DESC, e.id DESC
                             LIMIT 1) AS cur ON TRUE
             WHERE so.company_id = ANY(%(companies)s)
               AND so.state IN ('draft', 'sent', 'sale')
               AND NOT EXISTS (SELECT 1 FROM omni_order_event closing
                                WHERE closing.order_id = so.id
                                  AND closing.step IN %(closing)s)
               %(step_filter)s
            %(group)s
            """,
            select=SQL("so.id")
            if step
            else SQL(
                "cur.step, COUNT(*), "
                "AVG(EXTRACT(EPOCH FROM %(now)s - cur.date))::float / 3600.0, "
                "MAX(EXTRACT(EPOCH FROM %(now)s - cur.date))::float / 3600.0",
                now=now,
            ),
            companies=companies,
            closing=CLOSING_STEPS,
            step_filter=SQL("AND cur.step = %s", step) if step else SQL(""),
            group=SQL("") if step else SQL("GROUP BY cur.step"),
        )

    @api.model
    def omni_dashboard_open(self, kind, key=None, period_days=30):
        """The orders behind one figure of the overview screen, as a window action."""
        self.check_access("read")
        companies = self.env.companies.ids
        since = fields.Datetime.now() - timedelta(days=period_days)
        cr = self.env.cr
        self.env["omni.order.event"].flush_model()
        self.env["sale.order"].flush_model()
        if kind == "step":
            cr.execute(self._steps_now_sql(companies, step=key))
            domain = [("id", "in", [row[0] for row in cr.fetchall()])]
        elif kind == "duration":
            cr.execute(
                SQL(
                    "SELECT DISTINCT order_id FROM omni_order_event "
                    "WHERE company_id = ANY(%s) AND date >= %s AND step = %s",
                    companies,
                    since,
                    key,
                )
            )
            domain = [("id", "in", [row[0] for row in cr.fetchall()])]
        elif kind in ("team", "mode", "node", "breached", "warning"):
            states = [kind] if kind in ("breached", "warning") else ["breached", "warning"]
            domain = [
                ("omni_sla_state", "in", states),
                ("omni_sla_deadline", ">=", since),
                ("company_id", "in", companies),
            ]
            if kind == "team":
                domain.append(("team_id", "=", key or False))
            elif kind == "mode":
                domain.append(("omni_mode", "=", key))
            elif kind == "node":
                cr.execute(
                    SQL(
                        "SELECT so.id FROM sale_order so LEFT JOIN %s ON main.order_id = so.id "
                        "WHERE so.omni_sla_state IN ('breached', 'warning') AND %s",
                        self._main_node_sql(),
                        SQL("main.node_id = %s", key) if key else SQL("main.node_id IS NULL"),
                    )
                )
                domain.append(("id", "in", [row[0] for row in cr.fetchall()]))
        else:
            raise ValueError(f"unknown dashboard figure {kind!r}")
        return self.env["sale.order"]._omni_orders_action(domain, self.env._("Orders"))
