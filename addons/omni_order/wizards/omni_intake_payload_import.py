import base64

from odoo import api, fields, models

from ..intake import formats


class OmniIntakePayloadImport(models.TransientModel):
    """Upload an order file (CSV/Excel, EDIFACT, openTRANS, JSON) for a channel: it is kept
    as a payload and read like any other channel's."""

    _name = "omni.intake.payload.import"
    _description = "Import Order File"

    channel_id = fields.Many2one("crm.team", string="Channel", required=True)
    file = fields.Binary(required=True, attachment=False)
    filename = fields.Char()
    format = fields.Selection(
        formats.FORMATS, help="Empty: recognised from the file name and content."
    )

    @api.onchange("filename")
    def _onchange_filename(self):
        if self.filename and not self.format:
            self.format = formats.detect_name(self.filename)

    def action_import(self):
        self.ensure_one()
        data = base64.b64decode(self.file or b"")
        payload = self.env["omni.intake.payload"]._omni_receive(
            self.channel_id, data, "file", fmt=self.format or None, filename=self.filename
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.intake.payload",
            "res_id": payload.id,
            "view_mode": "form",
        }
