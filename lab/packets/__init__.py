"""The packet lab: a real Linux router (the kernel's HTB) in network namespaces, managed by netops.

``core`` is the Diskominfo router, ``inet`` stands for the uplink, one namespace per agency sits
behind a bridge (``sw``).  netops reaches the core over real SSH (OpenSSH's ``sshd -i`` inside the
core namespace, behind a relay on 127.0.0.1), pushes the bandwidth plan as ``tc`` HTB and reads
counters back; iperf3 measures what real TCP and UDP flows get.  Everything it creates is named
with one prefix and removed on exit, on failure and by the next ``up`` after a killed run.
"""
