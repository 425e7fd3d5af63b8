"""Rows of the authorisation matrix for 巡前了解与协助 (registered in xuncha.tests.matrix)."""
