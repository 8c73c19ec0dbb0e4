"""The sourcing engine: which nodes ship which quantities of an order.

Plain data in, plain data out; no ORM. The Odoo side reads everything it needs in a fixed
number of batched queries (``sale.order._omni_sourcing_inputs``), calls
``SourcingEngine(nodes, stock).source(request, rule)`` and stores the returned ``Decision``.

Search. The plan with the fewest shipments wins; among plans with the same number of
shipments the rule's criteria decide (in priority order, or as a weighted sum of normalised
values), and ties are broken by node ids, so the same input always gives the same plan. For
k = 1, 2, ... up to the rule's maximum, an exact branch and bound (``search.NodeSetSearch``)
visits every feasible set of k nodes that the best plan found so far does not already beat;
it branches only on nodes holding what is still missing (per-product candidate index), so
its cost follows the candidates of the order, not the size of the network. Only a
pathological order exceeds ``search_limit`` steps; the best plan found so far is then used,
and the log says so.

Invariants (tested as properties): a plan never takes more from a node than its available
quantity, covers each line exactly, uses only allowed, capable, non-excluded nodes with
capacity left, keeps ship-together groups on one node, and respects the maximum number of
shipments and the minimum value per shipment when split.
"""

import heapq
import math
from dataclasses import dataclass, field, replace

from .geo import haversine_km
from .search import NodeSetSearch

KINDS = ("dc", "store", "supplier")
CRITERIA = ("distance", "cost", "capacity", "depth")
# criteria where a higher value is better (negated to make "lower is better" uniform)
HIGHER_IS_BETTER = {"capacity", "depth"}
EPS = 1e-9


@dataclass(frozen=True)
class Node:
    id: int
    name: str
    kind: str
    lat: float = None
    lon: float = None
    ships: bool = True
    pickup: bool = False
    reserve: bool = False
    services: frozenset = frozenset()
    capacity: float = 0.0  # orders per day, 0 = unlimited
    capacity_left: float = None  # None = unlimited
    cost: float = 0.0


@dataclass(frozen=True)
class Line:
    key: int
    product_id: int
    qty: float
    unit_value: float = 0.0
    group: str = None
    service: bool = False
    name: str = ""


@dataclass(frozen=True)
class Rule:
    id: int = 0
    name: str = ""
    kinds: frozenset = frozenset({"dc", "store"})
    strategy: str = "priority"  # "priority" or "weighted"
    # (criterion, weight) in priority order; weight 0 switches a criterion off
    criteria: tuple = (("distance", 1.0), ("cost", 1.0), ("capacity", 0.0), ("depth", 0.0))
    max_shipments: int = 3
    min_shipment_value: float = 0.0
    fallback: str = "hold"  # "hold", "backorder" or "dropship"
    backorder_node_id: int = None


@dataclass(frozen=True)
class Request:
    ref: str
    lines: tuple
    lat: float = None
    lon: float = None
    location_source: str = "partner"  # "partner", "zip" or "none"
    zone: str = ""
    mode: str = "home"  # "home", "collect", "reserve" or "dropship"
    pickup_node_id: int = None
    excluded: frozenset = frozenset()


@dataclass
class Shipment:
    node_id: int
    items: list  # [(line key, qty)]
    kind: str = "ship"  # "ship", "pickup", "transfer", "dropship", "backorder"
    to_node_id: int = None
    distance: float = 0.0
    cost: float = 0.0
    value: float = 0.0
    capacity: float = 1.0  # capacity headroom of the node (share of its daily capacity)
    depth: float = 0.0  # how many times the node could serve this order's demand


@dataclass(frozen=True)
class LogEntry:
    code: str
    params: dict = field(default_factory=dict)


@dataclass
class Decision:
    status: str  # "sourced", "held", "backorder", "dropship"
    shipments: list = field(default_factory=list)
    log: list = field(default_factory=list)
    candidates: list = field(default_factory=list)
    reason: str = None

    @property
    def shipment_count(self):
        return len([s for s in self.shipments if s.kind != "pickup"]) or len(self.shipments)

    @property
    def distance(self):
        return round(sum(s.distance for s in self.shipments), 1)

    @property
    def cost(self):
        return round(sum(s.cost for s in self.shipments), 2)


class SourcingEngine:
    """Plans one order at a time over a fixed snapshot of nodes and available stock.

    :param nodes: iterable of ``Node``
    :param stock: mapping (node id, product id) -> quantity available to this order (on hand
        minus reserved, blocked and safety stock; supplier feed quantity for suppliers)
    """

    def __init__(self, nodes, stock, search_limit=20000, log_candidates=8):
        self.nodes = {node.id: node for node in nodes}
        self.stock = stock
        self.search_limit = search_limit
        self.log_candidates = log_candidates
        # per product: {node id: quantity} of the nodes holding some of it, so an order only
        # ever looks at the nodes that hold one of its products (or offer one of its services)
        self.by_product = {}
        for (node_id, product_id), qty in stock.items():
            if qty > EPS and node_id in self.nodes:
                self.by_product.setdefault(product_id, {})[node_id] = qty
        self.service_nodes = [node for node in self.nodes.values() if node.services]
        # radians and cosine of each node's latitude, computed once (same arithmetic as
        # ``haversine_km``, so the distances are bit for bit the same)
        self.geo = {
            node.id: (math.radians(node.lat), math.cos(math.radians(node.lat)), node.lon)
            for node in self.nodes.values()
            if node.lat is not None and node.lon is not None
        }

    def take(self, node_id, product_id, qty):
        """Consume ``qty`` of the snapshot (an order of the same batch got it)."""
        left = self.stock.get((node_id, product_id), 0.0) - qty
        self.stock[node_id, product_id] = left
        holders = self.by_product.setdefault(product_id, {})
        if left > EPS and node_id in self.nodes:
            holders[node_id] = left
        else:
            holders.pop(node_id, None)

    def use_capacity(self, node_id):
        """One more shipment planned today at ``node_id``."""
        node = self.nodes[node_id]
        if node.capacity_left is not None:
            self.nodes[node_id] = replace(node, capacity_left=node.capacity_left - 1)
            if node.services:
                self.service_nodes = [n for n in self.nodes.values() if n.services]

    # === ENTRY POINT === #

    def source(self, request, rule):
        log = [LogEntry("rule", {"rule": rule.name or str(rule.id)})]
        goods = [line for line in request.lines if not line.service and line.qty > EPS]
        services = [line for line in request.lines if line.service and line.qty > EPS]
        if not goods and not services:
            log.append(LogEntry("empty"))
            return Decision("held", log=log, reason="empty")
        if request.excluded:
            names = ", ".join(self._name(n) for n in sorted(request.excluded))
            log.append(LogEntry("excluded", {"nodes": names}))
        if request.mode in ("collect", "reserve"):
            return self._source_at_store(request, rule, goods, services, log)
        lat, lon = self._customer_location(request, log)
        kinds = frozenset({"supplier"}) if request.mode == "dropship" else rule.kinds
        plan, candidates = self._plan(
            goods, services, lat, lon, kinds, request.excluded, rule, log
        )
        if plan is not None:
            status = "dropship" if request.mode == "dropship" else "sourced"
            for shipment in plan:
                if self.nodes[shipment.node_id].kind == "supplier":
                    shipment.kind = "dropship"
            return Decision(status, plan, log, candidates)
        return self._fallback(request, rule, goods, services, lat, lon, log, candidates)

    # === MODES === #

    def _source_at_store(self, request, rule, goods, services, log):
        store = self.nodes.get(request.pickup_node_id)
        if store is None or (request.mode == "collect" and not store.pickup):
            log.append(LogEntry("no_pickup_store"))
            return Decision("held", log=log, reason="no_pickup_store")
        if request.mode == "reserve" and not store.reserve:
            log.append(LogEntry("no_reservation", {"node": store.name}))
            return Decision("held", log=log, reason="no_reservation")
        left = {}
        local, missing = [], []
        for line in goods:
            have = self.stock.get((store.id, line.product_id), 0.0) - left.get(line.product_id, 0)
            take = max(0.0, min(have, line.qty))
            left[line.product_id] = left.get(line.product_id, 0.0) + take
            if take > EPS:
                local.append((line.key, take))
            if line.qty - take > EPS:
                missing.append(
                    Line(
                        line.key,
                        line.product_id,
                        line.qty - take,
                        line.unit_value,
                        line.group,
                        False,
                        line.name,
                    )
                )
        pickup = Shipment(
            store.id,
            [(line.key, line.qty) for line in goods + services],
            kind="pickup",
            value=self._value(goods, [(g.key, g.qty) for g in goods]),
        )
        if not missing:
            log.append(LogEntry("store_has_all", {"node": store.name}))
            return Decision("sourced", [pickup], log, [])
        if request.mode == "reserve":
            names = ", ".join(sorted({line.name for line in missing}))
            log.append(LogEntry("reserve_unavailable", {"node": store.name, "products": names}))
            return Decision("held", log=log, reason="reserve_unavailable")
        log.append(
            LogEntry(
                "transfer_needed",
                {
                    "node": store.name,
                    "products": ", ".join(sorted({line.name for line in missing})),
                },
            )
        )
        excluded = request.excluded | {store.id}
        transfer_rule = Rule(
            rule.id,
            rule.name,
            rule.kinds - {"supplier"},
            rule.strategy,
            rule.criteria,
            rule.max_shipments,
            0.0,
            "hold",
        )
        plan, candidates = self._plan(
            missing,
            [],
            store.lat,
            store.lon,
            transfer_rule.kinds,
            excluded,
            transfer_rule,
            log,
            need_ships=False,
        )
        if plan is None:
            log.append(LogEntry("fallback_hold"))
            return Decision("held", log=log, candidates=candidates, reason="no_plan")
        for shipment in plan:
            shipment.kind = "transfer"
            shipment.to_node_id = store.id
        return Decision("sourced", plan + [pickup], log, candidates)

    def _fallback(self, request, rule, goods, services, lat, lon, log, candidates):
        if rule.fallback == "backorder" and rule.backorder_node_id in self.nodes:
            node = self.nodes[rule.backorder_node_id]
            log.append(LogEntry("fallback_backorder", {"node": node.name}))
            shipment = self._shipment(
                node, [(line.key, line.qty) for line in goods + services], goods, lat, lon
            )
            shipment.kind = "backorder"
            return Decision("backorder", [shipment], log, candidates, reason="no_plan")
        if rule.fallback == "dropship" and request.mode != "dropship":
            log.append(LogEntry("fallback_dropship"))
            plan, more = self._plan(
                goods, services, lat, lon, frozenset({"supplier"}), request.excluded, rule, log
            )
            if plan is not None:
                for shipment in plan:
                    shipment.kind = "dropship"
                return Decision("dropship", plan, log, candidates + more)
        log.append(LogEntry("fallback_hold"))
        return Decision("held", log=log, candidates=candidates, reason="no_plan")

    # === SEARCH === #

    def _customer_location(self, request, log):
        if request.lat is not None and request.lon is not None:
            if request.location_source == "zip":
                log.append(LogEntry("zip_fallback", {"zone": request.zone}))
            return request.lat, request.lon
        log.append(LogEntry("no_coordinates"))
        return None, None

    def _plan(self, goods, services, lat, lon, kinds, excluded, rule, log, need_ships=True):
        demand = {}
        for line in goods:
            demand[line.product_id] = demand.get(line.product_id, 0.0) + line.qty
        needed_services = frozenset(line.product_id for line in services)
        products = sorted(demand)
        infos, considered = self._candidates(
            demand, products, needed_services, lat, lon, kinds, excluded, need_ships
        )
        missing = {
            p for index, p in enumerate(products) if sum(i["avail"][index] for i in infos) <= EPS
        }
        if missing:
            names = ", ".join(sorted({ln.name for ln in goods if ln.product_id in missing}))
            log.append(LogEntry("no_stock", {"products": names}))
        total_demand = sum(demand.values()) or 1.0
        self._single_keys(infos, rule)
        shown = heapq.nsmallest(
            self.log_candidates,
            infos,
            key=lambda i: (-i["covered"] / total_demand, i["key"], i["node"].id),
        )
        log.append(LogEntry("candidates", {"count": len(infos), "total": considered}))
        candidates = [self._candidate_dict(i, total_demand) for i in shown]
        log.extend(LogEntry("candidate", cand) for cand in candidates)
        if not missing and infos:
            search = NodeSetSearch(
                self, infos, demand, products, needed_services, goods, services, rule
            )
            for k in range(1, max(1, rule.max_shipments) + 1):
                best, plan_count, limited = search.run(k, lat, lon, self.search_limit)
                if limited:
                    log.append(LogEntry("search_limited", {"k": k, "m": limited, "n": len(infos)}))
                if best is not None:
                    log.append(self._chosen_entry(best, plan_count, rule))
                    return best, candidates
        log.append(LogEntry("no_plan", {"max": rule.max_shipments}))
        return None, candidates

    def _candidates(self, demand, products, needed_services, lat, lon, kinds, excluded, ships):
        """The nodes that can serve part of the order, read from the per-product index."""
        held = {}
        for index, product_id in enumerate(products):
            for node_id, qty in self.by_product.get(product_id, {}).items():
                held.setdefault(node_id, {})[index] = qty
        if needed_services:
            for node in self.service_nodes:
                if node.services & needed_services:
                    held.setdefault(node.id, {})
        here = None
        if lat is not None and lon is not None:
            here = (math.radians(lat), math.cos(math.radians(lat)), lon)
        considered = 0
        infos = []
        for node_id in sorted(held):
            node = self.nodes[node_id]
            if node.kind not in kinds or node_id in excluded or (ships and not node.ships):
                continue
            considered += 1
            if node.capacity_left is not None and node.capacity_left < 1 - EPS:
                continue
            offers = node.services & needed_services
            quantities = held[node_id]
            if not quantities and not offers:
                continue
            avail = [0.0] * len(products)
            depth = None
            for index, qty in quantities.items():
                need = demand[products[index]]
                avail[index] = min(qty, need)
                if depth is None or qty / need < depth:
                    depth = qty / need
            infos.append(self._node_info(node, tuple(avail), offers, depth or 0.0, here))
        return infos, considered

    def _plan_key(self, plan, active):
        metrics = self._plan_metrics(plan)
        return tuple(round(self._metric(c, **metrics), 6) for c in active)

    def _chosen_entry(self, best, plan_count, rule):
        return LogEntry(
            "chosen",
            {
                "nodes": ", ".join(self.nodes[s.node_id].name for s in best),
                "k": len(best),
                "distance": round(sum(s.distance for s in best), 1),
                "cost": round(sum(s.cost for s in best), 2),
                "plans": plan_count,
                "criteria": self._criteria_label(rule),
            },
        )

    def _node_info(self, node, avail, offers, depth, here):
        geo = self.geo.get(node.id)
        if here is None or geo is None:
            distance = 0.0
        else:
            rlat1, cos1, lon1 = here
            rlat2, cos2, lon2 = geo
            a = (
                math.sin((rlat2 - rlat1) / 2) ** 2
                + cos1 * cos2 * math.sin(math.radians(lon2 - lon1) / 2) ** 2
            )
            distance = 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))
        if node.capacity and node.capacity_left is not None:
            capacity = max(0.0, node.capacity_left) / node.capacity
        else:
            capacity = 1.0
        return {
            "node": node,
            "avail": avail,
            "covered": sum(avail),
            "offers": offers,
            "distance": distance,
            "cost": node.cost,
            "capacity": capacity,
            "depth": min(depth, 10.0),
        }

    def _candidate_dict(self, info, total_demand):
        return {
            "node_id": info["node"].id,
            "node": info["node"].name,
            "kind": info["node"].kind,
            "coverage": round(100.0 * info["covered"] / total_demand),
            "distance": round(info["distance"], 1),
            "cost": round(info["cost"], 2),
            "capacity": round(100.0 * info["capacity"]),
            "depth": round(info["depth"], 2),
        }

    @staticmethod
    def _covers(combo, demand, products, needed_services):
        for index, product_id in enumerate(products):
            if sum(info["avail"][index] for info in combo) < demand[product_id] - EPS:
                return False
        if needed_services:
            offered = frozenset().union(*(info["offers"] for info in combo))
            if not needed_services <= offered:
                return False
        return True

    def _allocate(self, combo, goods, services, rule, lat, lon):
        """Assign every line to the nodes of ``combo`` (preferred first), or None."""
        ordered = sorted(combo, key=lambda i: (i["key"], i["node"].id))
        left = {
            info["node"].id: {
                line.product_id: max(self.stock.get((info["node"].id, line.product_id), 0.0), 0.0)
                for line in goods
            }
            for info in ordered
        }
        items = {info["node"].id: [] for info in ordered}
        groups = {}
        for line in goods:
            if line.group:
                groups.setdefault(line.group, []).append(line)
        for group in sorted(groups):
            if not self._allocate_group(groups[group], ordered, left, items):
                return None
        for line in goods:
            if not line.group and not self._allocate_line(line, ordered, left, items):
                return None
        for line in services:
            offering = [i for i in ordered if line.product_id in i["offers"]]
            if not offering:
                return None
            chosen = next((i for i in offering if items[i["node"].id]), offering[0])
            items[chosen["node"].id].append((line.key, line.qty))
        plan = [
            self._shipment(info["node"], items[info["node"].id], goods, lat, lon, info)
            for info in ordered
            if items[info["node"].id]
        ]
        if len(plan) > 1 and rule.min_shipment_value > 0:
            if any(s.value < rule.min_shipment_value - EPS for s in plan):
                return None
        return plan

    @staticmethod
    def _allocate_group(lines, ordered, left, items):
        """A ship-together group goes whole to the first node that holds all of it."""
        need = {}
        for line in lines:
            need[line.product_id] = need.get(line.product_id, 0.0) + line.qty
        for info in ordered:
            stock = left[info["node"].id]
            if all(stock[p] >= q - EPS for p, q in need.items()):
                for line in lines:
                    stock[line.product_id] -= line.qty
                    items[info["node"].id].append((line.key, line.qty))
                return True
        return False

    @staticmethod
    def _allocate_line(line, ordered, left, items):
        """A line goes whole to the first node that can, else is split in preference order."""
        for info in ordered:
            stock = left[info["node"].id]
            if stock[line.product_id] >= line.qty - EPS:
                stock[line.product_id] -= line.qty
                items[info["node"].id].append((line.key, line.qty))
                return True
        rest = line.qty
        for info in ordered:
            stock = left[info["node"].id]
            take = min(stock[line.product_id], rest)
            if take > EPS:
                stock[line.product_id] -= take
                items[info["node"].id].append((line.key, take))
                rest -= take
            if rest <= EPS:
                return True
        return False

    def _shipment(self, node, node_items, goods, lat, lon, info=None):
        distance = (
            info["distance"]
            if info
            else (
                haversine_km(lat, lon, node.lat, node.lon)
                if None not in (lat, lon, node.lat, node.lon)
                else 0.0
            )
        )
        return Shipment(
            node.id,
            node_items,
            distance=round(distance, 1),
            cost=node.cost,
            value=self._value(goods, node_items),
            capacity=info["capacity"] if info else 1.0,
            depth=info["depth"] if info else 0.0,
        )

    @staticmethod
    def _value(goods, node_items):
        unit = {line.key: line.unit_value for line in goods}
        return round(sum(unit.get(key, 0.0) * qty for key, qty in node_items), 2)

    # === SCORING === #

    @staticmethod
    def _metric(name, distance, cost, capacity, depth):
        value = {"distance": distance, "cost": cost, "capacity": capacity, "depth": depth}[name]
        return -value if name in HIGHER_IS_BETTER else value

    @staticmethod
    def _single_keys(infos, rule):
        """``_single_key`` of every info at once (stored as ``info["key"]``)."""
        active = [c for c, weight in rule.criteria if weight > 0]
        for info in infos:
            info["key"] = tuple(
                round(-info[c] if c in HIGHER_IS_BETTER else info[c], 6) for c in active
            )

    @staticmethod
    def _plan_metrics(plan):
        return {
            "distance": sum(s.distance for s in plan),
            "cost": sum(s.cost for s in plan),
            "capacity": min(s.capacity for s in plan),
            "depth": min(s.depth for s in plan),
        }

    def _best(self, plans, rule):
        active = [(c, w) for c, w in rule.criteria if w > 0]
        metrics = [self._plan_metrics(plan) for plan in plans]
        ids = [tuple(sorted(s.node_id for s in plan)) for plan in plans]
        if rule.strategy == "weighted" and active:
            bounds = {}
            for c, _w in active:
                values = [self._metric(c, **m) for m in metrics]
                bounds[c] = (min(values), max(values))

            def score(index):
                total = 0.0
                for c, w in active:
                    low, high = bounds[c]
                    value = self._metric(c, **metrics[index])
                    total += w * ((value - low) / (high - low) if high > low else 0.0)
                return round(total, 9)

            best = min(range(len(plans)), key=lambda i: (score(i), ids[i]))
        else:
            best = min(
                range(len(plans)),
                key=lambda i: (
                    tuple(round(self._metric(c, **metrics[i]), 6) for c, _w in active),
                    ids[i],
                ),
            )
        return plans[best]

    @staticmethod
    def _criteria_label(rule):
        active = [c for c, w in rule.criteria if w > 0]
        if rule.strategy == "weighted":
            return " + ".join(f"{w:g}×{c}" for c, w in rule.criteria if w > 0) or "-"
        return " > ".join(active) or "-"

    def _name(self, node_id):
        node = self.nodes.get(node_id)
        return node.name if node else str(node_id)
