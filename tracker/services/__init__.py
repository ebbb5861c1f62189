"""The ledger's services: the only code above tracker.db that opens sessions and uses the ORM;
everything they return is a frozen row."""
