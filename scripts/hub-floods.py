#!/usr/bin/env python3
"""Floods a running `quietdesk hub` and prints its resident memory and CPU.

    quietdesk hub --data-dir D --listen 127.0.0.1:PORT --beacon BPORT &
    quietdesk pair open --data-dir D      # a pairing window: unpaired certificates get in
    scripts/hub-floods.py PID PORT BPORT

1. 100,000 spoofed UDP beacons (each a new device id and port) at the beacon port.
2. 20 TLS connections with a self-signed certificate, each announcing a 3 GiB
   gob frame, the most a 4-byte length can say.
Figures are the hub's own (/proc/PID), Linux only. Used for docs/benchmarks.md.
"""
import os, socket, ssl, subprocess, sys, tempfile, time

pid, port, bport = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])


def stat():
    rss = [l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0].split()[1]
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(rss) // 1024, (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


r0, c0 = stat()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
t = time.time()
for i in range(100_000):
    s.sendto(('{"v":1,"device":"%064x","port":%d}' % (i, 20000 + i % 40000)).encode(), ("127.0.0.1", bport))
sent = time.time() - t
time.sleep(2)
r1, c1 = stat()
print(f"beacons: 100000 spoofed in {sent:.1f} s; hub resident {r0} -> {r1} MiB; hub CPU {c1 - c0:.2f} s")

d = tempfile.mkdtemp()
key, cert = os.path.join(d, "k.pem"), os.path.join(d, "c.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=flood"], check=True, capture_output=True)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
ctx.load_cert_chain(cert, key)
r0, c0 = stat()
worst = 0.0
for _ in range(20):
    c = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)))
    c.sendall(bytes([0xFC, 0xC0, 0x00, 0x00, 0x00]) + b"\x00" * 4096)  # gob length 3 GiB
    t = time.time()
    try:
        while c.recv(100):
            pass
    except OSError:
        pass
    worst = max(worst, time.time() - t)
    c.close()
r1, c1 = stat()
print(f"frames: 20 connections announcing 3 GiB each, dropped within {worst * 1000:.0f} ms; hub resident {r0} -> {r1} MiB")
