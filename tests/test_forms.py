"""Every form of the app derives from the shared bases, so it speaks WTForms' messages in our wording."""

import wtforms

from lms.forms import AppForm, SubForm


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_form_of_the_app_derives_from_the_shared_bases(app):
    ours = {cls for cls in _all_subclasses(wtforms.Form) if cls.__module__.startswith("lms.")}
    assert len(ours) > 20  # the app's forms are imported with its blueprints
    strays = sorted(cls.__qualname__ for cls in ours if not issubclass(cls, (AppForm, SubForm)))
    assert not strays, f"derive these from lms.forms.AppForm (or SubForm): {strays}"
