import json

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..intake import IntakeError, check_size, formats

_lt = LazyTranslate(__name__)

QUIET_CONTEXT = {"mail_create_nolog": True, "mail_create_nosubscribe": True, "mail_notrack": True}
DEFAULT_MAX_SIZE = 10 * 1024 * 1024
PAYLOAD_STATES = [("received", "Received"), ("parsed", "Parsed"), ("error", "Error")]
SOURCES = [("rest", "REST API"), ("file", "File import"), ("email", "E-mail")]


def render_errors(stored, lang):
    """The stored list of ``IntakeError.to_json()`` texts, one line each, in ``lang``."""
    if not stored:
        return False
    return "\n".join(IntakeError.render(item, lang) for item in json.loads(stored))


class OmniIntakePayload(models.Model):
    """The exact bytes a channel sent, kept as an attachment whatever happens to them.

    A payload holds one or several orders (``omni.intake``). One that cannot be read at all
    (too large, not JSON, truncated EDIFACT ...) stays here in state ``error`` with the reason.
    """

    _name = "omni.intake.payload"
    _inherit = ["mail.thread"]
    _description = "Omni Intake Payload"
    _order = "received_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, copy=False, default="/")
    channel_id = fields.Many2one(
        "crm.team", string="Channel", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    source = fields.Selection(SOURCES, required=True, readonly=True, default="file")
    format = fields.Selection(formats.FORMATS, readonly=True)
    filename = fields.Char(readonly=True)
    received_date = fields.Datetime(
        string="Received", required=True, readonly=True, default=fields.Datetime.now
    )
    size = fields.Integer(string="Size (bytes)", readonly=True)
    state = fields.Selection(PAYLOAD_STATES, required=True, default="received", readonly=True)
    error_json = fields.Text(readonly=True, copy=False)
    error = fields.Text(compute="_compute_error", string="Error Reason")
    attachment_id = fields.Many2one("ir.attachment", string="Original Payload", readonly=True)
    intake_ids = fields.One2many("omni.intake", "payload_id", string="Orders")
    intake_count = fields.Integer(compute="_compute_intake_count", string="Order Count")

    # === COMPUTE METHODS === #

    @api.depends("error_json")
    @api.depends_context("lang")
    def _compute_error(self):
        lang = self.env.lang or "en_US"
        for payload in self:
            payload.error = render_errors(payload.error_json, lang)

    @api.depends("intake_ids")
    def _compute_intake_count(self):
        counts = dict(
            self.env["omni.intake"]._read_group(
                [("payload_id", "in", self.ids)], ["payload_id"], ["__count"]
            )
        )
        for payload in self:
            payload.intake_count = counts.get(payload, 0)

    # === CRUD METHODS === #

    @api.ondelete(at_uninstall=False)
    def _unlink_except_kept(self):
        if not self.env.is_superuser():
            raise UserError(
                self.env._("Received payloads are kept as evidence: they cannot be deleted.")
            )

    # === ACTIONS === #

    def action_replay(self):
        """Read the stored bytes again and process every order (new mappings apply); orders
        already created are reported as duplicates, never created twice."""
        for payload in self:
            payload._omni_process()
        return True

    def action_open_intakes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_order.omni_intake_action")
        action["domain"] = [("payload_id", "=", self.id)]
        action["context"] = {}
        return action

    # === BUSINESS METHODS === #

    @api.model
    def _omni_receive(self, channel, data, source, fmt=None, filename=None, max_size=None):
        """Keep ``data`` as a payload of ``channel`` and turn its orders into intakes (and
        sale orders where they map). Never raises for bad input: the payload and its
        intakes carry the errors.

        :return: the payload (``payload.intake_ids`` hold the per-order results)
        """
        if fmt is None:
            fmt = formats.detect(data, filename)

        company = channel.company_id or self.env.company
        payload = self.with_context(**QUIET_CONTEXT).create(
            {
                "channel_id": channel.id,
                "company_id": company.id,
                "source": source,
                "format": fmt or False,
                "filename": filename,
                "size": len(data or b""),
            }
        )
        payload.name = f"IN/{payload.id:06d}"
        payload.attachment_id = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename or f"{payload.name}.{fmt or 'bin'}",
                    "raw": data or b"",
                    "res_model": self._name,
                    "res_id": payload.id,
                    "company_id": company.id,
                }
            )
        )
        payload._omni_process(max_size=max_size)
        return payload

    def _omni_max_size(self):
        return self.channel_id.omni_intake_max_size or DEFAULT_MAX_SIZE

    def _omni_raw(self):
        return self.attachment_id.sudo().raw or b""

    def _omni_entries(self, max_size=None):
        """The orders of the stored bytes as ``json_order.Entry``; ``IntakeError`` when the
        payload cannot be read at all."""
        self.ensure_one()
        data = self._omni_raw()
        check_size(data, max_size or self._omni_max_size())
        if not self.format:
            raise IntakeError(_lt("The payload format could not be recognised."))
        # the channel's limit was checked above; the parsers must not refuse below it
        entries = formats.parse_entries(self.format, data, limit=max(len(data), 1))
        if not entries:
            raise IntakeError(_lt("The payload contains no order."))
        return entries

    def _omni_process(self, max_size=None):
        """Parse the stored bytes and hand each order to ``omni.intake``."""
        self.ensure_one()
        try:
            entries = self._omni_entries(max_size=max_size)
        except IntakeError as error:
            self.write({"state": "error", "error_json": json.dumps([error.to_json()])})
            return self.env["omni.intake"]
        self.write({"state": "parsed", "error_json": False})
        return self.env["omni.intake"]._omni_ingest(self, entries)

    @api.model
    def _omni_rest_response(self, key, data):
        """(HTTP status, JSON body) of the order API for the channel owning ``key``.

        Called as superuser by the controller. An unknown key stores nothing (401); any other
        body is kept as a payload, even when refused (413 too large, 400 unreadable)."""
        channel = self.env["crm.team"]._omni_team_for_key(key)
        if not channel:
            return 401, {"error": "invalid api key"}
        payload = self.with_company(channel.company_id or self.env.company)._omni_receive(
            channel, data, "rest", fmt="json"
        )
        return payload._omni_result()

    def _omni_result(self, lang="en_US"):
        """(HTTP status, JSON body): the payload's outcome and one result per order."""
        self.ensure_one()
        if self.state == "error":
            status = 413 if self.size > self._omni_max_size() else 400
            return status, {
                "payload": self.name,
                "status": "error",
                "messages": (render_errors(self.error_json, lang) or "").splitlines(),
            }
        results = []
        for intake in self.intake_ids.sorted("id"):
            owner = intake.duplicate_of_id or intake
            status = {"done": "created", "duplicate": "duplicate"}.get(intake.state, "error")
            messages = (render_errors(intake.error_json, lang) or "").splitlines()
            if intake.state == "duplicate":
                messages = [f"already received in {owner.payload_id.name}"]
            results.append(
                {
                    "ref": intake.received_ref,
                    "status": status,
                    "order": owner.sale_order_id.name or None,
                    "messages": messages,
                }
            )
        return 200, {"payload": self.name, "status": "parsed", "orders": results}

    # === MAIL GATEWAY === #

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to a channel's intake alias: the first attachment in a known format,
        else the plain-text body, becomes a payload."""
        values = dict(custom_values or {})
        channel = self.env["crm.team"].browse(values.get("channel_id")).exists()
        if not channel:
            return super().message_new(msg_dict, custom_values)
        data, filename = None, None
        for attachment in msg_dict.get("attachments") or []:
            content = attachment.content
            if isinstance(content, str):
                content = content.encode()
            if formats.detect_name(attachment.fname):
                data, filename = content, attachment.fname
                break
        fmt = formats.detect_name(filename)
        if data is None:
            body = tools.html2plaintext(msg_dict.get("body") or "").strip()
            data, filename = body.encode(), None
            # a body is read as JSON or EDIFACT, never guessed to be a CSV table
            fmt = formats.detect(data) if formats.detect(data) != "csv" else False
        payload = self.sudo()._omni_receive(channel, data, "email", fmt=fmt, filename=filename)
        return self.browse(payload.id)
