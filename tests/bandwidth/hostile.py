"""Hostile agency names and codes shared by the unit and lab injection tests."""

from __future__ import annotations

HOSTILE_NAMES = [
    'x" ; /system reset-configuration ;"',
    "a\nreload",
    "[find]",
    "../../etc",
    "Dinas Pendidikan & Kebudayaan",
    'Rumah Sakit "Umum" Daerah',
    "Kecamatan Sukasada \u2014 Bali",
    "Puskesmas \U0001f3e5 Sehat",
    "$(reboot) `id` $var ?help",
    "end\r\nconfigure terminal",
]
HOSTILE_CODES = ['x";reset', "a\nb", "[find]", "../../etc", "ü", "a b", "-leading"]
