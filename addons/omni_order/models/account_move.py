from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft)
        posted._omni_timeline_invoice("invoiced")
        return posted

    def _invoice_paid_hook(self):
        """Called by Odoo when an invoice becomes paid or in payment (also for a zero
        invoice at posting): the orders it invoices reach ``paid``."""
        res = super()._invoice_paid_hook()
        self._omni_timeline_invoice("paid")
        return res

    def _omni_timeline_invoice(self, step):
        """Append ``step`` to the orders of these customer invoices (once per invoice)."""
        for move in self.filtered(lambda m: m.move_type == "out_invoice"):
            orders = move.sudo().invoice_line_ids.sale_line_ids.order_id
            if orders:
                orders._omni_timeline(step, note=move.name, document=move)
