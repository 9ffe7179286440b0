"""The catalogue service: the OS OpenData product list (the saved list at once, a refresh in the
background) and the products' pictures (from the disk cache, else fetched in the background),
for the OpenData tab, which only shows them."""

from __future__ import annotations

from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..api.cancel import CancelToken
from ..api.models import Product
from . import cache
from .context import ApiContext
from .i18n import tr
from .tasks import ApiTask, TaskRegistry, cancel_task, closing

CACHE_NAME = "products"


class CatalogueService(QObject):
    """`products` (A–Z by name) and whether they are `loading`. `productsChanged(saved)` says a
    list is there (`saved`: the cached one, while a refresh runs); `loadingChanged(loading)`
    brackets every refresh; `failed(message)` says why a refresh failed (the list is kept).
    `thumbnailLoaded(product, data)`: a picture of the product whose pictures were asked for
    last (image bytes)."""

    productsChanged = pyqtSignal(bool)
    loadingChanged = pyqtSignal(bool)
    failed = pyqtSignal(str)
    thumbnailLoaded = pyqtSignal(object, object)

    def __init__(self, context: ApiContext, tasks: TaskRegistry, parent: QObject | None = None):
        super().__init__(parent)
        self.context = context
        self.tasks = tasks
        self.products: list[Product] = []
        self._load_task: ApiTask | None = None
        self._thumbnail_tasks: list[ApiTask] = []

    @property
    def loading(self) -> bool:
        """Whether the product list is being loaded or refreshed."""
        return self._load_task is not None

    # -- the product list ----------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        """First use: the cached list at once, and a refresh in the background."""
        if self.products or self._load_task is not None:
            return
        self.load_cached()
        self.refresh()

    def load_cached(self) -> bool:
        """Show the list saved by the last visit, if any (a stale or damaged cache is ignored,
        never an error)."""
        cached = cache.load_json(CACHE_NAME, self.context.settings.base_url)
        if not isinstance(cached, list):
            return False
        try:
            products = [Product.from_json(item) for item in cached]
        except Exception:
            return False
        self._set_products(products, saved=True)
        return True

    def refresh(self) -> None:
        """Load the list again from the OS Data Hub, in the background (once at a time)."""
        if self._load_task is not None:
            return
        token = CancelToken()
        client = self.context.downloads_client(cancel=token)
        self._load_task = ApiTask(
            tr("Loading OS OpenData products"),
            lambda _task: closing(client, lambda: client.products(expanded=True)),
            on_done=self._loaded,
            on_error=self._failed,
            cancel_token=token,
        )
        self.loadingChanged.emit(True)
        self.tasks.start(self._load_task)

    def _loaded(self, products: list[Product]) -> None:
        self._load_task = None
        self.loadingChanged.emit(False)
        cache.save_json(CACHE_NAME, self.context.settings.base_url, [p.raw for p in products])
        self._set_products(products, saved=False)

    def _failed(self, message: str) -> None:
        self._load_task = None
        self.loadingChanged.emit(False)
        self.failed.emit(message)

    def _set_products(self, products: list[Product], saved: bool) -> None:
        self.products = sorted(products, key=lambda p: p.name.lower())
        self.productsChanged.emit(saved)

    # -- pictures ------------------------------------------------------------------------------
    def load_thumbnails(self, product: Product) -> None:
        """The product's pictures, each as `thumbnailLoaded`: cached ones at once, the others
        when fetched. Stops fetching those of the product asked for before."""
        self._cancel_thumbnails()
        base_url = self.context.settings.base_url
        for index in range(1, (product.image_count or 0) + 1):
            path = cache.image_path(base_url, product.id, product.version, index)
            if path.exists():
                self.thumbnailLoaded.emit(product, path.read_bytes())
                continue
            token = CancelToken()
            client = self.context.downloads_client(cancel=token)

            def fetch(_task, index=index, path=path, client=client):
                with client:
                    data = client.product_image(product.id, index)
                cache.save_image(path, data)
                return data

            task = ApiTask(
                tr("Loading a picture of {0}").format(product.name), fetch,
                on_done=lambda data, p=product: self.thumbnailLoaded.emit(p, data),
                cancel_token=token,
            )
            task.taskCompleted.connect(lambda t=task: self._forget(t))
            task.taskTerminated.connect(lambda t=task: self._forget(t))
            self._thumbnail_tasks.append(task)
            self.tasks.start(task)

    def _forget(self, task: ApiTask) -> None:
        if task in self._thumbnail_tasks:
            self._thumbnail_tasks.remove(task)

    def _cancel_thumbnails(self) -> None:
        for task in self._thumbnail_tasks:
            cancel_task(task)
        self._thumbnail_tasks = []

    def close_down(self) -> None:
        cancel_task(self._load_task)
        self._load_task = None
        self._cancel_thumbnails()
