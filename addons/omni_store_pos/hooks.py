import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# tables whose uuid becomes unique when this module is installed (RELIABILITY.md R6, P01)
UUID_TABLES = ("pos_order", "pos_order_line", "pos_payment")


def resolve_duplicate_uuids(cr):
    """Give every row but the first of each duplicated uuid a distinct uuid ``<uuid>-dup-<id>``.

    Stock Odoo 18 can store the same POS order twice (two concurrent synchronisations). The
    unique constraints of this module cannot be created while such rows exist, and deleting
    them would lose paid orders; renaming keeps every row, makes the duplicates easy to find
    for the accountant, and lets the constraint be created. Returns {table: renamed count}.
    """
    renamed = {}
    for table in UUID_TABLES:
        cr.execute(
            SQL(
                """
                UPDATE %(table)s t
                   SET uuid = t.uuid || '-dup-' || t.id
                  FROM (SELECT id, row_number() OVER (PARTITION BY uuid ORDER BY id) AS rank
                          FROM %(table)s WHERE uuid IS NOT NULL) d
                 WHERE d.id = t.id AND d.rank > 1
             RETURNING t.id
                """,
                table=SQL.identifier(table),
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        renamed[table] = len(ids)
        if ids:
            _logger.warning(
                "%s: %d duplicated uuids renamed to '<uuid>-dup-<id>' (ids %s): review them",
                table,
                len(ids),
                ids[:50],
            )
    return renamed


def pre_init_hook(env):
    resolve_duplicate_uuids(env.cr)
