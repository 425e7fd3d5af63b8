"""Models of 巡前了解与协助."""
