"""Forms (Flask-WTF: every form carries the CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, RadioField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from netops.auth.models import LANGUAGES


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()


class LanguageForm(FlaskForm):
    lang = RadioField(choices=list(LANGUAGES), validators=[AnyOf(LANGUAGES)])
    next = HiddenField()


class EmptyForm(FlaskForm):
    """Just the CSRF token (logout)."""
