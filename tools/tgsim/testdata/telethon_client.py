"""Telethon 1.25.1 as a client of tgsim (run by telethon_vs_tgsim_test under /usr/bin/python3).

usage: telethon_client.py CONTROL_URL MODE [OUT]
  session   : a tgsim-made .session → connect(), get_me(), forward_messages()
  flood     : a FLOOD_WAIT under Telethon's threshold is slept on, retried, delivered once
  fresh_key : Telethon makes a new key with tgsim's RSA key (rsa.add_key)
  make_session OUT : writes a Telethon-made .session (from a tgsim StringSession) to OUT
Prints one JSON line; exits non-zero on any failure.
"""
import asyncio
import json
import logging
import os
import sys
import tempfile
import urllib.request

import rsa as pyrsa
from telethon import TelegramClient
from telethon.crypto import rsa as telethon_rsa
from telethon.sessions import SQLiteSession, StringSession

API_ID, API_HASH = 12345, "0123456789abcdef0123456789abcdef"
logging.basicConfig(level=logging.WARNING)


def control(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        raw = resp.read()
        return raw if resp.headers.get("Content-Type", "").startswith("application/octet") \
            else json.loads(raw or b"null")


def world(base, group_flood=False):
    acct = control(base, "POST", "/accounts", {"first_name": "Tele", "username": "tele_" + os.urandom(3).hex()})
    chan_name = "src_" + os.urandom(3).hex()
    chan = control(base, "POST", "/channels", {"username": chan_name})
    post = control(base, "POST", "/channels/%d/posts" % chan["id"], {"text": "hello"})
    group_name = "grp_" + os.urandom(3).hex()
    group = control(base, "POST", "/groups", {"username": group_name})
    control(base, "POST", "/groups/%d/members" % group["id"], {"account_id": acct["id"]})
    return acct, chan_name, post["id"], group_name, group["id"]


async def session_mode(base):
    acct, chan, post, group, group_id = world(base)
    raw = control(base, "GET", "/accounts/%d/session-file" % acct["id"])
    path = os.path.join(tempfile.mkdtemp(), "tgsim.session")
    with open(path, "wb") as f:
        f.write(raw)
    client = TelegramClient(path[:-len(".session")], API_ID, API_HASH)
    await client.connect()
    me = await client.get_me()
    assert me is not None and me.id == acct["id"], me
    msgs = await client.forward_messages("@" + group, post, from_peer="@" + chan)
    await client.disconnect()
    deliveries = control(base, "GET", "/deliveries?group=%d" % group_id)
    assert len(deliveries) == 1, deliveries
    assert msgs is not None and msgs.id == deliveries[0]["message_id"], msgs
    return {"me": me.id, "message_id": msgs.id}


async def flood_mode(base):
    acct, chan, post, group, group_id = world(base)
    control(base, "PUT", "/flood", {"per_minute": 1, "wait_seconds": 1})
    client = TelegramClient(StringSession(acct["string_session"]), API_ID, API_HASH)
    client.flood_sleep_threshold = 60
    await client.connect()
    first = await client.forward_messages("@" + group, post, from_peer="@" + chan)
    second = await client.forward_messages("@" + group, post, from_peer="@" + chan)
    await client.disconnect()
    control(base, "PUT", "/flood", {"per_minute": 0, "wait_seconds": 0})
    deliveries = control(base, "GET", "/deliveries?group=%d" % group_id)
    assert len(deliveries) == 2, deliveries
    assert len({d["random_id"] for d in deliveries}) == 2, deliveries
    assert first.id != second.id
    return {"deliveries": len(deliveries)}


async def fresh_key_mode(base):
    dcs = json.loads(control(base, "GET", "/config")["hqadz_telegram_dcs"])
    pem = dcs["rsa_public_keys"][0].encode()
    # Telethon 1.25.1 takes a PKCS#1 PEM; tgsim publishes SPKI.
    pkcs1 = pyrsa.PublicKey.load_pkcs1_openssl_pem(pem).save_pkcs1().decode()
    telethon_rsa.add_key(pkcs1, old=False)
    dc = dcs["dcs"][0]
    before = control(base, "GET", "/stats")["keys"]
    session = StringSession()
    session.set_dc(dc["id"], dc["host"], dc["port"])
    client = TelegramClient(session, API_ID, API_HASH)
    await client.connect()
    authorized = await client.is_user_authorized()
    key = client.session.auth_key
    await client.disconnect()
    after = control(base, "GET", "/stats")["keys"]
    assert key is not None and len(key.key) == 256
    # Telethon may retry a slow exchange (ASan builds), so at least one new key.
    assert after >= before + 1, (before, after)
    assert not authorized
    return {"keys": after}


async def make_session_mode(base, out):
    acct = control(base, "POST", "/accounts", {"first_name": "Made", "username": "made_" + os.urandom(3).hex()})
    src = StringSession(acct["string_session"])
    target = SQLiteSession(out[:-len(".session")] if out.endswith(".session") else out)
    target.set_dc(src.dc_id, src.server_address, src.port)
    target.auth_key = src.auth_key
    target.save()
    target.close()
    return {"id": acct["id"], "first_name": "Made", "username": acct["username"]}


def main():
    base, mode = sys.argv[1], sys.argv[2]
    if mode == "session":
        result = asyncio.run(session_mode(base))
    elif mode == "flood":
        result = asyncio.run(flood_mode(base))
    elif mode == "fresh_key":
        result = asyncio.run(fresh_key_mode(base))
    elif mode == "make_session":
        result = asyncio.run(make_session_mode(base, sys.argv[3]))
    else:
        raise SystemExit("unknown mode " + mode)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
