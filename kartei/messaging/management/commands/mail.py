"""Replies by e-mail.

`kartei mail receive` files one e-mail read from standard input as a customer's reply, the way a mail server pipes
a message to a command (Postfix: `kartei unix - n n - - pipe user=kartei argv=kartei mail receive --recipient
${recipient}`). Exit status as sendmail's programs use it: 0 filed, 67 no such reply address (the mail server
bounces it), 65 not an e-mail, 75 try again later (the database could not be reached).

`kartei mail poll` files the unseen e-mails in the mailbox INBOUND_IMAP_URL names, once (the task worker does that
every KARTEI_IMAP_POLL_SECONDS by itself)."""

import sys

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from imap_tools import ImapToolsError

from kartei.messaging.inbound import MAIL_MAX, NotForUs, mailbox_poll, received

EX_DATAERR, EX_NOUSER, EX_TEMPFAIL = 65, 67, 75


class Command(BaseCommand):
    help = "Receive e-mail replies to messages: `receive` files one e-mail from standard input."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        receive = actions.add_parser("receive", help="File one e-mail (RFC 822) read from standard input.")
        receive.add_argument("--recipient", default="", help="The address the mail server delivered it to.")
        actions.add_parser("poll", help="File the unseen e-mails in the mailbox INBOUND_IMAP_URL names, once.")

    def handle(self, *args, action, recipient="", **options):
        if action == "poll":
            return self.poll()
        raw = sys.stdin.buffer.read(MAIL_MAX + 1)
        if not raw.strip():
            raise CommandError("No e-mail on standard input.", returncode=EX_DATAERR)
        if len(raw) > MAIL_MAX:
            raise CommandError(f"The e-mail is larger than {MAIL_MAX // 2**20} MB.", returncode=EX_DATAERR)
        try:
            reply = received(raw, recipient=recipient)
        except NotForUs as error:
            raise CommandError(str(error), returncode=EX_NOUSER) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=EX_DATAERR) from None
        except DatabaseError as error:
            raise CommandError(f"The database could not be reached: {error}", returncode=EX_TEMPFAIL) from None
        where = "held for review" if reply.state == "held" else "filed"
        self.stdout.write(
            f"Reply {reply.pk} {where} in the conversation with customer {reply.conversation.customer_id}."
        )

    def poll(self):
        if not settings.INBOUND_IMAP_URL:
            raise CommandError(
                "Set INBOUND_IMAP_URL to the mailbox replies arrive in (imaps://user:password@host/INBOX)."
            )
        try:
            filed, not_replies = mailbox_poll(settings.INBOUND_IMAP_URL)
        except (OSError, ValueError, ImapToolsError) as error:
            raise CommandError(f"The mailbox could not be read: {error}", returncode=EX_TEMPFAIL) from None
        self.stdout.write(f"{filed} replies filed, {not_replies} e-mails that are not replies left in the mailbox.")
