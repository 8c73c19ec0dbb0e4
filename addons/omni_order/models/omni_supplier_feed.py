import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..sourcing import parse_supplier_feed


class OmniSupplierFeed(models.Model):
    """One supplier stock file (CSV ``sku;quantity``), kept with its import result."""

    _name = "omni.supplier.feed"
    _description = "Omni Supplier Stock Feed"
    _order = "id desc"
    _check_company_auto = True

    node_id = fields.Many2one(
        "omni.fulfilment.node",
        required=True,
        ondelete="cascade",
        domain=[("kind", "=", "supplier")],
        check_company=True,
    )
    company_id = fields.Many2one(related="node_id.company_id", store=True)
    file = fields.Binary(required=True, attachment=True)
    filename = fields.Char()
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Imported"), ("error", "Failed")],
        default="draft",
        required=True,
        readonly=True,
    )
    line_count = fields.Integer(readonly=True)
    message = fields.Text(readonly=True)

    def action_import(self):
        for feed in self:
            rows, errors = parse_supplier_feed(base64.b64decode(feed.file or b""))
            messages = [self._omni_error_text(error) for error in errors]
            if not rows:
                feed.write(
                    {
                        "state": "error",
                        "message": "\n".join(messages) or self.env._("The file has no rows."),
                    }
                )
                continue
            products = self.env["product.product"].search([("default_code", "in", list(rows))])
            by_code = {p.default_code: p for p in products}
            unknown = sorted(set(rows) - set(by_code))
            messages += [self.env._("Unknown product reference: %(sku)s", sku=s) for s in unknown]
            # the feed replaces the supplier's whole stock picture
            feed.node_id.supplier_stock_ids.unlink()
            self.env["omni.supplier.stock"].create(
                [
                    {
                        "node_id": feed.node_id.id,
                        "product_id": by_code[sku].id,
                        "quantity": qty,
                        "feed_id": feed.id,
                    }
                    for sku, qty in rows.items()
                    if sku in by_code
                ]
            )
            feed.write(
                {
                    "state": "done",
                    "line_count": len(rows) - len(unknown),
                    "message": "\n".join(messages) or False,
                }
            )
        return True

    def _omni_error_text(self, error):
        number, code, value = error
        if code == "no_header":
            return self.env._(
                "No header with a product reference and a quantity column: %(header)s",
                header=value,
            )
        if code == "empty_sku":
            return self.env._("Line %(line)s: no product reference.", line=number)
        return self.env._("Line %(line)s: bad quantity %(value)s.", line=number, value=value)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_imported(self):
        if any(feed.state == "done" for feed in self) and not self.env.is_superuser():
            raise UserError(self.env._("Imported feeds are kept with their file."))
