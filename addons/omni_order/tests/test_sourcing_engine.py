"""The pure engine: examples and hypothesis property tests of its invariants."""

import itertools

from hypothesis import (
    HealthCheck,
    given,
    settings,
    strategies as st,
)

from odoo.tests import BaseCase, tagged

from ..sourcing import Line, Node, Request, Rule, SourcingEngine, parse_supplier_feed

HH = Node(1, "Hamburg", "dc", 53.55, 9.99, cost=4.9)
MUC = Node(2, "München", "store", 48.14, 11.58, pickup=True, reserve=True, cost=6.5)
CGN = Node(3, "Köln", "store", 50.94, 6.96, pickup=True, cost=6.5)
BER = Node(4, "Berlin", "store", 52.52, 13.40, pickup=True, cost=6.5)
SUP = Node(5, "Supplier", "supplier", 48.37, 10.9, cost=19.0)
NODES = [HH, MUC, CGN, BER, SUP]
RULE = Rule(name="R", kinds=frozenset({"dc", "store"}))
MUNICH = {"lat": 48.135, "lon": 11.58}


def line(key, product, qty=1, value=10.0, group=None):
    return Line(key, product, qty, value, group=group, name=f"P{product}")


@tagged("post_install", "-at_install")
class TestEngineExamples(BaseCase):
    def test_nearest_complete_node_wins(self):
        engine = SourcingEngine(NODES, {(1, 10): 5, (2, 10): 2, (1, 11): 5, (2, 11): 1})
        decision = engine.source(Request("SO", (line(1, 10), line(2, 11)), **MUNICH), RULE)
        self.assertEqual(decision.status, "sourced")
        self.assertEqual([s.node_id for s in decision.shipments], [2])
        codes = [e.code for e in decision.log]
        self.assertIn("chosen", codes)
        self.assertEqual(sum(1 for c in codes if c == "candidate"), 2)

    def test_fewest_shipments_beats_distance(self):
        # München has A, Köln has B, Hamburg has both: one shipment from Hamburg
        engine = SourcingEngine(NODES, {(2, 10): 1, (3, 11): 1, (1, 10): 1, (1, 11): 1})
        decision = engine.source(Request("SO", (line(1, 10), line(2, 11)), **MUNICH), RULE)
        self.assertEqual([s.node_id for s in decision.shipments], [1])

    def test_split_when_no_single_node(self):
        engine = SourcingEngine(NODES, {(2, 10): 1, (1, 11): 1})
        decision = engine.source(Request("SO", (line(1, 10), line(2, 11)), **MUNICH), RULE)
        self.assertEqual(sorted(s.node_id for s in decision.shipments), [1, 2])
        # not possible with a single shipment allowed
        one = Rule(name="one", max_shipments=1)
        self.assertEqual(
            engine.source(Request("SO", (line(1, 10), line(2, 11))), one).status, "held"
        )

    def test_exact_minimum_not_greedy(self):
        # greedy by biggest coverage takes Hamburg (4 of 6 units) and then needs two more
        # nodes; the exact search finds Köln + Berlin (2 shipments)
        # HH {10..13}; Köln {10, 12, 14}; Berlin {11, 13, 15}
        stock = {(1, p): 1 for p in (10, 11, 12, 13)}
        stock.update({(3, p): 1 for p in (10, 12, 14)})
        stock.update({(4, p): 1 for p in (11, 13, 15)})
        lines = tuple(line(i, p) for i, p in enumerate(range(10, 16), start=1))
        decision = SourcingEngine(NODES, stock).source(Request("SO", lines, **MUNICH), RULE)
        self.assertEqual(sorted(s.node_id for s in decision.shipments), [3, 4])

    def test_ship_together_group_and_min_value(self):
        stock = {(1, 10): 1, (2, 11): 1, (2, 10): 1, (1, 11): 0}
        lines = (line(1, 10, group="set"), line(2, 11, group="set"))
        decision = SourcingEngine(NODES, stock).source(Request("SO", lines, **MUNICH), RULE)
        self.assertEqual([s.node_id for s in decision.shipments], [2])
        # split would be needed but each part is worth 10 < 15
        stock = {(1, 10): 1, (2, 11): 1}
        rule = Rule(name="min", min_shipment_value=15.0)
        decision = SourcingEngine(NODES, stock).source(
            Request("SO", (line(1, 10), line(2, 11))), rule
        )
        self.assertEqual(decision.status, "held")

    def test_fallbacks_and_messages(self):
        engine = SourcingEngine(NODES, {(5, 20): 3})
        request = Request("SO", (line(1, 20),), **MUNICH)
        self.assertEqual(engine.source(request, RULE).status, "held")
        backorder = Rule(name="b", fallback="backorder", backorder_node_id=1)
        decision = engine.source(request, backorder)
        self.assertEqual((decision.status, decision.shipments[0].node_id), ("backorder", 1))
        dropship = Rule(name="d", fallback="dropship")
        decision = engine.source(request, dropship)
        self.assertEqual((decision.status, decision.shipments[0].kind), ("dropship", "dropship"))
        held = engine.source(Request("SO", (line(1, 99),)), RULE)
        self.assertIn("no_stock", [e.code for e in held.log])
        self.assertIn("no_coordinates", [e.code for e in held.log])

    def test_click_and_collect_transfer(self):
        engine = SourcingEngine(NODES, {(4, 10): 1, (3, 11): 1})
        request = Request("SO", (line(1, 10), line(2, 11)), mode="collect", pickup_node_id=3)
        decision = engine.source(request, RULE)
        kinds = sorted((s.kind, s.node_id, s.to_node_id) for s in decision.shipments)
        self.assertEqual(kinds, [("pickup", 3, None), ("transfer", 4, 3)])
        reserve = Request("SO", (line(1, 10),), mode="reserve", pickup_node_id=2)
        self.assertEqual(engine.source(reserve, RULE).reason, "reserve_unavailable")

    def test_capacity_services_and_exclusion(self):
        full = Node(2, "München", "store", 48.14, 11.58, capacity=10, capacity_left=0)
        engine = SourcingEngine([HH, full], {(1, 10): 1, (2, 10): 1})
        decision = engine.source(Request("SO", (line(1, 10),), **MUNICH), RULE)
        self.assertEqual(decision.shipments[0].node_id, 1)
        workshop = Node(3, "Köln", "store", 50.94, 6.96, services=frozenset({50}))
        engine = SourcingEngine([HH, workshop], {(1, 10): 1, (3, 10): 1})
        service = Line(2, 50, 1, 0.0, service=True, name="Assembly")
        decision = engine.source(Request("SO", (line(1, 10), service), **MUNICH), RULE)
        self.assertEqual([s.node_id for s in decision.shipments], [3])
        excluded = Request("SO", (line(1, 10),), excluded=frozenset({1}), **MUNICH)
        decision = SourcingEngine(NODES, {(1, 10): 1, (3, 10): 1}).source(excluded, RULE)
        self.assertEqual(decision.shipments[0].node_id, 3)

    def test_weighted_strategy_prefers_cost(self):
        cheap = Node(6, "Cheap far", "dc", 53.55, 9.99, cost=1.0)
        dear = Node(7, "Dear near", "store", 48.14, 11.58, cost=30.0)
        engine = SourcingEngine([cheap, dear], {(6, 10): 1, (7, 10): 1})
        by_cost = Rule(strategy="weighted", criteria=(("distance", 1.0), ("cost", 5.0)))
        by_distance = Rule(strategy="priority", criteria=(("distance", 5.0), ("cost", 1.0)))
        request = Request("SO", (line(1, 10),), **MUNICH)
        self.assertEqual(engine.source(request, by_cost).shipments[0].node_id, 6)
        self.assertEqual(engine.source(request, by_distance).shipments[0].node_id, 7)

    def test_feed_parser(self):
        rows, errors = parse_supplier_feed(
            b"\xef\xbb\xbfsku;quantity\r\nA;5\r\nB;x\r\n;3\r\nC;2,5\r\n"
        )
        self.assertEqual(rows, {"A": 5.0, "C": 2.5})
        self.assertEqual([e[1] for e in errors], ["bad_quantity", "empty_sku"])
        self.assertEqual(parse_supplier_feed(b"foo,bar\n1,2\n")[1][0][1], "no_header")


node_ids = st.integers(min_value=1, max_value=6)
stocks = st.dictionaries(
    st.tuples(node_ids, st.integers(min_value=10, max_value=14)),
    st.integers(min_value=0, max_value=4),
    max_size=30,
)
orders = st.lists(
    st.tuples(
        st.integers(min_value=10, max_value=14),
        st.integers(min_value=1, max_value=4),
        st.sampled_from([None, None, "kit"]),
    ),
    min_size=1,
    max_size=5,
)
PROP_NODES = [
    Node(
        i,
        f"N{i}",
        "dc" if i == 1 else "store",
        48 + i,
        8 + i,
        capacity=5,
        capacity_left=0 if i == 6 else 3,
        cost=float(i),
    )
    for i in range(1, 7)
]


@tagged("post_install", "-at_install")
class TestEngineProperties(BaseCase):
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        stock=stocks,
        order=orders,
        max_shipments=st.integers(1, 3),
        excluded=st.sets(node_ids, max_size=2),
    )
    def test_invariants(self, stock, order, max_shipments, excluded):
        lines = tuple(line(i, p, q, group=g) for i, (p, q, g) in enumerate(order, start=1))
        rule = Rule(name="P", max_shipments=max_shipments)
        request = Request("SO", lines, lat=50.0, lon=10.0, excluded=frozenset(excluded))
        engine = SourcingEngine(PROP_NODES, dict(stock))
        decision = engine.source(request, rule)
        again = SourcingEngine(PROP_NODES, dict(stock)).source(request, rule)
        # deterministic
        self.assertEqual(
            [(s.node_id, s.items) for s in decision.shipments],
            [(s.node_id, s.items) for s in again.shipments],
        )
        if decision.status != "sourced":
            # nothing feasible with <= max_shipments nodes: brute force agrees
            self.assertIsNone(self._brute_force(stock, lines, max_shipments, excluded))
            return
        self.assertLessEqual(len(decision.shipments), max_shipments)
        taken, per_line = {}, {}
        for shipment in decision.shipments:
            node = engine.nodes[shipment.node_id]
            self.assertNotIn(node.id, excluded)
            self.assertGreaterEqual(node.capacity_left, 1)
            for key, qty in shipment.items:
                product = lines[key - 1].product_id
                taken[node.id, product] = taken.get((node.id, product), 0) + qty
                per_line[key] = per_line.get(key, 0) + qty
        for (node_id, product), qty in taken.items():
            self.assertLessEqual(qty, stock.get((node_id, product), 0) + 1e-9)
        for ln in lines:
            self.assertAlmostEqual(per_line[ln.key], ln.qty)
        kit_nodes = {
            s.node_id for s in decision.shipments for key, _q in s.items if lines[key - 1].group
        }
        self.assertLessEqual(len(kit_nodes), 1)
        # the minimum number of shipments (brute force over all node subsets, no kits)
        if not any(ln.group for ln in lines):
            best = self._brute_force(stock, lines, max_shipments, excluded)
            self.assertEqual(len(decision.shipments), best)

    @staticmethod
    def _brute_force(stock, lines, max_shipments, excluded):
        usable = [n.id for n in PROP_NODES if n.id not in excluded and n.capacity_left >= 1]
        demand = {}
        for ln in lines:
            demand[ln.product_id] = demand.get(ln.product_id, 0) + ln.qty
        kit = {}
        for ln in lines:
            if ln.group:
                kit[ln.product_id] = kit.get(ln.product_id, 0) + ln.qty
        for k in range(1, max_shipments + 1):
            for combo in itertools.combinations(usable, k):
                if not all(
                    sum(stock.get((n, p), 0) for n in combo) >= q for p, q in demand.items()
                ):
                    continue
                if kit and not any(
                    all(stock.get((n, p), 0) >= q for p, q in kit.items()) for n in combo
                ):
                    continue
                return k
        return None


CRITERIA_ORDERS = [
    (("distance", 1.0), ("cost", 1.0), ("capacity", 0.0), ("depth", 0.0)),
    (("cost", 1.0), ("distance", 1.0), ("capacity", 0.0), ("depth", 0.0)),
    (("capacity", 1.0), ("depth", 1.0), ("distance", 1.0), ("cost", 0.0)),
    (("depth", 2.0), ("cost", 1.0), ("distance", 0.5), ("capacity", 0.0)),
    (("distance", 0.0), ("cost", 0.0), ("capacity", 0.0), ("depth", 0.0)),
]
wide_nodes = st.lists(
    st.tuples(
        st.floats(47.5, 54.5),
        st.floats(6.0, 14.5),
        st.integers(0, 4),  # capacity left (of 4)
        st.sampled_from([3.0, 4.5, 6.5, 9.0]),
    ),
    min_size=2,
    max_size=9,
)
wide_stocks = st.dictionaries(
    st.tuples(st.integers(1, 9), st.integers(10, 15)), st.integers(0, 3), max_size=40
)
wide_orders = st.lists(
    st.tuples(st.integers(10, 15), st.integers(1, 3), st.sampled_from([None, None, None, "kit"])),
    min_size=1,
    max_size=6,
)


@tagged("post_install", "-at_install")
class TestEngineSearchIsExact(BaseCase):
    """The branch and bound search picks the same plan as trying every combination."""

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        nodes=wide_nodes,
        stock=wide_stocks,
        order=wide_orders,
        max_shipments=st.integers(1, 4),
        criteria=st.sampled_from(CRITERIA_ORDERS),
        strategy=st.sampled_from(["priority", "weighted"]),
        min_value=st.sampled_from([0.0, 0.0, 15.0]),
    )
    def test_same_plan_as_exhaustive(
        self, nodes, stock, order, max_shipments, criteria, strategy, min_value
    ):
        network = [
            Node(i, f"N{i}", "dc" if i == 1 else "store", lat, lon, capacity=4,
                 capacity_left=left, cost=cost)
            for i, (lat, lon, left, cost) in enumerate(nodes, start=1)
        ]  # fmt: skip
        lines = tuple(line(i, p, q, group=g) for i, (p, q, g) in enumerate(order, start=1))
        rule = Rule(
            name="X",
            max_shipments=max_shipments,
            criteria=criteria,
            strategy=strategy,
            min_shipment_value=min_value,
        )
        engine = SourcingEngine(network, dict(stock))
        decision = engine.source(Request("SO", lines, lat=51.0, lon=10.0), rule)
        expected = self._exhaustive(SourcingEngine(network, dict(stock)), lines, rule)
        if expected is None:
            self.assertNotEqual(decision.status, "sourced")
            return
        self.assertEqual(decision.status, "sourced")
        self.assertEqual(
            [(s.node_id, s.items) for s in decision.shipments],
            [(s.node_id, s.items) for s in expected],
        )

    @staticmethod
    def _exhaustive(engine, lines, rule):
        demand = {}
        for ln in lines:
            demand[ln.product_id] = demand.get(ln.product_id, 0.0) + ln.qty
        products = sorted(demand)
        infos, _count = engine._candidates(
            demand, products, frozenset(), 51.0, 10.0, rule.kinds, frozenset(), True
        )
        engine._single_keys(infos, rule)
        for k in range(1, rule.max_shipments + 1):
            plans = []
            for combo in itertools.combinations(infos, k):
                if not engine._covers(combo, demand, products, frozenset()):
                    continue
                plan = engine._allocate(combo, lines, [], rule, 51.0, 10.0)
                if plan is not None:
                    plans.append(plan)
            if plans:
                return engine._best(plans, rule)
        return None
