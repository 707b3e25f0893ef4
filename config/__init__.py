"""Settings: defaults, test and production, every one overridable by an environment variable."""
from config.settings import ConfigError, load_config, testing_config

__all__ = ["ConfigError", "load_config", "testing_config"]
