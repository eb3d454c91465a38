"""Creates the site's database and one Wagtail document per file named in argv (each
file's content is read from the path given after its name), and prints, as JSON, each
document's serve URL and the ETag Wagtail's view derives from its content."""

import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wagtail_site.settings")
django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from wagtail.documents.models import Document  # noqa: E402

call_command("migrate", verbosity=0)
documents = {}
for name, source in zip(sys.argv[1::2], sys.argv[2::2]):
    document = Document(title=name)
    document.file.save(name, ContentFile(Path(source).read_bytes()))
    documents[name] = {
        "url": document.url,
        "path": document.file.path,
        "etag": f'"{document.get_file_hash()}"',
    }
print(json.dumps(documents))
