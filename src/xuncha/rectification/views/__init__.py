"""Pages of rectification, one module per area: ``plans`` (an inspection's rectification page, the plan and
its tasks), ``items`` (an item, its progress and closure; 边巡边改), ``reports`` (the unit's reports and the
report skeleton), ``lists`` (all items with filters, the ledger, home panels)."""
