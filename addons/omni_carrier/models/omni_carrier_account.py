import threading

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..carriers.common import CarrierError
from ..carriers.dhl import (
    URLS as DHL_URLS,
    DhlClient,
)
from ..carriers.dpd import (
    URLS as DPD_URLS,
    DpdClient,
)
from ..carriers.hermes import (
    URLS as HERMES_URLS,
    HermesClient,
)

CARRIERS = [("dhl", "DHL Parcel DE"), ("dpd", "DPD Germany"), ("hermes", "Hermes Germany")]

# Wire clients (and their tokens) live in memory per account, never in the database.
_clients = {}
_clients_lock = threading.Lock()


class OmniCarrierAccount(models.Model):
    """A contract with a carrier for one company: credentials, environment, webhook secret."""

    _name = "omni.carrier.account"
    _description = "Carrier Account"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    carrier_code = fields.Selection(CARRIERS, string="Carrier", required=True)
    prod_environment = fields.Boolean(
        string="Production", help="Off: the carrier's sandbox (or the base URL below) is used."
    )
    base_url = fields.Char(
        string="Base URL Override", help="Replaces the carrier's host, e.g. a local simulator."
    )
    username = fields.Char(help="DHL GKP user, DPD delisId, Hermes user.")
    password = fields.Char(groups="base.group_system")
    client_id = fields.Char(string="Client ID / API Key")
    client_secret = fields.Char(groups="base.group_system")
    billing_number = fields.Char(help="DHL billing number (EKP + procedure + participation).")
    tracking_app_name = fields.Char(default="zt12345", help="DHL tracking application name.")
    tracking_app_password = fields.Char(groups="base.group_system")
    webhook_secret = fields.Char(
        groups="base.group_system",
        copy=False,
        help="Shared secret that authenticates the carrier's tracking pushes (URL token or HMAC).",
    )
    webhook_tolerance = fields.Integer(
        default=300, help="Seconds a signed push may be old or early before it is rejected."
    )
    timeout_connect = fields.Float(default=5.0)
    timeout_read = fields.Float(default=30.0)

    # === BUSINESS METHODS === #

    def _omni_url(self):
        self.ensure_one()
        env = "prod" if self.prod_environment else "test"
        if self.base_url:
            return self.base_url.rstrip("/"), self.base_url.rstrip("/")
        if self.carrier_code == "dhl":
            return DHL_URLS[env], DHL_URLS[env]
        if self.carrier_code == "dpd":
            return DPD_URLS[env], DPD_URLS[env]
        return HERMES_URLS[env]

    def _omni_client(self):
        """The wire client of this account, cached per process so that tokens are reused."""
        self.ensure_one()
        account = self.sudo()
        key = (self.env.cr.dbname, account.id, str(account.write_date))
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = account._omni_new_client()
        return client

    def _omni_new_client(self):
        base, auth = self._omni_url()
        timeout = (self.timeout_connect or 5.0, self.timeout_read or 30.0)
        lang = (self.env.lang or "de_DE")[:2]
        if self.carrier_code == "dhl":
            return DhlClient(
                base,
                self.username or "",
                self.password or "",
                self.client_id or "",
                self.client_secret or "",
                self.billing_number or "",
                tracking_app=(self.tracking_app_name or "", self.tracking_app_password or ""),
                timeout=timeout,
                language=lang,
            )
        if self.carrier_code == "dpd":
            return DpdClient(
                base, self.username or "", self.password or "", language="de_DE", timeout=timeout
            )
        return HermesClient(
            base,
            self.username or "",
            self.password or "",
            self.client_id or "",
            self.client_secret or "",
            auth_url=auth,
            timeout=timeout,
            language=lang,
        )

    def action_test_connection(self):
        self.ensure_one()
        client = self._omni_client()
        try:
            if self.carrier_code == "dpd":
                client.login()
            else:
                client._token = client._login()
        except CarrierError as exc:
            raise UserError(
                _("Connection to %(account)s failed: %(error)s", account=self.name, error=exc)
            ) from exc
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": _("The carrier accepted the credentials."), "type": "success"},
        }

    @api.model
    def _omni_map(self):
        return self.env["omni.carrier.status.map"]._omni_mapping()
