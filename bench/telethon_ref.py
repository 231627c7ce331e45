"""The Telethon reference for bench/engine: what the seed's engine did, driven against tgsim.

Run under /usr/bin/python3 (Debian's Telethon 1.25.1). Reads one JSON object on stdin's first
line: {"sessions": [StringSession...], "groups": ["name"...], "channel": "name", "post": id,
"interval": seconds}. Then:

  loop : per account, forever: a new TelegramClient, connect, get_me, forward the post to each
         of its groups, disconnect, sleep `interval`. Peers (access hashes are per account) are
         resolved once per account before the loop, as a seed with a session file cache would.
         Prints "ready" when the loop starts and a running "deliveries N" count on request.
  idle : prints "base", waits for a line; connects every account and keeps it (get_me), prints
         "connected", waits for a line, exits. For resident memory per kept client.

Every account runs as its own asyncio task in this one process (the seed ran one event loop).
"""
import asyncio
import json
import logging
import sys

from telethon import TelegramClient
from telethon.sessions import StringSession

API_ID, API_HASH = 12345, "0123456789abcdef0123456789abcdef"
logging.basicConfig(level=logging.ERROR)


def client_for(session):
    c = TelegramClient(StringSession(session), API_ID, API_HASH)
    c.flood_sleep_threshold = 0
    return c


async def resolve(session, groups, channel):
    c = client_for(session)
    await c.connect()
    peers = [await c.get_input_entity("@" + g) for g in groups]
    src = await c.get_input_entity("@" + channel)
    await c.disconnect()
    return src, peers


async def loop_mode(cfg):
    sem = asyncio.Semaphore(50)

    async def setup(s):
        async with sem:
            return await resolve(s, cfg["groups"], cfg["channel"])

    resolved = await asyncio.gather(*(setup(s) for s in cfg["sessions"]))
    sent = [0]
    errors = [0]

    async def account(session, src, peers):
        while True:
            c = client_for(session)
            try:
                await c.connect()
                await c.get_me()
                for p in peers:
                    await c.forward_messages(p, cfg["post"], from_peer=src)
                    sent[0] += 1
            except Exception as e:  # the seed logged and went on
                errors[0] += 1
                logging.error("account: %r", e)
            finally:
                await c.disconnect()
            await asyncio.sleep(cfg["interval"])

    tasks = [asyncio.create_task(account(s, src, peers))
             for s, (src, peers) in zip(cfg["sessions"], resolved)]
    print("ready", flush=True)
    reader = asyncio.StreamReader()
    await asyncio.get_running_loop().connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            break
        print("deliveries %d errors %d" % (sent[0], errors[0]), flush=True)
    for t in tasks:
        t.cancel()


async def idle_mode(cfg):
    loop = asyncio.get_running_loop()
    print("base", flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)
    sem = asyncio.Semaphore(50)
    clients = []

    async def one(s):
        async with sem:
            c = client_for(s)
            await c.connect()
            await c.get_me()
            clients.append(c)

    await asyncio.gather(*(one(s) for s in cfg["sessions"]))
    await asyncio.sleep(1)
    print("connected %d" % len(clients), flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)
    for c in clients:
        await c.disconnect()


def main():
    mode = sys.argv[1]
    cfg = json.loads(sys.stdin.readline())
    asyncio.run(loop_mode(cfg) if mode == "loop" else idle_mode(cfg))


if __name__ == "__main__":
    main()
