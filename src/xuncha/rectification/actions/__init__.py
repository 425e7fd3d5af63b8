"""Every change of rectification, one module per area: ``plans`` (the plan and its tasks), ``items``
(边巡边改 items, progress with evidence, submission and closure) and ``reports`` (the unit's reports)."""
