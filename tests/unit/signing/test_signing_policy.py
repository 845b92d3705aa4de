from __future__ import annotations

import pytest
from chalicelib.signing.policy import DEFAULT_POLICY, LevelPolicy, PadesLevel, choose_level
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (0, PadesLevel.B_T),
        (1, PadesLevel.B_T),
        (9, PadesLevel.B_T),
        (10, PadesLevel.B_LTA),
        (99, PadesLevel.B_LTA),
    ],
)
def test_default_policy_is_b_t_below_ten_years_and_b_lta_from_ten(years: int, expected: PadesLevel) -> None:
    assert choose_level(years) is expected


def test_permanent_and_unclassified_records_get_the_long_term_level() -> None:
    assert choose_level(1, permanent=True) is PadesLevel.B_LTA
    assert choose_level(None) is PadesLevel.B_LTA


def test_thresholds_floor_and_ceiling_are_settings() -> None:
    policy = LevelPolicy.from_mapping({"thresholds": {"0": "B-B", "5": "B-LT", "20": "B-LTA"}})
    assert [choose_level(y, policy) for y in (0, 4, 5, 19, 20)] == [
        PadesLevel.B_B,
        PadesLevel.B_B,
        PadesLevel.B_LT,
        PadesLevel.B_LT,
        PadesLevel.B_LTA,
    ]
    assert choose_level(0, LevelPolicy(floor=PadesLevel.B_LT)) is PadesLevel.B_LT
    assert choose_level(50, LevelPolicy(ceiling=PadesLevel.B_B)) is PadesLevel.B_B
    assert LevelPolicy.from_mapping(policy.to_mapping()) == policy
    assert LevelPolicy.from_mapping({}) == DEFAULT_POLICY


def test_invalid_policies_are_refused() -> None:
    with pytest.raises(ValueError, match="floor"):
        LevelPolicy(floor=PadesLevel.B_LTA, ceiling=PadesLevel.B_T)
    with pytest.raises(ValueError):
        LevelPolicy(thresholds=())
    with pytest.raises(ValueError):
        choose_level(-1)


levels = st.sampled_from(list(PadesLevel))


@given(
    st.dictionaries(st.integers(0, 60), levels, min_size=1, max_size=4),
    st.integers(0, 100),
    st.integers(0, 100),
)
def test_longer_retention_never_lowers_the_level_when_thresholds_rise(
    raw: dict[int, PadesLevel], a: int, b: int
) -> None:
    # make the threshold levels non-decreasing with years, as any sane agency policy is
    ordered = sorted(raw.items())
    rising: list[tuple[int, PadesLevel]] = []
    best = PadesLevel.B_B
    for years, level in ordered:
        best = level if level.rank > best.rank else best
        rising.append((years, best))
    policy = LevelPolicy(thresholds=tuple(rising))
    low, high = sorted((a, b))
    assert choose_level(low, policy).rank <= choose_level(high, policy).rank
