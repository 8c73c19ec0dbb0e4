"""The workspace's own promises: manifests, docker-compose and the Odoo config agree."""

import ast
import configparser
import pathlib

import yaml

from odoo.tests import BaseCase, HttpCase, tagged

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODULES = ["omni_order", "omni_carrier", "omni_store_pos", "omni_loyalty"]


@tagged("post_install", "-at_install")
class TestWorkspace(BaseCase):
    def test_manifests(self):
        for module in MODULES:
            path = ROOT / "addons" / module / "__manifest__.py"
            manifest = ast.literal_eval(path.read_text(encoding="utf-8"))
            self.assertEqual(manifest["license"], "LGPL-3", module)
            self.assertTrue(manifest["version"].startswith("18.0."), module)
            for rel in manifest.get("data", []) + manifest.get("demo", []):
                self.assertTrue((path.parent / rel).is_file(), f"{module}: {rel} missing")
            for fragment in ("DESCRIPTION.md", "USAGE.md", "CONFIGURE.md"):
                self.assertTrue((path.parent / "readme" / fragment).is_file(), f"{module}")
            self.assertTrue((path.parent / "i18n" / "de.po").is_file(), module)
            self.assertTrue((path.parent / "security" / "ir.model.access.csv").is_file())
        # omni_loyalty must install without the other three (a tenant may use it alone)
        loyalty = ast.literal_eval((ROOT / "addons/omni_loyalty/__manifest__.py").read_text())
        self.assertFalse(set(loyalty["depends"]) & set(MODULES))

    def test_docker_compose_matches_the_repo(self):
        compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
        services = compose["services"]
        self.assertEqual(services["odoo"]["image"], "odoo:18.0")
        self.assertEqual(services["db"]["image"], "postgres:16")
        for name in ("odoo", "db"):
            self.assertIn("healthcheck", services[name])
        command = services["odoo"]["command"]
        self.assertEqual(command[command.index("-i") + 1].split(","), MODULES)
        for volume in services["odoo"]["volumes"] + services["pylibs"]["volumes"]:
            source = volume.split(":")[0]
            if source.startswith("./"):
                self.assertTrue((ROOT / source).exists(), f"compose mounts missing {source}")
            else:
                self.assertIn(source, compose["volumes"])
        conf = configparser.ConfigParser()
        conf.read(ROOT / "config/docker-odoo.conf")
        self.assertIn("/mnt/extra-addons", conf["options"]["addons_path"])
        self.assertIn("queue_job", conf["options"]["server_wide_modules"])
        # the container installs the same pinned extras as the venv
        pins = {
            line.strip()
            for line in (ROOT / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")
        }
        for line in (ROOT / "config/requirements-runtime.txt").read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                self.assertIn(line.strip(), pins)


@tagged("post_install", "-at_install")
class TestServed(HttpCase):
    """pytest runs HttpCase with a real HTTP server (pytest-odoo's --odoo-http)."""

    def test_login_page_and_authenticated_rpc(self):
        response = self.url_open("/web/login")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="login"', response.text)
        self.authenticate("admin", "admin")
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.users/read",
            {
                "model": "res.users",
                "method": "read",
                "args": [[self.env.ref("base.user_admin").id], ["login"]],
                "kwargs": {},
            },
        )
        self.assertEqual(result[0]["login"], "admin")

    def test_headless_browser_runs(self):
        """Tours need Chromium: the setup installs it, and it drives the web client here."""
        self.browser_js(
            "/odoo",
            "if (document.querySelector('.o_main_navbar')) { console.log('test successful'); }"
            " else { console.error('the web client did not render'); }",
            ready="odoo.isReady",
            login="admin",
        )
