"""Part 2 of 3 of the label photo acceptance (tests/accuracy/photo_set.py)."""

from tests.accuracy.photo_set import assert_part_meets_the_bar


def test_part_2_of_the_label_photos_is_read_right():
    assert_part_meets_the_bar(1)
