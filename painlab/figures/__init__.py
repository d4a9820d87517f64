"""Pure functions from model output to plotly figures (static, testable, exportable)."""
