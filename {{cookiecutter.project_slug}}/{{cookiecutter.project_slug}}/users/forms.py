"""The admin's forms for adding and changing users, on the project's user model.

Django's own forms name ``auth.User``, which this project has swapped out.

See https://docs.djangoproject.com/en/6.1/topics/auth/customizing/#custom-users-and-the-built-in-auth-forms
"""

from django.contrib.auth import forms

from .models import User


class UserCreationForm(forms.AdminUserCreationForm):
    class Meta(forms.AdminUserCreationForm.Meta):
        model = User
{%- if cookiecutter.username_type == "email" %}
        fields = ("email",)
{%- endif %}


class UserChangeForm(forms.UserChangeForm):
    class Meta(forms.UserChangeForm.Meta):
        model = User
