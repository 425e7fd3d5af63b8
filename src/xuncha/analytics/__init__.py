"""Statistics, the key-person radar, unit portraits and the upper office's view (统计分析与上下联动).

At the top of the dependency order: it reads every app; no app imports it."""
