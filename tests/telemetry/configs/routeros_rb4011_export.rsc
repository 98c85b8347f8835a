RouterOS 6.46.4
# software id = KLAK-WNT3
#
# model = RB4011iGS+
# serial number = 96B10ACA559C
/interface bridge
add name=LAN
add name=LAN_APs
/interface ethernet
set [ find default-name=ether1 ] name="ether1-PtP to Sports (AP11)" rx-flow-control=auto tx-flow-control=auto
set [ find default-name=ether5 ] name="ether5-Vuma Core"
/interface wireless security-profiles
set [ find default=true ] supplicant-identity=MikroTik
/ip pool
add name="PPP Pool Vuma Core" ranges=192.168.10.2-192.168.10.254
/ppp profile
set *0 use-encryption=no use-upnp=yes
add dns-server=1.0.0.1,8.8.8.8 local-address=10.10.10.40 name= "Wi-Fibre Default Profile" only-one=yes remote-address= "PPP Pool Vuma Core" use-encryption=no
/queue simple
add max-limit=10485760/10485760 name=DT_AUTO_QUEUE_wifibre017@bebroadband target=192.168.10.148/32
/snmp community
add addresses=::/0 name=bebroadband
/interface l2tp-server server
set default-profile="Wi-Fibre Default Profile" enabled=true ipsec-secret= L2tpIps#cKey!@3 use-ipsec=required
/interface pppoe-server server
add default-profile="Wi-Fibre Default Profile" disabled=false interface= LAN_APs keepalive-timeout=30 service-name="Wi-Fibre Core (Sports)"
/ip address
add address=10.200.100.1/24 interface="ether1-PtP to Sports (AP11)" network= 10.200.100.0
/ip service
set telnet disabled=true
set api port=8787
/ppp aaa
set use-radius=true
/ppp secret
add name=wifibre025@bebroadband password="PppRahasia0 $" profile= "Wi-Fibre Default Profile" service=pppoe
add name=wifibre006@bebroadband password=PppRahasia0^ profile= "Wi-Fibre Default Profile" service=pppoe
add name=wifibre010@bebroadband password="PppRahasia!)" profile= "Wi-Fibre Default Profile" service=pppoe
add disabled=true name="wifibre004@bebroadband (Migrated to DT)" password= "PppMigrasi0 $" profile="Wi-Fibre Default Profile" service=pppoe
add disabled=true name="wifibre017@bebroadband (Migrated to DT)" password= PppMigrasi0% profile="Wi-Fibre Default Profile" service=pppoe
add name=albermarlecore@bebroadband password=P@ssCore!@3 profile= "Wi-Fibre Default Profile" service=pppoe
add name=amith.gosai password=L2tpUs3r!@3 profile="Wi-Fibre Default Profile" service=l2tp
add name=wifibre132@bebroadband password="PppTanpaProfil $" service=pppoe
/radius
add address=41.76.109.191 secret=RadAdm1nCor3!@3 service=ppp,login src-address=41.193.239.184
/radius incoming
set accept=true
/snmp
set enabled=true trap-community=bebroadband
/system clock
set time-zone-name=Africa/Johannesburg
/system identity
set name="Vumatel Core"
