"""Creates the database, the demo user (demo / demo) and the files to download."""

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

FILES = {
    "welcome.txt": b"Only logged-in users can read this file.\n",
    "r\u00e9sum\u00e9.txt": "A file with a non-ASCII name: r\u00e9sum\u00e9.\n".encode(),
    "reports/2026-q3.csv": b"quarter,revenue\nQ3,42\n",
}
#: A larger file, to try ranges and resumed downloads.
SAMPLE_SIZE = 8 << 20
#: A video, to watch the browser seek with Range requests.
VIDEO = Path(__file__).resolve().parents[3] / "media" / "clock.mp4"


class Command(BaseCommand):
    help = "Prepare the example: database, demo user, files."
    # This command creates what the checks look for (SENDFILE_ROOT among it).
    requires_system_checks = ()

    def handle(self, *args: Any, **options: Any) -> None:
        settings.SENDFILE_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0, skip_checks=True)
        user_model = get_user_model()
        if not user_model.objects.filter(username="demo").exists():
            user_model.objects.create_user("demo", password="demo")
        root = settings.SENDFILE_ROOT
        for name, content in FILES.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        sample = root / "sample.bin"
        if not sample.exists() or sample.stat().st_size != SAMPLE_SIZE:
            sample.write_bytes(bytes(range(256)) * (SAMPLE_SIZE // 256))
        (root / "videos").mkdir(exist_ok=True)
        shutil.copyfile(VIDEO, root / "videos" / VIDEO.name)
        self.stdout.write(f"Ready: user demo / demo, files in {root}")
