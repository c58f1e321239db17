"""Every e-mail the product sends: rendered from templates by one helper, links absolute.

An e-mail is three templates named after it, in templates/emails/<app>/:
``<name>_subject.txt`` (one line), ``<name>.txt`` (the plain-text body, rendered without HTML
escaping) and ``<name>.html`` (the HTML alternative, extending emails/base.html). Services
call ``send_email`` (or ``build_email`` when they send on commit) with the name, a context
and the recipients; the context gets ``site_url`` and ``site_name``.

Links are absolute: a worker sending an e-mail has no request to take the address from, so
they are built from ``settings.VRU_SITE_URL`` by ``absolute_url`` (a path or a URL name)
and passed in the context. What goes into an e-mail about a young person is the pseudonymous
reference and a link: never a name, date of birth, address or offence (tests/test_emails.py).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse

SITE_NAME = "VRU platform"


def site_url() -> str:
    """The site's address without a trailing slash, e.g. https://vru.example.org."""
    url = (getattr(settings, "VRU_SITE_URL", "") or "").rstrip("/")
    if not url:
        raise ImproperlyConfigured("Set VRU_SITE_URL: the links in e-mails need the address.")
    return url


def absolute_url(path_or_name: str, *args, **kwargs) -> str:
    """An absolute link under VRU_SITE_URL, from a path ("/programmes/referrals/12/") or a URL
    name with its arguments ("programmes:referral_detail", pk=12). A link that is already
    absolute is moved onto the site's address (a request's host is never trusted)."""
    if path_or_name.startswith(("/", "http://", "https://")):
        parts = urlsplit(path_or_name)
        path = parts.path or "/"
        if parts.query:
            path += f"?{parts.query}"
        if parts.fragment:
            path += f"#{parts.fragment}"
    else:
        path = reverse(path_or_name, args=args or None, kwargs=kwargs or None)
    return site_url() + path


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _context(context: dict) -> dict:
    return {"site_url": site_url(), "site_name": SITE_NAME, **context}


def render_email(name: str, context: dict) -> RenderedEmail:
    """Render e-mail ``name`` (e.g. "emails/programmes/referral_created")."""
    full = _context(context)
    # Plain text is not HTML: render it with autoescaping off (an apostrophe stays one).
    text_template = get_template(f"{name}.txt").template
    subject_template = get_template(f"{name}_subject.txt").template
    subject = " ".join(subject_template.render(Context(full, autoescape=False)).split())
    text = text_template.render(Context(full, autoescape=False)).strip() + "\n"
    html = render_to_string(f"{name}.html", {**full, "subject": subject})
    return RenderedEmail(subject=subject, text=text, html=html)


def build_email(
    name: str,
    context: dict,
    *,
    to: Sequence[str],
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> EmailMultiAlternatives:
    """The message, ready to send (``.send()``, or ``transaction.on_commit(message.send)``)."""
    rendered = render_email(name, context)
    message = EmailMultiAlternatives(rendered.subject, rendered.text, to=list(to))
    message.attach_alternative(rendered.html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def send_email(
    name: str,
    context: dict,
    *,
    to: Sequence[str],
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> EmailMultiAlternatives:
    """Render and send e-mail ``name`` now; raises if the mail server refuses it (the
    outbox, or the caller's transaction, then tries again)."""
    message = build_email(name, context, to=to, attachments=attachments)
    message.send()
    return message
