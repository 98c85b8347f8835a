"""Config backups: secrets masked, volatile header lines ignored, unified diffs."""

from __future__ import annotations

from netops.telemetry.configs import MASK, config_hash, mask_secrets, normalize, unified_diff

IOS = """Building configuration...

Current configuration : 1234 bytes
! Last configuration change at 10:02:41 WITA Mon Jun 1 2026 by netops
hostname dist1
enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0
username netops privilege 15 secret 9 $9$abc$def
snmp-server community Pr1vate RO
line vty 0 4
 password 7 0822455D0A16
"""

ROS = """# 2026-06-01 10:00:00 by RouterOS 7.12.1
# software id = ABCD-1234
/interface wireless security-profiles
set [ find default=yes ] wpa2-pre-shared-key="rahasia dinas" mode=dynamic-keys
/ppp secret
add name=kecamatan password=S3cret! service=pptp
/snmp community
set [ find default=yes ] name=public
"""


def test_ios_secrets_are_masked_and_nothing_secret_survives() -> None:
    out = mask_secrets(IOS)
    for secret in ("$1$mERr", "$9$abc", "Pr1vate", "0822455D0A16"):
        assert secret not in out
    assert f"enable secret 5 {MASK}" in out
    assert f"snmp-server community {MASK}" in out
    assert "hostname dist1" in out


def test_routeros_secrets_are_masked_including_quoted_values_with_spaces() -> None:
    out = mask_secrets(ROS)
    assert "rahasia" not in out and "S3cret!" not in out
    assert f"wpa2-pre-shared-key={MASK} mode=dynamic-keys" in out
    assert "name=kecamatan" in out


def test_header_timestamps_do_not_count_as_a_change() -> None:
    later = ROS.replace("2026-06-01 10:00:00", "2026-06-02 10:00:00")
    assert config_hash(normalize(ROS)) == config_hash(normalize(later))
    ios_later = IOS.replace("10:02:41", "11:00:00").replace("1234 bytes", "1240 bytes")
    assert config_hash(normalize(IOS)) == config_hash(normalize(ios_later))


def test_a_real_change_changes_the_hash_and_shows_in_a_unified_diff() -> None:
    changed = ROS.replace("service=pptp", "service=l2tp")
    a, b = normalize(ROS), normalize(changed)
    assert config_hash(a) != config_hash(b)
    diff = unified_diff(a, b, "core1@1", "core1@2")
    assert diff.startswith("--- core1@1\n+++ core1@2\n")
    assert f"-add name=kecamatan password={MASK} service=pptp" in diff
    assert f"+add name=kecamatan password={MASK} service=l2tp" in diff
    assert unified_diff(a, a, "x", "y") == ""
