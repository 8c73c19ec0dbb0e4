"""Exact branch and bound over node sets, used by ``SourcingEngine._search``.

Requirements are what a feasible set of nodes must contain a candidate for: a product still
short, a service that no chosen node offers, a ship-together group that no chosen node holds
whole. Every feasible plan contains a candidate of each unmet requirement, so branching on the
requirement with the fewest candidates (earlier siblings are forbidden in later branches)
visits every feasible set of ``k`` nodes exactly once, and never looks at nodes that cannot add
anything. With one slot left, only the intersection of the unmet requirements' candidates can
close the plan (set intersection instead of a loop). With criteria in priority order the best
plan found so far bounds the search: the first criterion only grows as nodes are added (sum of
distances or costs, negated minimum of capacity or depth), and candidates come in preference
order, so a beaten candidate ends its loop. A set that meets every requirement with fewer than
``k`` nodes but could not be allocated (ship-together or minimum value) is completed with
every possible other node, so the result is the same as trying every combination.
"""

import itertools

EPS = 1e-9


class NodeSetSearch:
    """One search for the best plan of exactly ``k`` nodes.

    :param engine: the ``SourcingEngine`` (allocation, plan keys, best of plans)
    :param infos: candidate node infos (``avail``, ``offers``, ``key``, criteria values)
    :param limit: maximal number of steps; beyond, the best plan found so far is returned
    """

    def __init__(self, engine, infos, demand, products, needed_services, goods, services, rule):
        self.engine = engine
        self.infos = infos
        self.demand = demand
        self.products = products
        self.goods = goods
        self.services = services
        self.rule = rule
        self.prefs = sorted(
            range(len(infos)), key=lambda i: (infos[i]["key"], infos[i]["node"].id)
        )
        self.rank = {i: position for position, i in enumerate(self.prefs)}
        self.reqs = self._requirements(needed_services)
        self.req_sets = [frozenset(req[2]) for req in self.reqs]
        self.weighted = rule.strategy == "weighted"
        self.active = [c for c, w in rule.criteria if w > 0]
        first = self.active[0] if self.active and not self.weighted else None
        if first == "cost" and any(info["cost"] < 0 for info in infos):
            first = None  # negative costs: the sum does not only grow
        self.first = first
        self.additive = first in ("distance", "cost")
        self.bound = {}
        if first:
            for i, info in enumerate(infos):
                self.bound[i] = {
                    "distance": round(info["distance"], 1),
                    "cost": info["cost"],
                    "capacity": -info["capacity"],
                    "depth": -info["depth"],
                }[first]

    def _requirements(self, needed_services):
        infos, prefs, stock = self.infos, self.prefs, self.engine.stock
        reqs = []  # (kind, product index / service / group, candidates in preference order)
        for index in range(len(self.products)):
            reqs.append(("p", index, [i for i in prefs if infos[i]["avail"][index] > EPS]))
        for service in sorted(needed_services):
            reqs.append(("s", service, [i for i in prefs if service in infos[i]["offers"]]))
        groups = {}
        for line in self.goods:
            if line.group:
                need = groups.setdefault(line.group, {})
                need[line.product_id] = need.get(line.product_id, 0.0) + line.qty
        for group in sorted(groups):
            holds = [
                i
                for i in prefs
                if all(
                    max(stock.get((infos[i]["node"].id, p), 0.0), 0.0) >= q - EPS
                    for p, q in groups[group].items()
                )
            ]
            reqs.append(("g", group, holds))
        return reqs

    # === RUN === #

    def run(self, k, lat, lon, limit):
        """:return: (best plan or None, number of feasible plans compared, steps if limited)"""
        self.k, self.lat, self.lon, self.limit = k, lat, lon, limit
        self.best, self.plans, self.count, self.steps, self.seen = None, [], 0, 0, set()
        self._visit((), tuple(self.demand[p] for p in self.products), frozenset(), None)
        limited = self.steps if self.steps > limit else 0
        if self.weighted and self.plans:
            return self.engine._best(self.plans, self.rule), self.count, limited
        return (self.best[2] if self.best else None), self.count, limited

    def _visit(self, chosen, deficit, forbidden, partial):
        self.steps += 1
        if self.steps > self.limit:
            return
        unmet = [r for r, req in enumerate(self.reqs) if not self._met(req, chosen, deficit)]
        if not unmet:
            self._complete(chosen, forbidden, partial)
            return
        if len(chosen) >= self.k:
            return
        if len(chosen) == self.k - 1:
            self._last_node(chosen, deficit, forbidden, partial, unmet)
            return
        pick = None
        for r in unmet:
            cands = [i for i in self.reqs[r][2] if i not in forbidden and i not in chosen]
            if not cands:
                return
            if pick is None or len(cands) < len(pick):
                pick = cands
        banned = set(forbidden)
        for i in pick:
            total = self._combine(partial, i)
            if self._beaten(total):
                break  # preference order: every later candidate is beaten too
            avail = self.infos[i]["avail"]
            self._visit(
                chosen + (i,),
                tuple(d - a for d, a in zip(deficit, avail, strict=True)),
                frozenset(banned),
                total,
            )
            banned.add(i)

    def _last_node(self, chosen, deficit, forbidden, partial, unmet):
        """One slot left: only a node meeting every unmet requirement at once will do."""
        inter = None
        for r in sorted(unmet, key=lambda r: len(self.req_sets[r])):
            inter = self.req_sets[r] if inter is None else inter & self.req_sets[r]
            if not inter:
                return
        shortages = [
            (self.reqs[r][1], deficit[self.reqs[r][1]]) for r in unmet if self.reqs[r][0] == "p"
        ]
        for i in sorted(inter - forbidden - set(chosen), key=self.rank.__getitem__):
            avail = self.infos[i]["avail"]
            if any(need - avail[p] > EPS for p, need in shortages):
                continue
            total = self._combine(partial, i)
            if self._beaten(total):
                break
            self._consider(chosen + (i,))

    def _complete(self, chosen, forbidden, partial):
        """Every requirement is met: allocate, or pad with other nodes up to ``k``."""
        if len(chosen) == self.k:
            self._consider(chosen)
            return
        rest = [i for i in self.prefs if i not in forbidden and i not in chosen]
        for extra in itertools.combinations(rest, self.k - len(chosen)):
            self.steps += 1
            if self.steps > self.limit:
                return
            total = partial
            for i in extra:
                total = self._combine(total, i)
            if not self._beaten(total):
                self._consider(chosen + extra)

    # === HELPERS === #

    def _met(self, req, chosen, deficit):
        kind, ident, cands = req
        if kind == "p":
            return deficit[ident] <= EPS
        if kind == "s":
            return any(ident in self.infos[i]["offers"] for i in chosen)
        return any(i in cands for i in chosen)

    def _combine(self, partial, i):
        if not self.first:
            return None
        if partial is None:
            return self.bound[i]
        return partial + self.bound[i] if self.additive else max(partial, self.bound[i])

    def _beaten(self, partial):
        return self.best is not None and partial is not None and partial > self.best[0][0] + 1e-6

    def _consider(self, chosen):
        ids = tuple(sorted(self.infos[i]["node"].id for i in chosen))
        if ids in self.seen:
            return
        self.seen.add(ids)
        plan = self.engine._allocate(
            [self.infos[i] for i in chosen],
            self.goods,
            self.services,
            self.rule,
            self.lat,
            self.lon,
        )
        if plan is None:
            return
        self.count += 1
        if self.weighted:
            self.plans.append(plan)
            return
        key = self.engine._plan_key(plan, self.active)
        if self.best is None or (key, ids) < self.best[:2]:
            self.best = (key, ids, plan)
