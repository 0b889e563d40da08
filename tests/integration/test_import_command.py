"""import_articles / export_articles as an editor uses them from the command line."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, ImportBatch, RawPage

pytestmark = pytest.mark.django_db

STORY_TITLE = "湖里区禾山街道开展垃圾分类志愿服务"
STORY_BODY = [
    "本报讯（记者 林晓东 通讯员 陈丽）11月13日上午，湖里区禾山街道在五缘湾社区开展垃圾分类志愿服务活动，"
    "四十余名志愿者走进小区，向居民讲解分类知识。",
    "禾山街道相关负责人介绍，今年以来街道已组织志愿服务活动六十余场，辖区垃圾分类准确率明显提升。",
    "活动现场，志愿者还为老年居民示范了智能回收箱的使用方法，不少居民当场注册成为回收平台用户。",
]


def story_text(*, newline: str = "\n", source: str = "厦门日报") -> str:
    lines = [STORY_TITLE, f"2021-11-13 09:11:07    来源:{source}", *STORY_BODY, "责任编辑:王芳"]
    return newline.join(lines) + newline


def story_html() -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY_BODY)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{STORY_TITLE}_厦门_台海网</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> <a href='/xm/'>厦门</a></div>"
        f"<h1>{STORY_TITLE}</h1><div class='info'>2021-11-13 09:11:07 来源：厦门日报</div>"
        f"<div id='content'>{paragraphs}</div>"
        "<div class='share'>分享到：微信 微博</div>"
        "<div class='footer'>版权所有 台海网 闽ICP备00000000号</div></body></html>"
    )


def run_import(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    call_command("import_articles", *args)
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_import_reports_counts_and_stores_clean_article(tmp_path: Path, capsys):
    (tmp_path / "story.txt").write_text(story_text(), encoding="utf-8")
    out, _ = run_import(str(tmp_path), capsys=capsys)
    assert "导入 1 篇，重复 0 篇，待审核 0 篇，失败 0 个" in out
    article = Article.objects.get()
    assert article.title == STORY_TITLE
    assert article.body == "\n".join(STORY_BODY)
    assert article.source.name == "厦门日报"
    assert article.district.name == "湖里区"
    assert article.published_date.isoformat() == "2021-11-13"
    assert bytes(article.raw_page.content) == story_text().encode("utf-8")


def test_same_import_twice_changes_nothing(tmp_path: Path, capsys):
    (tmp_path / "story.txt").write_text(story_text(), encoding="utf-8")
    run_import(str(tmp_path), capsys=capsys)
    before = list(Article.objects.values_list("pk", "title", "updated_at"))
    out, _ = run_import(str(tmp_path), capsys=capsys)
    assert "导入 0 篇，重复 1 篇" in out
    assert list(Article.objects.values_list("pk", "title", "updated_at")) == before
    assert RawPage.objects.count() == 1


def test_same_story_in_other_encodings_and_html_is_one_article(tmp_path: Path, capsys):
    (tmp_path / "a_utf8.txt").write_text(story_text(), encoding="utf-8")
    (tmp_path / "b_gbk_crlf.txt").write_bytes(story_text(newline="\r\n").encode("gb18030"))
    (tmp_path / "c_page.html").write_text(story_html(), encoding="utf-8")
    (tmp_path / "d_repost.txt").write_text(story_text(source="东南网"), encoding="utf-8")
    out, _ = run_import(str(tmp_path), capsys=capsys)
    assert "导入 1 篇，重复 3 篇" in out
    assert Article.objects.count() == 1


def test_bad_files_are_named_with_reason_and_batch_goes_on(tmp_path: Path, capsys):
    (tmp_path / "good.txt").write_text(story_text(), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    out, err = run_import(str(tmp_path), str(tmp_path / "missing.txt"), capsys=capsys)
    assert "导入 1 篇，重复 0 篇，待审核 0 篇，失败 4 个" in out
    assert f"{tmp_path / 'empty.txt'}：文件是空的" in err
    assert f"{tmp_path / 'binary.html'}：不是文本或网页文件（二进制内容）" in err
    assert f"{tmp_path / 'broken.zip'}：zip 文件已损坏，无法打开" in err
    assert f"{tmp_path / 'missing.txt'}：文件不存在" in err
    assert Article.objects.count() == 1
    assert RawPage.objects.count() == 1  # nothing half-stored for the failures


def test_zip_and_jsonl_gz(tmp_path: Path, capsys):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("pages/story.txt", story_text().encode("gb18030"))
        archive.writestr("pages/readme.pdf", b"%PDF-1.4")
        archive.writestr("__MACOSX/._story.txt", b"junk")
    (tmp_path / "pages.zip").write_bytes(buffer.getvalue())
    records = [
        {
            "title": "集美区杏林街道新建口袋公园",
            "body": "集美区杏林街道利用闲置地块新建三处口袋公园，日前正式向市民开放。\n"
            "公园配有步道、健身器材和儿童游乐设施，周边居民步行五分钟即可到达。",
            "published": "2019-05-06",
            "source": "厦门晚报",
            "url": "https://www.example.com/2019/05/06/park.html",
        },
        {"raw": story_text(source="厦门网"), "url": "https://www.example.com/dup.html"},
        {"title": "没有正文"},
    ]
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\nnot json\n"
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(lines.encode("utf-8")))
    out, err = run_import(str(tmp_path), capsys=capsys)
    assert "导入 2 篇，重复 1 篇，待审核 0 篇，失败 3 个" in out
    assert "pages.zip:pages/readme.pdf：zip 中不支持的文件类型" in err
    assert "feed.jsonl.gz:3：缺少“raw”或“body”字段" in err
    assert "feed.jsonl.gz:4：不是有效的 JSON" in err
    park = Article.objects.get(title="集美区杏林街道新建口袋公园")
    assert park.source.name == "厦门晚报"
    assert park.district.name == "集美区"
    assert park.published_date.isoformat() == "2019-05-06"
    assert park.url == "https://www.example.com/2019/05/06/park.html"


def test_dry_run_stores_nothing(tmp_path: Path, capsys):
    (tmp_path / "story.txt").write_text(story_text(), encoding="utf-8")
    (tmp_path / "story.html").write_text(story_html(), encoding="utf-8")
    out, _ = run_import(str(tmp_path), "--dry-run", capsys=capsys)
    assert "试运行（未保存）：导入 1 篇，重复 1 篇" in out
    assert Article.objects.count() == 0
    assert RawPage.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_year_flag_completes_dateline_without_year(tmp_path: Path, capsys):
    page = (
        "海沧区马銮湾新城首批安置房交付\n台海网8月20日讯 海沧区马銮湾新城首批安置房昨日交付，一千二百余户居民将陆续入住。\n"
        * 1
    )
    (tmp_path / "dateline.txt").write_text(page, encoding="utf-8")
    (tmp_path / "other.txt").write_text(
        page.replace("8月20日", "8月21日").replace("首批", "第二批"), encoding="utf-8"
    )
    run_import(str(tmp_path / "dateline.txt"), "--year", "2022", capsys=capsys)
    out, _ = run_import(str(tmp_path / "other.txt"), capsys=capsys)
    with_year = Article.objects.get(title__contains="首批")
    without_year = Article.objects.get(title__contains="第二批")
    assert with_year.published_date.isoformat() == "2022-08-20"
    assert not with_year.needs_review or "日期缺少年份" not in with_year.review_reasons
    assert without_year.published_date is None
    assert without_year.published_text == "8月21日"
    assert "日期缺少年份" in without_year.review_reasons
    assert "待审核 1 篇" in out


def test_year_flag_is_validated(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1990 到 2100"):
        call_command("import_articles", "x.txt", "--year", "21")


def test_export_writes_one_json_object_per_article(tmp_path: Path, capsys):
    (tmp_path / "story.txt").write_text(story_text(), encoding="utf-8")
    run_import(str(tmp_path), capsys=capsys)
    target = tmp_path / "out.jsonl"
    call_command("export_articles", "--output", str(target))
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == [
        "id",
        "title",
        "published",
        "source",
        "site",
        "district",
        "authors",
        "keywords",
        "captions",
        "body",
        "url",
        "raw_sha256",
        "needs_review",
        "review_reasons",
    ]
    assert row["title"] == STORY_TITLE
    assert row["published"] == "2021-11-13T09:11:07"
    assert row["source"] == "厦门日报"
    assert row["district"] == "湖里区"
    assert row["authors"] == ["记者 林晓东", "通讯员 陈丽"]
    assert row["body"] == "\n".join(STORY_BODY)
    assert row["raw_sha256"] == Article.objects.get().raw_page.sha256
    assert row["needs_review"] is False
    assert row["review_reasons"] == []
