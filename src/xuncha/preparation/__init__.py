"""Information requests to departments before and during an inspection (巡前了解、提请协助)."""
