"""The good-practice library: practice sheets proposed by local networks, reviewed and published centrally,
found with full-text search that understands Dutch."""
