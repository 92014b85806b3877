"""A field's HTML written in Python, the same as templates/django/forms/field.html renders it.

Django renders every widget through the template engine: on the data return, with some sixty
fields, that was most of the page's time (about 60 ms of 70). ``field_group_html`` builds the
same HTML directly for the widgets that page uses; tests/charter/test_form_html.py checks it
against the templates for every field of the return form, bound and unbound, so the two cannot
drift. Any other widget falls back to the templates.
"""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

INPUTS = (forms.TextInput, forms.DateInput, forms.NumberInput, forms.EmailInput, forms.URLInput)


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{escape(str(value))}"' if value is not None else ""
    name = escape(widget["name"])
    return f'<input type="{widget["type"]}" name="{name}"{shown}{_attrs(widget["attrs"])}>'


def _radios(widget: dict) -> str:
    element_id = widget["attrs"].get("id")
    html = ["<div"]
    if element_id:
        html.append(f' id="{escape(element_id)}"')
    if widget["attrs"].get("class"):
        html.append(f' class="{escape(widget["attrs"]["class"])}"')
    html.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            return ""  # grouped choices: leave them to the templates
        for option in options:
            option_id = option["attrs"].get("id")
            label_for = f' for="{escape(option_id)}"' if option_id else ""
            html.append(
                f"<div>\n    <label{label_for}>{_input(option)}\n "
                f"{conditional_escape(option['label'])}</label>\n\n</div>"
            )
    html.append("\n</div>")
    return "".join(html)


def _widget_html(field: BoundField) -> str | None:
    widget = field.field.widget
    if type(widget) not in (*INPUTS, forms.Textarea, forms.CheckboxInput, forms.RadioSelect):
        return None
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    if isinstance(widget, forms.RadioSelect):
        return _radios(context) or None
    if isinstance(widget, forms.Textarea):
        value = context["value"]
        body = conditional_escape(value) if value else ""
        name = escape(context["name"])
        return f'<textarea name="{name}"{_attrs(context["attrs"])}>\n{body}</textarea>'
    return _input(context)


def _help_and_errors(field: BoundField) -> str:
    html = ""
    if field.help_text:
        html += f'<div class="help" id="{field.auto_id}_helptext">{field.help_text}</div>'
    html += "\n"
    if field.errors:
        messages = "".join(f"<p>Error: {conditional_escape(error)}</p>" for error in field.errors)
        html += f'<div class="error-message" id="{field.auto_id}_error">{messages}</div>'
    return html + "\n"


def field_group_html(field: BoundField) -> SafeString:
    """What ``field.as_field_group()`` renders, built without the template engine."""
    widget_html = _widget_html(field)
    if widget_html is None:
        return field.as_field_group()
    error_class = " field--error" if field.errors else ""
    label = conditional_escape(field.label) if field.label else ""
    if field.use_fieldset:
        legend = f"<legend>{label}</legend>" if label else ""
        html = (
            f'<fieldset class="field{error_class}">{legend}\n{_help_and_errors(field)}'
            f"{widget_html}</fieldset>"
        )
    elif field.widget_type == "checkbox":
        html = (
            f'<div class="field field--checkbox{error_class}">{widget_html}<div>'
            f'<label for="{field.id_for_label}">{label}</label>\n{_help_and_errors(field)[:-1]}'
            "</div></div>"
        )
    else:
        label_html = f'<label for="{field.id_for_label}">{label}</label>' if label else ""
        html = (
            f'<div class="field{error_class}">{label_html}\n{_help_and_errors(field)}'
            f"{widget_html}</div>"
        )
    return mark_safe(html)
