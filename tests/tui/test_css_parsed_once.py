"""The suite's CSS cache (`css_parsed_once` in `tests/conftest.py`) gives an app what
its own parse would: apps share one parse of each source, its rules are what a fresh
parse of that source gives, and a theme's variables are part of what it is kept by."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.css.model import RuleSet
from textual.css.parse import parse
from textual.css.stylesheet import Stylesheet
from textual.widgets import Static


class Accented(App[None]):
    CSS = "Static { color: $accent; border: solid $primary; }"

    def compose(self) -> ComposeResult:
        yield Static("shown")


def fresh(stylesheet: Stylesheet) -> list[RuleSet]:
    """The stylesheet's rules as Textual's parse gives them, in its order, uncached."""
    rules: list[RuleSet] = []
    for read_from, (css, is_default, tie_breaker, scope) in stylesheet.source.items():
        rules.extend(
            parse(
                scope,
                css,
                read_from,
                variable_tokens=stylesheet._variable_tokens,
                is_default_rules=is_default,
                tie_breaker=tie_breaker,
            )
        )
    return rules


def written(rules: list[RuleSet]) -> list[tuple[object, ...]]:
    """What each rule selects and sets, and where it ranks."""
    return [
        (
            rule.selectors,
            {name: repr(value) for name, value in rule.styles.get_rules().items()},
            rule.is_default_rules,
            rule.tie_breaker,
            rule.selector_names,
            rule.pseudo_classes,
        )
        for rule in rules
    ]


async def test_apps_share_one_parse_and_it_is_what_a_fresh_parse_gives() -> None:
    seen: list[list[RuleSet]] = []
    for _ in range(2):
        app = Accented()
        async with app.run_test():
            seen.append(list(app.stylesheet.rules))
            assert written(seen[-1]) == written(fresh(app.stylesheet))
    first, second = seen
    assert len(first) > 10  # the widgets' DEFAULT_CSS as well as the app's own
    assert [id(rule) for rule in first] == [id(rule) for rule in second]


async def test_another_theme_is_another_parse() -> None:
    colours: list[str] = []
    for theme in ("textual-dark", "gruvbox"):
        app = Accented()
        async with app.run_test() as pilot:
            app.theme = theme
            await pilot.pause()
            assert written(list(app.stylesheet.rules)) == written(fresh(app.stylesheet))
            colours.append(str(app.query_one(Static).styles.color))
    assert colours[0] != colours[1]
