from __future__ import annotations

from django import forms


class RenewForm(forms.Form):
    expected_until = forms.DateField(widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(label="注销原因", max_length=200)
