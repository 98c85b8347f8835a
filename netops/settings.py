"""One typed settings object for the whole of netops.

Every field has a default and can be set with a ``NETOPS_<FIELD>`` environment variable, e.g.
``NETOPS_DATABASE_URL=postgresql+psycopg://netops@db/netops``.  Settings are read when
:func:`get_settings` is called, never at import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path.cwd() / ".netops"


def data_dir_for(inventory: Path) -> Path:
    """The data directory that belongs to ``inventory``: ``.netops`` beside the file."""
    return (Path.cwd() / inventory).parent / ".netops"


class Settings(BaseSettings):
    """Runtime configuration; environment variables win over defaults."""

    model_config = SettingsConfigDict(env_prefix="NETOPS_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    """Where the embedded SQLite database, lab connection map and backups live; unset, the
    ``.netops`` directory beside the inventory file (never the shell's working directory when the
    inventory is elsewhere)."""

    database_url: str = ""
    """SQLAlchemy URL; empty means ``sqlite:///<data_dir>/netops.db``."""

    inventory: Path = Path("inventory.yaml")
    """The inventory file used when a command is not given ``--inventory``."""

    secrets_file: Path | None = None
    """A YAML mapping ``NAME: secret`` outside the repository; consulted after the environment."""

    known_hosts: Path | None = None
    """SSH host keys on record; empty means ``<data_dir>/known_hosts``."""

    loopback_only: bool = False
    """Refuse to open SSH sessions to anything outside 127.0.0.0/8, even with ``real_network``."""

    real_network: bool = False
    """Poll devices at their inventory management addresses.  Off (the default) is lab mode:
    every device is reached through the lab connection map, on loopback only, and a device the
    map does not name is refused.  Set it deliberately (``--real-network`` or
    ``NETOPS_REAL_NETWORK=1``); nothing falls back to it."""

    strict_host_keys: bool = False
    """Refuse unknown host keys instead of trusting them on first use."""

    lab_map: Path | None = None
    """Connection map written by ``netops lab up``; collectors use it instead of mgmt addresses."""

    poll_counters_s: int = 60
    poll_facts_s: int = 900
    poll_neighbors_s: int = 900
    poll_config_s: int = 86400
    poll_workers: int = 32
    device_timeout_s: float = 20.0
    # bandwidth jobs (run by `netops poll run` and the demo)
    bandwidth_boosts_every_s: float = 300.0
    bandwidth_drift_every_s: float = 3600.0
    # a rollback that cannot reach its device: tries right away (then pending, see docs)
    bandwidth_rollback_retries: int = 2
    bandwidth_rollback_backoff_s: float = 2.0
    # the pending-rollback job's cadence; the longest wait between two tries of one rollback
    bandwidth_rollback_every_s: float = 60.0
    bandwidth_rollback_max_backoff_s: float = 3600.0

    secret_key: SecretStr | None = None
    """Key signing the web UI's session cookies and CSRF tokens (``NETOPS_SECRET_KEY``).  There is
    no default: ``webui.create_app`` refuses to start without one (the demo generates one)."""

    web_host: str = "127.0.0.1"
    """Address ``netops web`` (and the demo's UI) listens on."""

    web_port: int = 8080
    """Port ``netops web`` listens on; 0 picks a free one."""

    web_cookie_secure: bool = False
    """Send the session cookie only over HTTPS (set it behind a TLS-terminating proxy)."""

    web_login_limit: str = "10 per minute"
    """Flask-Limiter rate limit on login attempts per client address."""

    web_dashboard_warm_s: float = 5.0
    """How often each web UI process checks for newly stored telemetry and evaluates the
    dashboard before anyone asks (so no page view waits for the whole-network evaluation after
    a poll); 0 turns it off (then the first view after a poll evaluates it)."""
    device_deadline_s: float = 45.0
    """One overall deadline per device per poll cycle, connection and retries included."""

    topology_exact_time_limit_s: float = 10.0
    """Solver time ``netops topology plan`` gives the exact (MILP) plan before the heuristic
    answers instead (``--time-limit-s``); 0 means the heuristic only."""

    @model_validator(mode="after")
    def _data_dir_beside_inventory(self) -> Settings:
        if "data_dir" not in self.model_fields_set:
            self.data_dir = data_dir_for(self.inventory)
        return self

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'netops.db').resolve()}"

    def resolved_known_hosts(self) -> Path:
        return self.known_hosts or (self.data_dir / "known_hosts")

    def resolved_lab_map(self) -> Path:
        return self.lab_map or (self.data_dir / "lab-map.json")


def get_settings(**overrides: object) -> Settings:
    """Read settings from the environment now; keyword overrides win (used by tests and the CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]
