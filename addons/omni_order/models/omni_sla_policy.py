from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .omni_order_event import FULFILMENT_RANK, TIMELINE_STEPS
from .omni_sourcing_rule import FULFILMENT_MODES

SLA_STATES = [
    ("ok", "On time"),
    ("warning", "Nearing breach"),
    ("breached", "Breached"),
    ("met", "Met"),
]
SLA_STEPS = [(code, label) for code, label in TIMELINE_STEPS if code in FULFILMENT_RANK]


class OmniSlaPolicy(models.Model):
    """A target time between two timeline steps, for a channel and/or fulfilment mode.

    Per order, the most specific active policy applies: one naming the fulfilment mode beats
    one naming only the channel, which beats one naming only the company; then the lowest
    sequence. The SLA cron (``_cron_omni_sla``) evaluates open orders against it.
    """

    _name = "omni.sla.policy"
    _description = "Omni SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Empty: the policy applies in every company.",
    )
    team_id = fields.Many2one(
        "crm.team", string="Channel", check_company=True, help="Empty: every channel."
    )
    mode = fields.Selection(FULFILMENT_MODES, string="Fulfilment Mode", help="Empty: every mode.")
    from_step = fields.Selection(SLA_STEPS, required=True, default="confirmed")
    to_step = fields.Selection(SLA_STEPS, required=True, default="shipped")
    target_hours = fields.Float(required=True, default=24.0)
    warning_share = fields.Float(
        string="Warning at (%)",
        default=80.0,
        help="Share of the target after which the order is nearing a breach: its open "
        "pickings get a higher priority.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        check_company=True,
        help="Gets the activity of a breached order. Empty: the leader of the team below, "
        "else the order's salesperson.",
    )
    responsible_team_id = fields.Many2one(
        "crm.team",
        string="Responsible Team",
        check_company=True,
        help="Its leader gets the activity when no responsible user is set.",
    )

    _sql_constraints = [
        ("target_positive", "CHECK(target_hours > 0)", "The target must be a positive time."),
        (
            "warning_share_range",
            "CHECK(warning_share > 0 AND warning_share <= 100)",
            "The warning share is a percentage between 0 and 100.",
        ),
    ]

    @api.constrains("from_step", "to_step")
    def _check_steps(self):
        for policy in self:
            if FULFILMENT_RANK[policy.to_step] <= FULFILMENT_RANK[policy.from_step]:
                raise ValidationError(
                    self.env._(
                        "The SLA of %(policy)s must end at a later step than it starts.",
                        policy=policy.name,
                    )
                )

    # === BUSINESS METHODS === #

    @api.model
    def _omni_rank_sql(self):
        return SQL(
            "(VALUES %s) AS rank(step, rank)",
            SQL(", ").join(SQL("(%s, %s)", step, rank) for step, rank in FULFILMENT_RANK.items()),
        )

    @api.model
    def _omni_evaluate(self, batch_size=5000):
        """Evaluate the SLA of open orders in ONE statement and store what changed.

        Open: a confirmed order whose SLA state is not final yet (empty, on time or nearing
        breach), or a cancelled order that still shows one. Per order, the most specific
        policy; the SLA starts at the first ``from_step`` event and is met by the first event
        at or beyond ``to_step`` (a delivery also reaches "shipped"). Only rows whose values
        change are written, so a second run writes nothing (idempotent); at most
        ``batch_size`` rows per call.

        :return: (rows, more) with rows [(order_id, new_state, old_state, reached)]
        """
        for model, fnames in (
            ("sale.order", ["state", "company_id", "team_id", "omni_mode", "omni_sla_state"]),
            ("omni.order.event", ["order_id", "step", "date"]),
            ("omni.sla.policy", None),
        ):
            self.env[model].flush_model(fnames)
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                WITH cand AS (
                    SELECT so.id, so.state, so.company_id, so.team_id, so.omni_mode,
                           so.omni_sla_state, so.omni_sla_deadline, so.omni_sla_policy_id
                      FROM sale_order so
                     WHERE (so.state = 'sale'
                            AND (so.omni_sla_state IS NULL
                                 OR so.omni_sla_state IN ('ok', 'warning')))
                        OR (so.state = 'cancel' AND so.omni_sla_state IN ('ok', 'warning'))
                ),
                pol AS (
                    SELECT DISTINCT ON (c.id) c.id AS order_id, p.id AS policy_id,
                           p.from_step, p.to_step, p.target_hours, p.warning_share
                      FROM cand c
                      JOIN omni_sla_policy p
                        ON p.active
                       AND (p.company_id IS NULL OR p.company_id = c.company_id)
                       AND (p.team_id IS NULL OR p.team_id = c.team_id)
                       AND (p.mode IS NULL OR p.mode = c.omni_mode)
                  ORDER BY c.id, (p.mode IS NOT NULL) DESC, (p.team_id IS NOT NULL) DESC,
                           (p.company_id IS NOT NULL) DESC, p.sequence, p.id
                ),
                ev AS (
                    SELECT pol.order_id, pol.policy_id,
                           MIN(e.date) FILTER (WHERE e.step = pol.from_step) AS started,
                           MIN(e.date) FILTER (WHERE rank.rank >= to_rank.rank) AS reached,
                           pol.target_hours, pol.warning_share
                      FROM pol
                      JOIN omni_order_event e ON e.order_id = pol.order_id
                      JOIN %(rank)s ON rank.step = e.step
                      JOIN %(rank_to)s ON to_rank.step = pol.to_step
                  GROUP BY pol.order_id, pol.policy_id, pol.target_hours, pol.warning_share
                ),
                computed AS (
                    SELECT c.id AS order_id, c.omni_sla_state AS old_state,
                           ev.reached IS NOT NULL AS reached,
                           CASE WHEN c.state = 'cancel' OR ev.started IS NULL THEN NULL
                                ELSE ev.policy_id END AS policy_id,
                           CASE WHEN c.state = 'cancel' OR ev.started IS NULL THEN NULL
                                ELSE ev.started + make_interval(secs => ev.target_hours * 3600)
                           END AS deadline,
                           CASE WHEN c.state = 'cancel' OR ev.started IS NULL THEN NULL
                                WHEN ev.reached IS NOT NULL THEN
                                    CASE WHEN ev.reached <= ev.started
                                              + make_interval(secs => ev.target_hours * 3600)
                                         THEN 'met' ELSE 'breached' END
                                WHEN %(now)s >= ev.started
                                     + make_interval(secs => ev.target_hours * 3600)
                                    THEN 'breached'
                                WHEN %(now)s >= ev.started + make_interval(
                                        secs => ev.target_hours * 36 * ev.warning_share)
                                    THEN 'warning'
                                ELSE 'ok' END AS state,
                           c.omni_sla_deadline AS old_deadline,
                           c.omni_sla_policy_id AS old_policy_id
                      FROM cand c
                 LEFT JOIN ev ON ev.order_id = c.id
                ),
                changed AS (
                    SELECT * FROM computed
                     WHERE (state, deadline, policy_id)
                           IS DISTINCT FROM (old_state, old_deadline, old_policy_id)
                  ORDER BY order_id
                     LIMIT %(limit)s
                )
                UPDATE sale_order so
                   SET omni_sla_state = changed.state,
                       omni_sla_deadline = changed.deadline,
                       omni_sla_policy_id = changed.policy_id
                  FROM changed
                 WHERE so.id = changed.order_id
             RETURNING so.id, changed.state, changed.old_state, changed.reached
                """,
                rank=self._omni_rank_sql(),
                rank_to=SQL(
                    "(VALUES %s) AS to_rank(step, rank)",
                    SQL(", ").join(
                        SQL("(%s, %s)", step, rank) for step, rank in FULFILMENT_RANK.items()
                    ),
                ),
                now=now,
                limit=batch_size + 1,
            )
        )
        rows = self.env.cr.fetchall()
        more = len(rows) > batch_size
        # the extra row of the LIMIT was written too; it is simply reported as done
        self.env["sale.order"].invalidate_model(
            ["omni_sla_state", "omni_sla_deadline", "omni_sla_policy_id"]
        )
        return rows, more

    @api.model
    def _cron_omni_sla(self, batch_size=5000):
        """Flag breached orders and raise the priority of orders nearing a breach.

        Idempotent: the responsible gets ONE activity, when the order turns breached (the
        state is final, a second run does not see it again); pickings already urgent are
        not written again.
        """
        rows, more = self._omni_evaluate(batch_size=batch_size)
        breached = self.env["sale.order"].browse(
            [oid for oid, state, old, reached in rows if state == "breached" and not reached]
        )
        breached._omni_sla_notify()
        self._omni_raise_priority()
        self.env["ir.cron"]._notify_progress(done=len(rows), remaining=int(more))
        return rows

    @api.model
    def _omni_raise_priority(self):
        pickings = self.env["stock.picking"].search(
            [
                ("sale_id.omni_sla_state", "in", ("warning", "breached")),
                ("state", "not in", ("draft", "done", "cancel")),
                ("priority", "!=", "1"),
            ]
        )
        if pickings:
            pickings.write({"priority": "1"})
        return pickings

    @api.model
    def _omni_load_demo(self):
        from ..demo_sla_loader import load_sla_demo

        load_sla_demo(self.env)

    def _omni_responsible(self, order):
        self.ensure_one()
        return (
            self.user_id
            or self.responsible_team_id.user_id
            or order.team_id.user_id
            or order.user_id
            or self.env.user
        )
