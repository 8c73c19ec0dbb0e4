import json
from datetime import UTC

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, mute_logger
from odoo.tools.translate import LazyGettext, LazyTranslate

from ..intake import IntakeError, OrderDraft, json_order, mapping, spreadsheet
from .omni_intake_payload import QUIET_CONTEXT, render_errors
from .omni_sourcing_rule import FULFILMENT_MODES

_lt = LazyTranslate(__name__)


INTAKE_STATES = [
    ("received", "Received"),
    ("parsed", "Parsed"),
    ("error", "Error"),
    ("done", "Order created"),
    ("duplicate", "Duplicate"),
]


class OmniIntake(models.Model):
    """One order of a payload, on its way to a sale order.

    ``UNIQUE(channel_id, external_ref)`` makes a channel's reference create one order at most,
    also when two requests carry it at the same time: a later arrival is kept as a
    ``duplicate`` intake (``external_ref`` empty, ``received_ref`` set) pointing at the first.
    """

    _name = "omni.intake"
    _inherit = ["mail.thread"]
    _description = "Omni Order Intake"
    _order = "id desc"
    _check_company_auto = True
    _rec_name = "received_ref"

    payload_id = fields.Many2one(
        "omni.intake.payload",
        string="Payload",
        required=True,
        readonly=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    channel_id = fields.Many2one(
        "crm.team", string="Channel", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    external_ref = fields.Char(
        string="Claimed Reference",
        readonly=True,
        copy=False,
        help="The channel's order reference this intake owns (empty for duplicates).",
    )
    received_ref = fields.Char(string="Reference", readonly=True, index="trigram")
    index = fields.Integer(string="Position in Payload", readonly=True)
    draft = fields.Text(
        help="The order as read from the payload, normalised. Correct it and retry.",
        tracking=True,
    )
    state = fields.Selection(
        INTAKE_STATES, required=True, default="received", readonly=True, index=True
    )
    error_json = fields.Text(readonly=True, copy=False)
    error = fields.Text(compute="_compute_error", string="Error Reason")
    unmapped_code = fields.Char(
        readonly=True, help="The first product code that could not be mapped."
    )
    sale_order_ids = fields.One2many("sale.order", "omni_intake_id", string="Sale Orders")
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sale Order",
        compute="_compute_sale_order_id",
        store=True,
        index="btree_not_null",
    )
    duplicate_of_id = fields.Many2one(
        "omni.intake", string="Duplicate of", readonly=True, index="btree_not_null"
    )
    attempt_ids = fields.One2many("omni.intake.attempt", "intake_id", string="Attempts")
    partner_label = fields.Char(string="Customer", readonly=True)

    _sql_constraints = [
        (
            "channel_ref_uniq",
            "UNIQUE(channel_id, external_ref)",
            "A channel's order reference can be received only once.",
        )
    ]

    # === COMPUTE METHODS === #

    @api.depends("sale_order_ids")
    def _compute_sale_order_id(self):
        for intake in self:
            intake.sale_order_id = intake.sale_order_ids[:1]

    @api.depends("received_ref", "payload_id.name", "index")
    def _compute_display_name(self):
        for intake in self:
            intake.display_name = intake.received_ref or (
                f"{intake.payload_id.name} #{intake.index + 1}" if intake.payload_id else False
            )

    @api.depends("error_json")
    @api.depends_context("lang")
    def _compute_error(self):
        lang = self.env.lang or "en_US"
        for intake in self:
            intake.error = render_errors(intake.error_json, lang)

    # === CRUD METHODS === #

    @api.ondelete(at_uninstall=False)
    def _unlink_except_kept(self):
        if not self.env.is_superuser():
            raise UserError(self.env._("Intakes are kept as evidence: they cannot be deleted."))

    # === ACTIONS === #

    def action_retry(self):
        """Map the (corrected) draft again and create the order; a no-op for intakes whose
        order exists or that are duplicates."""
        todo = self.filtered(lambda i: i.state in ("received", "parsed", "error"))
        todo._omni_lock()
        todo = todo.filtered(lambda i: i.state in ("received", "parsed", "error"))
        todo._omni_build_orders()
        return True

    def action_replay(self):
        """Read this order again from the stored payload bytes (the draft is replaced), then
        retry; an existing order is never created a second time."""
        for payload, intakes in self.grouped("payload_id").items():
            try:
                entries = payload._omni_entries()
            except IntakeError as error:
                for intake in intakes:
                    intake._omni_fail([error])
                continue
            by_ref = {e.ref: e for e in entries if e.ref}
            for intake in intakes.filtered(lambda i: i.state in ("received", "parsed", "error")):
                entry = by_ref.get(intake.received_ref) if intake.received_ref else None
                if entry is None and intake.index < len(entries):
                    entry = entries[intake.index]
                if entry is not None:
                    intake.write(self._omni_entry_vals(entry))
        return self.action_retry()

    def action_export_csv(self):
        """Download the selected intakes (reasons in the user's language) as CSV; cells
        that a spreadsheet would run as a formula are escaped."""
        header = [
            self.env._("Received"),
            self.env._("Channel"),
            self.env._("Reference"),
            self.env._("Customer"),
            self.env._("Status"),
            self.env._("Error Reason"),
            self.env._("Payload"),
        ]
        states = dict(self._fields["state"]._description_selection(self.env))
        rows = [
            [
                fields.Datetime.to_string(intake.create_date),
                intake.channel_id.name,
                intake.received_ref or "",
                intake.partner_label or "",
                states[intake.state],
                intake.error or "",
                intake.payload_id.name,
            ]
            for intake in self
        ]
        attachment = self.env["ir.attachment"].create(
            {
                "name": "intake_errors.csv",
                "raw": spreadsheet.write_csv(rows, header=header),
                "mimetype": "text/csv",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_open_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "view_mode": "form",
        }

    # === BUSINESS METHODS === #

    @api.model
    def _omni_ingest(self, payload, entries):
        """Claim each entry's (channel, reference) and build the orders of the new ones.

        :param entries: ``json_order.Entry`` list of one payload
        :return: the intakes, in payload order (duplicates included)
        """
        fast = self._omni_claim_batch(payload, entries)
        intakes = self.browse()
        seen = set()
        for position, entry in enumerate(entries):
            if position in fast:
                intakes |= fast[position]
            else:
                intakes |= self._omni_claim(payload, entry, position, again=entry.ref in seen)
            seen.add(entry.ref)
        todo = intakes.filtered(lambda i: i.state in ("received", "error") and i.external_ref)
        todo.filtered(lambda i: i.state == "received")._omni_build_orders()
        return intakes

    @api.model
    def _omni_entry_vals(self, entry):
        if isinstance(entry.draft, OrderDraft):
            content = entry.draft.to_json()
            error = False
            partner = entry.draft.partner
            label = partner.name or partner.email or partner.gln or partner.customer_ref
            state = "received"
        else:
            content = entry.raw
            error = json.dumps([entry.draft.to_json()])
            label = False
            state = "error"
        return {
            "draft": json.dumps(content, indent=2, ensure_ascii=False, default=str),
            "error_json": error,
            "state": state,
            "partner_label": label,
        }

    @api.model
    def _omni_claim_batch(self, payload, entries):
        """{position: intake} for the entries whose reference is new: one search and one
        INSERT for the batch. Any conflict (a concurrent arrival) sends the whole batch to the
        one-by-one path of ``_omni_claim``."""
        counts = {}
        for entry in entries:
            counts[entry.ref] = counts.get(entry.ref, 0) + 1
        refs = [ref for ref in counts if ref]
        taken = set(
            self.sudo()
            .search([("channel_id", "=", payload.channel_id.id), ("external_ref", "in", refs)])
            .mapped("external_ref")
        )
        positions = [
            position
            for position, entry in enumerate(entries)
            if entry.ref and counts[entry.ref] == 1 and entry.ref not in taken
        ]
        if not positions:
            return {}
        vals_list = [
            dict(
                self._omni_claim_vals(payload, entries[position], position),
                external_ref=entries[position].ref,
            )
            for position in positions
        ]
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                intakes = self.create(vals_list)
        except UniqueViolation:
            return {}
        return dict(zip(positions, intakes, strict=True))

    @api.model
    def _omni_claim_vals(self, payload, entry, position):
        return dict(
            self._omni_entry_vals(entry),
            payload_id=payload.id,
            channel_id=payload.channel_id.id,
            company_id=payload.company_id.id,
            index=position,
            received_ref=entry.ref,
        )

    @api.model
    def _omni_claim(self, payload, entry, position=0, again=False):
        """The intake of ``entry``: a new one that owns (channel, reference), the existing one
        of the same payload (replay), or a ``duplicate`` pointing at the owner.

        Two transactions inserting the same reference: the second waits for the first and
        gets a unique violation; when the owner is not yet visible in its snapshot (REPEATABLE
        READ) a serialization failure is raised so that the request is replayed.
        """
        channel = payload.channel_id
        vals = self._omni_claim_vals(payload, entry, position)
        if not entry.ref:
            return self.create(vals)
        owner = self._omni_owner(channel, entry.ref)
        if not owner:
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    return self.create(dict(vals, external_ref=entry.ref))
            except UniqueViolation:
                owner = self._omni_owner(channel, entry.ref)
                if not owner:
                    self._omni_raise_serialization(payload, entry.ref)
        if owner.payload_id == payload and not again:
            if owner.state in ("received", "error"):
                owner.write(
                    {k: vals[k] for k in ("draft", "error_json", "state", "partner_label")}
                )
            return owner
        duplicate = self.search(
            [("payload_id", "=", payload.id), ("duplicate_of_id", "=", owner.id)], limit=1
        )
        if duplicate:
            return duplicate
        duplicate = self.create(dict(vals, state="duplicate", duplicate_of_id=owner.id))
        duplicate._omni_log("duplicate", [], payload)
        owner._omni_log("duplicate", [], payload)
        return duplicate

    @api.model
    def _omni_owner(self, channel, ref):
        return self.sudo().search(
            [("channel_id", "=", channel.id), ("external_ref", "=", ref)], limit=1
        )

    @api.model
    def _omni_raise_serialization(self, payload, ref):
        """Raise PostgreSQL's own serialization failure for ``ref``, whose owner was committed
        after this transaction's snapshot: an ``INSERT … ON CONFLICT DO NOTHING`` against an
        invisible row fails so under REPEATABLE READ. Odoo's ``retrying`` (HTTP requests,
        cron, queue jobs) then replays the work with a fresh snapshot."""
        with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO omni_intake (channel_id, external_ref, company_id, payload_id,
                                             state, index)
                         VALUES (%s, %s, %s, %s, 'duplicate', 0)
                    ON CONFLICT (channel_id, external_ref) DO NOTHING
                    """,
                    payload.channel_id.id,
                    ref,
                    payload.company_id.id,
                    payload.id,
                )
            )
            # only reached if the owner vanished (rolled back): undo the probe and ask for
            # a retry of the whole request
            raise UserError(
                self.env._("Order %(ref)s was received concurrently; send it again.", ref=ref)
            )

    def _omni_lock(self):
        """Row-lock the intakes (blocking): a concurrent retry of the same intake waits, then
        sees its outcome (or is replayed on a serialization failure)."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM omni_intake WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
                    self.ids,
                )
            )
            self.invalidate_recordset(["state", "sale_order_id"])

    def _omni_log(self, result, errors, payload=None):
        self.env["omni.intake.attempt"].sudo().create(
            [
                {
                    "intake_id": intake.id,
                    "payload_id": (payload or intake.payload_id).id,
                    "result": result,
                    "message_json": json.dumps([e.to_json() for e in errors]) if errors else False,
                }
                for intake in self
            ]
        )

    def _omni_drafts(self):
        """{intake: OrderDraft} for the readable drafts; the others get their error."""
        drafts = {}
        for intake in self:
            try:
                raw = json.loads(intake.draft or "null")
            except ValueError as exc:
                intake._omni_fail(
                    [IntakeError(_lt("The draft is not valid JSON: %(reason)s", reason=str(exc)))]
                )
                continue
            try:
                draft = json_order.draft_from_dict(raw, index=intake.index)
            except IntakeError as error:
                intake._omni_fail([error])
                continue
            if not intake.external_ref and not intake._omni_claim_ref(draft.external_ref):
                continue
            if draft.external_ref != intake.external_ref:
                intake._omni_fail(
                    [
                        IntakeError(
                            _lt(
                                "The reference cannot change from %(old)s to %(new)s.",
                                old=intake.external_ref,
                                new=draft.external_ref,
                            )
                        )
                    ]
                )
                continue
            drafts[intake] = draft
        return drafts

    def _omni_claim_ref(self, ref):
        """An intake read without reference got one by correction: claim it."""
        self.ensure_one()
        owner = self._omni_owner(self.channel_id, ref)
        if not owner:
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    self.write({"external_ref": ref, "received_ref": ref})
                return True
            except UniqueViolation:
                owner = self._omni_owner(self.channel_id, ref)
                if not owner:
                    self._omni_raise_serialization(self.payload_id, ref)
        self.write({"state": "duplicate", "duplicate_of_id": owner.id, "received_ref": ref})
        self._omni_log("duplicate", [])
        return False

    def _omni_fail(self, errors):
        self.ensure_one()
        self.write(
            {
                "state": "error",
                "error_json": json.dumps([e.to_json() for e in errors]),
                "unmapped_code": next(
                    (e.unmapped_code for e in errors if getattr(e, "unmapped_code", None)),
                    False,
                ),
            }
        )
        self._omni_log("error", errors)

    def _omni_catalog(self, channel, drafts):
        """The lookup tables for ``drafts`` of one channel: one query per kind of key."""
        env = self.env
        company = channel.company_id or env.company
        parties = [d.partner for d in drafts]
        lines = [line for d in drafts for line in d.lines]
        catalog = mapping.Catalog(
            modes=tuple(dict(FULFILMENT_MODES)),
            create_partners=channel.omni_intake_create_partner,
            use_payload_price=channel.omni_intake_use_payload_price,
        )
        Partner = env["res.partner"].with_context(active_test=True)
        partner_domain = [("company_id", "in", [company.id, False])]
        for attr, fname, table in (
            ("gln", "omni_gln", catalog.partners_by_gln),
            ("customer_ref", "ref", catalog.partners_by_ref),
        ):
            keys = {getattr(p, attr) for p in parties if getattr(p, attr)}
            if keys:
                for partner in Partner.search_fetch(
                    partner_domain + [(fname, "in", list(keys))], [fname]
                ):
                    table.setdefault(partner[fname], []).append(partner.id)
        emails = {p.email.lower() for p in parties if p.email}
        if emails:
            for partner in Partner.search_fetch(
                partner_domain + [("email_normalized", "in", list(emails))],
                ["email_normalized", "commercial_partner_id"],
            ):
                catalog.partners_by_email.setdefault(partner.email_normalized, []).append(
                    partner.commercial_partner_id.id
                )
        Product = env["product.product"].with_company(company)
        product_domain = [("sale_ok", "=", True), ("company_id", "in", [company.id, False])]
        for attr, fname, table in (
            ("ean", "barcode", catalog.products_by_ean),
            ("sku", "default_code", catalog.products_by_sku),
        ):
            keys = {getattr(line, attr) for line in lines if getattr(line, attr)}
            if keys:
                for product in Product.search_fetch(
                    product_domain + [(fname, "in", list(keys))], [fname]
                ):
                    table.setdefault(product[fname], []).append(product.id)
        codes = {c for line in lines for c in (line.customer_code, line.ean, line.sku) if c}
        if codes:
            for rule in env["omni.intake.product.map"].search_fetch(
                [("code", "in", list(codes)), ("channel_id", "in", [channel.id, False])],
                ["partner_id", "code", "product_id"],
            ):
                catalog.customer_codes[(rule.partner_id.id or None, rule.code)] = (
                    rule.product_id.id
                )
        country_codes = {
            (p.country_code or "").upper()
            for d in drafts
            for p in (d.partner, d.shipping)
            if p and p.country_code
        }
        if country_codes:
            for country in env["res.country"].search_fetch(
                [("code", "in", list(country_codes))], ["code"]
            ):
                catalog.countries[country.code] = country.id
        stores = {d.pickup_store_ref for d in drafts if d.pickup_store_ref}
        if stores:
            for node in env["omni.fulfilment.node"].search_fetch(
                [("company_id", "=", company.id)], ["name", "warehouse_id"]
            ):
                catalog.nodes[node.name.lower()] = node.id
                if node.warehouse_id.code:
                    catalog.nodes[node.warehouse_id.code.lower()] = node.id
        return catalog

    def _omni_mapped_partner(self):
        """The customer the draft maps to (empty if none or unreadable)."""
        self.ensure_one()
        try:
            draft = json_order.draft_from_dict(json.loads(self.draft or "null"))
        except (IntakeError, ValueError):
            return self.env["res.partner"]
        catalog = self._omni_catalog(self.channel_id, [draft])
        return self.env["res.partner"].browse(mapping.map_partner(draft.partner, catalog)[0])

    def action_map_product(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Map Product"),
            "res_model": "omni.intake.map.product",
            "view_mode": "form",
            "target": "new",
            "context": {"default_intake_id": self.id, "default_code": self.unmapped_code},
        }

    @api.model
    def _omni_invoice_address(self, partner, cache):
        """The invoice address of ``partner``, looked up once per batch."""
        if cache is None:
            return partner.address_get(["invoice"])["invoice"]
        if partner.id not in cache:
            cache[partner.id] = partner.address_get(["invoice"])["invoice"]
        return cache[partner.id]

    def _omni_partner_vals(self, party, country_ids):
        return {
            "name": party.name,
            "email": party.email,
            "phone": party.phone,
            "street": party.street,
            "street2": party.street2,
            "zip": party.zip,
            "city": party.city,
            "country_id": country_ids.get((party.country_code or "").upper(), False),
        }

    def _omni_order_vals(self, draft, mapped, invoice_addresses=None):
        """sale.order values of a mapped draft; creates the new customer or delivery
        address it needs (a channel that allows it, or a new delivery address)."""
        channel = self.channel_id
        # the channel's policy, not the user's rights, decides on new customers and
        # delivery addresses: created as superuser
        Partner = self.env["res.partner"].sudo()
        partner = Partner.browse(mapped.partner_id)
        if mapped.new_partner:
            partner = Partner.create(
                self._omni_partner_vals(mapped.new_partner, mapped.country_ids)
            )
        shipping = partner
        if mapped.shipping:
            vals = self._omni_partner_vals(mapped.shipping, mapped.country_ids)
            vals["name"] = vals["name"] or partner.name
            shipping = partner.child_ids.filtered(
                lambda c: c.type == "delivery"
                and all(c[k] == (vals[k] or False) for k in ("street", "zip", "city"))
                and c.country_id.id == vals["country_id"]
            )[:1] or Partner.create(dict(vals, type="delivery", parent_id=partner.id))
        pricelist = channel.omni_intake_pricelist_id
        vals = {
            "partner_id": partner.id,
            "partner_invoice_id": self._omni_invoice_address(partner, invoice_addresses),
            "partner_shipping_id": shipping.id,
            "team_id": channel.id,
            "company_id": self.company_id.id,
            "client_order_ref": draft.external_ref,
            "origin": self.payload_id.name,
            "omni_intake_id": self.id,
            "order_line": [
                Command.create(
                    {"product_id": line.product_id, "product_uom_qty": line.quantity}
                    | ({"price_unit": line.price} if line.price is not None else {})
                )
                for line in mapped.lines
            ],
        }
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        if mapped.mode:
            vals["omni_mode"] = mapped.mode
        if mapped.pickup_node_id:
            vals["omni_pickup_node_id"] = mapped.pickup_node_id
        if draft.order_date:
            vals["date_order"] = _utc_naive(draft.order_date)
        if draft.requested_date:
            vals["commitment_date"] = _utc_naive(draft.requested_date)
        if draft.note:
            vals["note"] = draft.note
        return vals

    def _omni_build_orders(self):
        """Map the drafts (batched lookups) and create their sale orders in one ``create``.

        What cannot be mapped sets the intake in error with every reason; nothing is
        guessed. The order gets the ``validated`` timeline step; ``received`` (written by
        ``sale.order.create``) is dated when its payload arrived, so that the time an order
        waited in the intake (an error corrected later) shows in its timeline."""
        # the orders are created as any other: with their own chatter and tracking
        SaleOrder = self.env["sale.order"].with_context(**dict.fromkeys(QUIET_CONTEXT, False))
        drafts = self._omni_drafts()
        ready = {}
        invoice_addresses = {}
        for channel in {intake.channel_id for intake in drafts}:
            channel_drafts = {i: d for i, d in drafts.items() if i.channel_id == channel}
            catalog = self._omni_catalog(channel, list(channel_drafts.values()))
            for intake, draft in channel_drafts.items():
                mapped, errors = mapping.map_order(draft, catalog)
                if errors:
                    intake._omni_fail(errors)
                    continue
                if draft.currency and intake._omni_currency(draft.currency, mapped):
                    continue
                ready[intake] = intake._omni_order_vals(draft, mapped, invoice_addresses)
        if not ready:
            return SaleOrder
        intakes = self.browse([i.id for i in ready])
        try:
            with self.env.cr.savepoint():
                order_ids = []
                for received, group in intakes.grouped(
                    lambda i: i.payload_id.received_date
                ).items():
                    order_ids += (
                        SaleOrder.with_context(omni_timeline_date=received)
                        .create([ready[intake] for intake in group])
                        .ids
                    )
                orders = SaleOrder.browse(order_ids)
        except (UserError, ValueError) as exc:
            if len(intakes) == 1:
                intakes._omni_fail([_as_intake_error(exc)])
                return SaleOrder
            return SaleOrder.concat(*(intake._omni_build_orders() for intake in intakes))
        intakes.write({"state": "done", "error_json": False, "unmapped_code": False})
        intakes._omni_log("created", [])
        for payload, payload_intakes in intakes.grouped("payload_id").items():
            payload_intakes.sale_order_id._omni_timeline(
                "validated", note=payload.name, document=payload
            )
        to_confirm = orders.filtered(lambda o: o.team_id.omni_intake_confirm)
        if to_confirm:
            to_confirm.action_confirm()
        return orders

    def _omni_currency(self, code, mapped):
        """Fail (and return True) when the payload's currency is not the order's."""
        self.ensure_one()
        pricelist = (
            self.channel_id.omni_intake_pricelist_id
            or self.env["res.partner"].browse(mapped.partner_id).property_product_pricelist
        )
        currency = pricelist.currency_id or self.company_id.currency_id
        if currency.name != code.upper():
            self._omni_fail(
                [
                    IntakeError(
                        _lt(
                            "The order is in %(code)s but the channel sells in %(currency)s.",
                            code=code,
                            currency=currency.name,
                        )
                    )
                ]
            )
            return True
        return False


def _as_intake_error(exc):
    """An ORM error (already translated text) as an ``IntakeError``."""
    message = exc.args[0] if getattr(exc, "args", None) else str(exc)
    return IntakeError(LazyGettext(str(message), _module="omni_order"))


def _utc_naive(value):
    if value and value.tzinfo:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value
