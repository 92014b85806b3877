"""``{{ field|field_group }}``: a field's HTML without the template engine (charter/form_html)."""

from django import template

from charter.form_html import field_group_html

register = template.Library()
register.filter("field_group", field_group_html)
