"""Fieldwork's forms, one module per area."""
