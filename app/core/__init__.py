"""PostDesk's core: documents, site, parsing, rules, rendering. Never imports Qt."""
