"""Customer-service planner: what a change of an order does to every downstream document.

Plain Python, no Odoo import. The ORM side reads the order once into ``OrderInfo`` (batched),
asks a ``plan_*`` function for a ``Plan`` and shows it as the preview; applying executes the
very same plan's effects one by one (``sale.order._omni_cs_execute``), never a second
computation that could diverge.

An effect is a plain dict (JSON-safe, stored on the wizard between preview and apply)::

    {"kind": "move_reduce", "model": "stock.move", "id": 7, "name": "WH/OUT/00003",
     "before": 3.0, "after": 1.0, "amount": 0.0, "data": {}}

A refusal is ``(code, params)``; the ORM side turns it into a translated sentence.
"""

from dataclasses import dataclass, field

ROUND = 1e-6

# effect kinds, in the order they are executed
MOVE_REDUCE = "move_reduce"  # stock.move: demand lowered
MOVE_CANCEL = "move_cancel"  # stock.move: cancelled
LABEL_VOID = "label_void"  # stock.picking: its carrier label(s) voided
LABEL_RENEW = "label_renew"  # stock.picking: label voided and bought again
PO_LINE_REDUCE = "po_line_reduce"  # purchase.order.line (drop-ship): quantity lowered
PO_CANCEL = "po_cancel"  # purchase.order (drop-ship, not sent yet): cancelled
PO_NOTIFY = "po_notify"  # purchase.order confirmed: the vendor must be told
LINE_REDUCE = "line_reduce"  # sale.order.line: ordered quantity lowered
ORDER_CANCEL = "order_cancel"  # sale.order: cancelled as a whole
CREDIT_NOTE = "credit_note"  # sale.order.line: quantity credited on one credit note
REFUND = "refund"  # sale.order: money paid back on the credit note
SHIP_TO = "ship_to"  # sale.order: new delivery address (order and open transfers)
TRANSFER_CANCEL = "transfer_cancel"  # stock.picking: a transfer into the pickup store
RESOURCE = "resource"  # stock.picking: open quantity sourced again
MODE = "mode"  # sale.order: new fulfilment mode / pickup store
RESEND = "resend"  # mail.message: the customer notification sent again


@dataclass(frozen=True)
class LabelInfo:
    id: int
    ref: str


@dataclass(frozen=True)
class MoveInfo:
    id: int
    picking_id: int
    qty: float
    state: str
    picked: bool = False
    purchase_line_id: int = 0
    origins: tuple = ()  # open moves feeding this one (click & collect transfers)


@dataclass(frozen=True)
class PickingInfo:
    id: int
    name: str
    state: str
    outgoing: bool = True
    started: bool = False
    labels: tuple = ()


@dataclass(frozen=True)
class PurchaseLineInfo:
    id: int
    order_id: int
    order_name: str
    order_state: str
    qty: float
    qty_received: float = 0.0
    order_open_qty: float = 0.0  # the quantity of the whole purchase order (live lines)


@dataclass(frozen=True)
class LineInfo:
    id: int
    name: str
    qty: float
    qty_delivered: float = 0.0
    qty_invoiced: float = 0.0
    unit_total: float = 0.0  # price incl. taxes per unit
    moves: tuple = ()
    purchase_lines: tuple = ()


@dataclass(frozen=True)
class OrderInfo:
    id: int
    name: str
    state: str
    amount_total: float
    currency: str = ""
    lines: tuple = ()
    pickings: tuple = ()
    invoiced: float = 0.0  # posted invoices minus posted credit notes (incl. taxes)
    paid: float = 0.0  # what the customer paid on them, net of refunds
    can_invoice: bool = True  # the user may create credit notes and register refunds
    locked: bool = False
    mode: str = "home"
    pickup: str = ""
    ship_to: int = 0
    ship_to_name: str = ""


@dataclass
class Plan:
    action: str
    order_id: int
    effects: list = field(default_factory=list)
    refusals: list = field(default_factory=list)
    total_before: float = 0.0
    total_after: float = 0.0
    credit: float = 0.0
    refund: float = 0.0

    @property
    def ok(self):
        return not self.refusals and bool(self.effects)

    def add(self, kind, model, res_id, name, before=0.0, after=0.0, amount=0.0, **data):
        self.effects.append(
            {
                "kind": kind,
                "model": model,
                "id": res_id,
                "name": name,
                "before": round(before, 6),
                "after": round(after, 6),
                "amount": round(amount, 2),
                "data": data,
            }
        )

    def refuse(self, code, **params):
        self.refusals.append((code, params))

    def to_dict(self):
        return {
            "action": self.action,
            "order_id": self.order_id,
            "effects": self.effects,
            "refusals": [[code, params] for code, params in self.refusals],
            "total_before": round(self.total_before, 2),
            "total_after": round(self.total_after, 2),
            "credit": round(self.credit, 2),
            "refund": round(self.refund, 2),
        }


def _order_refusals(plan, order):
    if order.state == "cancel":
        plan.refuse("order_cancelled", order=order.name)
    elif order.state not in ("sale",):
        plan.refuse("order_not_confirmed", order=order.name)
    elif order.locked:
        plan.refuse("order_locked", order=order.name)
    return bool(plan.refusals)


def _label_effects(plan, pickings, cancelled, changed):
    """Void the labels of transfers that disappear; buy again those of transfers that stay
    but change (fewer items, other address)."""
    for picking in pickings:
        if not picking.labels:
            continue
        refs = ", ".join(label.ref for label in picking.labels)
        if picking.id in cancelled:
            plan.add(LABEL_VOID, "stock.picking", picking.id, picking.name, labels=refs)
        elif picking.id in changed:
            plan.add(LABEL_RENEW, "stock.picking", picking.id, picking.name, labels=refs)


def plan_cancel(order, cancel):
    """Cancel ``cancel`` = {line id: quantity} of ``order``.

    Quantities come off the transfers that have not started (latest first), else off draft
    drop-ship purchase lines. What is delivered, picked or with a vendor that already
    confirmed and shipped cannot be cancelled: the line is refused with the reason.
    """
    plan = Plan("cancel", order.id, total_before=order.amount_total)
    plan.total_after = order.amount_total
    if _order_refusals(plan, order):
        return plan
    pickings = {p.id: p for p in order.pickings}
    moves_left = {pid: 0.0 for pid in pickings}  # live quantity per transfer after the plan
    for line in order.lines:
        for move in line.moves:
            for each in (move, *move.origins):
                if each.state not in ("done", "cancel") and each.picking_id in moves_left:
                    moves_left[each.picking_id] += each.qty
    touched = set()
    credit = 0.0
    line_effects = []
    for line in order.lines:
        qty = cancel.get(line.id, 0.0)
        if qty <= ROUND:
            continue
        if not _cancel_line(plan, line, qty, pickings, moves_left, touched):
            continue
        line_effects.append((line, qty, line.qty - qty))
        if line.qty_invoiced > line.qty - qty + ROUND:
            credit_qty = min(line.qty_invoiced - (line.qty - qty), qty)
            amount = credit_qty * line.unit_total
            credit += amount
            plan.add(CREDIT_NOTE, "sale.order.line", line.id, line.name, credit_qty, 0.0, amount)
    if not plan.refusals and not line_effects:
        plan.refuse("nothing_to_cancel", order=order.name)
    if plan.refusals:
        plan.effects = []
        return plan
    cancelled_pickings = {pid for pid in touched if moves_left.get(pid, 0.0) <= ROUND}
    _label_effects(plan, order.pickings, cancelled_pickings, touched - cancelled_pickings)
    _order_effects(plan, order, cancel, line_effects)
    if credit > ROUND:
        _money_effects(plan, order, credit)
    return plan


def _cancel_line(plan, line, qty, pickings, moves_left, touched):
    """Effects on the moves and drop-ship purchase lines of one line; False when refused."""
    if qty > line.qty + ROUND:
        plan.refuse("qty_too_high", line=line.name, qty=qty, ordered=line.qty)
        return False

    def free_move(move):
        picking = pickings.get(move.picking_id)
        return (
            move.state not in ("done", "cancel")
            and not move.picked
            and not (picking and picking.started)
        )

    free = [m for m in line.moves if free_move(m)]
    draft_po = [
        pol
        for pol in line.purchase_lines
        if pol.order_state in ("draft", "sent", "to approve") and pol.qty > ROUND
    ]
    free_qty = sum(m.qty for m in free) + sum(pol.qty for pol in draft_po)
    if qty > free_qty + ROUND:
        busy = {
            pickings[m.picking_id].name
            for m in line.moves
            if m.picking_id in pickings and m not in free and m.state != "cancel"
        }
        plan.refuse(
            "qty_not_free",
            line=line.name,
            qty=qty,
            free=free_qty,
            delivered=line.qty_delivered,
            pickings=", ".join(sorted(busy)) or "-",
        )
        return False
    left = qty
    po_lines = {pol.id: pol for pol in line.purchase_lines}
    for move in sorted(free, key=lambda m: -m.id):
        if left <= ROUND:
            break
        take = min(move.qty, left)
        left -= take
        picking = pickings.get(move.picking_id)
        name = f"{picking.name if picking else ''}: {line.name}"
        touched.add(move.picking_id)
        moves_left[move.picking_id] = moves_left.get(move.picking_id, 0.0) - take
        kind = MOVE_CANCEL if move.qty - take <= ROUND else MOVE_REDUCE
        plan.add(kind, "stock.move", move.id, name, move.qty, move.qty - take, line_id=line.id)
        _cancel_origins(plan, line, move, take, pickings, moves_left, touched)
        pol = po_lines.get(move.purchase_line_id)
        if pol:
            after = max(pol.qty - take, pol.qty_received)
            pol_name = f"{pol.order_name}: {line.name}"
            plan.add(PO_LINE_REDUCE, "purchase.order.line", pol.id, pol_name, pol.qty, after)
            plan.add(PO_NOTIFY, "purchase.order", pol.order_id, pol.order_name, pol.qty, after)
    for pol in draft_po:
        if left <= ROUND:
            break
        take = min(pol.qty, left)
        left -= take
        pol_name = f"{pol.order_name}: {line.name}"
        plan.add(PO_LINE_REDUCE, "purchase.order.line", pol.id, pol_name, pol.qty, pol.qty - take)
        if pol.order_open_qty - take <= ROUND:
            plan.add(PO_CANCEL, "purchase.order", pol.order_id, pol.order_name)
    return True


def _cancel_origins(plan, line, move, qty, pickings, moves_left, touched):
    """A click & collect transfer into the store brings what the pickup no longer needs:
    it goes down by the same quantity (unless it has started)."""
    for origin in move.origins:
        if qty <= ROUND:
            break
        picking = pickings.get(origin.picking_id)
        if origin.state in ("done", "cancel") or origin.picked or (picking and picking.started):
            continue
        take = min(origin.qty, qty)
        qty -= take
        touched.add(origin.picking_id)
        moves_left[origin.picking_id] = moves_left.get(origin.picking_id, 0.0) - take
        kind = MOVE_CANCEL if origin.qty - take <= ROUND else MOVE_REDUCE
        name = f"{picking.name if picking else ''}: {line.name}"
        plan.add(
            kind, "stock.move", origin.id, name, origin.qty, origin.qty - take, line_id=line.id
        )


def _order_effects(plan, order, cancel, line_effects):
    """The whole order is cancelled when nothing is left and nothing was delivered; else
    each line's ordered quantity goes down."""
    everything = all(
        line.qty - cancel.get(line.id, 0.0) <= ROUND for line in order.lines
    ) and not any(line.qty_delivered > ROUND for line in order.lines)
    if everything:
        plan.add(ORDER_CANCEL, "sale.order", order.id, order.name, order.amount_total, 0.0)
        plan.total_after = 0.0
        return
    for line, qty, new_qty in line_effects:
        amount = -qty * line.unit_total
        plan.add(LINE_REDUCE, "sale.order.line", line.id, line.name, line.qty, new_qty, amount)
    plan.total_after = sum(
        max(line.qty - cancel.get(line.id, 0.0), 0.0) * line.unit_total for line in order.lines
    )


def _money_effects(plan, order, credit):
    """Credit what was invoiced and is cancelled; pay back what the customer paid beyond
    what they still owe. Only users with invoicing rights may."""
    if not order.can_invoice:
        plan.refuse("needs_invoicing_rights", order=order.name, amount=round(credit, 2))
        plan.effects = []
        return
    plan.credit = credit
    owed_after = order.invoiced - credit
    refund = min(credit, max(order.paid - max(owed_after, 0.0), 0.0))
    if refund > 0.005:
        plan.refund = refund
        plan.add(REFUND, "sale.order", order.id, order.name, amount=refund)


def _route_refusals(plan, order, routing):
    """``routing`` = {"current": [node names], "new": [node names] or None when held,
    "resource": [picking ids to source again]}."""
    if routing is not None and routing.get("new") is None:
        plan.refuse("no_route", order=order.name)
        return True
    return False


def _shipped_refusals(plan, order):
    outgoing = [p for p in order.pickings if p.outgoing and p.state != "cancel"]
    open_ = [p for p in outgoing if p.state != "done"]
    if outgoing and not open_:
        plan.refuse("shipped", order=order.name, pickings=", ".join(p.name for p in outgoing))
        return True
    started = [p for p in open_ if p.started]
    if started:
        plan.refuse("started", order=order.name, pickings=", ".join(p.name for p in started))
        return True
    return False


def plan_address(order, partner_id, partner_name, routing):
    """Deliver to another address before shipping; source again when the routing changes."""
    plan = Plan(
        "address", order.id, total_before=order.amount_total, total_after=order.amount_total
    )
    if _order_refusals(plan, order) or _shipped_refusals(plan, order):
        return plan
    if partner_id == order.ship_to:
        plan.refuse("same_address", order=order.name)
        return plan
    if _route_refusals(plan, order, routing):
        return plan
    plan.add(SHIP_TO, "sale.order", order.id, order.name, data_from=order.ship_to_name)
    plan.effects[-1]["data"].update(partner_id=partner_id, partner=partner_name)
    resource = set(routing["resource"]) if routing and routing.get("changed") else set()
    open_ = [p for p in order.pickings if p.outgoing and p.state not in ("done", "cancel")]
    for picking in open_:
        if picking.id in resource:
            plan.add(
                RESOURCE,
                "stock.picking",
                picking.id,
                picking.name,
                nodes_from=", ".join(routing["current"]),
                nodes_to=", ".join(routing["new"]),
            )
    _label_effects(plan, open_, resource, {p.id for p in open_} - resource)
    return plan


def plan_mode(order, mode, mode_name, pickup_id, pickup_name, routing):
    """Switch home delivery <-> click & collect: the open transfers are replaced."""
    plan = Plan("mode", order.id, total_before=order.amount_total, total_after=order.amount_total)
    if _order_refusals(plan, order) or _shipped_refusals(plan, order):
        return plan
    if mode == order.mode and (mode != "collect" or pickup_name == order.pickup):
        plan.refuse("same_mode", order=order.name)
        return plan
    if routing is None:
        plan.refuse("no_network", order=order.name)
        return plan
    if _route_refusals(plan, order, routing):
        return plan
    plan.add(MODE, "sale.order", order.id, order.name, mode=mode, mode_name=mode_name)
    plan.effects[-1]["data"].update(pickup_id=pickup_id, pickup=pickup_name)
    open_ = [p for p in order.pickings if p.state not in ("done", "cancel")]
    for picking in open_:
        if not picking.outgoing:
            # a transfer into the old pickup store: not needed any more
            plan.add(TRANSFER_CANCEL, "stock.picking", picking.id, picking.name)
            continue
        plan.add(
            RESOURCE,
            "stock.picking",
            picking.id,
            picking.name,
            nodes_from=", ".join(routing["current"]),
            nodes_to=", ".join(routing["new"]),
        )
    _label_effects(plan, open_, {p.id for p in open_}, set())
    return plan


def plan_resend(order, message):
    """Send the last customer notification again. ``message`` = {"id", "subject",
    "template_id"} of the last notification, or None."""
    plan = Plan(
        "resend", order.id, total_before=order.amount_total, total_after=order.amount_total
    )
    if not message:
        plan.refuse("no_notification", order=order.name)
        return plan
    plan.add(
        RESEND,
        "mail.message",
        message["id"],
        message["subject"],
        template_id=message.get("template_id") or 0,
    )
    return plan
