"""Absolute links in e-mail templates (vru.emails): ``{% load emails %}``.

``{% absolute_url "programmes:referral_detail" pk=referral.pk %}`` reverses a URL name onto
VRU_SITE_URL; ``{{ path|absolute }}`` does the same for a path.
"""

from django import template

from vru import emails

register = template.Library()


@register.simple_tag
def absolute_url(name: str, *args, **kwargs) -> str:
    return emails.absolute_url(name, *args, **kwargs)


@register.filter
def absolute(path: str) -> str:
    return emails.absolute_url(str(path))
