"""Telethon 1.25.1 as an independent oracle for hqadz's MTProto code (tests only).

Run with Debian's interpreter: /usr/bin/python3 telethon_oracle.py COMMAND ARGS...
Commands (hex for bytes, decimal for integers; output on stdout):
  client_encrypt KEY SALT SESSION MSG_ID SEQ BODY  -> hex wire, as MTProtoState encrypts it
  client_decrypt KEY SESSION WIRE                  -> JSON of what MTProtoState decrypts
  serialize                                        -> JSON [{name, hex}] of TL objects
  full_encode PAYLOAD...                           -> hex of FullPacketCodec frames
  intermediate_encode PAYLOAD...                   -> hex of IntermediatePacketCodec frames
Works offline: nothing here opens a connection.
"""
import collections
import datetime
import json
import logging
import struct
import sys

from telethon.crypto import AuthKey
from telethon.network.mtprotostate import MTProtoState
from telethon.network.connection.tcpfull import FullPacketCodec
from telethon.network.connection.tcpintermediate import IntermediatePacketCodec
from telethon.tl import functions, types

LOGGERS = collections.defaultdict(lambda: logging.getLogger("oracle"))
DATE = datetime.datetime.fromtimestamp(1700000000, tz=datetime.timezone.utc)


def state(key_hex, session):
    s = MTProtoState(AuthKey(bytes.fromhex(key_hex)), LOGGERS)
    s.id = int(session)
    return s


def client_encrypt(key, salt, session, msg_id, seq, body):
    s = state(key, session)
    s.salt = int(salt)
    body = bytes.fromhex(body)
    data = struct.pack("<qii", int(msg_id), int(seq), len(body)) + body
    print(s.encrypt_message_data(data).hex())


def client_decrypt(key, session, wire):
    s = state(key, session)
    s.time_offset = 0
    msg = s.decrypt_message_data(bytes.fromhex(wire))
    print(json.dumps({"msg_id": msg.msg_id, "seq_no": msg.seq_no,
                      "type": type(msg.obj).__name__, "body": bytes(msg.obj).hex()}))


def message(**extra):
    return types.Message(id=10, peer_id=types.PeerChannel(99), date=DATE, message="post", **extra)


def channel():
    return types.Channel(id=5, title="chan", photo=types.ChatPhotoEmpty(), date=DATE,
                         access_hash=-9, username="chan", broadcast=True, participants_count=3,
                         default_banned_rights=types.ChatBannedRights(DATE, send_media=True))


def user():
    return types.User(id=123456789, is_self=True, bot=True, bot_info_version=3, access_hash=-42,
                      first_name="Ann", username="ann", status=types.UserStatusRecently(),
                      photo=types.UserProfilePhoto(photo_id=7, dc_id=2, stripped_thumb=b"\x01\x02"),
                      restricted=True, restriction_reason=[types.RestrictionReason("android", "porn", "text")],
                      lang_code="en")


def config():
    # Every mandatory field of config#330b4067 filled in order; the flags fields mostly left out.
    kwargs = {"date": DATE, "expires": DATE, "test_mode": False, "this_dc": 2,
              "dc_options": [types.DcOption(id=2, ip_address="127.0.0.1", port=443, static=True),
                             types.DcOption(id=2, ip_address="::1", port=443, ipv6=True,
                                            secret=b"\x00" * 16)],
              "dc_txt_domain_name": "apv3.stel.com", "me_url_prefix": "https://t.me/",
              "suggested_lang_code": "en", "lang_pack_version": 1, "base_lang_pack_version": 2,
              "tmp_sessions": 3, "phonecalls_enabled": True}
    import inspect
    for i, name in enumerate(inspect.signature(types.Config.__init__).parameters):
        if name != "self" and name not in kwargs:
            annotation = str(inspect.signature(types.Config.__init__).parameters[name].annotation)
            if "Optional" not in annotation:
                kwargs[name] = 1000 + i
    return types.Config(**kwargs)


def objects():
    media = types.MessageMediaGeo(types.GeoPoint(long=1.5, lat=2.5, access_hash=3))
    fwd = types.MessageFwdHeader(date=DATE, from_id=types.PeerChannel(7), channel_post=3,
                                 saved_from_peer=types.PeerChannel(7), saved_from_msg_id=3)
    post = message(out=True, fwd_from=fwd, views=5, forwards=1, media=media,
                   entities=[types.MessageEntityBold(0, 4)], post_author="me", ttl_period=9)
    return {
        "ForwardMessagesRequest": functions.messages.ForwardMessagesRequest(
            from_peer=types.InputPeerChannel(1, 2), id=[1, 2, 3],
            to_peer=types.InputPeerChannel(3, 4), random_id=[5, -6, 7 << 40],
            drop_author=True, noforwards=True, send_as=types.InputPeerSelf()),
        "User": user(),
        "UpdateShortSentMessage": types.UpdateShortSentMessage(
            id=5, pts=6, pts_count=1, date=DATE, out=True,
            entities=[types.MessageEntityBold(0, 4)], ttl_period=10),
        "InvokeWithLayerRequest": functions.InvokeWithLayerRequest(144, functions.InitConnectionRequest(
            api_id=1, device_model="PC 64bit", system_version="6.1.0", app_version="1.25.1",
            system_lang_code="en", lang_pack="", lang_code="en",
            query=functions.help.GetConfigRequest())),
        "Updates": types.Updates(
            updates=[types.UpdateMessageID(id=10, random_id=-5),
                     types.UpdateNewChannelMessage(message=post, pts=2, pts_count=1),
                     types.UpdateChannelAvailableMessages(channel_id=99, available_min_id=1)],
            users=[user()], chats=[channel()], date=DATE, seq=0),
        "Config": config(),
        "ResolvedPeer": types.contacts.ResolvedPeer(peer=types.PeerChannel(5), chats=[channel()],
                                                    users=[]),
        "ChannelMessages": types.messages.ChannelMessages(
            pts=1, count=2, messages=[post, types.MessageEmpty(id=3)], chats=[channel()],
            users=[], inexact=True),
        "Dialogs": types.messages.DialogsSlice(
            count=1, dialogs=[types.Dialog(peer=types.PeerChannel(5), top_message=10,
                                           read_inbox_max_id=1, read_outbox_max_id=2,
                                           unread_count=3, unread_mentions_count=0,
                                           unread_reactions_count=0,
                                           notify_settings=types.PeerNotifySettings(silent=True),
                                           pts=4, pinned=True)],
            messages=[post], chats=[channel()], users=[user()]),
        "State": types.updates.State(pts=1, qts=2, date=DATE, seq=3, unread_count=4),
        "GetUsersRequest": functions.users.GetUsersRequest([types.InputUserSelf()]),
        "ResolveUsernameRequest": functions.contacts.ResolveUsernameRequest("some_name"),
        "JoinChannelRequest": functions.channels.JoinChannelRequest(types.InputChannel(1, 2)),
        "GetDialogsRequest": functions.messages.GetDialogsRequest(
            offset_date=None, offset_id=0, offset_peer=types.InputPeerEmpty(), limit=100, hash=0),
        "ChannelsGetMessagesRequest": functions.channels.GetMessagesRequest(
            types.InputChannel(1, 2), [types.InputMessageID(5)]),
        "GetStateRequest": functions.updates.GetStateRequest(),
        "RpcError": types.RpcError(420, "FLOOD_WAIT_3"),
        "BadServerSalt": types.BadServerSalt(1, 2, 48, -3),
        "NewSessionCreated": types.NewSessionCreated(1, 2, 3),
        "MsgsAck": types.MsgsAck([1, 2]),
        "FutureSalts": types.FutureSalts(7, 1700000000, [types.FutureSalt(1700000000, 1700000100, 5),
                                                   types.FutureSalt(1700000100, 1700000200, 6)]),
        "Pong": types.Pong(1, 2),
        "PingDelayDisconnectRequest": functions.PingDelayDisconnectRequest(1, 75),
        "ReqPqMultiRequest": functions.ReqPqMultiRequest(0x0123456789abcdef0123456789abcdef),
    }


def serialize():
    print(json.dumps([{"name": k, "hex": bytes(v).hex()} for k, v in objects().items()]))


def encode(codec_class, payloads):
    codec = codec_class(None)
    out = getattr(codec, "tag", None) or b""
    for p in payloads:
        out += codec.encode_packet(bytes.fromhex(p))
    print(out.hex())


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "client_encrypt":
        client_encrypt(*args)
    elif cmd == "client_decrypt":
        client_decrypt(*args)
    elif cmd == "serialize":
        serialize()
    elif cmd == "full_encode":
        encode(FullPacketCodec, args)
    elif cmd == "intermediate_encode":
        encode(IntermediatePacketCodec, args)
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
