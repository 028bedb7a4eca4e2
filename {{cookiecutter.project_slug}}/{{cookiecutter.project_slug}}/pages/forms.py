"""The forms of the pages: the components page's example.

See https://docs.djangoproject.com/en/6.1/topics/forms/
"""

import re

from django import forms
from django.core.exceptions import ValidationError

NAME = re.compile(r"[^\W\d_]+([ '-][^\W\d_]+)*")


class GreetingForm(forms.Form):
    name = forms.CharField(max_length=50, help_text="Letters, spaces, hyphens and apostrophes.")

    def clean_name(self) -> str:
        # Checked here, not by the browser: the example shows the server's errors in place.
        name: str = self.cleaned_data["name"].strip()
        if not NAME.fullmatch(name):
            raise ValidationError("Use letters, spaces, hyphens and apostrophes only.")
        return name
