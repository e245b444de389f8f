"""Reading registration lists (CSV/XLSX) into an event, and writing exports. No Qt here."""
