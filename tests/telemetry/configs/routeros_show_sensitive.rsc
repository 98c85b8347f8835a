# 2026-06-01 10:00:00 by RouterOS 7.12.1
# software id = ABCD-1234
#
# model = RB4011iGS+
/interface wireguard
add listen-port=13231 mtu=1420 name=wg-dc private-key="yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="
/interface wireguard peers
add allowed-address=10.99.0.2/32 interface=wg-dc public-key="xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=" \
    preshared-key="FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE="
/interface wireless security-profiles
set [ find default=yes ] supplicant-identity=MikroTik
add authentication-types=wpa2-psk mode=dynamic-keys name=kantor \
    supplicant-identity=MikroTik wpa2-pre-shared-key="rahasia dinas kominfo"
/interface wifi security
add authentication-types=wpa2-psk,wpa3-psk name=sec-tamu passphrase=TamuPemda2026
/ip ipsec identity
add peer=kantor-cabang secret=IpsecPsk-Cabang
/ppp secret
add name=kecamatan password=S3cret! profile=default-encryption service=pptp
/routing bgp connection
add as=65001 name=isp-a remote.address=203.0.113.1 tcp-md5-key=BgpMd5-ISP
/routing ospf interface-template
add area=backbone auth=md5 auth-id=1 auth-key=OspfKey-Core interfaces=sfp-sfpplus1
/snmp community
set [ find default=yes ] disabled=yes
add addresses=10.0.0.0/8 name=KominfoRO
add addresses=10.0.0.0/8 authentication-password=SnmpAuthPw encryption-password=SnmpPrivPw \
    name=v3user security=private
/radius
add address=10.10.1.5 secret=RadiusShared1 service=ppp
/user
add group=full name=noc password=NocPassw0rd
/system identity
set name=core-dc
