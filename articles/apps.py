from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "新闻稿件"

    def ready(self) -> None:
        from articles import checks  # noqa: F401  (registers the deploy checks)
