"""qmsdoc: document control for a quality management system."""

__version__ = "0.1.0"
