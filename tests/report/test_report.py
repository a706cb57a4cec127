from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phrasefinder.text.dates import parse_date

from ..conftest import SEEDS, TEST_LEXICON, read_csv, run, scan_corpus

STORY = (
    "增强四个意识，坚决做到两个维护。"
    + "各地认真学习贯彻会议精神，结合实际抓好落实，推动各项工作取得新成效。" * 3
    + "四个意识要落到实处。"
)
DOCUMENTS = [
    {"id": "d1", "date": "2019-01-05", "source": "A", "region": "X", "title": "学习", "text": STORY},
    {"id": "d2", "date": "2019年1月20日", "source": "B", "region": "Y", "text": "深化放管服改革，优化营商环境。"},
    {"id": "d3", "date": "2019-02", "source": "A", "region": "X", "text": "做到两个维护，是最重要的政治纪律。"},
    {"id": "d4", "date": "20170503", "source": "A", "region": "Y", "text": "早在此时就有人提出两个维护。"},
    {"id": "d5", "date": "2019", "source": "B", "region": "Y", "text": "放管服，一年一度。"},
    {"id": "d6", "date": "2019-02-10", "source": "B", "region": "X", "text": "今天天气很好，没有什么提法。"},
    {"id": "d7", "date": "2019-01-06", "source": "B", "region": "X", "title": "转载", "text": STORY},
    {"id": "d8", "date": "上周", "source": "A", "region": "X", "text": "四个意识。"},
]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return scan_corpus(tmp_path_factory.mktemp("report"), DOCUMENTS, "stats.csv")


def hit_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def report(scanned: dict[str, Path]) -> Path:
    out = scanned["folder"] / "out"
    result = run("report", scanned["hits"], "--stats", scanned["stats"], "-o", out, "-l", TEST_LEXICON)
    assert result.exit_code == 0, result.stderr
    return out


def test_stats_have_one_row_per_document_including_those_without_hits(scanned: dict[str, Path]) -> None:
    rows = {r["doc_id"]: r for r in read_csv(scanned["stats"])}
    assert sorted(rows) == [d["id"] for d in DOCUMENTS]
    assert rows["d6"]["hits"] == "0"
    for document in DOCUMENTS:
        assert int(rows[document["id"]]["characters"]) == len(document["text"])
    per_document = Counter(h["doc_id"] for h in hit_lines(scanned["hits"]))
    assert {d: int(r["hits"]) for d, r in rows.items()} == {d["id"]: per_document[d["id"]] for d in DOCUMENTS}
    dates = {d: (r["date"], r["date_precision"]) for d, r in rows.items()}
    assert dates["d2"] == ("2019-01-20", "day")
    assert dates["d3"] == ("2019-02", "month")
    assert dates["d4"] == ("2017-05-03", "day")
    assert dates["d5"] == ("2019", "year")
    assert dates["d8"] == ("上周", "")  # kept as text


def test_an_unreadable_date_is_reported_once_per_file(scanned: dict[str, Path]) -> None:
    assert scanned["scan_stderr"].count("cannot read the date") == 1
    assert "corpus.jsonl: cannot read the date '上周'" in scanned["scan_stderr"]


def test_frequency_agrees_with_hits_counted_by_hand(scanned: dict[str, Path], report: Path) -> None:
    hits = hit_lines(scanned["hits"])
    counted = Counter(h["entry_id"] for h in hits)
    documents = {e: len({h["doc_id"] for h in hits if h["entry_id"] == e}) for e in counted}
    rows = {r["entry_id"]: r for r in read_csv(report / "frequency.csv")}
    assert {e: int(r["hits"]) for e, r in rows.items()} == dict(counted)
    assert {e: int(r["documents"]) for e, r in rows.items()} == documents
    total_characters = sum(len(d["text"]) for d in DOCUMENTS)
    four = rows["four-consciousnesses"]
    assert float(four["doc_share"]) == pytest.approx(documents["four-consciousnesses"] / len(DOCUMENTS), abs=1e-5)
    assert float(four["per_10k_chars"]) == pytest.approx(counted["four-consciousnesses"] * 1e4 / total_characters, 1e-3)
    assert (rows["two-upholds"]["first_date"], rows["two-upholds"]["first_doc"]) == ("2017-05-03", "d4")
    assert rows["two-upholds"]["last_date"] == "2019-02"


def test_trends_divide_by_the_period_not_by_the_hits(scanned: dict[str, Path], report: Path) -> None:
    rows = {(r["entry_id"], r["period"]): r for r in read_csv(report / "trends.csv")}
    january = [d for d in DOCUMENTS if d["date"] in ("2019-01-05", "2019年1月20日", "2019-01-06")]
    row = rows[("four-consciousnesses", "2019-01")]
    assert int(row["period_documents"]) == len(january)
    assert int(row["period_characters"]) == sum(len(d["text"]) for d in january)
    assert float(row["per_10k_chars"]) == pytest.approx(int(row["hits"]) * 1e4 / int(row["period_characters"]), 1e-3)
    assert rows[("delegate-streamline-serve", "2019-02")]["hits"] == "0"  # the empty month is there, at zero
    assert ("delegate-streamline-serve", "2019") not in rows  # a year-only date is in no month


def test_intensity_tiers_come_from_the_share_of_the_years_documents(report: Path) -> None:
    rows = {(r["entry_id"], r["year"]): r for r in read_csv(report / "intensity.csv")}
    upholds = rows[("two-upholds", "2019")]
    year_documents = sum(1 for d in DOCUMENTS if d["date"].startswith("2019"))
    assert int(upholds["year_documents"]) == year_documents
    assert int(upholds["documents"]) == 3  # d1, d3, d7
    assert upholds["tier"] == "dominant"
    assert rows[("two-upholds", "2017")]["tier"] == "dominant"
    assert rows[("delegate-streamline-serve", "2017")]["tier"] == "absent"
    assert rows[("delegate-streamline-serve", "2019")]["change"] == "new"


def test_first_seen_lists_a_formula_the_corpus_shows_earlier_than_the_lexicon(report: Path) -> None:
    rows = {r["entry_id"]: r for r in read_csv(report / "first_seen.csv")}
    upholds = rows["two-upholds"]
    assert (upholds["first_date"], upholds["doc_id"], upholds["lexicon_first_seen"]) == ("2017-05-03", "d4", "2018")
    assert upholds["agreement"] == "earlier than the lexicon says"
    assert "【两个维护】" in upholds["context"]
    assert rows["four-consciousnesses"]["agreement"] == "before the corpus starts"  # lexicon: 2016; corpus: 2017-05
    # d4 is the corpus's first document: a first appearance in its first month may be older than the corpus
    assert (upholds["at_corpus_start"], rows["four-consciousnesses"]["at_corpus_start"]) == ("true", "false")
    page = (report / "index.html").read_text(encoding="utf-8")
    assert "早在此时就有人提出【两个维护】" in page


def test_cooccurrence_lift_is_counted_over_all_documents(report: Path) -> None:
    [row] = [
        r
        for r in read_csv(report / "cooccurrence.csv")
        if {r["entry_a"], r["entry_b"]} == {"four-consciousnesses", "two-upholds"}
    ]
    both, four, upholds = 2, 3, 4  # d1 d7; d1 d7 d8; d1 d3 d4 d7
    assert (int(row["documents"]), int(row["documents_a"]), int(row["documents_b"])) == (both, four, upholds)
    assert float(row["lift"]) == pytest.approx(both * len(DOCUMENTS) / (four * upholds), abs=1e-3)


def test_breakdowns_by_source_and_region(report: Path) -> None:
    rows = {(r["entry_id"], r["source"]): r for r in read_csv(report / "by_source.csv")}
    assert rows[("two-upholds", "A")]["documents"] == "3"  # d1 d3 d4
    assert rows[("two-upholds", "A")]["source_documents"] == "4"  # d1 d3 d4 d8
    assert (report / "by_region.csv").exists()


def test_concordance_is_grouped_by_entry_and_sorted_by_date(report: Path) -> None:
    rows = [r for r in read_csv(report / "concordance.csv") if r["entry_id"] == "two-upholds"]
    assert [r["doc_id"] for r in rows] == ["d4", "d1", "d7", "d3"]
    assert all(r["matched"] == "两个维护" for r in rows)
    page = (report / "concordance.html").read_text(encoding="utf-8")
    assert '<td class="key">两个维护</td>' in page
    assert page.index('id="four-consciousnesses"') < page.index('id="delegate-streamline-serve"')  # by hits


def test_dedupe_counts_a_reprinted_story_once(scanned: dict[str, Path]) -> None:
    out = scanned["folder"] / "dedupe"
    args = ("report", scanned["hits"], "--stats", scanned["stats"], "-o", out, "-l", TEST_LEXICON, "-f", "json")
    plain, deduped = json.loads(run(*args).stdout), json.loads(run(*args, "--dedupe").stdout)
    reprint = sum(1 for h in hit_lines(scanned["hits"]) if h["doc_id"] == "d7")
    assert deduped["set_aside"]["near-duplicate documents"] == {"hits": reprint, "documents": 1}
    assert (deduped["hits"], deduped["documents"]) == (plain["hits"] - reprint, plain["documents"] - 1)
    assert "near-duplicate documents" in (out / "index.html").read_text(encoding="utf-8")


def test_dedupe_without_stats_is_a_usage_error(scanned: dict[str, Path]) -> None:
    result = run("report", scanned["hits"], "-o", scanned["folder"] / "x", "--dedupe")
    assert result.exit_code == 2
    assert "--dedupe needs the --stats file" in result.stderr


def test_boilerplate_hits_are_set_aside_unless_all_hits(tmp_path: Path) -> None:
    hits = tmp_path / "hits.parquet"
    assert run("scan", SEEDS, "-o", hits).exit_code == 0
    default = json.loads(run("report", hits, "-o", tmp_path / "a", "-f", "json").stdout)
    everything = json.loads(run("report", hits, "-o", tmp_path / "b", "-f", "json", "--all-hits").stdout)
    import polars as pl

    frame = pl.read_parquet(hits)
    furniture = pl.col("boilerplate") | pl.col("repeat")
    occurrences = frame.filter(
        (pl.col("kind") == "phrase") & ~pl.col("nested") & pl.col("sense").fill_null("passed").eq("passed")
    )
    flagged = frame.filter(furniture).height
    assert occurrences.filter(furniture).height > 0
    assert everything["hits"] == occurrences.height
    assert default["hits"] == occurrences.filter(~furniture).height
    assert default["set_aside"]["boilerplate or repeat"]["hits"] == flagged  # the first rule that applies


def test_csv_and_parquet_hits_report_like_jsonl(scanned: dict[str, Path], tmp_path: Path) -> None:
    tables = []
    for name in ("hits.jsonl", "hits.csv", "hits.parquet"):
        hits = tmp_path / name
        assert run("scan", scanned["corpus"], "-l", TEST_LEXICON, "-o", hits).exit_code == 0
        out = tmp_path / f"out-{name}"
        assert run("report", hits, "--stats", scanned["stats"], "-o", out, "-l", TEST_LEXICON).exit_code == 0
        tables.append((out / "frequency.csv").read_text(encoding="utf-8"))
    assert tables[0] == tables[1] == tables[2]


def test_filters_by_entry_and_category(scanned: dict[str, Path], tmp_path: Path) -> None:
    result = run("report", scanned["hits"], "-o", tmp_path, "--entry", "two-upholds", "-f", "json", "-l", TEST_LEXICON)
    assert [t["entry_id"] for t in json.loads(result.stdout)["top"]] == ["two-upholds"]
    result = run("report", scanned["hits"], "-o", tmp_path, "--category", "reform", "-f", "json", "-l", TEST_LEXICON)
    assert [t["entry_id"] for t in json.loads(result.stdout)["top"]] == ["delegate-streamline-serve"]


def test_empty_input_gives_a_report_that_says_so(tmp_path: Path) -> None:
    hits = tmp_path / "hits.jsonl"
    hits.write_bytes(b"")
    result = run("report", hits, "-o", tmp_path / "out", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["hits"] == 0
    assert "No hits" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert read_csv(tmp_path / "out" / "frequency.csv") == []


def test_a_file_that_is_not_hits_is_a_one_line_error(tmp_path: Path) -> None:
    other = tmp_path / "notes.jsonl"
    other.write_text('{"title": "x"}\n', encoding="utf-8")
    result = run("report", other, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "notes.jsonl: not written by phrasefinder scan" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_every_output_is_written(report: Path) -> None:
    expected = {
        "frequency.csv", "trends.csv", "intensity.csv", "first_seen.csv", "cooccurrence.csv", "by_source.csv",
        "by_region.csv", "concordance.csv", "concordance.html", "index.html", "trend.svg", "trend.png",
        "heatmap.svg", "heatmap.png", "first_seen.svg", "first_seen.png",
    }  # fmt: skip
    assert expected <= {p.name for p in report.iterdir()}


def test_the_svg_charts_draw_every_chinese_character_with_its_own_glyph(report: Path) -> None:
    """Boxes instead of characters would all be one glyph: count the distinct CJK glyph outlines."""
    svg = (report / "heatmap.svg").read_text(encoding="utf-8")
    glyphs = set(re.findall(r'id="([A-Za-z]+CJK[A-Za-z]*-[A-Za-z]+-[0-9a-f]+)"', svg))
    labels = "四个意识两个维护放管服"
    assert len(glyphs) >= len(set(labels))


def test_the_png_charts_render_chinese_glyphs_not_boxes(tmp_path: Path) -> None:
    """Two different phrases must give different pixels; without a CJK font they give the same boxes."""
    from matplotlib.image import imread

    from phrasefinder.report import charts

    assert charts.cjk_font() is not None

    def drawn(text: str, fonts: list[str] | None = None) -> bytes:
        with charts._figure(2, 1) as figure:
            if fonts:
                figure.text(0.1, 0.4, text, fontsize=20, family=fonts)
            else:
                figure.text(0.1, 0.4, text, fontsize=20)
            path = tmp_path / f"{len(list(tmp_path.iterdir()))}.png"
            figure.savefig(path)
        return imread(path).tobytes()

    assert drawn("两个维护") != drawn("四个意识")
    with pytest.warns(UserWarning, match="missing from font"):
        assert drawn("两个维护", ["DejaVu Sans"]) == drawn("四个意识", ["DejaVu Sans"])  # the test can fail


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is installed by 'make setup'")
def test_the_page_loads_in_a_real_browser_with_no_console_errors(report: Path) -> None:
    page = report / "index.html"
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    assert "两个维护" in result.stdout
    assert "four-consciousnesses" in result.stdout  # links into the concordance
    html = page.read_text(encoding="utf-8")
    for target in re.findall(r'(?:src|href)="([^"#]+)', html):
        assert (report / target).is_file(), target


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_written_form_of_a_date_reads_back(day: dt.date) -> None:
    y, m, d = day.year, day.month, day.day
    for text in (
        f"{y}-{m:02d}-{d:02d}",
        f"{y}/{m}/{d}",
        f"{y}年{m}月{d}日",
        f"{y}{m:02d}{d:02d}",
        f"{y}-{m:02d}-{d:02d}T08:00:00",
    ):
        assert parse_date(text) == (day, "day"), text
    for text in (f"{y}-{m:02d}", f"{y}年{m}月", f"{y}{m:02d}"):
        assert parse_date(text) == (day.replace(day=1), "month"), text
    assert parse_date(str(y)) == (dt.date(y, 1, 1), "year")


@pytest.mark.parametrize("text", ["", "上周", "2019-02-30", "2019-13", "19-10-01", None, "2019年13月"])
def test_what_is_not_a_date_is_none(text: str | None) -> None:
    assert parse_date(text) is None


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is installed by 'make setup'")
def test_the_concordance_page_fits_a_1400_pixel_window(report: Path, tmp_path: Path) -> None:
    html = (report / "concordance.html").read_text(encoding="utf-8")
    long_title = "关于" + "深入学习贯彻习近平新时代中国特色社会主义思想" * 6 + "的通知"
    html = html.replace("</td></tr>", f" · {long_title}</td></tr>", 1)  # the longest cell a corpus might give
    probe = "<script>addEventListener('load', () => document.body.dataset.overflow ="
    probe += " document.documentElement.scrollWidth - document.documentElement.clientWidth)</script>"
    page = tmp_path / "concordance.html"
    page.write_text(html.replace("</body>", probe + "</body>"), encoding="utf-8")
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--window-size=1400,900", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    overflow = re.search(r'data-overflow="(-?\d+)"', result.stdout)
    assert overflow is not None, "the probe did not run"
    assert int(overflow[1]) <= 0  # no sideways scrolling


def test_no_two_trend_lines_share_a_colour_family() -> None:
    from phrasefinder.report.charts import COLOURS

    def lab(colour: str) -> tuple[float, float, float]:  # sRGB (D65) -> CIE L*a*b*
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in rgb]
        xyz = (
            (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
            0.2126 * r + 0.7152 * g + 0.0722 * b,
            (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
        )
        f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz]
        return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])

    shown = [lab(c) for c in COLOURS[:8]]  # the default --top
    distances = [
        sum((p - q) ** 2 for p, q in zip(a, b, strict=True)) ** 0.5 for i, a in enumerate(shown) for b in shown[i + 1 :]
    ]
    assert min(distances) > 35  # CIE76 ΔE; the old palette's two orange-reds were 17 apart, its two greens 29


def test_a_hits_file_from_before_kind_and_sense_still_reports(scanned: dict[str, Path], tmp_path: Path) -> None:
    old = tmp_path / "old-hits.jsonl"
    rows = [{k: v for k, v in h.items() if k not in ("kind", "sense")} for h in hit_lines(scanned["hits"])]
    old.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    now, before = tmp_path / "now", tmp_path / "before"
    assert run("report", scanned["hits"], "-o", now, "-l", TEST_LEXICON).exit_code == 0
    result = run("report", old, "-o", before, "-l", TEST_LEXICON)
    assert result.exit_code == 0, result.stderr
    assert (before / "frequency.csv").read_text(encoding="utf-8") == (now / "frequency.csv").read_text(encoding="utf-8")


def test_files_the_system_refuses_are_one_line_and_exit_2(scanned: dict[str, Path], tmp_path: Path) -> None:
    missing = run("report", scanned["hits"], "--stats", tmp_path / "nope.jsonl", "-o", tmp_path / "a")
    assert missing.exit_code == 2
    assert missing.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'nope.jsonl'}: no such stats file (scan --stats writes it)"
    ]
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder", encoding="utf-8")
    taken = run("report", scanned["hits"], "-o", blocker)
    assert taken.exit_code == 2
    assert len(taken.stderr.strip().splitlines()) == 1
    assert taken.stderr.startswith(f"error: {blocker}")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_reader_that_goes_away_ends_the_scan_quietly() -> None:
    exe = Path(sys.executable).with_name("phrasefinder")
    shell = f"'{exe}' scan '{SEEDS}' -f jsonl | head -c 100 > /dev/null"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, timeout=120, check=False
    )
    assert "Traceback" not in done.stderr
    assert "internal error" not in done.stderr
