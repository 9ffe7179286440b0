"""The Processing provider `os_data_hub`: the plugin's downloads as algorithms for models,
scripts and `qgis_process`. The algorithms drive the same `api` engine, `DownloadTask` pipeline
and layer loader as the dock."""
