#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpus of kitt's fuzz harnesses to tools/fuzz/corpus/.

Each seed is a valid (or nearly valid) input in the layout the harness
reads (see the comment at the top of each fuzz_*.c): real login PDUs and
key lists, CDBs of every command kitt supports, CHAP exchanges with the
right answers, Data-Out sequences. The committed files come from here;
run it again after changing a harness's input layout:

    python3 tools/fuzz/mkcorpus.py
"""
import hashlib
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")

TARGET = b"iqn.2026-01.org.kitt:disk1"
INIT = b"iqn.2026-01.org.kitt:host1"
SECRET = b"secretsecret12"
TSECRET = b"mutualsecret16"


def pairs(*kv):
    """key=value\\0 pairs from ("Key", "value") tuples."""
    return b"".join(k.encode() + b"=" + v.encode() + b"\0" for k, v in kv)


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- the shim's get_random_bytes(): xorshift32, one byte per step ----------

class Rng:
    def __init__(self, seed):
        self.x = seed or 1

    def bytes(self, n):
        out = bytearray()
        for _ in range(n):
            x = self.x
            x ^= (x << 13) & 0xffffffff
            x ^= x >> 17
            x ^= (x << 5) & 0xffffffff
            self.x = x
            out.append(x & 0xff)
        return bytes(out)


HASHES = {5: "md5", 6: "sha1", 7: "sha256", 8: "sha3_256"}


def chap_answer(alg, seed, secret=SECRET):
    """CHAP_I, CHAP_C and the right CHAP_R for the first challenge after reset."""
    h = hashlib.new(HASHES[alg])
    rng = Rng(seed)
    ident = rng.bytes(1)[0]
    clen = max(h.digest_size, 16)
    challenge = rng.bytes(clen)
    h.update(bytes([ident]) + secret + challenge)
    return ident, challenge, h.digest()


# ---- pdu -----------------------------------------------------------------

def bhs(opcode, flags=0, hlength=0, dlen=0, lun=b"\0" * 8, itt=1, rest=b""):
    b = struct.pack(">BBxxB", opcode, flags, hlength) + dlen.to_bytes(3, "big")
    b += lun + struct.pack(">I", itt) + rest.ljust(28, b"\0")
    assert len(b) == 48
    return b


def scsi_cmd(flags, edtl, cdb, hlength=0, dlen=0, itt=1):
    rest = struct.pack(">III", edtl, 1, 1) + cdb.ljust(16, b"\0")
    return bhs(0x01, flags, hlength, dlen, itt=itt, rest=rest)


def pdu_seeds():
    login_text = pairs(("InitiatorName", INIT.decode()), ("TargetName", TARGET.decode()),
                       ("SessionType", "Normal"), ("AuthMethod", "None"))
    req = struct.pack(">BBBBB", 0x43, 0x81, 0, 0, 0) + len(login_text).to_bytes(3, "big")
    req += bytes([0x80, 0, 0, 0x12, 0x34, 0x56]) + struct.pack(">HIHHII", 0, 0, 0, 0, 1, 0)
    req = req.ljust(48, b"\0")
    # state: bit0 login, bit1 discovery, bit2/3 digests, bits 4-5 MaxRecvDSL choice
    write("pdu", "login-request", bytes([0x01]) + b"\0\0" + req + login_text)
    read10 = bytes([0x28, 0, 0, 0, 0, 8, 0, 0, 8, 0])
    write("pdu", "scsi-read10", b"\x10\0\0" + scsi_cmd(0xc1, 4096, read10))
    write10 = bytes([0x2a, 0, 0, 0, 0, 8, 0, 0, 1, 0])
    write("pdu", "scsi-write10-immediate-digests",
          b"\x1c\0\0" + scsi_cmd(0xa1, 512, write10, dlen=512) + bytes(512))
    # a 32-byte CDB: Extended CDB AHS (AHSLength 17, 16 more bytes) + bidi AHS
    ext = struct.pack(">HBB", 17, 1, 0) + bytes(range(16))
    ext = ext.ljust(20, b"\0")
    bidi = struct.pack(">HBBI", 5, 2, 0, 4096).ljust(8, b"\0")
    ahs = ext + bidi
    write("pdu", "scsi-ext-cdb-bidi", b"\x20\0\x01" +
          scsi_cmd(0xe1, 4096, bytes([0x7f, 0, 0, 0, 0, 0, 0, 0x18]),
                   hlength=len(ahs) // 4) + ahs)
    write("pdu", "nop-out-ping", b"\x00\0\0" + bhs(0x40, 0x80, itt=0xffffffff,
                                                   rest=struct.pack(">III", 0xffffffff, 1, 1)))
    text = pairs(("SendTargets", "All"))
    write("pdu", "text-sendtargets-discovery", b"\x02\0\0" +
          bhs(0x04, 0x80, dlen=len(text), rest=struct.pack(">III", 0xffffffff, 1, 1)) + text)
    write("pdu", "data-out", b"\x10\0\0" +
          bhs(0x05, 0x80, dlen=4096, rest=struct.pack(">IIIIIII", 5, 0, 1, 0, 0, 8192, 0)) +
          bytes(64))
    write("pdu", "logout", b"\x00\0\0" + bhs(0x46, 0x80, rest=struct.pack(">HHII", 0, 0, 1, 1)))
    write("pdu", "tmf-abort", b"\x00\0\0" + bhs(0x02, 0x81, rest=struct.pack(">IIIII", 7, 1, 1, 1, 0)))
    write("pdu", "snack", b"\x00\0\0" + bhs(0x10, 0x80))


# ---- text ------------------------------------------------------------------

def text_seeds():
    write("text", "linux-login", b"\x80\xc8" + pairs(
        ("InitiatorName", INIT.decode()), ("InitiatorAlias", "host"),
        ("TargetName", TARGET.decode()), ("SessionType", "Normal"),
        ("HeaderDigest", "None"), ("DataDigest", "None"),
        ("DefaultTime2Wait", "2"), ("DefaultTime2Retain", "0"),
        ("IFMarker", "No"), ("OFMarker", "No"), ("ErrorRecoveryLevel", "0"),
        ("InitialR2T", "No"), ("ImmediateData", "Yes"),
        ("MaxBurstLength", "16776192"), ("FirstBurstLength", "262144"),
        ("MaxOutstandingR2T", "1"), ("MaxConnections", "1"),
        ("DataPDUInOrder", "Yes"), ("DataSequenceInOrder", "Yes"),
        ("MaxRecvDataSegmentLength", "262144")))
    write("text", "chap-values", b"\x40\xcd" + pairs(
        ("CHAP_A", "7,5,0x06"), ("CHAP_I", "0x1f"),
        ("CHAP_C", "0x" + "a5" * 32), ("CHAP_R", "0b" + "QUJDRA=="),
        ("CHAP_N", "user"), ("X-com.example.Key", "Value with spaces"),
        ("X#vendor", "1")))
    write("text", "numbers-and-lists", b"\x04\x02" + pairs(
        ("MaxRecvDataSegmentLength", "0x40000"), ("A", "0"),
        ("B", "007"), ("C", "18446744073709551615"), ("D", "CRC32C,None"),
        ("E", ",x"), ("F", "0B/+=="), ("G", "0xabc")) + b"Incomplete=valu")
    write("text", "duplicate", b"\x01\x01" + pairs(("Key", "1"), ("Other", "2"), ("Key", "3")))


# ---- params ----------------------------------------------------------------

def params_seeds():
    ops = pairs(("HeaderDigest", "CRC32C,None"), ("DataDigest", "None,CRC32C"),
                ("MaxConnections", "1"), ("InitialR2T", "No"), ("ImmediateData", "Yes"),
                ("MaxRecvDataSegmentLength", "262144"), ("MaxBurstLength", "16776192"),
                ("FirstBurstLength", "262144"), ("DefaultTime2Wait", "2"),
                ("DefaultTime2Retain", "0"), ("MaxOutstandingR2T", "1"),
                ("DataPDUInOrder", "Yes"), ("DataSequenceInOrder", "Yes"),
                ("ErrorRecoveryLevel", "0"), ("IFMarker", "No"), ("OFMarker", "No"),
                ("OFMarkInt", "2048"), ("iSCSIProtocolLevel", "1"),
                ("TaskReporting", "FastAbort,RFC3720"), ("X-com.example", "1"),
                ("AuthMethod", "None"))
    config = pairs(("HeaderDigest", "CRC32C"), ("MaxRecvDataSegmentLength", "65536"),
                   ("InitialR2T", "yes"), ("MaxBurstLength", "1048576\n"),
                   ("FirstBurstLength", "65536"), ("MaxOutstandingR2T", "4"))
    # mode: bit0 text (FFP), bit1 leading, bit2 discovery, bit3 security stage,
    # bit7 full answer buffer
    write("params", "leading-login", b"\x82\x00" + ops)
    write("params", "leading-login-configured", b"\x82\x06" + config + ops)
    write("params", "discovery", b"\x86\x00" + pairs(("HeaderDigest", "None"),
                                                     ("MaxRecvDataSegmentLength", "32768"),
                                                     ("InitialR2T", "Yes")))
    write("params", "second-connection", b"\x80\x00" + ops)
    write("params", "full-feature-text", b"\x81\x00" + pairs(
        ("MaxRecvDataSegmentLength", "8192"), ("HeaderDigest", "None"),
        ("MaxBurstLength", "512")))
    write("params", "small-answer", b"\x02\x00\x01" + ops)
    write("params", "security-stage", b"\x8a\x00" + ops)
    write("params", "erl2", b"\x82\x00" + pairs(
        ("ErrorRecoveryLevel", "2"), ("DataSequenceInOrder", "Yes"),
        ("MaxOutstandingR2T", "8"), ("ImmediateData", "No"), ("InitialR2T", "Yes"),
        ("FirstBurstLength", "512")))


# ---- chap ------------------------------------------------------------------

def chap_seed(name, alg, seed, creds=1, keys=0x83, mutual=False, b64=False, list_a=None):
    ident, challenge, resp = chap_answer(alg, seed)
    r = ("0b" + __import__("base64").b64encode(resp).decode()) if b64 else "0x" + resp.hex()
    fields = [list_a or str(alg), "user", r]
    if mutual:
        fields += ["77", "0x" + "3c" * 20]
        keys |= 0x0c
    else:
        fields += ["", ""]
    fields.append("0b" + "QUJDREVGR0g=")
    data = bytes([creds, keys, seed]) + b"\0".join(f.encode() for f in fields)
    write("chap", name, data)


def chap_seeds():
    # creds: bit0 userid/password, bit1 mutual, bits 4-7 hashes missing
    # keys: bit0 N, bit1 R, bit2 I, bit3 C present, bit7 full answer buffer
    chap_seed("md5-one-way", 5, 1)
    chap_seed("sha1-base64", 6, 2, b64=True)
    chap_seed("sha256-mutual", 7, 3, creds=3, mutual=True)
    chap_seed("sha3-list", 8, 4, list_a="9,0x08,5")
    chap_seed("sha256-md5-missing", 7, 5, creds=0x11, list_a="5,7")
    write("chap", "wrong-answer", bytes([1, 0x83, 6]) + b"5\0user\0" + b"0x" + b"00" * 16 +
          b"\0\0\0" + b"0x0123")


# ---- login -----------------------------------------------------------------

T, C = 0x80, 0x40


def step(flags, data, ids=0, ver=0):
    return bytes([flags, ver, ids]) + struct.pack(">H", len(data)) + data


def flags(csg, nsg, t=True, c=False):
    return (T if t else 0) | (C if c else 0) | csg << 2 | nsg


OPS = pairs(("HeaderDigest", "None"), ("DataDigest", "None"),
            ("DefaultTime2Wait", "2"), ("DefaultTime2Retain", "0"),
            ("IFMarker", "No"), ("OFMarker", "No"), ("ErrorRecoveryLevel", "0"),
            ("InitialR2T", "No"), ("ImmediateData", "Yes"),
            ("MaxBurstLength", "16776192"), ("FirstBurstLength", "262144"),
            ("MaxOutstandingR2T", "1"), ("MaxConnections", "1"),
            ("DataPDUInOrder", "Yes"), ("DataSequenceInOrder", "Yes"),
            ("MaxRecvDataSegmentLength", "262144"))
IDS = pairs(("InitiatorName", INIT.decode()), ("InitiatorAlias", "host1"),
            ("TargetName", TARGET.decode()), ("SessionType", "Normal"))


def chap_login(alg, seed, env, mutual=False):
    ident, challenge, resp = chap_answer(alg, seed)
    s = step(flags(0, 1), IDS + pairs(("AuthMethod", "CHAP,None")))
    s += step(flags(0, 1), pairs(("CHAP_A", "%d" % alg)))
    ans = [("CHAP_N", "user"), ("CHAP_R", "0x" + resp.hex())]
    if mutual:
        ans += [("CHAP_I", "9"), ("CHAP_C", "0x" + "42" * 16)]
    s += step(flags(0, 1), pairs(*ans))
    s += step(flags(1, 3), OPS)
    return bytes([env, seed]) + s


def login_seeds():
    # env: bit0 CHAP required, bit1 CHAP configured, bit2 open, bit3 attach
    # fails, bit6 mutual configured, bit7 discovery needs CHAP
    write("login", "none", b"\0\1" + step(flags(0, 1), IDS + pairs(("AuthMethod", "None"))) +
          step(flags(1, 3), OPS))
    write("login", "operational-first", b"\0\1" + step(flags(1, 3), IDS + OPS))
    write("login", "chap-md5", chap_login(5, 1, 0x03))
    write("login", "chap-sha256-mutual", chap_login(7, 2, 0x43, mutual=True))
    write("login", "chap-sha3", chap_login(8, 3, 0x03))
    write("login", "discovery", b"\0\1" + step(flags(0, 1), pairs(
        ("InitiatorName", INIT.decode()), ("SessionType", "Discovery"),
        ("AuthMethod", "None"))) + step(flags(1, 3), pairs(
            ("HeaderDigest", "None"), ("MaxRecvDataSegmentLength", "32768"))))
    # one request split in two by the C bit
    whole = IDS + pairs(("AuthMethod", "None"))
    write("login", "continued", b"\0\1" + step(flags(0, 1, t=False, c=True), whole[:20]) +
          step(flags(0, 1), whole[20:]) + step(flags(1, 3), OPS))
    write("login", "add-connection", b"\0\1" + step(flags(1, 3), IDS + OPS, ids=2))


# ---- scsi ------------------------------------------------------------------

def lu(nr_blocks=1000, shift=9, read_only=False, discard=True, wce=True, serial=True,
       alua=0):
    sel = 1 | (shift - 9) << 2
    fl = (1 if read_only else 0) | (2 if wce else 0) | (4 if discard else 0) | 8 | 0x10 | \
        (0x80 if serial else 0)
    b = bytes([sel, fl]) + struct.pack(">I", nr_blocks)
    b += struct.pack(">H", 2048)            # max_xfer_blocks
    b += struct.pack(">H", 64)              # opt_xfer_blocks
    b += bytes([8])                         # unmap_granularity
    b += b"KITT" + bytes([4])               # product (odd first byte: used)
    b += b"SN123456" + bytes([8])           # serial
    b += struct.pack(">QHHH", 0x3123456789abcdef, 1, 1, 2)
    b += bytes([alua])                      # ALUA: 0x80 | state index, 0x40 explicit
    return b


def scsi(name, cdb, edtl=0, r=False, w=False, data=b"", lun=None, nolun=False):
    fl = (1 if r else 0) | (2 if w else 0) | (0x0c if nolun else 0)
    if len(cdb) <= 16:
        # a plain SCSI Command PDU: 16 CDB bytes
        cdb = bytes([0]) + cdb.ljust(16, b"\0")
    else:
        # an Extended CDB AHS made it longer
        fl |= 0x80
        cdb = bytes([len(cdb) - 1]) + cdb
    b = (lun or lu()) + struct.pack(">I", edtl) + bytes([fl]) + bytes(18)
    write("scsi", name, b + cdb + data)


def scsi_seeds():
    scsi("tur", bytes(6))
    scsi("inquiry", bytes([0x12, 0, 0, 0, 96, 0]), 96, r=True)
    for page in (0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1, 0xb2):
        scsi("inquiry-vpd-%02x" % page, bytes([0x12, 1, page, 0x10, 0, 0]), 4096, r=True)
    scsi("inquiry-nolun", bytes([0x12, 0, 0, 0, 96, 0]), 96, r=True, nolun=True)
    scsi("read-capacity10", bytes([0x25] + [0] * 9), 8, r=True)
    scsi("read-capacity16", bytes([0x9e, 0x10] + [0] * 11 + [32, 0, 0]), 32, r=True)
    scsi("mode-sense6", bytes([0x1a, 0, 0x3f, 0, 255, 0]), 255, r=True)
    scsi("mode-sense10", bytes([0x5a, 0, 0x08, 0, 0, 0, 0, 0x10, 0, 0]), 4096, r=True)
    caching = bytes([0, 0, 0, 0]) + bytes([0x08, 0x12, 0x00]) + bytes(17)
    scsi("mode-select6", bytes([0x15, 0x10, 0, 0, len(caching), 0]), len(caching), w=True,
         data=caching)
    scsi("report-luns", bytes([0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]), 256, r=True,
         data=bytes(range(33)))
    scsi("request-sense", bytes([0x03, 0, 0, 0, 18, 0]), 18, r=True)
    scsi("read6", bytes([0x08, 0, 0, 1, 8, 0]), 4096, r=True)
    scsi("read10", bytes([0x28, 0, 0, 0, 0, 8, 0, 0, 8, 0]), 4096, r=True)
    scsi("read16-short-edtl", bytes([0x88, 0] + [0] * 7 + [16, 0, 0, 0, 16, 0, 0]), 1000,
         r=True)
    scsi("write10", bytes([0x2a, 0x08, 0, 0, 0, 8, 0, 0, 8, 0]), 4096, w=True)
    scsi("write16", bytes([0x8a, 0] + [0] * 7 + [100, 0, 0, 0, 1, 0, 0]), 512, w=True)
    scsi("write-same16-unmap", bytes([0x93, 0x08] + [0] * 7 + [10, 0, 0, 0, 100, 0, 0]), 512,
         w=True)
    unmap = struct.pack(">HHI", 22, 16, 0) + struct.pack(">QII", 10, 20, 0)
    scsi("unmap", bytes([0x42, 0, 0, 0, 0, 0, 0, 0, len(unmap), 0]), len(unmap), w=True,
         data=unmap)
    scsi("verify16-bytchk", bytes([0x8f, 0x02] + [0] * 7 + [5, 0, 0, 0, 2, 0, 0]), 1024,
         w=True, data=bytes(2048))
    scsi("compare-and-write", bytes([0x89, 0] + [0] * 7 + [7, 0, 0, 0, 1, 0, 0]), 1024,
         w=True, data=bytes(1024))
    scsi("sync-cache10", bytes([0x35] + [0] * 9))
    scsi("pr-in", bytes([0x5e, 0] + [0] * 5 + [0x10, 0, 0]), 4096, r=True)
    scsi("pr-out", bytes([0x5f, 0, 0, 0, 0, 0, 0, 0, 24, 0]), 24, w=True, data=bytes(24))
    scsi("reserve6", bytes([0x16, 0, 0, 0, 0, 0]))
    scsi("release10", bytes([0x57] + [0] * 9))
    scsi("rtpg", bytes([0xa3, 0x0a, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0]), 4096, r=True)
    scsi("rtpg-ext", bytes([0xa3, 0x2a, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0]), 4096, r=True)
    stpg = bytes(4) + bytes([0, 0, 0, 1, 2, 0, 0, 2])
    scsi("stpg", bytes([0xa4, 0x0a, 0, 0, 0, 0, 0, 0, 0, len(stpg), 0, 0]), len(stpg),
         w=True, data=stpg, lun=lu(alua=0x40))
    scsi("read10-standby", bytes([0x28, 0, 0, 0, 0, 8, 0, 0, 8, 0]), 4096, r=True,
         lun=lu(alua=0x84))
    scsi("rsoc-all", bytes([0xa3, 0x0c, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0]), 4096, r=True)
    scsi("rsoc-one", bytes([0xa3, 0x0c, 0x01, 0x28, 0, 0, 0, 0, 0x10, 0, 0, 0]), 4096, r=True)
    scsi("get-lba-status", bytes([0x9e, 0x12] + [0] * 7 + [4, 0, 0, 0, 32, 0, 0]), 32, r=True)
    scsi("orwrite16", bytes([0x8b, 0] + [0] * 7 + [3, 0, 0, 0, 1, 0, 0]), 512, w=True)
    scsi("write-verify10", bytes([0x2e, 0x02, 0, 0, 0, 9, 0, 0, 1, 0]), 512, w=True)
    scsi("start-stop", bytes([0x1b, 0, 0, 0, 1, 0]))
    scsi("prevent-allow", bytes([0x1e, 0, 0, 0, 0, 0]))
    scsi("read-defect12", bytes([0xb7, 0x0d, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0]), 8, r=True)
    scsi("prefetch16", bytes([0x90, 0] + [0] * 7 + [1, 0, 0, 0, 8, 0, 0]))
    scsi("read10-4k-readonly", bytes([0x28, 0, 0, 0, 0, 8, 0, 0, 2, 0]), 8192, r=True,
         lun=lu(nr_blocks=100, shift=12, read_only=True))
    scsi("variable-length-32", bytes([0x7f, 0, 0, 0, 0, 0, 0, 0x18, 0, 0x09] + [0] * 22),
         512, r=True)


# ---- wdata -----------------------------------------------------------------

def wdata(name, fl, mbl, fbl, mor, edtl, imm, ops, keep=None):
    b = bytes([fl]) + struct.pack(">IIB", mbl, fbl, mor) + struct.pack(">I", edtl)
    if keep is not None:
        b += struct.pack(">I", keep)
    b += struct.pack(">I", imm) + ops
    write("wdata", name, b)


def wdata_seeds():
    # ops: &3 == 0 issue R2Ts, 1 send them, 2 made-up Data-Out, 3 the right
    # next Data-Out (0x80: unsolicited; 4: followed by a length)
    right_unsol = bytes([0x83])
    right = bytes([0x03])
    # 64 KiB, 8 KiB immediate, InitialR2T=No: unsolicited to 64 KiB... in two PDUs
    wdata("unsolicited-then-r2t", 0x01 | 0x10, 262144, 65536, 1, 131072, 8192,
          bytes([0x87]) + struct.pack(">I", 8192) + right_unsol +
          b"\x00\x01" + right + b"\x00\x01" + right)
    wdata("r2t-only", 0x02 | 0x04 | 0x10, 65536, 65536, 4, 262144, 0,
          b"\x00\x01" + bytes([0x07]) + struct.pack(">I", 8192) + right + bytes([0x13]) +
          bytes([0x23]) + right + b"\x00\x01" + right + right + right)
    wdata("keep-less-than-edtl", 0x20 | 0x10 | 0x01, 16384, 8192, 2, 20000, 4096,
          right_unsol + b"\x00\x01" + right + right, keep=10000)
    wdata("made-up-pdus", 0x10 | 0x01, 8192, 4096, 1, 16384, 0,
          bytes([0x86]) + struct.pack(">IIB", 0, 4096, 0) + b"\x00\x01" +
          bytes([0x0a]) + struct.pack(">IIB", 4096, 8192, 0))


def main():
    pdu_seeds()
    text_seeds()
    params_seeds()
    chap_seeds()
    login_seeds()
    scsi_seeds()
    wdata_seeds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
