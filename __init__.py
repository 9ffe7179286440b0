"""OS Data Hub Loader: a QGIS plugin for Ordnance Survey's OS Data Hub.

Nothing is imported at module level so that tools (and pytest) can import this package
without a running QGIS.
"""


def classFactory(iface):
    from .plugin import OSDataHubLoaderPlugin

    return OSDataHubLoaderPlugin(iface)
