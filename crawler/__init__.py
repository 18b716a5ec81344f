"""News crawler for Central Java (Jawa Tengah) media monitoring."""

__version__ = "0.1.0"
