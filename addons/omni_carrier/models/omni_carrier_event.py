import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ..carriers.status import STATUSES, map_status, normalise_hermes_code
from .omni_carrier_account import CARRIERS

_logger = logging.getLogger(__name__)


class OmniCarrierEvent(models.Model):
    """One tracking event of one parcel, as the carrier reported it, plus its normalised status.

    Duplicates (webhook retried, poll overlapping a push) are rejected by the UNIQUE
    constraint on (carrier, event id) with ``ON CONFLICT DO NOTHING``, not by a search.
    """

    _name = "omni.carrier.event"
    _description = "Carrier Tracking Event"
    _order = "event_time desc, id desc"

    parcel_id = fields.Many2one(
        "omni.carrier.parcel", required=True, ondelete="cascade", index=True
    )
    picking_id = fields.Many2one(related="parcel_id.picking_id")
    company_id = fields.Many2one(related="parcel_id.company_id", store=True)
    carrier_code = fields.Selection(CARRIERS, required=True, string="Carrier")
    event_uid = fields.Char(string="Event ID", required=True)
    raw_code = fields.Char(string="Carrier Code")
    raw_text = fields.Char(string="Carrier Text")
    event_time = fields.Datetime(string="Time")
    location = fields.Char(string="Place")
    status = fields.Selection(STATUSES, string="Normalised Status")
    source = fields.Selection([("poll", "Polling"), ("webhook", "Webhook")])

    _sql_constraints = [
        ("event_uniq", "UNIQUE(carrier_code, event_uid)", "This tracking event exists already."),
    ]

    @api.model
    def _omni_ingest(self, carrier_code, events, source="poll", account=None):
        """Store new events (set-based) and move each parcel's status forward. Returns count.

        ``account``: the account a webhook authenticated; only its parcels are touched.
        """
        if not events:
            return 0
        numbers = list({e.tracking_number for e in events})
        domain = [("carrier_code", "=", carrier_code), ("tracking_number", "in", numbers)]
        if account:
            domain.append(("account_id", "=", account.id))
        parcels = self.env["omni.carrier.parcel"].sudo().search(domain)
        by_number = {p.tracking_number: p for p in parcels}
        mapping = self.env["omni.carrier.status.map"]._omni_mapping()[carrier_code]
        rows = []
        for event in events:
            parcel = by_number.get(event.tracking_number)
            if not parcel:
                _logger.info(
                    "tracking event for unknown %s parcel %s ignored",
                    carrier_code,
                    event.tracking_number,
                )
                continue
            code = normalise_hermes_code(event.code) if carrier_code == "hermes" else event.code
            rows.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now() at time zone 'utc', %s)",
                    parcel.id,
                    parcel.company_id.id or None,
                    carrier_code,
                    event.event_id,
                    code,
                    (event.text or "")[:250],
                    event.time,
                    (event.location or "")[:120],
                    map_status(mapping, carrier_code, code),
                    source,
                    self.env.uid,
                )
            )
        if not rows:
            return 0
        self.env.cr.execute(
            SQL(
                "INSERT INTO omni_carrier_event (parcel_id, company_id, carrier_code, event_uid, "
                "raw_code, raw_text, event_time, location, status, source, create_date, "
                "create_uid) "
                "VALUES %s ON CONFLICT (carrier_code, event_uid) DO NOTHING RETURNING id",
                SQL(", ").join(rows),
            )
        )
        new = self.browse([r[0] for r in self.env.cr.fetchall()])
        if not new:
            return 0
        self.env["omni.carrier.event"].invalidate_model()
        self.env["omni.carrier.parcel"].invalidate_model(["event_ids"])
        for event in new.sorted(lambda e: (e.event_time or fields.Datetime.now(), e.id)):
            if event.status and event.status != "unknown":
                event.parcel_id._omni_set_status(
                    event.status, event.event_time, note=event.raw_text
                )
        return len(new)
