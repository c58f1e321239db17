"""Breakdowns with subtotals are protected line by line: small counts are hidden, and no line
(a sum and the values it adds up) is left with exactly one hidden value."""

from vru.selectors import disclosure


def test_a_small_count_hidden_in_a_line_hides_one_more_and_never_leaves_one_alone():
    counts = {"a": 20, "b": 3, "c": 9, "n": 32, "x": 2, "y": 6, "u": 8, "all": 40}
    lines = [["a", "b", "c", "n"], ["x", "y", "u"], ["n", "u", "all"]]

    shown = disclosure.protect_lines(counts, lines, totals={"n", "u", "all"}, limit=5)

    assert shown["b"] == "<5"
    assert shown["x"] == "<5"
    assert shown["c"] == "[c]"  # the smallest other count of b's line, not its total
    assert shown["y"] == "[c]"
    assert shown["a"] == "20"
    for line in lines:
        assert sum(shown[key] in {"<5", "[c]"} for key in line) != 1


def test_nothing_small_hides_nothing():
    counts = {"a": 20, "b": 10, "n": 30}
    assert disclosure.protect_lines(counts, [["a", "b", "n"]], totals={"n"}) == {
        "a": "20",
        "b": "10",
        "n": "30",
    }


def test_a_total_is_hidden_only_when_nothing_else_is_left():
    counts = {"a": 3, "b": 0, "n": 3}
    shown = disclosure.protect_lines(counts, [["a", "b", "n"]], totals={"n"}, limit=5)
    # a and n are both small: two hidden already
    assert (shown["a"], shown["b"], shown["n"]) == ("<5", "0", "<5")
