"""A real SMTP server on loopback for Billable's mail tests (aiosmtpd).

Every accepted message is written to OUTDIR as NNNN.eml (the exact bytes the
client sent) and NNNN.json (the envelope and the authenticated user), each
file complete before it appears. Prints "READY <port>" once listening and
serves until standard input closes or the process is terminated.

  smtp_server.py --port 2525 --outdir DIR [--cert C --key K] [--user U --password P]
                 [--reject-sender ADDR]

With --cert/--key the server offers STARTTLS and requires it before MAIL;
with --user/--password it requires AUTH (PLAIN or LOGIN, only over TLS).
"""

import argparse
import asyncio
import json
import logging
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, outdir, reject_sender):
        self.outdir = outdir
        self.reject_sender = reject_sender
        self.count = 0
        self.lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.reject_sender and address.lower() == self.reject_sender.lower():
            return "553 5.7.1 Sender address rejected: not owned by user"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.outdir, "%04d" % n)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "auth_user": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
            "tls": session.ssl is not None,
        }
        with open(base + ".json.tmp", "w") as f:
            json.dump(meta, f)
        os.replace(base + ".json.tmp", base + ".json")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        os.replace(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 Ok: queued as %04d" % n


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--outdir", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--reject-sender")
    a = p.parse_args()
    # aiosmtpd reads its own deprecated Session.login_data and logs about it.
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    tls = None
    if a.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(a.cert, a.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == a.user
            and auth_data.password.decode() == a.password
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    kwargs = dict(hostname="127.0.0.1", port=a.port, decode_data=False, server_hostname="localhost")
    if tls:
        kwargs.update(tls_context=tls, require_starttls=True)
    if a.user:
        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=tls is not None)
    controller = Controller(Handler(a.outdir, a.reject_sender), **kwargs)
    controller.start()
    print("READY %d" % a.port, flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def watch_stdin():
        sys.stdin.read()
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
