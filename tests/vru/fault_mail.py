"""An e-mail backend for worker processes under test: each message becomes a JSON file in
$VRU_TEST_MAIL_DIR, so the test (another process) can count what was really sent.

If the folder holds a file named `hang-once`, the first send writes its process id to
`hanging` and blocks: the test kills that process there, in the middle of the task.
"""

import json
import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FileMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["VRU_TEST_MAIL_DIR"])
        if (folder / "hang-once").exists() and not (folder / "hanging").exists():
            (folder / "hanging").write_text(str(os.getpid()))
            time.sleep(600)  # killed here
        for message in email_messages:
            (folder / f"sent-{uuid.uuid4().hex}.json").write_text(
                json.dumps({"to": message.to, "subject": message.subject, "body": message.body})
            )
        return len(email_messages)
