"""One exception hierarchy; every message says what happened and what the user can do about it."""

from __future__ import annotations


class NewsmillError(Exception):
    """Base class of every error newsmill raises on purpose."""


class InputError(NewsmillError):
    """The input cannot be read as a page (missing, empty, binary, too large...)."""


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class InputTooLargeError(InputError):
    pass


class ExtractionTimeout(NewsmillError):
    """A document took longer than the per-document time limit."""
