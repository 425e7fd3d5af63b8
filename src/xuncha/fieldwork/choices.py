"""Choices of fieldwork, one section per area."""
