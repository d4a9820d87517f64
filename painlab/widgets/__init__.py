"""Thin wiring from ipywidgets controls to models and figures."""
