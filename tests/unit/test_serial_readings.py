"""Look-alike typing slips (O for 0, S for 5 ...) read through the campaign's serial format."""

import pytest

from bot.domain.serials import SerialReading, read_serial, serial_readings

FORMAT = r"^AR26[A-Z][0-9]{6}$"  # the demo campaign's: a letter, then six digits


@pytest.mark.parametrize(
    ("typed", "serial", "substituted"),
    [
        # the example: a lower-case o and a capital O for zero
        ("ar26d1o452O", "AR26D104520", True),
        # typed right: read as it is, nothing substituted
        ("AR26D104520", "AR26D104520", False),
        ("ar26d104520", "AR26D104520", False),
        ("Serial: AR26D004512", "AR26D004512", False),
        # separators of any kind
        ("ar26-d 104.520", "AR26D104520", False),
        ("AR26_D/104\\520", "AR26D104520", False),
        ("AR26\u2013D104520", "AR26D104520", False),  # en dash
        ("AR 26 D 1O4 52O", "AR26D104520", True),
        ("ar26:d1o4,52o", "AR26D104520", True),
        ("(AR26D1O452O).", "AR26D104520", True),
        # one kind of slip at a time, where the format wants a digit
        ("AR26D1O452O", "AR26D104520", True),
        ("AR26DIO452O", "AR26D104520", True),  # I for 1
        ("ar26dio4520", "AR26D104520", True),  # i for 1
        ("ar26dlo4520", "AR26D104520", True),  # l for 1
        ("AR26D|04520", "AR26D104520", True),  # | for 1
        ("AR26D104S20", "AR26D104520", True),  # S for 5
        ("ar26d104s20", "AR26D104520", True),  # s for 5
        ("AR26D1045Z0", "AR26D104520", True),  # Z for 2
        ("AR26E20000B", "AR26E200008", True),  # B for 8
        ("ARZ6D104520", "AR26D104520", True),  # Z where the format's fixed 2 is
        # where the format wants a letter
        ("AR2681O4520", "AR26B104520", True),  # 8 for B
        ("AR26010452O", "AR26O104520", True),  # 0 for O
        ("AR26510452O", "AR26S104520", True),  # 5 for S
        ("AR26210452O", "AR26Z104520", True),  # 2 for Z
        ("AR26110452O", "AR26I104520", True),  # 1 for I
        # several slips in one serial
        ("ar26dlo4sz0", "AR26D104520", True),
        ("AR2680OO4SI2", None, None),  # one character too many, however it is read
        # words around it
        ("its AR26-D00451Z i think", "AR26D004512", True),
        ("sr no: ar26 d1o 452o pls", "AR26D104520", True),
        ("my serial is ar26/d/oo4512, thanks", "AR26D004512", True),
        ("hi, the fridge says AR26D 8O4512 on the label", "AR26D804512", True),
        # a neighbouring word may complete a short serial: still a substitution, so it is confirmed
        ("AR26D00451 I think", "AR26D004511", True),
        # slips that make no valid serial
        ("AR26DXO4520", None, None),  # X is no digit
        ("AR2GD104520", None, None),  # G is not read as 6
        ("AR26D00451b", None, None),  # a small b looks like 6, not 8
        ("AR26D1O452", None, None),  # too short
        ("AR26D1O45200", None, None),  # too long
        ("XY99Z1O4520", None, None),  # another product's format
        ("where do I find the serial?", None, None),
        # Hindi and Hinglish (issue 17): Devanagari digits, a serial inside a Hindi sentence
        ("AR26D००४५१२", "AR26D004512", False),
        ("मेरा सीरियल नंबर AR26D004512 है", "AR26D004512", False),
        ("मेरा सीरियल AR26D००४५१२ है।", "AR26D004512", False),
        ("serial AR26D004512 hai", "AR26D004512", False),
        ("mera serial no ar26d00451Z h", "AR26D004512", True),
        ("सीरियल नंबर कहाँ मिलेगा?", None, None),
        ("", None, None),
    ],
)
def test_read_serial(typed, serial, substituted):
    reading = read_serial(typed, FORMAT)
    if serial is None:
        assert reading is None
    else:
        assert (reading.serial, reading.substituted) == (serial, substituted)


def test_two_readings_fewest_substitutions_first():
    flexible = r"^AR26[A-Z0-9][0-9]{6}$"  # the fifth character may be a letter or a digit
    assert serial_readings("AR26O1O4520", flexible) == (
        SerialReading("AR26O104520", 1),
        SerialReading("AR260104520", 2),
    )


def test_two_serials_in_one_message_are_both_read():
    assert serial_readings("AR26D1O4520 or AR26E2OOOO1", FORMAT) == (
        SerialReading("AR26D104520", 1),
        SerialReading("AR26E200001", 4),
    )


def test_reading_is_deterministic_and_counts_each_slip():
    first = serial_readings("ar26d1o452O", FORMAT)
    assert first == serial_readings("ar26d1o452O", FORMAT) == (SerialReading("AR26D104520", 2),)


def test_a_message_of_look_alikes_is_not_read_as_a_serial():
    assert serial_readings("0 1 2 5 8 o i l s z " * 10, FORMAT) == ()
