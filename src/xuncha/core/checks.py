"""System checks of the installation (``xuncha check``).

The data directory, the SQLite database and the uploads hold petitions, session keys and TOTP secrets:
no other local account may read them. The application creates them private (``os.umask`` in settings);
this check finds those made before, or loosened by hand.
"""

import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

SQLITE = "django.db.backends.sqlite3"


def _private_paths() -> list[Path]:
    paths = [Path(settings.VAR_DIR), Path(settings.MEDIA_ROOT)]
    database = settings.DATABASES["default"]
    if database["ENGINE"] == SQLITE:
        name = Path(database["NAME"])
        paths += [name, name.with_name(f"{name.name}-wal"), name.with_name(f"{name.name}-shm")]
    return paths


def private_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    found: list[checks.CheckMessage] = []
    for path in _private_paths():
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            continue
        if mode & 0o077:
            found.append(
                checks.Warning(
                    f"{path} 可被其他账号访问（权限 {stat.S_IMODE(mode):o}），"
                    "其中的信访件、会话和密钥可能泄露。",
                    hint=f"chmod -R go-rwx {path}",
                    id="xuncha.W001",
                )
            )
    return found


def register() -> None:
    checks.register(private_files, checks.Tags.security)
