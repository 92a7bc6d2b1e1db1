#!/usr/bin/env python3
"""Server RSS per idle gateway session, measured with raw sockets (no dependencies).

usage: idle_sessions.py PORT SERVER_PID N [hello|ack]
Logs in as the seed's testuser1 (run `chat-server seed` first), opens N sessions, then N more,
and prints the server's RSS growth per session for each wave from /proc/PID/status.
  hello: stop after HELLO (no IDENTIFY)
  ack:   IDENTIFY, read READY + GUILD_CREATE, then heartbeat with the last seq, which lets the
         server drop READY/GUILD_CREATE from the session's replay buffer (as real clients do
         after one heartbeat interval)
  (none): IDENTIFY and stay silent (READY/GUILD_CREATE still held for replay)
The docs/PERFORMANCE.md "after the heartbeat ack" row comes from `... 2000 ack`.
"""
import asyncio, base64, json, os, struct, sys, time, urllib.request
port, pid, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def rss():
    for l in open(f"/proc/{pid}/status"):
        if l.startswith("VmRSS"): return int(l.split()[1])
def login():
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v10/auth/login",
        data=json.dumps({"login":"testuser1","password":"TestUser1@123"}).encode(),
        headers={"Content-Type":"application/json"})
    return json.loads(urllib.request.urlopen(req).read())["access_token"]
async def frame(r):
    b0,b1 = await r.readexactly(2); n=b1&0x7f
    if n==126: n=struct.unpack("!H", await r.readexactly(2))[0]
    elif n==127: n=struct.unpack("!Q", await r.readexactly(8))[0]
    return json.loads(await r.readexactly(n))
def mk(obj):
    p=json.dumps(obj).encode(); m=os.urandom(4); n=len(p)
    h=struct.pack("!BB",0x81,0x80|n) if n<126 else struct.pack("!BBH",0x81,0xfe,n)
    return h+m+bytes(b^m[i%4] for i,b in enumerate(p))
conns=[]
ACK=len(sys.argv)>4 and sys.argv[4]=='ack'
HELLO_ONLY=len(sys.argv)>4 and sys.argv[4]=="hello"
async def one(tok):
    r,w = await asyncio.open_connection("127.0.0.1", port)
    w.write((f"GET /?v=10&encoding=json HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    await r.readuntil(b"\r\n\r\n")
    await frame(r)
    if HELLO_ONLY:
        conns.append((r,w)); return
    w.write(mk({"op":2,"d":{"token":tok,"intents":513,"properties":{}}}))
    while True:
        m = await frame(r)
        if m.get("t")=="GUILD_CREATE": break
    if ACK:
        w.write(mk({"op":1,"d":m["s"]}))
        while (await frame(r)).get("op")!=11: pass
    if HELLO_ONLY: pass
    conns.append((r,w))
async def main():
    tok=None if HELLO_ONLY else login()
    await asyncio.sleep(0.5)
    before=rss(); t=time.time()
    sem=asyncio.Semaphore(100)
    async def g():
        async with sem: await one(tok)
    await asyncio.gather(*[g() for _ in range(n)])
    await asyncio.sleep(1)
    after=rss()
    print(f"{n} sessions in {time.time()-t:.1f}s; RSS {before} -> {after} KiB; {(after-before)/n:.2f} KiB/session")
    await asyncio.gather(*[g() for _ in range(n)])
    await asyncio.sleep(1)
    after2=rss()
    print(f"next {n} sessions: RSS {after} -> {after2} KiB; {(after2-after)/n:.2f} KiB/session")
asyncio.run(main())
