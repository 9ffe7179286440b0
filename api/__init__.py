"""The OS Data Hub APIs in plain Python: no Qt, no QGIS.

`python3 -m api --help` (from the plugin folder) is its command line.
"""

__version__ = "0.1.0"
