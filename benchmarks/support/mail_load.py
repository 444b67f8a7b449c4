"""SMTP clients for benchmarks/mail.py, in a process of their own so that the server
measured does not share its interpreter with them.

Reads a JSON list of messages ({"sender": address, "raw": the message's bytes as
Latin-1}), connects `--clients` smtplib clients to 127.0.0.1:`--port`, each reusing its
connection for every message it sends (client k sends messages k, k + clients, ...),
and prints a JSON object: when each message's transaction started and ended
(time.monotonic(), which other processes on the machine read the same), and the
messages the server refused or that failed, with the error.

Run (the benchmark does this): python mail_load.py --port 2525 --clients 4 MESSAGES.json
"""

import argparse
import json
import smtplib
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
RECIPIENT = "clients@passage.example"


def send_all(port: int, messages: list[dict[str, str]], clients: int) -> dict[str, object]:
    """Send every message with `clients` concurrent connections; see the module's text."""
    starts = [0.0] * len(messages)
    ends = [0.0] * len(messages)
    failures: list[dict[str, object]] = []
    lock = threading.Lock()
    ready = threading.Barrier(clients)

    def client(number: int) -> None:
        connection = smtplib.SMTP(HOST, port, timeout=120)
        ready.wait()
        try:
            for index in range(number, len(messages), clients):
                message = messages[index]
                raw = message["raw"].encode("latin-1")
                starts[index] = time.monotonic()
                try:
                    refused = connection.sendmail(message["sender"], [RECIPIENT], raw)
                except smtplib.SMTPServerDisconnected as error:
                    with lock:
                        failures.append({"index": index, "error": repr(error)})
                    connection = smtplib.SMTP(HOST, port, timeout=120)
                except smtplib.SMTPException as error:
                    with lock:
                        failures.append({"index": index, "error": repr(error)})
                else:
                    if refused:
                        with lock:
                            failures.append({"index": index, "error": repr(refused)})
                ends[index] = time.monotonic()
        finally:
            try:
                connection.quit()
            except smtplib.SMTPException:
                connection.close()

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"starts": starts, "ends": ends, "failures": failures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("messages", type=Path)
    args = parser.parse_args()
    messages = json.loads(args.messages.read_text(encoding="utf-8"))
    json.dump(send_all(args.port, messages, args.clients), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
