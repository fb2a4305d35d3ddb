from __future__ import annotations

import pytest

from bot.privacy import mask_personal_data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NIK 7308123456789012 ya", "NIK [NIK disamarkan] ya"),
        ("NIK 7308 1234 5678 9012", "NIK [NIK disamarkan]"),
        ("hp 081234567890", "hp [nomor telepon disamarkan]"),
        ("hp 0812-3456-7890.", "hp [nomor telepon disamarkan]."),
        ("wa +62 812 3456 7890", "wa [nomor telepon disamarkan]"),
        ("wa 6281234567890", "wa [nomor telepon disamarkan]"),
        ("kantor (0481) 21234", "kantor [nomor telepon disamarkan]"),
        ("mail a.b+c@desa.go.id!", "mail [email disamarkan]!"),
        ("tanya @budi_santoso dong", "tanya [akun disamarkan] dong"),
        ("id 5123456789", "id [nomor disamarkan]"),
        ("ada 3 orang, RT 04 RW 02, tahun 2026", "ada 3 orang, RT 04 RW 02, tahun 2026"),
        ("Rp 1.500.000 per bulan", "Rp 1.500.000 per bulan"),
    ],
)
def test_masks(text: str, expected: str) -> None:
    assert mask_personal_data(text) == expected
