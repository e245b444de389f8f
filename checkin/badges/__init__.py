"""Name badges and certificates of attendance as PDF (reportlab; no Qt)."""
