"""The export's pictures: radar per category, priority matrix, and the votes per level of a criterion.

Each chart is a function from the export data (and optionally its framework and plan, when the
caller has them already) to the bytes of a PNG (for Word) or an SVG (for the PDF):

    radar_chart(export_data, "png")             current against target level, per category
    priority_matrix(export_data, "svg")         gap against importance, one point per decided criterion
    distribution_chart(export_data, "1.2", "png")  votes per level in the criterion's latest round

Matplotlib draws them with the Agg backend (set here, never a display) on `Figure` objects, not
pyplot, so no global figure state is shared between requests. The font is the first Thai font
installed of THAI_FONTS (fontconfig's list, read through matplotlib's font manager), so Thai
labels render. The output is deterministic: fixed size and resolution, no date or software
version in the files, a fixed salt for the SVG's ids. SVG text is drawn as glyph outlines
(`svg.fonttype` "path"), shaped by matplotlib as in the PNG: WeasyPrint draws SVG text one
character at a time, which breaks Thai vowels and tone marks off their letters. Each label's
text is still in the SVG, as the comment matplotlib writes before its outlines.
"""
from __future__ import annotations

import io
import math
import re
from functools import lru_cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402  (after the backend is chosen)
from matplotlib.figure import Figure  # noqa: E402

from ..domain.consensus import Summary  # noqa: E402
from ..domain.framework import Framework  # noqa: E402
from ..domain.plan import Plan  # noqa: E402
from .figures import framework_of, latest_summaries, level_text, plan_of  # noqa: E402
from .labels import labels  # noqa: E402

# In order of preference: the Thai government's official font when the server has it, then
# Debian's fonts-thai-tlwg Laksaman (metrically compatible with TH Sarabun PSK), then others.
THAI_FONTS = ("TH Sarabun New", "TH SarabunPSK", "Laksaman", "Noto Sans Thai", "Garuda",
              "Loma", "Norasi")
FORMATS = ("png", "svg")
DPI = 150
CURRENT_COLOR = "#1f5f99"
TARGET_COLOR = "#c0392b"
BAR_COLOR = "#9dbbd9"
MEDIAN_COLOR = "#1f5f99"
NOT_SURE_COLOR = "#9aa5b1"
_SARABUN_LIKE = ("TH Sarabun New", "TH SarabunPSK", "Laksaman")


@lru_cache(maxsize=1)
def thai_font() -> str | None:
    """The family name of the first installed font of THAI_FONTS, None when none is."""
    for family in THAI_FONTS:
        if _installed(family):
            return family
    return None


def _installed(family: str) -> bool:
    wanted = font_manager.FontProperties(family=family)
    try:
        font_manager.fontManager.findfont(wanted, fallback_to_default=False, rebuild_if_missing=False)
        return True
    except ValueError:
        pass
    # a font installed after matplotlib cached its list: look for it among the system's files
    for path in font_manager.findSystemFonts():
        try:
            name = font_manager.FontProperties(fname=path).get_name()
        except (OSError, RuntimeError):
            continue
        if name == family:
            font_manager.fontManager.addfont(path)
            return True
    return False


def font_scale() -> float:
    """Sarabun-like fonts are drawn small for their size: they need about a third more."""
    return 1.35 if thai_font() in _SARABUN_LIKE else 1.0


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _rc() -> dict[str, Any]:
    family = thai_font()
    return {
        "font.family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"],
        "font.size": 9 * font_scale(),
        "svg.fonttype": "path",
        "svg.hashsalt": "workshop-charts",
        "path.simplify": False,
    }


def render(figure: Figure, fmt: str) -> bytes:
    """The figure's bytes as PNG or SVG, without a date or a software version in them."""
    if fmt not in FORMATS:
        raise ValueError(f"a chart is one of {', '.join(FORMATS)}, not {fmt!r}")
    metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    buffer = io.BytesIO()
    with matplotlib.rc_context(_rc()):
        figure.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata, facecolor="white")
    return buffer.getvalue()


def _draw(fmt: str, width: float, height: float, draw) -> bytes:
    with matplotlib.rc_context(_rc()):
        figure = _figure(width, height)
        draw(figure)
        return render(figure, fmt)


def short(text: str, limit: int = 20, lines: int = 2) -> str:
    """`text` on at most `lines` lines of about `limit` characters, broken at spaces.

    Thai runs words together, so a line without a space is cut (with an ellipsis) at a
    character that does not carry a vowel or tone mark, never between a letter and its mark.
    """
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= limit:
            out[-1] += " " + word
        else:
            out.append(word)
    cut = [_cut(line, limit) for line in out[:lines]]
    if len(out) > lines and not cut[-1].endswith("…"):
        cut[-1] += "…"
    return "\n".join(cut)


_MARK = re.compile("[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]")
def _cut(line: str, limit: int) -> str:
    if len(line) <= limit:
        return line
    end = limit
    while end > 1 and _MARK.match(line[end]):
        end -= 1
    return line[:end] + "…"


# -- radar: current against target level per category -------------------------------------------

def radar_chart(export_data: dict[str, Any], fmt: str = "png", framework: Framework | None = None,
                plan: Plan | None = None) -> bytes:
    """Mean current and mean target level of each category of the framework (gaps where a
    category has no decided criterion)."""
    with matplotlib.rc_context(_rc()):
        return render(radar_figure(export_data, framework, plan), fmt)


def radar_figure(export_data: dict[str, Any], framework: Framework | None = None,
                 plan: Plan | None = None) -> Figure:
    """The radar as a matplotlib figure (drawn inside the charts' rc context)."""
    framework = framework or framework_of(export_data)
    plan = plan or plan_of(export_data, framework)
    lang = export_data["session"]["language"]
    words = labels(lang)
    summary = {c.category_code: c for c in plan.categories}
    codes = [c.code for c in framework.categories]
    # "หมวด 1" on each axis: whole titles do not fit around a circle without being cut (PMQA's
    # "การวางแผนเชิงยุทธศาสตร์" has nowhere to break); the category table beside the chart, in
    # every export, and the editor's radar name them the same way
    names = [f"{words['category']} {c.code}" for c in framework.categories]
    current = [_mean(summary.get(code), "mean_current") for code in codes]
    target = [_mean(summary.get(code), "mean_target") for code in codes]
    levels = framework.level_values()

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot(projection="polar")
        angles = [2 * math.pi * i / len(codes) for i in range(len(codes))]
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        for values, color, name in ((target, TARGET_COLOR, words["mean_target"]),
                                    (current, CURRENT_COLOR, words["mean_current"])):
            ax.plot(angles + angles[:1], values + values[:1], color=color, linewidth=2,
                    marker="o", label=name)
            closed = [v if not math.isnan(v) else min(levels) for v in values]
            if not any(math.isnan(v) for v in values):
                ax.fill(angles, closed, color=color, alpha=0.12)
        ax.set_xticks(angles, names)
        ax.set_ylim(min(levels), max(levels))
        ax.set_yticks(levels, [str(v) for v in levels])
        ax.set_rlabel_position(180 / len(codes))
        ax.tick_params(axis="x", pad=10)
        for angle, label in zip(angles, ax.get_xticklabels()):
            side = math.sin(angle)  # clockwise from the top: right of the centre is positive
            label.set_horizontalalignment("left" if side > 0.1 else "right" if side < -0.1
                                          else "center")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=2, frameon=False)

    figure = _figure(7.5, 6.5)
    draw(figure)
    return figure


def _mean(summary, field: str) -> float:
    value = None if summary is None else getattr(summary, field)
    return math.nan if value is None else value


# -- priority matrix: gap against importance -----------------------------------------------------

def priority_matrix(export_data: dict[str, Any], fmt: str = "png", framework: Framework | None = None,
                    plan: Plan | None = None) -> bytes:
    """One point per spot (importance across, gap up) holding decided criteria, each labelled
    with its code; the higher and further right, the sooner (priority score = gap x importance)."""
    with matplotlib.rc_context(_rc()):
        return render(matrix_figure(export_data, framework, plan), fmt)


MATRIX_LABELS_PER_LINE = 2  # codes side by side beside a point, then the next line below
LABEL_SCALE = 0.85  # the codes' size against the charts' text


def matrix_figure(export_data: dict[str, Any], framework: Framework | None = None,
                  plan: Plan | None = None) -> Figure:
    """The priority matrix as a matplotlib figure (drawn inside the charts' rc context).

    Criteria at the same spot share one point, sized by how many they are; their codes stand
    beside it in lines of MATRIX_LABELS_PER_LINE, so no label covers another however many
    criteria a plan holds (a 30-item PMQA plan puts up to eight on one spot)."""
    framework = framework or framework_of(export_data)
    plan = plan or plan_of(export_data, framework)
    words = labels(export_data["session"]["language"])
    levels = framework.level_values()
    top_gap = max(levels) - min(levels)
    spots: dict[tuple[int, int], list[str]] = {}
    for e in plan.entries:
        if not e.out_of_scope:
            spots.setdefault((e.importance, e.gap), []).append(e.criterion_code)
    figure = _figure(6.5, 5.6)
    ax = figure.add_subplot()
    # the corner where both gap and importance are high: act there first
    ax.fill_between([3.5, 5.5], top_gap / 2 + 0.25, top_gap + 0.5, color="#f6ddd9", zorder=0)
    size = LABEL_SCALE * matplotlib.rcParams["font.size"]
    for (importance, gap_levels), codes in spots.items():
        ax.scatter([importance], [gap_levels], s=50 + 25 * len(codes), zorder=3,
                   edgecolors="white", color=TARGET_COLOR if importance * gap_levels >= 8
                   else CURRENT_COLOR)
        for nth, code in enumerate(codes):
            column, line = nth % MATRIX_LABELS_PER_LINE, nth // MATRIX_LABELS_PER_LINE
            ax.annotate(code, (importance, gap_levels), textcoords="offset points",
                        xytext=(9 + column * 1.9 * size, 3 - line * 1.75 * size),
                        va="bottom", fontsize=size, zorder=4)
    ax.set_xlim(0.5, 6.0)  # room right of importance 5 for its codes
    ax.set_ylim(-0.9, top_gap + 0.6)  # and below gap 0
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(0, top_gap + 1))
    ax.set_xlabel(words["importance"])
    ax.set_ylabel(words["gap"])
    ax.grid(True, color="#dddddd", zorder=1)
    return figure


# -- distribution: votes per level of a criterion's latest round ---------------------------------

def distribution_chart(export_data: dict[str, Any], criterion_code: str, fmt: str = "png",
                       framework: Framework | None = None,
                       summary: Summary | None = None) -> bytes:
    """Horizontal bars, one per level (and one for "not sure"), of the criterion's latest round;
    the median's level is drawn darker."""
    framework = framework or framework_of(export_data)
    if summary is None:
        summary = latest_summaries(export_data, framework).get(criterion_code)
    lang = export_data["session"]["language"]
    words = labels(lang)
    levels = framework.level_values()
    counts = [summary.counts.get(v, 0) if summary else 0 for v in levels]
    names = [f"{v} {short(level_text(framework, v, lang), 22)}" for v in levels]
    median = summary.median if summary else None

    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        colors = [MEDIAN_COLOR if median is not None and round(median) == v else BAR_COLOR
                  for v in levels]
        rows = list(range(len(levels)))
        ax.barh(rows, counts, color=colors)
        if summary and summary.not_sure:
            rows.append(len(levels))
            names.append(words["not_sure"])
            ax.barh([len(levels)], [summary.not_sure], color=NOT_SURE_COLOR)
            counts.append(summary.not_sure)
        for row, count in zip(rows, counts):
            ax.annotate(str(count), (count, row), xytext=(4, 0), textcoords="offset points",
                        va="center")
        ax.set_yticks(rows, names)
        ax.invert_yaxis()
        ax.set_xlim(0, max(counts + [1]) * 1.15)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(words["n"])
        ax.set_title(criterion_code, loc="left", fontweight="bold")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)

    return _draw(fmt, 4.6, 0.5 * (len(levels) + 1) + 1.0, draw)
