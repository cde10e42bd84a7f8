"""attention/<group>.svg: a learned group's attention over the week, its type's default
against the learned weights, with the week's planned posts marked; shown in report.md and
inline in index.html (inline: the same markup works from operators/ one folder down).

Drawn with matplotlib offline (no CDN, text stays text, no fonts embedded). The same
weights give the same bytes: SVG ids come from a fixed hash salt and the file carries no
date and no matplotlib version.
"""

from __future__ import annotations

import io

from planner.plan import Plan

HOURS = 24
DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def attention_file(group: str) -> str:
    return f"attention/{group}.svg"


def attention_pictures(share: Plan, groups: tuple[str, ...]) -> dict[str, str]:
    """group -> SVG text, for the groups whose seven days carry learned attention."""
    out = {}
    for group in sorted(groups):
        days = sorted((d for d in share.days if d.group == group), key=lambda d: d.date)
        if len(days) != 7 or not all(d.attention for d in days):
            continue
        marks = [
            (p.start.weekday(), p.start.hour) for p in share.posts if p.group == group
        ]  # post times are in the group's zone
        out[group] = attention_svg(
            f"{group}: attention in {share.week}, type default vs learned; grey: planned posts",
            [d.default_attention for d in days],
            [d.attention for d in days],
            sorted(marks),
        )
    return out


def inline(section: dict, pictures: dict[str, str]) -> dict:
    """An index.html group section with its group's picture after the posts, inline."""
    svg = pictures.get(section["id"])
    if svg is None:
        return section
    body = svg[svg.index("<svg") :]  # without the XML declaration and doctype
    return {**section, "html": section["html"] + f'\n<figure class="attention">{body}</figure>'}


SALT = "community-planner"


def attention_svg(
    title: str,
    default: list[list[float]],
    learned: list[list[float]],
    posts: list[tuple[int, int]] | None = None,
) -> str:
    """Two step lines over the 168 hours of the week, Monday 00:00 first; `posts` are
    (weekday, hour) marks of planned posts."""
    import matplotlib  # only when a group has learned attention

    matplotlib.use("Agg")
    from matplotlib import pyplot

    with matplotlib.rc_context({"svg.hashsalt": SALT, "svg.fonttype": "none"}):
        figure, axes = pyplot.subplots(figsize=(10, 2.6))
        hours = range(7 * HOURS + 1)
        flat_default = [w for day in default for w in day]
        flat_learned = [w for day in learned for w in day]
        axes.step(hours, [*flat_default, flat_default[-1]], where="post", label="type default")
        axes.step(hours, [*flat_learned, flat_learned[-1]], where="post", label="learned")
        for day, hour in posts or ():
            axes.axvline(day * HOURS + hour + 0.5, color="0.6", linewidth=0.6)
        axes.set_xticks([d * HOURS for d in range(7)], list(DAY_LABELS))
        axes.set_xlim(0, 7 * HOURS)
        axes.set_ylabel("weight")
        axes.set_title(title, fontsize=10)
        axes.legend(loc="upper right", fontsize=8)
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        pyplot.close(figure)
    return out.getvalue()
