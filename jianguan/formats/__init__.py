"""Number formats that replace Django's for the project's locale (``FORMAT_MODULE_PATH``)."""
