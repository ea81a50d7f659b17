"""PostDesk's window (PySide6). Only this package imports Qt; it calls app.core."""
