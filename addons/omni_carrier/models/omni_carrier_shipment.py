import logging

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact

from ..carriers.common import CarrierError


def result_parcels(result):
    """Parcels of a create result (a return gives one Parcel, a shipment a ShipmentResult)."""
    return getattr(result, "parcels", None) or [result]


_logger = logging.getLogger(__name__)

BACKOFF = [30, 60, 120, 300, 600, 1800]  # seconds, by retry count


class OmniCarrierShipment(models.Model):
    """Outbox of carrier requests: one row per label (or return label) to buy.

    The row is written inside the user's transaction; a queue job makes the carrier call.
    ``idempotency_key`` is UNIQUE, so a transaction replayed after a serialization failure
    cannot enqueue a second purchase, and the reference sent to the carrier is derived from it.
    """

    _name = "omni.carrier.shipment"
    _description = "Carrier Shipment"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True)
    idempotency_key = fields.Char(required=True, readonly=True, copy=False)
    picking_id = fields.Many2one(
        "stock.picking", required=True, index=True, ondelete="cascade", check_company=True
    )
    sale_id = fields.Many2one(related="picking_id.sale_id")
    carrier_id = fields.Many2one("delivery.carrier", required=True, ondelete="restrict")
    account_id = fields.Many2one("omni.carrier.account", required=True, check_company=True)
    carrier_code = fields.Selection(
        related="account_id.carrier_code", store=True, string="Carrier Type"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection([("outbound", "Shipment"), ("return", "Return")], default="outbound")
    state = fields.Selection(
        [
            ("queued", "Waiting for Carrier"),
            ("unknown", "Needs Reconcile"),
            ("done", "Label Created"),
            ("failed", "Failed"),
            ("voiding", "Cancelling at Carrier"),
            ("voided", "Voided"),
        ],
        default="queued",
        required=True,
        index=True,
    )
    tracking_ref = fields.Char(string="Tracking Numbers", readonly=True)
    return_tracking_ref = fields.Char(readonly=True)
    parcel_ids = fields.One2many("omni.carrier.parcel", "shipment_id")
    label_attachment_ids = fields.Many2many("ir.attachment", string="Labels", readonly=True)
    label_format = fields.Selection([("PDF", "PDF"), ("ZPL", "ZPL")], default="PDF")
    pickup_point = fields.Json(readonly=True)
    pickup_point_name = fields.Char(readonly=True)
    services = fields.Json(readonly=True)
    error_message = fields.Text(readonly=True)
    warning_message = fields.Text(readonly=True)
    job_uuid = fields.Char(readonly=True, copy=False)
    job_state = fields.Char(compute="_compute_job")
    job_error = fields.Text(compute="_compute_job", string="Last Carrier Error")
    replaced_by_id = fields.Many2one("omni.carrier.shipment", readonly=True)

    _sql_constraints = [
        (
            "idempotency_key_uniq",
            "UNIQUE(idempotency_key)",
            "This carrier request exists already.",
        ),
    ]

    # === COMPUTE METHODS === #

    def _compute_job(self):
        jobs = self.env["queue.job"].sudo().search([("uuid", "in", self.mapped("job_uuid"))])
        by_uuid = {job.uuid: job for job in jobs}
        for shipment in self:
            job = by_uuid.get(shipment.job_uuid)
            shipment.job_state = job.state if job else False
            shipment.job_error = (job.exc_message or job.exc_info or "")[:500] if job else False

    # === ACTIONS === #

    def action_retry(self):
        self.filtered(lambda s: s.state == "failed").write(
            {"state": "queued", "error_message": False}
        )
        self._omni_enqueue()

    def action_void(self):
        self._omni_void()

    # === BUSINESS METHODS === #

    def _omni_delay(self, method, description):
        """Run ``method`` of this shipment as a queue job, never in the user's transaction:
        one job per shipment and call (identity key), on the carrier channel, retried by the
        job's own logic only; the job is remembered on the shipment."""
        self.ensure_one()
        delayed = self.with_delay(
            identity_key=identity_exact,
            channel="root.omni_carrier",
            description=description,
            max_retries=0,
        )
        job = getattr(delayed, method)()
        self.job_uuid = getattr(job, "uuid", False)

    def _omni_enqueue(self):
        for shipment in self.filtered(lambda s: s.state == "queued"):
            shipment._omni_delay(
                "_omni_job_send", _("Carrier label for %s", shipment.picking_id.name)
            )

    def _omni_request(self):
        """The neutral request the wire clients understand (see carriers/*.py)."""
        self.ensure_one()
        picking = self.picking_id
        company = picking.company_id.partner_id
        partner = picking.partner_id
        warehouse = picking.picking_type_id.warehouse_id.partner_id or company
        parcels = [
            {"weight": package.shipping_weight or package.weight or 1.0, "name": package.name}
            for package in picking.move_line_ids.result_package_id
        ] or [{"weight": picking.shipping_weight or picking.weight or 1.0, "name": picking.name}]
        services = dict(self.services or {})
        if self.pickup_point:
            services["parcel_shop"] = self.pickup_point
            # core moved the order's delivery address to the shop: the person is the customer
            partner = picking.sale_id.partner_id or partner
        return {
            "reference": self.name,
            "shipper": self._omni_address(warehouse),
            "recipient": self._omni_address(partner),
            "parcels": parcels,
            "services": services,
            "label_format": self.label_format,
            "product": self.carrier_id.omni_product or None,
        }

    @api.model
    def _omni_address(self, partner):
        street = partner.street or ""
        house = ""
        parts = street.rsplit(" ", 1)
        if len(parts) == 2 and any(ch.isdigit() for ch in parts[1]):
            street, house = parts
        return {
            "name": partner.name or partner.commercial_partner_id.name or "",
            "street": street,
            "house": house,
            "zip": partner.zip or "",
            "city": partner.city or "",
            "country": partner.country_id.code or "DE",
            "email": partner.email or "",
            "phone": partner.phone or "",
            "lang": (partner.lang or "de_DE")[:2],
        }

    def _omni_job_send(self):
        """Queue job: buy the label once. Never buys twice for the same shipment row.

        A create whose answer was lost (timeout, worker killed) may have happened at the
        carrier. The call log (written on its own cursor before the call) tells the next
        attempt so: a client that can look the reference up reconciles (Hermes); one that
        cannot (DHL, DPD) is never retried blindly: the shipment goes to "Needs Reconcile"
        and waits for a person (see ``action_reconcile``).
        """
        self.ensure_one()
        if self.state != "queued":
            return _("Nothing to do: shipment is %s", self.state)
        client = self.account_id._omni_client()
        calls = self.env["omni.carrier.call"].sudo()
        can_reconcile = self.kind == "outbound" and getattr(client, "can_reconcile", False)
        outcome_unknown = calls._omni_last_operation(self) == "create"
        if outcome_unknown and not can_reconcile:
            return self._omni_mark_unknown()
        try:
            if self.kind == "return":
                calls._omni_log_before_call(self, "create", {"reference": self.name})
                result = client.create_return(self._omni_return_request())
            else:
                request = self._omni_request()
                calls._omni_log_before_call(self, "create", request)
                if outcome_unknown:
                    # looks up what exists under the reference, creates only what is missing
                    result = client.create_shipment(request, reconcile=True)
                else:
                    result = client.create_shipment(request)
        except CarrierError as exc:
            if exc.ambiguous and not can_reconcile:
                return self._omni_mark_unknown(exc)
            if exc.retryable:
                retry = calls.search_count([("shipment_id", "=", self.id)])
                seconds = exc.retry_after or BACKOFF[min(retry, len(BACKOFF) - 1)]
                raise RetryableJobError(
                    _(
                        "%(picking)s waits for the carrier: %(error)s",
                        picking=self.picking_id.name,
                        error=exc,
                    ),
                    seconds=seconds,
                ) from exc
            calls._omni_log(self, "failed", str(exc))
            return self._omni_fail(exc)
        calls._omni_log(
            self, "created", ",".join(p.tracking_number for p in result_parcels(result))
        )
        if self.kind == "return":
            self._omni_apply_return(result)
        else:
            self._omni_apply_result(result)
        return _("Label %s created", self.tracking_ref)

    def _omni_mark_unknown(self, exc=None):
        """The carrier may have created the shipment and offers no lookup: ask a person."""
        detail = f" ({exc})" if exc else ""
        message = _(
            "%(carrier)s did not answer whether it created the label for %(picking)s%(error)s. "
            "It is not retried automatically, to avoid a second label. Look the reference "
            "%(ref)s up in the carrier portal, then use Reconcile on the shipment.",
            carrier=self.carrier_id.name,
            picking=self.picking_id.name,
            error=detail,
            ref=self.name,
        )
        return self._omni_warn("unknown", message, _("Reconcile carrier label %s", self.name))

    def action_reconcile(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reconcile %s", self.name),
            "res_model": "omni.carrier.shipment.reconcile",
            "view_mode": "form",
            "target": "new",
            "context": {"default_shipment_id": self.id},
        }

    def _omni_reconcile_created(self, tracking_numbers):
        """A person found the shipment in the carrier portal: record its parcel numbers."""
        self.ensure_one()
        if self.state != "unknown":
            raise UserError(_("%s does not need a reconcile.", self.name))
        self.env["omni.carrier.call"].sudo()._omni_log(
            self, "reconciled", ",".join(tracking_numbers)
        )
        packages = self.picking_id.move_line_ids.result_package_id
        self.env["omni.carrier.parcel"].create(
            [
                {
                    "shipment_id": self.id,
                    "tracking_number": number,
                    "package_id": packages[index].id if index < len(packages) else False,
                    "status": "label_created",
                    "status_date": fields.Datetime.now(),
                }
                for index, number in enumerate(tracking_numbers)
            ]
        )
        tracking = ",".join(tracking_numbers)
        self.write({"state": "done", "tracking_ref": tracking, "error_message": False})
        self._omni_close_reconcile_activities()
        reissue = getattr(self.account_id._omni_client(), "can_reissue_documents", False)
        values = {"ref": self.name, "user": self.env.user.name, "numbers": tracking}
        if reissue:
            body = _(
                "Shipment %(ref)s reconciled by %(user)s with tracking number %(numbers)s; "
                "its label is downloaded from the carrier in the background.",
                **values,
            )
        else:
            body = _(
                "Shipment %(ref)s reconciled by %(user)s with tracking number %(numbers)s; "
                "print its label from the carrier portal.",
                **values,
            )
        self.picking_id.message_post(body=body)
        if self.kind == "outbound":
            self.picking_id.carrier_tracking_ref = tracking
            if self.sale_id:
                self.sale_id._omni_timeline("shipped", note=tracking, document=self.picking_id)
            self.parcel_ids._omni_notify("label_created")
        if reissue:
            # the carrier is called by a job, never in the user's transaction
            self._omni_delay(
                "_omni_job_fetch_documents", _("Carrier label again for %s", self.picking_id.name)
            )

    def _omni_job_fetch_documents(self):
        """Queue job: download the labels of a reconciled shipment (DHL re-issues the
        documents of known shipment numbers). Idempotent: a shipment that has its labels
        is left alone."""
        self.ensure_one()
        if self.state != "done" or self.label_attachment_ids or not self.tracking_ref:
            return _("Nothing to do: shipment %s has its labels or no number", self.name)
        client = self.account_id._omni_client()
        numbers = self.parcel_ids.mapped("tracking_number")
        calls = self.env["omni.carrier.call"].sudo()
        try:
            result = client.get_documents(numbers, self.label_format)
        except CarrierError as exc:
            if exc.retryable:
                retry = calls.search_count([("shipment_id", "=", self.id)])
                raise RetryableJobError(
                    _(
                        "%(picking)s waits for the carrier: %(error)s",
                        picking=self.picking_id.name,
                        error=exc,
                    ),
                    seconds=exc.retry_after or BACKOFF[min(retry, len(BACKOFF) - 1)],
                ) from exc
            message = _(
                "%(carrier)s did not return the label of %(ref)s: %(error)s. Print it from the "
                "carrier portal.",
                carrier=self.carrier_id.name,
                ref=self.name,
                error=exc,
            )
            self.write({"error_message": message})
            self.picking_id.message_post(body=message)
            return message
        calls._omni_log(self, "documents", ",".join(p.tracking_number for p in result.parcels))
        ext = "zpl" if result.label_format == "ZPL" else "pdf"
        mimetype = "text/plain" if ext == "zpl" else "application/pdf"
        prefix = self.carrier_id._get_delivery_label_prefix()
        attachments = self.env["ir.attachment"]
        for parcel in result.parcels:
            if parcel.label:
                attachments |= self._omni_attach(
                    f"{prefix}-{parcel.tracking_number}.{ext}", parcel.label, mimetype
                )
        self.write(
            {"label_attachment_ids": [fields.Command.set(attachments.ids)], "error_message": False}
        )
        self.picking_id.message_post(
            body=_(
                "Label of %(ref)s downloaded from %(carrier)s",
                ref=self.name,
                carrier=self.carrier_id.name,
            ),
            attachment_ids=attachments.ids,
        )
        return _(
            "%(count)s label(s) downloaded for %(ref)s", count=len(attachments), ref=self.name
        )

    def _omni_reconcile_not_created(self):
        """A person confirmed the carrier has no such shipment: create it (again)."""
        for shipment in self:
            if shipment.state != "unknown":
                raise UserError(_("%s does not need a reconcile.", shipment.name))
            self.env["omni.carrier.call"].sudo()._omni_log(shipment, "not_created")
            shipment.write({"state": "queued", "error_message": False})
            shipment._omni_close_reconcile_activities()
            shipment.picking_id.message_post(
                body=_(
                    "%(user)s confirmed that the carrier did not create %(ref)s: requested again.",
                    user=self.env.user.name,
                    ref=shipment.name,
                )
            )
        self._omni_enqueue()

    def _omni_close_reconcile_activities(self):
        activities = self.picking_id.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_warning")
            and self.name in (a.summary or "")
        )
        activities.action_feedback(feedback=_("Reconciled"))

    def _omni_return_request(self):
        picking = self.picking_id
        return {
            "reference": self.name,
            "sender": self._omni_address(picking.partner_id),
            "weight": picking.shipping_weight or 1.0,
        }

    def _omni_fail(self, exc):
        message = _(
            "%(carrier)s could not create a label for %(picking)s: %(error)s",
            carrier=self.carrier_id.name,
            picking=self.picking_id.name,
            error=exc,
        )
        return self._omni_warn("failed", message)

    def _omni_warn(self, state, message, summary=""):
        """Put the shipment in ``state`` with ``message``, tell the picking's chatter and give
        its responsible (else the current user) a warning activity. Returns ``message``."""
        self.write({"state": state, "error_message": message})
        self.picking_id.message_post(body=message)
        self.picking_id.activity_schedule(
            "mail.mail_activity_data_warning",
            summary=summary,
            note=message,
            user_id=self.picking_id.user_id.id or self.env.user.id,
        )
        return message

    def _omni_attach(self, name, content, mimetype):
        return self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": content,
                "mimetype": mimetype,
                "res_model": "stock.picking",
                "res_id": self.picking_id.id,
            }
        )

    def _omni_apply_result(self, result):
        carrier = self.carrier_id
        picking = self.picking_id
        ext = "zpl" if result.label_format == "ZPL" else "pdf"
        mimetype = "text/plain" if ext == "zpl" else "application/pdf"
        prefix = carrier._get_delivery_label_prefix()
        attachments = self.env["ir.attachment"]
        if result.label:
            attachments |= self._omni_attach(f"{prefix}-{self.name}.{ext}", result.label, mimetype)
        parcel_vals = []
        packages = picking.move_line_ids.result_package_id
        for index, parcel in enumerate(result.parcels):
            if parcel.label and not result.label:
                attachments |= self._omni_attach(
                    f"{prefix}-{parcel.tracking_number}.{ext}", parcel.label, mimetype
                )
            parcel_vals.append(
                {
                    "shipment_id": self.id,
                    "tracking_number": parcel.tracking_number,
                    "package_id": packages[index].id if index < len(packages) else False,
                    "status": "label_created",
                    "status_date": fields.Datetime.now(),
                }
            )
        if result.return_label:
            attachments |= self._omni_attach(
                f"{carrier.get_return_label_prefix()}-{result.return_tracking_number}.{ext}",
                result.return_label,
                mimetype,
            )
        self.env["omni.carrier.parcel"].create(parcel_vals)
        tracking = ",".join(p.tracking_number for p in result.parcels)
        self.write(
            {
                "state": "done",
                "tracking_ref": tracking,
                "return_tracking_ref": result.return_tracking_number or False,
                "label_attachment_ids": [fields.Command.set(attachments.ids)],
                "warning_message": "\n".join(result.warnings) or False,
                "error_message": False,
            }
        )
        picking.carrier_tracking_ref = tracking
        picking.message_post(
            body=Markup("%s<br/>%s")
            % (
                _(
                    "Shipment sent to carrier %(carrier)s with tracking number %(ref)s",
                    carrier=carrier.name,
                    ref=tracking,
                ),
                _("Shipment goes to the pickup point %s", self.pickup_point_name)
                if self.pickup_point_name
                else "",
            ),
            attachment_ids=attachments.ids,
        )
        if picking.sale_id:
            picking.sale_id._omni_timeline("shipped", note=tracking, document=picking)
        self.parcel_ids._omni_notify("label_created")

    def _omni_apply_return(self, parcel):
        carrier = self.carrier_id
        attachment = self._omni_attach(
            f"{carrier.get_return_label_prefix()}-{parcel.tracking_number}.pdf",
            parcel.label,
            "application/pdf",
        )
        self.write(
            {
                "state": "done",
                "tracking_ref": parcel.tracking_number,
                "label_attachment_ids": [fields.Command.set(attachment.ids)],
            }
        )
        self.env["omni.carrier.parcel"].create(
            {
                "shipment_id": self.id,
                "tracking_number": parcel.tracking_number,
                "status": "label_created",
            }
        )
        if carrier.get_return_label_from_portal:
            attachment.generate_access_token()
        self.picking_id.message_post(
            body=_("Return label %s created", parcel.tracking_number),
            attachment_ids=attachment.ids,
        )

    def _omni_void(self):
        """Void shipments. DHL cancels at the carrier through a queue job (no carrier call in
        the user's transaction); DPD and Hermes have no cancel operation and void locally."""
        shipments = self.filtered(lambda s: s.state == "done")
        remote = shipments.filtered(lambda s: s.carrier_code == "dhl")
        remote.write({"state": "voiding"})
        for shipment in remote:
            shipment._omni_delay(
                "_omni_job_void", _("Cancel carrier label %s", shipment.tracking_ref)
            )
        (shipments - remote)._omni_apply_void()

    def _omni_job_void(self):
        """Queue job: cancel at the carrier once. A replay finds the shipment voided already;
        a cancel whose answer was lost is repeated and DHL answers "unknown shipment"
        for a cancelled number, which we take as done (our numbers came from DHL)."""
        self.ensure_one()
        if self.state != "voiding":
            return _("Nothing to do: shipment is %s", self.state)
        numbers = self.parcel_ids.mapped("tracking_number")
        calls = self.env["omni.carrier.call"].sudo()
        repeated = calls._omni_last_operation(self) == "cancel"
        try:
            calls._omni_log_before_call(self, "cancel", {"shipments": numbers})
            self.account_id._omni_client().cancel(numbers)
        except CarrierError as exc:
            if exc.retryable:
                raise RetryableJobError(
                    _(
                        "Cancelling %(ref)s waits for the carrier: %(error)s",
                        ref=self.name,
                        error=exc,
                    ),
                    seconds=exc.retry_after or BACKOFF[1],
                ) from exc
            if not (repeated and exc.code == "UnknownShipmentNumber"):
                message = _(
                    "%(carrier)s refused to cancel %(ref)s: %(error)s",
                    carrier=self.carrier_id.name,
                    ref=self.tracking_ref,
                    error=exc,
                )
                calls._omni_log(self, "cancel_refused", str(exc))
                return self._omni_warn("done", message)
        calls._omni_log(self, "cancelled")
        self._omni_apply_void()
        return _("Shipment %s cancelled", self.tracking_ref)

    def _omni_apply_void(self):
        for shipment in self:
            shipment.state = "voided"
            shipment.parcel_ids._omni_set_status("cancelled", fields.Datetime.now())
            shipment.picking_id.message_post(
                body=_(
                    "Shipment %s voided; it stays in the carrier history.", shipment.tracking_ref
                )
            )
