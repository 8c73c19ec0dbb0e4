from collections import defaultdict

from markupsafe import Markup, escape

from odoo import _, fields, models

from ..scoring import split_alerts


class OmniLoyaltyCampaignEvent(models.Model):
    """One step of a campaign for one partner and period; done, waiting or put in a digest."""

    _name = "omni.loyalty.campaign.event"
    _description = "Campaign Event"
    _order = "scheduled_date desc, id desc"

    campaign_id = fields.Many2one(
        "omni.loyalty.campaign", required=True, ondelete="cascade", index=True
    )
    step_id = fields.Many2one("omni.loyalty.campaign.step", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    period_date = fields.Date(required=True, index=True)
    scheduled_date = fields.Date(required=True)
    reason = fields.Char()
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Done"), ("digest", "In digest")],
        default="pending",
        required=True,
        index=True,
    )

    _sql_constraints = [
        (
            "campaign_step_partner_period_unique",
            "unique(campaign_id, step_id, partner_id, period_date)",
            "This campaign step already fired for this partner and period.",
        )
    ]

    def _process_due(self, today):
        """Run due events; beyond the company's alert limit per partner and period, the rest
        goes into one digest note on the partner."""
        due = self.search([("state", "=", "pending"), ("scheduled_date", "<=", today)])
        if not due:
            return
        keys = {(e.company_id.id, e.partner_id.id, e.period_date) for e in due}
        sent_groups = self._read_group(
            [
                ("state", "=", "done"),
                ("partner_id", "in", list({k[1] for k in keys})),
                ("period_date", "in", list({k[2] for k in keys})),
            ],
            ["company_id", "partner_id", "period_date:day"],
            ["__count"],
        )
        sent = {(c.id, p.id, d): n for c, p, d, n in sent_groups}
        grouped = defaultdict(lambda: self.browse())
        for event in due.sorted(lambda e: (e.campaign_id.sequence, e.id)):
            grouped[(event.company_id.id, event.partner_id.id, event.period_date)] |= event
        for key, events in grouped.items():
            limit = events[0].company_id.omni_loyalty_max_alerts
            to_send, to_digest = split_alerts(events, sent.get(key, 0), limit)
            for event in to_send:
                event._execute()
                event.state = "done"
            if to_digest:
                digest = self.browse([e.id for e in to_digest])
                digest._post_digest()
                digest.state = "digest"

    def _responsible(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if self.campaign_id.partner_kind == "supplier":
            user = partner.buyer_id or partner.user_id
        else:
            user = partner.user_id
        return user or self.env.user

    def _execute(self):
        self.ensure_one()
        step, partner = self.step_id, self.partner_id
        summary = step.summary or self.campaign_id.name
        if step.action == "activity":
            partner.activity_schedule(
                activity_type_id=(
                    step.activity_type_id or self.env.ref("mail.mail_activity_data_todo")
                ).id,
                summary=summary,
                note=self.reason,
                user_id=self._responsible().id,
            )
        elif step.action == "email" and step.template_id:
            step.template_id.send_mail(partner.id)
        elif step.action == "points" and step.loyalty_program_id:
            card = self.env["loyalty.card"]._omni_get_or_create(step.loyalty_program_id, partner)
            card._omni_add_points(step.points, summary)
        elif step.action == "tag" and step.tag_id:
            partner.category_id = [(4, step.tag_id.id)]

    def _post_digest(self):
        partner = self[0].partner_id
        items = Markup("").join(
            Markup("<li>%s: %s</li>") % (escape(e.campaign_id.name), escape(e.reason or ""))
            for e in self
        )
        partner.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Loyalty digest: %(count)s more alerts", count=len(self)),
            note=Markup("<ul>%s</ul>") % items,
            user_id=self[0]._responsible().id,
        )
