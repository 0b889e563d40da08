"""What became of an import's items: one ItemResult per raw item (result_* make the ones that
name an article stored before), an ImportReport per run."""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.cleaning import CleanArticle
from articles.models import ImportBatch


class Outcome:
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    ALREADY = "already"  # the very same raw bytes were imported before
    FAILED = "failed"


@dataclass
class ItemResult:
    """What became of one raw item. `clean` is kept for previews (None when it failed early)."""

    name: str
    outcome: str
    message: str = ""
    article_id: int | None = None
    duplicate_of: int | None = None
    clean: CleanArticle | None = None

    @property
    def needs_review(self) -> bool:
        return bool(self.clean and self.clean.needs_review)


@dataclass
class ImportReport:
    batch_id: int | None = None
    items: list[ItemResult] = field(default_factory=list)
    # Batches of killed imports this run found and marked interrupted (articles.batches).
    interrupted: list[ImportBatch] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.items if item.outcome == outcome)

    @property
    def imported(self) -> int:
        return self.count(Outcome.IMPORTED)

    @property
    def duplicates(self) -> int:
        return self.count(Outcome.DUPLICATE) + self.count(Outcome.ALREADY)

    @property
    def failed(self) -> int:
        return self.count(Outcome.FAILED)

    @property
    def needs_review(self) -> int:
        return sum(1 for i in self.items if i.outcome == Outcome.IMPORTED and i.needs_review)

    def summary(self) -> str:
        return (
            f"导入 {self.imported} 篇，重复 {self.duplicates} 篇，"
            f"待审核 {self.needs_review} 篇，失败 {self.failed} 个"
        )


def result_already(
    name: str, previous: int | None, *, clean: CleanArticle | None = None
) -> ItemResult:
    """The very same raw bytes were stored before (as article `previous`, if it still exists)."""
    return ItemResult(
        name, Outcome.ALREADY, "已导入过（内容完全相同）", duplicate_of=previous, clean=clean
    )


def result_same_text(name: str, existing: int, clean: CleanArticle) -> ItemResult:
    """The cleaned text equals the stored article `existing`'s."""
    return ItemResult(
        name, Outcome.DUPLICATE, f"与稿件 #{existing} 正文相同", duplicate_of=existing, clean=clean
    )


def result_duplicate(
    name: str, clean: CleanArticle, fingerprint: str, *, existing: int | None, seen: dict[str, str]
) -> ItemResult | None:
    """DUPLICATE of the stored article `existing` or of an item earlier in the run; else
    None, and the text is the run's now (in `seen`)."""
    if existing is not None:
        return result_same_text(name, existing, clean)
    if fingerprint in seen:
        return ItemResult(
            name, Outcome.DUPLICATE, f"与本批 {seen[fingerprint]} 正文相同", clean=clean
        )
    seen[fingerprint] = name
    return None
