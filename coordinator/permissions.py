"""Who may use a staff page: any staff member reads; coordinators and admins change."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from coordinator.extensions import login_manager
from coordinator.models import Survey, User

F = TypeVar("F", bound=Callable[..., Any])

EDITOR_ROLES = ("admin", "coordinator")


def role_required(*roles: str) -> Callable[[F], F]:
    """Require a logged-in staff member, and one of `roles` when any are given."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


staff_required = role_required()
editor_required = role_required(*EDITOR_ROLES)
admin_required = role_required("admin")


def current_staff() -> User:
    """The logged-in staff member as a plain model object (not Flask-Login's proxy)."""
    return current_user._get_current_object()  # type: ignore[no-any-return]


def may_change_survey(user: User, survey: Survey) -> bool:
    """Coordinators and admins change a survey when they are members of its project
    (admins always are), as with the project's own pages."""
    return bool(user.can_edit and survey.project.is_member(user))
