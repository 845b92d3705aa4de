"""Assets (ครุภัณฑ์): the asset control register, depreciation by the Thai fiscal year, and the yearly
stock-take (docs/rules.md, "Assets")."""
