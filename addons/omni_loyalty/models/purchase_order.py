from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .omni_loyalty_grade import PO_ACTIONS


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    omni_grade_id = fields.Many2one(
        "omni.loyalty.grade",
        "Vendor Grade",
        compute="_compute_omni_grade_id",
        help="Grade of the vendor's latest scorecard in this company.",
    )
    omni_grade_action = fields.Selection(
        PO_ACTIONS, "Vendor Grade Action", compute="_compute_omni_grade_id"
    )
    omni_grade_approved_by = fields.Many2one(
        "res.users", "Grade Block Approved By", readonly=True, copy=False
    )

    # === COMPUTE METHODS === #

    @api.depends("partner_id", "company_id")
    def _compute_omni_grade_id(self):
        grades = self.env["res.partner"]._omni_latest_grades(
            self.partner_id.commercial_partner_id, self.company_id
        )
        for order in self:
            key = (order.partner_id.commercial_partner_id.id, order.company_id.id)
            grade = self.env["omni.loyalty.grade"].browse(grades.get(key))
            order.omni_grade_id = grade
            order.omni_grade_action = grade.po_action or "none"

    @api.onchange("partner_id")
    def _onchange_partner_id_omni_grade(self):
        grade = self.omni_grade_id
        if grade and grade.po_action in ("warn", "block"):
            return {
                "warning": {
                    "title": _("Vendor graded %(grade)s", grade=grade.name),
                    "message": grade.warning_message
                    or (
                        _("Orders to this vendor need a purchase manager's approval.")
                        if grade.po_action == "block"
                        else _("Check this vendor's scorecard before ordering.")
                    ),
                }
            }

    # === ACTIONS === #

    def _omni_check_grade_block(self):
        for order in self:
            if order.omni_grade_action == "block" and not order.omni_grade_approved_by:
                raise UserError(
                    _(
                        "%(order)s: vendor %(vendor)s is graded %(grade)s; a purchase manager "
                        "must approve the order first.",
                        order=order.name,
                        vendor=order.partner_id.display_name,
                        grade=order.omni_grade_id.name,
                    )
                )

    def action_omni_grade_approve(self):
        if not self.env.user.has_group("purchase.group_purchase_manager"):
            raise UserError(_("Only purchase managers can approve blocked vendors."))
        self.omni_grade_approved_by = self.env.user

    def button_confirm(self):
        self._omni_check_grade_block()
        return super().button_confirm()

    def action_rfq_send(self):
        self._omni_check_grade_block()
        return super().action_rfq_send()
