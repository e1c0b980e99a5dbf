"""Replies by e-mail: an MTA pipes each one to `kartei mail receive`, or the worker reads a mailbox
(INBOUND_IMAP_URL). The reply address reply+<token>@<inbound domain> names the outgoing message answered, so the
reply is filed by its token, whatever its subject or References say ("Fwd:", a client that drops headers).

Quoted text and signatures are stripped (mail-parser-reply, for English, German and Polish clients); an HTML-only
e-mail is turned into text with nh3, which drops scripts and every tag. Files attached are kept with the reply,
and the whole e-mail as it came (Message.raw)."""

import email
import logging
import re
from email import policy
from email.message import EmailMessage
from email.policy import compat32
from email.utils import getaddresses, parseaddr
from html import unescape

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from mailparser_reply import EmailReplyParser

from kartei.timeline.attachments import FILES_MAX

from . import services
from .models import Channel, Message

log = logging.getLogger(__name__)

RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")
TOKEN_IN_ADDRESS = re.compile(rf"(?:^|[\s<,\"'])reply\+([a-z2-7]{{{services.TOKEN_LENGTH}}})@", re.IGNORECASE)
MAIL_MAX = 60 * 1024 * 1024  # bytes of one e-mail read at most
# What mobile mail programs add under a reply in place of a signature.
SENT_FROM = re.compile(
    r"\n+(?:Sent from my \w+|Von meinem \w+ gesendet|Wysłane z (?:mojego )?\w+|Gesendet von \w+|"
    r"Get Outlook for \w+|Outlook für \w+ herunterladen|Pobierz aplikację Outlook dla \w+)\s*$",
    re.IGNORECASE,
)
LANGUAGES = ["en", "de", "pl"]
TEXT_READ_MAX = 200_000  # characters of an e-mail's text looked at for the reply


class NotForUs(ValueError):
    """The e-mail is not addressed to a reply address with a token that works."""


def received(raw: bytes, *, recipient: str = "") -> Message:
    """File one e-mail (RFC 822 bytes) as the reply it is, and return the reply. `recipient`: the address the
    mail server delivered it to, if it says (Postfix's ${recipient}); else the message's own headers tell.
    NotForUs if no reply address in it works (unknown, stopped or too old token)."""
    mail = email.message_from_bytes(raw, policy=policy.default)
    customer = None
    for token in _tokens(mail, recipient):
        customer = services.reply_customer(token)
        if customer is not None:
            break
    if customer is None:
        raise NotForUs("No reply address in this e-mail belongs to a message that may be answered.")
    sender = parseaddr(str(mail.get("From", "")))[1]
    return services.reply_add(
        customer=customer, text=reply_text(mail), files=_files(mail), channel=Channel.EMAIL,
        subject=str(mail.get("Subject", "")), sender=sender, raw=raw, mail_id=str(mail.get("Message-ID", "")).strip(),
        base_url=settings.KARTEI_BASE_URL,
    )  # fmt: skip


def _tokens(mail: EmailMessage, recipient: str) -> list[str]:
    addresses = [recipient] if recipient else []
    for header in RECIPIENT_HEADERS:
        addresses += [address for _name, address in getaddresses([str(v) for v in mail.get_all(header, [])])]
    found = []
    for address in addresses:
        match = TOKEN_IN_ADDRESS.search(" " + address)
        if match and match.group(1).lower() not in found:
            found.append(match.group(1).lower())
    return found


def reply_text(mail: EmailMessage) -> str:
    """What the customer wrote: the text part (or the HTML one as text) without quotes and signature."""
    part = mail.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _decoded(part)
    if part.get_content_type() == "text/html":
        text = html_as_text(text)
    text = text.replace("\r\n", "\n").replace("\ufeff", "")[:TEXT_READ_MAX]
    fragments = EmailReplyParser(languages=LANGUAGES).read(text).replies
    reply = fragments[0].content if fragments else text  # the first part, its sign-off and signature included
    return without_quote_and_signature(reply) or text.strip()


# Where a client starts quoting, as German and Polish clients write it and the library does not know yet:
# "W dniu 23.11.2026 o 10:15, Kartei pisze:" (Thunderbird), "Wiadomość napisana przez Kartei <…> w dniu
# 23.11.2026, o godz. 10:15:" (Apple Mail); and any line ending in "wrote:" ("pon., 23 lis 2026 o 10:15 Kartei
# <…> napisał(a):", Gmail) when quoted lines follow it.
QUOTE_HEADER = re.compile(r"^>?\s*(?:Wiadomość napisana przez .*|W dniu .* pisze|Am .* schrieb .*|On .* wrote):\s*$")
WROTE = re.compile(r"\b(?:napisał\(a\)|napisał|napisała|pisze|schrieb|wrote):\s*$")
SIGNATURE = re.compile(r"^-- ?$")


def without_quote_and_signature(text: str) -> str:
    """The text up to where a quote starts (a quote header, or the quoted lines that end the message) or the
    signature ("-- "), and without a mobile client's "Sent from my iPhone"."""
    lines = text.split("\n")
    # From the end: whether every line from here on that is not blank is quoted, and the next one not blank.
    quoted_from, next_line = [True] * (len(lines) + 1), [""] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        blank = not lines[i].strip()
        quoted_from[i] = quoted_from[i + 1] and (blank or lines[i].startswith(">"))
        next_line[i] = next_line[i + 1] if blank else lines[i]
    end = len(lines)
    for i, line in enumerate(lines):
        quoted_to_the_end = line.startswith(">") and quoted_from[i]
        introduces_a_quote = WROTE.search(line) and next_line[i + 1].startswith(">")
        if SIGNATURE.match(line) or QUOTE_HEADER.match(line) or quoted_to_the_end or introduces_a_quote:
            end = i
            break
    return SENT_FROM.sub("", "\n".join(lines[:end]).rstrip()).strip()


def _decoded(part) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset
        return (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")


_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|tr|h[1-6]|blockquote)>")
_QUOTED = re.compile(r"(?is)<blockquote\b.*</blockquote>")


def html_as_text(html: str) -> str:
    """An HTML e-mail as plain text: no tag, no script or style, quoted parts (blockquote) left out."""
    html = _QUOTED.sub("", html)
    html = _BLOCK_END.sub("\n", html)
    text = nh3.clean(html, tags=set(), clean_content_tags={"script", "style", "head", "title"})
    lines = [unescape(line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _files(mail: EmailMessage) -> list[ContentFile]:
    """The files attached, as many as a reply may keep and each within the size limit; the rest stay in the
    e-mail kept as it came."""
    files = []
    for part in mail.iter_attachments():
        if part.get_content_maintype() == "multipart":
            continue
        if part.get_content_maintype() == "text" and not part.get_filename():
            continue  # more of the text (iPhone Mail puts the quote after a picture in a part of its own)
        data = part.get_payload(decode=True) or b""
        name = part.get_filename() or "attachment"
        if not data or len(data) > settings.KARTEI_ATTACHMENT_MAX_BYTES or len(files) >= FILES_MAX:
            log.warning("An attachment of a reply was not kept on its own (%s, %d bytes).", name, len(data))
            continue
        files.append(ContentFile(data, name=name))
    return files


def mailbox_poll(url: str) -> tuple[int, int]:
    """File each unseen e-mail in the mailbox `url` (imaps://user:password@host[:port]/FOLDER; imap:// with
    STARTTLS, imap+plain:// unencrypted, for a server on the same machine) and mark it seen; an e-mail that is not
    a reply is marked seen too and left for a person. One that could not be filed (the database is away) stays
    unseen for the next poll. (filed, not replies)."""
    from urllib.parse import unquote, urlsplit

    from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessageFlags

    parts = urlsplit(url)
    kinds = {"imaps": (MailBox, 993), "imap": (MailBoxStartTls, 143), "imap+plain": (MailBoxUnencrypted, 143)}
    if parts.scheme not in kinds or not parts.hostname:
        raise ValueError("INBOUND_IMAP_URL looks like imaps://user:password@host/INBOX.")
    mailbox_class, port = kinds[parts.scheme]
    folder = unquote(parts.path.strip("/")) or "INBOX"
    filed = not_replies = 0
    with mailbox_class(parts.hostname, parts.port or port, timeout=30).login(
        unquote(parts.username or ""), unquote(parts.password or ""), initial_folder=folder
    ) as mailbox:
        for mail in mailbox.fetch(AND(seen=False), mark_seen=False, bulk=20):
            try:
                received(mail.obj.as_bytes(policy=compat32.clone(mangle_from_=False)))
            except (NotForUs, ValidationError) as error:
                log.warning("E-mail %s in the mailbox is not a reply to a message: %s", mail.uid, error)
                not_replies += 1
            else:
                filed += 1
            mailbox.flag(mail.uid, MailMessageFlags.SEEN, True)
    return filed, not_replies
