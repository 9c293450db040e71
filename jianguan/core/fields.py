"""Model fields for personal data encrypted at rest (#14): see ``jianguan.core.crypto``."""

from __future__ import annotations

from django import forms
from django.core import validators as core_validators
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull
from django.utils.functional import cached_property

from . import crypto


class _BlankOnlyExact(Exact):
    """``field=""`` (is it blank?) is the only equality an encrypted column can answer: every ciphertext differs."""

    def __init__(self, lhs, rhs):
        if rhs != "":
            raise FieldError(f"加密字段「{lhs.target.name}」不能按内容查询：请用它的盲索引（{crypto.__name__}.blind_index）")
        super().__init__(lhs, rhs)


class EncryptedTextField(models.TextField):
    """Text stored as AES-256-GCM ciphertext; read back as plaintext. ``max_length`` is the plaintext's limit (forms,
    ``full_clean``); the column is ``text`` because the ciphertext is longer. Only ``isnull`` and ``=""`` lookups
    are allowed: anything else would silently match nothing, so it raises ``FieldError``."""

    description = "Text encrypted at rest (AES-256-GCM)"

    @cached_property
    def validators(self):
        found = list(super().validators)
        if self.max_length is not None:
            found.append(core_validators.MaxLengthValidator(self.max_length))
        return found

    def from_db_value(self, value, expression, connection):
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        return crypto.encrypt(super().get_prep_value(value))

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return _BlankOnlyExact
        raise FieldError(f"加密字段「{self.name}」不支持「{lookup_name}」查询（密文不可比较；精确查找请用盲索引）")

    def get_transform(self, lookup_name):
        raise FieldError(f"加密字段「{self.name}」不支持「{lookup_name}」变换（密文不可比较）")

    def formfield(self, **kwargs):
        # A one-line input with the plaintext's max_length, as the CharField it replaces (not TextField's textarea).
        return models.Field.formfield(self, **{"form_class": forms.CharField, "max_length": self.max_length, **kwargs})


class EncryptedBinaryField(models.BinaryField):
    """A file kept in the database (an issued document's .docx or PDF) stored as AES-256-GCM ciphertext under the
    current key of ``JIANGUAN_DATA_KEYS`` (``crypto.encrypt_bytes``: ``v1:<kid>:`` then nonce ‖ ciphertext ‖ tag);
    read back as the plaintext bytes. A hash recorded beside it (``content_hash``) is over the plaintext, so a
    printed or downloaded copy is checked against the record as before. Only ``isnull`` is allowed as a lookup.
    ``dumpdata`` writes the plaintext (base64), like every encrypted field: it is not a backup (``jianguan backup``
    copies the database as it is)."""

    description = "Binary data encrypted at rest (AES-256-GCM)"

    def from_db_value(self, value, expression, connection):
        return crypto.decrypt_bytes(value)

    def get_prep_value(self, value):
        return crypto.encrypt_bytes(super().get_prep_value(value))

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return IsNull
        raise FieldError(f"加密字段「{self.name}」不支持「{lookup_name}」查询（密文不可比较）")

    def get_transform(self, lookup_name):
        raise FieldError(f"加密字段「{self.name}」不支持「{lookup_name}」变换（密文不可比较）")


class BlindIndexField(models.CharField):
    """HMAC-SHA-256 of the normalised value of ``source`` (an ``EncryptedTextField`` on the same model), kept on
    every ``save()``/``bulk_create``. ``update()``, ``bulk_update`` and raw inserts must set it themselves
    (``crypto.blind_index``). Search: ``.filter(<name>=crypto.blind_index(value))``."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, value in (("max_length", 64), ("blank", True), ("default", ""), ("editable", False)):
            if kwargs.get(key, object()) == value:
                kwargs.pop(key)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = crypto.blind_index(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
