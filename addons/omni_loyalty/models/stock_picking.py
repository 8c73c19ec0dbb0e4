from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        self._omni_create_feedback_requests()
        return res

    def _omni_create_feedback_requests(self):
        """One rating request per customer delivery that is done."""
        deliveries = self.filtered(
            lambda p: p.state == "done"
            and p.partner_id
            and p.location_dest_id.usage == "customer"
            and p.picking_type_code == "outgoing"
        )
        if not deliveries:
            return
        Feedback = self.env["omni.loyalty.feedback"].sudo()
        known = set(Feedback.search([("picking_id", "in", deliveries.ids)]).picking_id.ids)
        feedbacks = Feedback.create(
            [
                {
                    "picking_id": picking.id,
                    "partner_id": picking.partner_id.id,
                    "company_id": picking.company_id.id,
                }
                for picking in deliveries
                if picking.id not in known
            ]
        )
        template = self.env.ref("omni_loyalty.mail_template_feedback", raise_if_not_found=False)
        if template:
            for feedback in feedbacks.filtered("partner_id.email"):
                # queued, sent by the mail cron: validation never waits for SMTP
                template.send_mail(feedback.id)
