"""Database schema management: Alembic migrations applied by `concord db upgrade` and `serve`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import SQLAlchemyError as _SQLAlchemyError

from drafting.errors import DatabaseUnavailable

MIGRATIONS = Path(__file__).parent / "migrations"


def import_models() -> None:
    """Import every package's models so that Base.metadata knows all tables."""
    from comments.consultation import models as _consultation  # noqa: F401
    from comments.opinions import models as _opinions  # noqa: F401
    from comments.proposals import models as _proposals  # noqa: F401
    from concord.accounts import models as _account_models  # noqa: F401
    from concord.notifications import models as _notification_models  # noqa: F401
    from drafting import models as _drafting  # noqa: F401
    from drafting import review_models as _review_models  # noqa: F401
    from search import models as _search_models  # noqa: F401


def alembic_config(url: str) -> Config:
    """Return an Alembic configuration for `url` using Concord's migration scripts."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Apply all migrations to the database behind `engine`."""
    url = engine.url.render_as_string(hide_password=False)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as err:
        raise DatabaseUnavailable(
            f"无法连接或升级数据库 {engine.url.render_as_string(hide_password=True)}："
            f"{str(err.orig).strip().splitlines()[0] if err.orig else err}"
        ) from None
    except _SQLAlchemyError as err:
        raise DatabaseUnavailable(f"数据库升级失败：{str(err).splitlines()[0]}") from None
