from odoo import fields, models
from odoo.tools import float_compare


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    omni_assignment_ids = fields.One2many(
        "omni.sourcing.assignment", "line_id", string="Sourcing Assignments"
    )

    # === HOOKS === #

    def _create_procurements(self, product_qty, procurement_uom, origin, values):
        """One procurement per node the sourcing engine chose for this line.

        Each procurement carries that node's warehouse (or the drop-ship route and supplier),
        so Odoo's own rules make one delivery per node; stock, routes and reports stay Odoo's.
        """
        planned = self.omni_assignment_ids.filtered(
            lambda a: a.state == "planned" and a.kind not in ("transfer",)
        )
        if not planned:
            return super()._create_procurements(product_qty, procurement_uom, origin, values)
        uom = self.product_id.uom_id
        wanted = procurement_uom._compute_quantity(product_qty, uom)
        procurements, given = [], 0.0
        dropship = self.env.ref("stock_dropshipping.route_drop_shipping", False)
        for assignment in planned:
            qty = min(assignment.quantity, wanted - given)
            if qty <= 0:
                break
            node = assignment.node_id
            node_values = dict(values)
            if node.kind == "supplier" and dropship:
                node_values.update(route_ids=dropship, supplierinfo_name=node.partner_id)
            else:
                node_values["warehouse_id"] = node.warehouse_id
            procurements += super()._create_procurements(qty, uom, origin, node_values)
            given += qty
        planned.write({"state": "procured"})
        rest = wanted - given
        if float_compare(rest, 0, precision_rounding=uom.rounding) > 0:
            procurements += super()._create_procurements(rest, uom, origin, values)
        return procurements
