"""Jianguan (监管): an open-source platform for a market supervision bureau."""

__version__ = "0.1.0"
