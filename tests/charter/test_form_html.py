"""charter.form_html writes exactly what Django's field templates render, for every field of the
data return form, empty, filled in and refused."""

import pytest

from charter.form_html import field_group_html
from pledges.workspace.data_forms import ReturnForm

POSTED = {
    "version": "1",
    "snapshot_date": "not a date",
    "tech_total": "ten",
    "tech_women": "4",
    "disabled_collected": "yes",
    "women_on_shortlists": "yes",
    "ethnicity_not_collected": "on",
    "late_reason": 'a <b> & "c"',
    "note_tech_total_jump": "<script>",
}


def forms():
    unbound = ReturnForm(warning_codes=["tech_total_jump"])
    bound = ReturnForm(data=POSTED, warning_codes=["tech_total_jump", "women_share_jump"])
    bound.is_valid()
    return [unbound, bound]


@pytest.mark.parametrize("form", forms(), ids=["empty", "refused"])
def test_every_field_renders_as_the_templates_do(form):
    for field in form:
        if field.is_hidden:
            continue
        assert str(field_group_html(field)).strip() == str(field.as_field_group()).strip(), (
            field.name
        )


def staff_cycle_forms():
    """Each form of the staff cycle page, empty and refused."""
    import inspect

    from pledges.staff import cycle_forms

    made = []
    for name, form_class in inspect.getmembers(cycle_forms, inspect.isclass):
        if name == "AccessLogFilterForm":
            continue  # a filter with a select, which the templates still render
        if (
            issubclass(form_class, cycle_forms.forms.Form)
            and form_class.__module__ == cycle_forms.__name__
        ):
            made.append(pytest.param(form_class(), id=f"{name} empty"))
            refused = form_class(data={"reason": "<b>", "closes_on": "no", "signatory_number": "x"})
            refused.is_valid()
            made.append(pytest.param(refused, id=f"{name} refused"))
    return made


@pytest.mark.parametrize("form", staff_cycle_forms())
def test_the_staff_cycle_forms_render_as_the_templates_do(form):
    for field in form.visible_fields():
        assert str(field_group_html(field)).strip() == str(field.as_field_group()).strip(), (
            field.name
        )


def test_typed_text_is_escaped():
    form = forms()[1]
    html = str(field_group_html(form["note_tech_total_jump"]))
    assert "<script>" not in html and "&lt;script&gt;" in html
