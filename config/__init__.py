"""Settings: defaults, test and production, every one overridable by an environment variable."""
from config.settings import DefaultConfig, ProductionConfig, TestConfig, load_config

__all__ = ["DefaultConfig", "ProductionConfig", "TestConfig", "load_config"]
