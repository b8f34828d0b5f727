"""FastAPI service over graphkit.engine."""
