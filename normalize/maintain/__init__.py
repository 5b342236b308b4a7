"""Tools for gazetteer maintainers: lint, add, suggest, stats, explain and the GeoNames import."""
