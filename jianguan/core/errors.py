"""Domain errors shared by every app.

Services raise these; the workbench shows ``message`` to the user and the API turns them into its one error
format (``api/errors.py``). Messages are Chinese first because they reach bureau staff and the public.
"""


class DomainError(Exception):
    """A rule of the domain refused the operation. ``code`` is stable for API clients."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None, details=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.details = details


class TransitionNotAllowed(DomainError):
    """A state transition that the current state does not allow (API: 409)."""

    code = "transition_not_allowed"
    status = 409


class Conflict(DomainError):
    code = "conflict"
    status = 409


class ValidationFailed(DomainError):
    """Input failed validation; ``details`` is a list of {field/row/column, message}."""

    code = "validation_failed"
    status = 422
