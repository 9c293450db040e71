from __future__ import annotations

from django import forms

DATE = {"type": "date", "class": "form-control"}


class RecordForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    problem_count = forms.IntegerField(label="发现问题数", min_value=0, initial=0)
    problems = forms.CharField(label="发现的问题", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    help_given = forms.CharField(label="帮扶措施", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(forms.Form):
    followed_up_on = forms.DateField(label="回访日期", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    solved = forms.IntegerField(label="已解决问题数", min_value=0, initial=0)
    note = forms.CharField(label="回访情况", widget=forms.Textarea(attrs={"rows": 3}))
