"""The QGIS side of the plugin: settings, secrets, network settings for `api`, tasks, loaders."""
