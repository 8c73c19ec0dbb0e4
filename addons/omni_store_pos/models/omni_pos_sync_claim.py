from odoo import api, fields, models
from odoo.tools import SQL


class OmniPosSyncClaim(models.Model):
    """One row per POS order uuid ever synchronised: the lock that serialises duplicates.

    ``pos.order.sync_from_ui`` searches the order by uuid and creates it when not found; two
    concurrent calls for the same uuid both find nothing and both create it (RELIABILITY.md
    R5/R6). Claiming the uuid first with ``INSERT ... ON CONFLICT DO NOTHING`` makes the second
    call wait for the first; once the first commits, PostgreSQL answers the waiting
    REPEATABLE READ transaction with a serialization failure, which Odoo's ``retrying()`` replays
    with a fresh snapshot that sees the first order.
    """

    _name = "omni.pos.sync.claim"
    _description = "POS Order Synchronisation Claim"
    _log_access = False

    uuid = fields.Char(required=True, readonly=True)
    create_date = fields.Datetime(readonly=True, default=fields.Datetime.now)

    _sql_constraints = [
        ("uuid_unique", "unique(uuid)", "A POS order uuid is claimed only once."),
    ]

    @api.model
    def _claim(self, uuids):
        """Claim ``uuids``; blocks while another transaction holds an uncommitted claim."""
        uuids = sorted({u for u in uuids if u})  # sorted: two batches never deadlock
        if uuids:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO omni_pos_sync_claim (uuid, create_date)
                    SELECT u, now() at time zone 'UTC' FROM unnest(%s::varchar[]) u
                    ON CONFLICT (uuid) DO NOTHING
                    """,
                    uuids,
                )
            )
