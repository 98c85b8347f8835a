"""Config backups keep no secret: every secret of each platform's sample is absent after masking
(samples and their origin: tests/telemetry/configs/SOURCE.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netops.telemetry.configs import MASK, mask_secrets, normalize

HERE = Path(__file__).parent / "configs"

SECRETS = {
    ("cisco_ios", "ios_csr1.txt"): [
        "enable password cisco", "password 0 cisco", "0822455D0A165445415F59", "045802150C2E",
        "Chap-Kab-Buleleng", "VirtLinkSecret9", "110A1016141D5A5E57", "BgpIspKey-2026",
        "Pr1vateRW", "AuthKeySnmp3", "PrivKeySnmp3", "NtpMd5Key", "0822455D0A16",
    ],
    ("mikrotik_routeros", "routeros_show_sensitive.rsc"): [
        "yAnz5TF+lXXJte14tji3zlMNq", "FpCyhws9cxwWoV4xELtfJvjJN", "rahasia dinas kominfo",
        "TamuPemda2026", "IpsecPsk-Cabang", "S3cret!", "BgpMd5-ISP", "OspfKey-Core", "KominfoRO",
        "SnmpAuthPw", "SnmpPrivPw", "RadiusShared1", "NocPassw0rd",
    ],
    ("linux", "linux_etc.txt"): [
        "BackhaulPsk-2026", "WpaSupplicantPsk", "yAnz5TF+lXXJte14tji3zlMNq",
        "FpCyhws9cxwWoV4xELtfJvjJN", "LinuxRoComm", "LinuxSnmpAuth", "LinuxSnmpPriv",
    ],
    ("mikrotik_routeros", "routeros_rb4011_export.rsc"): [
        'PppRahasia0 $', "PppRahasia0^", "PppRahasia!)", 'PppMigrasi0 $', "PppMigrasi0%",
        "P@ssCore!@3", "L2tpUs3r!@3", 'PppTanpaProfil $', "L2tpIps#cKey!@3", "RadAdm1nCor3!@3",
        "name=bebroadband", "trap-community=bebroadband",
    ],
    ("linux", "linux_upstream_examples.txt"): [
        "very secret passphrase", '"foobar"', 'private_key_passwd="password"', "public  default",
        "53cur3M0NiT0riNg", "SuP3RPrivCom90",
    ],
}  # fmt: skip

KEPT = {
    "ios_csr1.txt": ["hostname CSR1", "neighbor 203.0.113.1 remote-as 64512", "ip ospf authentication message-digest"],  # noqa: E501
    "routeros_show_sensitive.rsc": ["name=kecamatan", 'public-key="xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="', "set name=core-dc"],  # noqa: E501
    "routeros_rb4011_export.rsc": ['set name="Vumatel Core"', "add name=wifibre025@bebroadband password=", 'profile= "Wi-Fibre Default Profile" service=pppoe'],  # noqa: E501
    "linux_etc.txt": ["wpa-ssid pemda-backhaul", "PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="],  # noqa: E501
    "linux_upstream_examples.txt": ['identity="user@example.com"', "view   systemonly  included   .1.3.6.1.2.1.1"],  # noqa: E501
}  # fmt: skip


@pytest.mark.parametrize(("platform", "sample"), SECRETS, ids=[f.split(".")[0] for _, f in SECRETS])
@pytest.mark.parametrize("with_platform", [True, False], ids=["by-platform", "all-tables"])
def test_every_secret_of_a_real_config_sample_is_masked(
    platform: str, sample: str, with_platform: bool
) -> None:
    text = (HERE / sample).read_text()
    for secret in SECRETS[platform, sample]:
        assert secret in text, f"sample lost {secret!r}"
    out = mask_secrets(text, platform if with_platform else None)
    survived = [s for s in SECRETS[platform, sample] if s in out]
    assert survived == []
    assert out.count(MASK) >= len(SECRETS[platform, sample]) - 2  # some lines carry two
    for line in KEPT[sample]:
        assert line in out  # only secrets go: the rest of the config stays diffable


def test_normalized_backup_of_each_sample_keeps_no_secret() -> None:
    for (_platform, sample), secrets in SECRETS.items():
        out = normalize((HERE / sample).read_text())
        assert [s for s in secrets if s in out] == []
