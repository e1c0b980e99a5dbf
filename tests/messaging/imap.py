"""A real IMAP mailbox for the tests: Debian's Dovecot, started on a free port with one user."""

import imaplib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"
USER, PASSWORD = "kartei", "s3cret pass"
CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/home/%u
}}
mail_location = maildir:~/Maildir
first_valid_uid = 100
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


class Mailbox:
    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.root = Path(tempfile.mkdtemp(prefix="kartei-imap-"))
        self.root.chmod(0o755)
        (self.root / "home").mkdir()
        shutil.chown(self.root / "home", "nobody", "nogroup")
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        self.config = self.root / "dovecot.conf"
        self.config.write_text(CONFIG.format(root=self.root, port=self.port))
        subprocess.run([DOVECOT, "-c", str(self.config)], check=True)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"imap+plain://{USER}:{PASSWORD.replace(' ', '%20')}@127.0.0.1:{self.port}/INBOX"

    def deliver(self, raw: bytes) -> None:
        client = imaplib.IMAP4("127.0.0.1", self.port)
        client.login(USER, PASSWORD)
        client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
        client.logout()

    def unseen(self) -> int:
        client = imaplib.IMAP4("127.0.0.1", self.port)
        client.login(USER, PASSWORD)
        client.select("INBOX")
        found = client.search(None, "UNSEEN")[1][0].split()
        client.logout()
        return len(found)

    def stop(self) -> None:
        pid = self.root / "run" / "master.pid"
        if pid.exists():
            os.kill(int(pid.read_text()), signal.SIGTERM)
            pid.unlink()
        shutil.rmtree(self.root, ignore_errors=True)
