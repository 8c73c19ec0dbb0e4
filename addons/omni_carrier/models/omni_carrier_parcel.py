import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ..carriers.status import FINAL, STATUSES, advances

_logger = logging.getLogger(__name__)

# normalised status -> order timeline step (omni_order)
TIMELINE = {
    "picked_up": "in_transit",
    "in_transit": "in_transit",
    "out_for_delivery": "in_transit",
    "failed_attempt": "in_transit",
    "exception": "in_transit",
    "returning": "in_transit",
    "ready_for_pickup": "ready_for_pickup",
    "delivered": "delivered",
    "returned": "returned",
}
NOTIFY = {
    "label_created": "omni_carrier.mail_template_shipped",
    "out_for_delivery": "omni_carrier.mail_template_out_for_delivery",
    "ready_for_pickup": "omni_carrier.mail_template_ready_for_pickup",
    "failed_attempt": "omni_carrier.mail_template_failed_attempt",
}
NOTIFY_FIELD = {
    "label_created": "omni_notify_shipped",
    "out_for_delivery": "omni_notify_out_for_delivery",
    "ready_for_pickup": "omni_notify_ready_for_pickup",
    "failed_attempt": "omni_notify_failed_attempt",
}


class OmniCarrierParcel(models.Model):
    """One package at the carrier: its tracking number and normalised status."""

    _name = "omni.carrier.parcel"
    _description = "Carrier Parcel"
    _order = "id desc"
    _rec_name = "tracking_number"

    shipment_id = fields.Many2one(
        "omni.carrier.shipment", required=True, ondelete="cascade", index=True
    )
    picking_id = fields.Many2one(related="shipment_id.picking_id", store=True, index=True)
    account_id = fields.Many2one(related="shipment_id.account_id", store=True)
    carrier_code = fields.Selection(related="shipment_id.carrier_code", store=True)
    company_id = fields.Many2one(related="shipment_id.company_id", store=True, index=True)
    package_id = fields.Many2one("stock.quant.package")
    tracking_number = fields.Char(required=True, index=True)
    status = fields.Selection(STATUSES, default="label_created", required=True, index=True)
    status_date = fields.Datetime()
    is_final = fields.Boolean(compute="_compute_is_final", store=True, index=True)
    last_poll = fields.Datetime()
    event_ids = fields.One2many("omni.carrier.event", "parcel_id")

    _sql_constraints = [
        (
            "tracking_uniq",
            "UNIQUE(carrier_code, tracking_number)",
            "This tracking number exists already.",
        ),
    ]

    @api.depends("status")
    def _compute_is_final(self):
        for parcel in self:
            parcel.is_final = parcel.status in FINAL

    # === BUSINESS METHODS === #

    def _omni_set_status(self, status, date, note=None):
        for parcel in self:
            if not advances(parcel.status, parcel.status_date, status, date):
                continue
            parcel.write({"status": status, "status_date": date})
            order = parcel.picking_id.sale_id
            if order and status in TIMELINE and parcel.shipment_id.kind == "outbound":
                order._omni_timeline(
                    TIMELINE[status], note=note or status, document=parcel.picking_id
                )
            parcel._omni_notify(status)

    def _omni_notify(self, status):
        """Send the customer e-mail for ``status`` once per picking (UNIQUE + ON CONFLICT)."""
        template_xmlid = NOTIFY.get(status)
        for parcel in self:
            shipment = parcel.shipment_id
            if not template_xmlid or shipment.kind != "outbound":
                continue
            if not shipment.carrier_id[NOTIFY_FIELD[status]]:
                continue
            self.env.cr.execute(
                SQL(
                    "INSERT INTO omni_carrier_notification (picking_id, status, create_date) "
                    "VALUES (%s, %s, now() at time zone 'utc') "
                    "ON CONFLICT DO NOTHING RETURNING id",
                    parcel.picking_id.id,
                    status,
                )
            )
            if not self.env.cr.fetchone():
                continue
            template = self.env.ref(template_xmlid, raise_if_not_found=False)
            picking = parcel.picking_id
            # the person who ordered: the picking's partner may be a parcel shop address
            customer = picking.sale_id.partner_id or picking.partner_id
            if template and customer.email:
                # rendered here and posted to the customer only: the template's own
                # recipients (if an admin edits them) must not add or replace anyone
                values = template.with_context(omni_parcel_id=parcel.id)._generate_template(
                    picking.ids, ["subject", "body_html"]
                )[picking.id]
                picking.message_post(
                    body=values["body_html"],
                    subject=values["subject"],
                    partner_ids=customer.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )

    @api.model
    def _cron_poll_tracking(self, limit=500):
        """Poll the carriers for parcels that are not final, oldest poll first, batched."""
        parcels = self.search(
            [
                ("is_final", "=", False),
                ("status", "!=", "cancelled"),
                ("shipment_id.state", "=", "done"),
            ],
            order="last_poll asc nulls first, id",
            limit=limit,
        )
        for account, account_parcels in parcels.grouped("account_id").items():
            account_parcels._omni_poll(account)

    def _omni_poll(self, account):
        client = account._omni_client()
        try:
            events = client.track(self.mapped("tracking_number"))
        except Exception as exc:  # noqa: BLE001 - one carrier down must not stop the others
            _logger.warning("tracking poll of %s failed: %s", account.name, exc)
            return 0
        self.write({"last_poll": fields.Datetime.now()})
        return self.env["omni.carrier.event"]._omni_ingest(
            account.carrier_code, events, source="poll"
        )


class OmniCarrierNotification(models.Model):
    _name = "omni.carrier.notification"
    _description = "Carrier Customer Notification"

    picking_id = fields.Many2one("stock.picking", required=True, ondelete="cascade", index=True)
    status = fields.Char(required=True)

    _sql_constraints = [
        ("notification_uniq", "UNIQUE(picking_id, status)", "The customer was already notified."),
    ]
