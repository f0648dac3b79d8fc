"""Paired ratios within rounds, the interval of their median, and the verdict a target gets from it."""

import statistics

import pytest

from bench.stats import MET, MISSED, NOISE, Ratio, bootstrap_interval, paired_ratios, summarize, verdict


def test_a_paired_ratio_divides_the_times_of_the_same_round():
    assert paired_ratios([2.0, 9.0, 4.0], [1.0, 3.0, 8.0]) == [2.0, 3.0, 0.5]


def test_paired_ratios_cancel_a_slowdown_both_met_in_one_round():
    subject, other = [10.0, 50.0, 10.0], [20.0, 100.0, 20.0]
    assert set(paired_ratios(subject, other)) == {0.5}


def test_paired_ratios_refuse_timings_of_different_numbers_of_rounds():
    with pytest.raises(ValueError, match="same, non-zero number of rounds; got 2 and 3"):
        paired_ratios([1.0, 2.0], [1.0, 2.0, 3.0])


def test_the_interval_of_identical_ratios_is_that_ratio():
    assert bootstrap_interval([0.8] * 12) == (0.8, 0.8)


def test_the_interval_lies_within_the_ratios_and_holds_their_median():
    ratios = [0.7, 0.9, 1.1, 0.8, 1.3, 0.95, 1.0, 0.85, 0.75, 1.2]
    low, high = bootstrap_interval(ratios)
    assert min(ratios) <= low <= statistics.median(ratios) <= high <= max(ratios)


def test_the_interval_narrows_with_more_rounds_of_the_same_spread():
    (few_low, few_high), (many_low, many_high) = (bootstrap_interval([0.8, 1.0, 1.2] * k) for k in (3, 30))
    assert many_high - many_low < few_high - few_low


def test_the_same_ratios_give_the_same_interval_every_time():
    ratios = [0.9, 1.4, 0.7, 1.1, 1.0]
    assert bootstrap_interval(ratios) == bootstrap_interval(ratios)


def test_a_summary_has_the_median_and_its_interval():
    ratios = [0.7, 0.9, 1.1, 0.8, 1.3]
    assert summarize(ratios) == Ratio(0.9, *bootstrap_interval(ratios))


@pytest.mark.parametrize("low, high, expected", [
    (0.80, 0.95, MET),
    (1.02, 1.30, MISSED),
    (0.90, 1.10, NOISE),
    (0.90, 1.00, NOISE),
    (1.00, 1.10, NOISE),
])
def test_the_verdict_against_a_limit_of_one(low, high, expected):
    assert verdict(Ratio(median=(low + high) / 2, low=low, high=high), 1.0) == expected


def test_a_median_below_the_limit_is_within_noise_when_its_interval_reaches_past_it():
    assert verdict(Ratio(median=0.45, low=0.40, high=0.55), 0.5) == NOISE


def test_the_text_of_a_ratio_gives_the_median_then_its_interval():
    assert Ratio(median=0.93, low=0.9, high=0.97).text() == "0.930× [0.900–0.970]"
