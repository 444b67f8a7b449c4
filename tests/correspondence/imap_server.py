"""A real IMAP server for tests: Debian's Dovecot (scripts/ensure-dovecot), started on a
free loopback port with its own configuration, users and mail in a temporary folder, and
stopped afterwards. It never touches the system's own Dovecot."""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from imapclient import IMAPClient

from tests.outbox.smtp import HOST, free_port

DOVECOT = "/usr/sbin/dovecot"
USER, PASSWORD = "clients", "not-a-real-secret"

CONFIGURATION = """
protocols = imap
listen = {host}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


class ImapServer:
    """Dovecot serving one mailbox (`USER`, `PASSWORD`) on HOST and a free port."""

    def __init__(self) -> None:
        if not Path(DOVECOT).exists():
            raise RuntimeError(
                "Dovecot is missing: scripts/ensure-dovecot installs Debian's package"
            )
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="imap-"))
        self.root.chmod(0o755)

    def start(self) -> None:
        # As root, mail is kept as Dovecot's own user; otherwise as the user running the tests.
        owner = pwd.getpwnam("dovecot") if os.getuid() == 0 else pwd.getpwuid(os.getuid())
        home = self.root / "home"
        home.mkdir()
        os.chown(home, owner.pw_uid, owner.pw_gid)
        (self.root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        (self.root / "dovecot.conf").write_text(
            CONFIGURATION.format(
                host=HOST, root=self.root, port=self.port, uid=owner.pw_uid, gid=owner.pw_gid
            )
        )
        configuration = str(self.root / "dovecot.conf")
        subprocess.run([DOVECOT, "-c", configuration], check=True, timeout=30)  # noqa: S603
        deadline = time.monotonic() + 10
        while True:
            try:
                with IMAPClient(HOST, port=self.port, ssl=False, timeout=2) as client:
                    client.login(USER, PASSWORD)
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        subprocess.run(  # noqa: S603
            [DOVECOT, "-c", str(self.root / "dovecot.conf"), "stop"], check=False, timeout=30
        )
        shutil.rmtree(self.root, ignore_errors=True)

    def client(self) -> IMAPClient:
        """A signed-in connection to the mailbox."""
        client = IMAPClient(HOST, port=self.port, ssl=False, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def deliver(self, *messages: bytes, folder: str = "INBOX") -> None:
        """Put messages in the mailbox, as the department's mail server would."""
        with self.client() as client:
            for message in messages:
                client.append(folder, message)

    def count(self, folder: str) -> int:
        """How many messages a folder holds (0 when it does not exist)."""
        with self.client() as client:
            if not client.folder_exists(folder):
                return 0
            return len(client.select_folder(folder, readonly=True) and client.search(["ALL"]))
