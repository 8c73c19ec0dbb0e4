from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

from .delivery_carrier import OMNI_TYPES


class StockPicking(models.Model):
    _inherit = "stock.picking"

    omni_shipment_ids = fields.One2many(
        "omni.carrier.shipment", "picking_id", string="Carrier Shipments"
    )
    omni_parcel_ids = fields.One2many("omni.carrier.parcel", "picking_id", string="Parcels")
    omni_event_ids = fields.One2many(
        "omni.carrier.event", compute="_compute_omni_event_ids", string="Tracking Events"
    )
    omni_carrier_status = fields.Selection(
        related="omni_parcel_ids.status", string="Carrier Status"
    )
    omni_waiting = fields.Boolean(
        compute="_compute_omni_waiting", search="_search_omni_waiting", string="Waits for Carrier"
    )

    omni_needs_reconcile = fields.Boolean(
        compute="_compute_omni_waiting",
        search="_search_omni_needs_reconcile",
        string="Carrier Label Needs Reconcile",
    )

    def _compute_omni_event_ids(self):
        for picking in self:
            picking.omni_event_ids = picking.omni_parcel_ids.event_ids

    @api.depends("omni_shipment_ids.state")
    def _compute_omni_waiting(self):
        for picking in self:
            picking.omni_waiting = any(s.state == "queued" for s in picking.omni_shipment_ids)
            picking.omni_needs_reconcile = any(
                s.state == "unknown" for s in picking.omni_shipment_ids
            )

    def _search_omni_waiting(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Operation not supported"))
        if (operator == "=") == bool(value):
            return [("omni_shipment_ids.state", "=", "queued")]
        return [("omni_shipment_ids.state", "!=", "queued")]

    def _search_omni_needs_reconcile(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Operation not supported"))
        if (operator == "=") == bool(value):
            return [("omni_shipment_ids.state", "=", "unknown")]
        return [("omni_shipment_ids.state", "!=", "unknown")]

    # === OVERRIDES === #

    def send_to_shipper(self):
        """Omni carriers: record the request only; a queue job talks to the carrier."""
        if self.carrier_id.delivery_type in OMNI_TYPES:
            self._omni_request_shipment()
            return None
        return super().send_to_shipper()

    def _omni_carrier_writes_shipped(self):
        """Omni carriers write ``shipped`` themselves, with the tracking number, once the
        label exists (omni_order's validation hook must not write it a second time)."""
        return super()._omni_carrier_writes_shipped() or (
            self.carrier_id.delivery_type in OMNI_TYPES
        )

    # === ACTIONS === #

    def action_omni_request_labels(self):
        """Labels for many pickings at once (list action): one job per picking."""
        pickings = self.filtered(lambda p: p.carrier_id.delivery_type in OMNI_TYPES)
        pickings._omni_request_shipment()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": _("%s label requests queued.", len(pickings)),
                "type": "info",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_omni_print_labels(self):
        """All PDF labels of the selected pickings as one merged PDF."""
        attachments = self.omni_shipment_ids.filtered(
            lambda s: s.state == "done" and s.kind == "outbound"
        ).label_attachment_ids
        pdfs = attachments.filtered(lambda a: a.mimetype == "application/pdf")
        if not pdfs:
            raise UserError(_("No PDF label to print for the selected transfers."))
        merged = self.env["ir.attachment"].create(
            {
                "name": _("Labels.pdf"),
                "raw": merge_pdf([a.raw for a in pdfs]),
                "mimetype": "application/pdf",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{merged.id}?download=true",
            "target": "new",
        }

    def action_omni_refresh_tracking(self):
        parcels = self.omni_parcel_ids.filtered(
            lambda p: not p.is_final and p.shipment_id.state == "done"
        )
        for account, account_parcels in parcels.grouped("account_id").items():
            account_parcels._omni_poll(account)

    def action_omni_return_label(self):
        self._omni_request_return()

    def action_omni_relabel(self):
        """Address or carrier changed after labelling: void the old shipment, buy a new one."""
        for picking in self:
            old = picking.omni_shipment_ids.filtered(
                lambda s: s.kind == "outbound" and s.state == "done"
            )
            old._omni_void()
            picking.carrier_tracking_ref = False
            new = picking._omni_request_shipment(force=True)
            old.write({"replaced_by_id": new[:1].id})

    # === BUSINESS METHODS === #

    def _omni_request_shipment(self, force=False):
        """Create the outbox row (unique idempotency key) and enqueue its job; idempotent."""
        shipments = self.env["omni.carrier.shipment"]
        for picking in self:
            carrier = picking.carrier_id
            if carrier.delivery_type not in OMNI_TYPES or not carrier.omni_account_id:
                raise UserError(_("%s has no Omni carrier account to ship with.", picking.name))
            active = picking.omni_shipment_ids.filtered(
                lambda s: s.kind == "outbound"
                and s.state in ("queued", "unknown", "done", "failed")
            )
            if active and not force:
                shipments |= active.filtered(lambda s: s.state == "queued")
                continue
            generation = (
                len(picking.omni_shipment_ids.filtered(lambda s: s.kind == "outbound")) + 1
            )
            order = picking.sale_id
            point = order.pickup_location_data if order and carrier.omni_use_locations else None
            services = {
                "age_check": carrier.omni_age_check or None,
                "ident": carrier.omni_ident,
                "email_notification": carrier.omni_email_notification,
                "return_label": carrier.omni_return_label,
            }
            shipments |= shipments.create(
                {
                    "name": f"{picking.name.replace('/', '-')}-{generation}",
                    "idempotency_key": f"{self.env.cr.dbname}:{picking.id}:out:{generation}",
                    "picking_id": picking.id,
                    "carrier_id": carrier.id,
                    "account_id": carrier.omni_account_id.id,
                    "company_id": picking.company_id.id,
                    "label_format": carrier.omni_label_format or "PDF",
                    "services": services,
                    "pickup_point": self._omni_pickup_payload(point) if point else False,
                    "pickup_point_name": point.get("name") if point else False,
                }
            )
        shipments._omni_enqueue()
        return shipments

    @api.model
    def _omni_pickup_payload(self, point):
        extra = point.get("additional_data") or {}
        return {
            "id": str(point.get("id")),
            "name": point.get("name"),
            "kind": extra.get("kind") or "shop",
            "number": extra.get("number") or "",
            "city": point.get("city"),
            "zip_code": point.get("zip_code"),
        }

    def _omni_create_return_label(self):
        """The return label of each delivered picking: reuses a return label that exists or is
        being created, else requests one. Safe to call repeatedly (portal reloads, the store
        counter of omni_store_pos). No carrier call: a queue job buys the label; it is ready
        when the returned shipment is ``done`` (``label_attachment_ids``)."""
        shipments = self.env["omni.carrier.shipment"]
        todo = self.env["stock.picking"]
        for picking in self:
            existing = picking.omni_shipment_ids.filtered(
                lambda s: s.kind == "return" and s.state in ("queued", "unknown", "done")
            )
            if existing:
                shipments |= existing[:1]
            else:
                todo |= picking
        return shipments | todo._omni_request_return()

    def _omni_request_return(self):
        shipments = self.env["omni.carrier.shipment"]
        for picking in self:
            carrier = picking.carrier_id
            if carrier.delivery_type not in OMNI_TYPES or not carrier.can_generate_return:
                raise UserError(_("%s cannot create return labels.", carrier.name or picking.name))
            if picking.state != "done":
                raise UserError(_("A return label needs a delivered transfer (%s).", picking.name))
            generation = len(picking.omni_shipment_ids.filtered(lambda s: s.kind == "return")) + 1
            shipments |= shipments.create(
                {
                    "name": f"R-{picking.name.replace('/', '-')}-{generation}",
                    "idempotency_key": f"{self.env.cr.dbname}:{picking.id}:ret:{generation}",
                    "picking_id": picking.id,
                    "carrier_id": carrier.id,
                    "account_id": carrier.omni_account_id.id,
                    "company_id": picking.company_id.id,
                    "kind": "return",
                }
            )
        shipments._omni_enqueue()
        return shipments
