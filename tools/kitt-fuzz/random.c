// SPDX-License-Identifier: GPL-2.0
/*
 * kitt-fuzz random: one connection's script, drawn from a PRNG seeded by
 * (seed, connection number), so `--replay N` sends the same PDUs again.
 *
 * A script is a login plan (abusive, stalled, a crowd of sockets, or a
 * proper login with random offers, CHAP or not, normal or discovery)
 * followed, once logged in, by a random number of actions. Most actions
 * are structured: well-formed traffic that reaches deep states (I/O with
 * immediate, unsolicited and solicited data), then the hostile variants
 * of each PDU kind. Actions that end the connection (oversized or
 * truncated PDUs, bad digests, abrupt closes, logout) are terminal. A
 * connection that is still up at the end must answer a ping.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kitt-fuzz.h"

enum {
	A_LOGIN_ABUSE, A_LOGIN_STALL, A_CROWD, A_LOGIN, A_LOGIN_CHAP, A_LOGIN_DISC,
	A_IO, A_SCSI_MISC, A_RANDOM_CDB, A_BAD_AHS, A_DATAOUT_HOSTILE, A_DATAOUT_UNKNOWN,
	A_DUP_ITT, A_WINDOW, A_EXPSTATSN, A_NOP, A_TEXT, A_TMF, A_SNACK, A_UNKNOWN_OP,
	A_LEAVE_PENDING, A_MUTATE, A_OVERSIZE, A_BAD_DIGEST, A_TRUNCATE, A_ABRUPT, A_LOGOUT,
	A_NOREAD, A_LATE_DATA, A_PAUSE, A_LIVENESS,
	A_COUNT
};

const char *const action_names[NR_ACTIONS] = {
	[A_LOGIN_ABUSE] = "login-abuse", [A_LOGIN_STALL] = "login-stall",
	[A_CROWD] = "crowd", [A_LOGIN] = "login", [A_LOGIN_CHAP] = "login-chap",
	[A_LOGIN_DISC] = "login-discovery", [A_IO] = "io", [A_SCSI_MISC] = "scsi-misc",
	[A_RANDOM_CDB] = "random-cdb", [A_BAD_AHS] = "bad-ahs",
	[A_DATAOUT_HOSTILE] = "data-out-hostile", [A_DATAOUT_UNKNOWN] = "data-out-unknown",
	[A_DUP_ITT] = "dup-itt", [A_WINDOW] = "cmdsn-window", [A_EXPSTATSN] = "expstatsn",
	[A_NOP] = "nop", [A_TEXT] = "text", [A_TMF] = "tmf", [A_SNACK] = "snack",
	[A_UNKNOWN_OP] = "opcode", [A_LEAVE_PENDING] = "leave-pending", [A_MUTATE] = "mutate",
	[A_OVERSIZE] = "oversize", [A_BAD_DIGEST] = "bad-digest", [A_TRUNCATE] = "truncate",
	[A_ABRUPT] = "abrupt-close", [A_LOGOUT] = "logout", [A_NOREAD] = "no-read-flood",
	[A_LATE_DATA] = "late-data", [A_PAUSE] = "pause", [A_LIVENESS] = "liveness",
};

struct fz {
	const struct fuzz_cfg *cfg;
	struct rng r;
	struct conn *c;
	struct stats *st;
	uint64_t n;
	bool terminal;
	bool normal;
	uint64_t blocks;
	uint32_t bs;
	unsigned int hostile_left;
};

static void count(struct fz *f, int a)
{
	if (f->st)
		stat_add_at(&f->st->actions[a], 1);
	if (f->cfg->verbose > 1)
		fprintf(stderr, "conn %llu: %s\n", (unsigned long long)f->n, action_names[a]);
}

static int ms_left(struct fz *f, int want)
{
	double left = (f->cfg->deadline - now_s()) * 1000;

	if (left < 0)
		left = 0;
	return want < left ? want : (int)left;
}

static void bhs_init(struct fz *f, uint8_t *bhs, uint8_t op, uint8_t flags)
{
	struct conn *c = f->c;

	memset(bhs, 0, BHS_LEN);
	bhs[0] = op;
	bhs[1] = flags;
	put_be32(bhs + B_ITT, c->itt_next++);
	put_be32(bhs + B_TTT, RSVD_TAG);
	put_be32(bhs + B_CMDSN, c->cmdsn);
	put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
}

static uint32_t rand_sn(struct fz *f, uint32_t base)
{
	switch (rng_below(&f->r, 6)) {
	case 0:
		return base;
	case 1:
		return base + rng_range(&f->r, 1, 4);
	case 2:
		return base - rng_range(&f->r, 1, 4);
	case 3:
		return base + 0x80000000U;
	case 4:
		return base + rng_range(&f->r, 100, 100000);
	default:
		return (uint32_t)rng_next(&f->r);
	}
}

static void rand_lun(struct fz *f, uint8_t *lun)
{
	memset(lun, 0, 8);
	switch (rng_below(&f->r, 6)) {
	case 0:
		lun[1] = rng_below(&f->r, 4);		/* peripheral, small */
		break;
	case 1:
		lun[0] = 0x40 | rng_below(&f->r, 0x40);	/* flat space */
		lun[1] = (uint8_t)rng_next(&f->r);
		break;
	case 2:
		rng_fill(&f->r, lun, 8);
		break;
	default:
		break;				/* LUN 0 */
	}
}

/* ---- login-phase text -------------------------------------------------------------- */

static uint32_t add_raw(char *buf, uint32_t off, uint32_t size, const char *s, uint32_t len)
{
	if (off + len > size)
		len = size - off;
	memcpy(buf + off, s, len);
	return off + len;
}

static void rand_string(struct fz *f, char *out, uint32_t len, const char *set)
{
	size_t n = strlen(set);
	uint32_t i;

	for (i = 0; i < len; i++)
		out[i] = set[rng_below(&f->r, n)];
	out[len] = '\0';
}

/* A value for a numerical key: ranges, edges, junk. */
static void rand_number(struct fz *f, char *out, size_t size)
{
	static const char *const edges[] = {
		"0", "1", "511", "512", "513", "8191", "8192", "65536", "262144", "16777215",
		"16777216", "4294967295", "4294967296", "-1", "0x10", "0X200", "0b", "1e3",
		"  5", "5 ", "007", "99999999999999999999999", "", "Yes", "None",
	};

	if (rng_pct(&f->r, 40))
		snprintf(out, size, "%u", rng_range(&f->r, 0, 1U << rng_range(&f->r, 1, 31)));
	else
		snprintf(out, size, "%s", edges[rng_below(&f->r, sizeof(edges) / sizeof(edges[0]))]);
}

static void rand_chap_a(struct fz *f, char *out, size_t size)
{
	size_t off = 0;
	unsigned int i, n = rng_range(&f->r, 1, 150);

	out[0] = '\0';
	for (i = 0; i < n && off + 12 < size; i++) {
		unsigned int v;

		switch (rng_below(&f->r, 6)) {
		case 0: v = 5; break;
		case 1: v = 8; break;
		case 2: v = rng_range(&f->r, 0, 300); break;
		case 3: v = rng_range(&f->r, 5, 8); break;
		default: v = rng_below(&f->r, 10); break;
		}
		off += snprintf(out + off, size - off, rng_pct(&f->r, 10) ? "%s0x%x" : "%s%u",
				i ? "," : "", v);
	}
	if (rng_pct(&f->r, 10) && off + 2 < size)
		strcat(out, ",");
}

static void rand_binary(struct fz *f, char *out, size_t size)
{
	uint32_t n = rng_len(&f->r, rng_pct(&f->r, 80) ? 40 : 1100), i;
	size_t off = 0;

	switch (rng_below(&f->r, 4)) {
	case 0:
		off = snprintf(out, size, "0x");
		for (i = 0; i < n && off + 3 < size; i++)
			off += snprintf(out + off, size - off, "%02x", (unsigned int)rng_below(&f->r, 256));
		break;
	case 1:
		out[0] = '0';
		out[1] = 'b';
		rand_string(f, out + 2, n * 4 / 3 < size - 3 ? n * 4 / 3 : (uint32_t)size - 3,
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
		break;
	case 2:
		snprintf(out, size, "%u", rng_below(&f->r, 300));
		break;
	default:
		rand_string(f, out, n < size - 1 ? n : (uint32_t)size - 1, "0xXbB1234567890abcdefg=-");
		break;
	}
}

static const char *const op_keys[] = {
	"HeaderDigest", "DataDigest", "MaxConnections", "InitialR2T", "ImmediateData",
	"MaxRecvDataSegmentLength", "MaxBurstLength", "FirstBurstLength", "DefaultTime2Wait",
	"DefaultTime2Retain", "MaxOutstandingR2T", "DataPDUInOrder", "DataSequenceInOrder",
	"ErrorRecoveryLevel", "OFMarker", "IFMarker", "OFMarkInt", "IFMarkInt",
	"TaskReporting", "iSCSIProtocolLevel", "X#NodeArchitecture", "SendTargets",
	"TargetAlias", "InitiatorAlias", "TargetAddress", "TargetPortalGroupTag",
};

/* Login text: a random mix of the identity, security and operational keys. */
static uint32_t gen_login_text(struct fz *f, char *buf, uint32_t size, bool first)
{
	char val[2600], key[96];
	uint32_t off = 0, i, nkeys = rng_range(&f->r, 0, 12);

	if (first || rng_pct(&f->r, 20)) {
		switch (rng_below(&f->r, 10)) {
		case 0: off = text_add(buf, off, size, "InitiatorName", ""); break;
		case 1:
			rand_string(f, val, 300, "abcdefghijklmnopqrstuvwxyz.:-");
			off = text_add(buf, off, size, "InitiatorName", val);
			break;
		case 2: break;
		default: off = text_add(buf, off, size, "InitiatorName", f->cfg->initiator); break;
		}
		switch (rng_below(&f->r, 10)) {
		case 0: case 1: case 2: case 3:
			off = text_add(buf, off, size, "TargetName", f->cfg->target);
			break;
		case 4:
			off = text_add(buf, off, size, "TargetName",
				       f->cfg->chap_target ? f->cfg->chap_target : "iqn.nope:x");
			break;
		case 5: off = text_add(buf, off, size, "TargetName", "iqn.2024-01.org.kitt:unknown"); break;
		case 6:
			rand_string(f, val, rng_range(&f->r, 0, 400), "iqn.:-xyz\x7f ");
			off = text_add(buf, off, size, "TargetName", val);
			break;
		default: break;
		}
		switch (rng_below(&f->r, 8)) {
		case 0: case 1: case 2: off = text_add(buf, off, size, "SessionType", "Normal"); break;
		case 3: case 4: off = text_add(buf, off, size, "SessionType", "Discovery"); break;
		case 5: off = text_add(buf, off, size, "SessionType", "Bogus"); break;
		default: break;
		}
	}
	for (i = 0; i < nkeys && off < size; i++) {
		switch (rng_below(&f->r, 12)) {
		case 0: {
			static const char *const am[] = {
				"None", "CHAP", "CHAP,None", "None,CHAP", "KRB5,SRP,SPKM1,CHAP",
				"Reject", "", "none", "CHAP,CHAP,CHAP", "SRP",
			};
			off = text_add(buf, off, size, "AuthMethod", am[rng_below(&f->r, 10)]);
			break;
		}
		case 1:
			rand_chap_a(f, val, rng_pct(&f->r, 70) ? 250 : sizeof(val));
			off = text_add(buf, off, size, "CHAP_A", val);
			break;
		case 2: {
			static const char *const ck[] = { "CHAP_N", "CHAP_R", "CHAP_I", "CHAP_C" };

			if (rng_pct(&f->r, 25))
				snprintf(val, sizeof(val), "%s", f->cfg->chap_user ? f->cfg->chap_user : "u");
			else
				rand_binary(f, val, sizeof(val));
			off = text_add(buf, off, size, ck[rng_below(&f->r, 4)], val);
			break;
		}
		case 3: case 4: case 5: {
			const char *k = op_keys[rng_below(&f->r, sizeof(op_keys) / sizeof(op_keys[0]))];

			switch (rng_below(&f->r, 4)) {
			case 0: rand_number(f, val, sizeof(val)); break;
			case 1: snprintf(val, sizeof(val), "%s", rng_pct(&f->r, 50) ? "Yes" : "No"); break;
			case 2: snprintf(val, sizeof(val), "%s", rng_pct(&f->r, 50) ? "CRC32C,None" : "None,CRC32C,Bogus"); break;
			default: rand_string(f, val, rng_range(&f->r, 0, 300), "abcXYZ019,.-"); break;
			}
			off = text_add(buf, off, size, k, val);
			break;
		}
		case 6:
			snprintf(key, sizeof(key), "X-org.kitt.fuzz%u", rng_below(&f->r, 50));
			rand_string(f, val, rng_len(&f->r, 255), "abc01=,");
			off = text_add(buf, off, size, key, val);
			break;
		case 7:
			rand_string(f, key, rng_range(&f->r, 1, 90), "abcdefXYZ012._-+@# ");
			off = text_add(buf, off, size, key, "v");
			break;
		case 8:	/* structure damage */
			switch (rng_below(&f->r, 5)) {
			case 0: off = add_raw(buf, off, size, "NoEquals", 8); break;
			case 1: off = add_raw(buf, off, size, "=value", 7); break;
			case 2: off = add_raw(buf, off, size, "Key=\x01\x02\xff", 8); break;
			case 3: off = add_raw(buf, off, size, "\0\0\0", 3); break;
			default: off = add_raw(buf, off, size, "Trailing=x", 10); break;	/* no NUL */
			}
			break;
		case 9:	/* a duplicate of the first key */
			if (off) {
				uint32_t n = strnlen(buf, off);

				if (n < off)
					off = add_raw(buf, off, size, buf, n + 1);
			}
			break;
		case 10:
			off = text_add(buf, off, size, "SessionType",
				       rng_pct(&f->r, 50) ? "Discovery" : "Normal");
			break;
		default:
			rand_string(f, val, rng_range(&f->r, 200, 2500), "ab");
			off = text_add(buf, off, size, "InitiatorAlias", val);
			break;
		}
	}
	return off;
}

/* ---- login plans ------------------------------------------------------------------------ */

static int open_conn(struct fz *f, int rcvbuf)
{
	return conn_open(f->c, &f->cfg->portal, f->cfg->plen, NULL, rcvbuf);
}

/*
 * Logins that go nowhere come from many addresses when the portal is on
 * loopback (127.0.0.2 - 127.0.0.201), so they meet the listener's limit
 * as well as the one per address, and leave room for the real logins.
 */
static const char *stray_source(struct fz *f, char *buf, size_t size)
{
	if (!f->cfg->loopback)
		return NULL;
	snprintf(buf, size, "127.0.0.%u", 2 + rng_below(&f->r, 200));
	return buf;
}

static void hold(struct fz *f, unsigned int ms)
{
	double end = now_s() + ms_left(f, ms) / 1000.0;

	while (!f->c->closed && now_s() < end)
		pump(f->c, (int)((end - now_s()) * 1000) + 1);
}

static void finish_raw(struct fz *f)
{
	switch (rng_below(&f->r, 3)) {
	case 0:
		conn_close(f->c);
		break;
	case 1:
		conn_abort(f->c);
		break;
	default: {
		struct pdu p;

		while (recv_pdu(f->c, &p, ms_left(f, 1000)) == 0)
			consume_pdu(f->c, &p);
		conn_close(f->c);
		break;
	}
	}
}

static void plan_login_abuse(struct fz *f)
{
	struct conn *c = f->c;
	unsigned int i, n = rng_range(&f->r, 1, 6);
	uint8_t bhs[BHS_LEN], isid[6], csg = rng_pct(&f->r, 70) ? STAGE_SEC : STAGE_OP;
	uint16_t tsih = rng_pct(&f->r, 80) ? 0 : (uint16_t)rng_next(&f->r);
	uint16_t cid = rng_pct(&f->r, 80) ? 0 : (uint16_t)rng_next(&f->r);
	uint32_t itt = (uint32_t)rng_next(&f->r), cmdsn = (uint32_t)rng_next(&f->r);
	char *text = malloc(80 * 1024);

	count(f, A_LOGIN_ABUSE);
	stat_add(f->st, ST_LOGIN_ABUSE, 1);
	c->strict = false;
	if (!text || open_conn(f, 0)) {
		free(text);
		return;
	}
	rng_fill(&f->r, isid, 6);
	for (i = 0; i < n && !c->closed; i++) {
		uint32_t len = gen_login_text(f, text, 80 * 1024, !i), cut = 0, ahs_len = 0;
		uint8_t ahs[64], nsg = rng_pct(&f->r, 50) ? STAGE_FFP : STAGE_OP;
		struct pdu p;

		if (rng_pct(&f->r, 10)) {
			/* A long chain of C-bit PDUs, past the 64 KiB the target keeps. */
			uint32_t total = rng_range(&f->r, 8192, 72 * 1024), done = 0;

			while (total > len && len < 80 * 1024 - 8) {
				len = text_add(text, len, 80 * 1024, "X-fill", "abcdefghijklmnopqrstuvwxyz0123456789");
				if (len + 64 >= 80 * 1024)
					break;
			}
			while (done < len && !c->closed) {
				uint32_t seg = len - done > LOGIN_DSL ? LOGIN_DSL : len - done;

				memset(bhs, 0, BHS_LEN);
				bhs[0] = OP_LOGIN_REQ | OP_IMMEDIATE;
				bhs[1] = (csg << 2) | (done + seg < len ? FL_LOGIN_CONTINUE : 0);
				put_dlen(bhs, seg);
				memcpy(bhs + 8, isid, 6);
				put_be16(bhs + 14, tsih);
				put_be32(bhs + B_ITT, itt);
				put_be16(bhs + 20, cid);
				put_be32(bhs + B_CMDSN, cmdsn);
				if (send_pdu_ex(c, bhs, NULL, 0, text + done, seg, SF_NO_DIGESTS, 0,
						ms_left(f, 3000)))
					break;
				done += seg;
				if (recv_pdu(c, &p, ms_left(f, 3000)) == 0)
					consume_pdu(c, &p);
			}
			continue;
		}
		if (len > LOGIN_DSL && rng_pct(&f->r, 70))
			len = LOGIN_DSL;
		memset(bhs, 0, BHS_LEN);
		bhs[0] = OP_LOGIN_REQ | (rng_pct(&f->r, 90) ? OP_IMMEDIATE : 0);
		if (rng_pct(&f->r, 4))
			bhs[0] = (uint8_t)rng_below(&f->r, 0x80);	/* any opcode during login */
		if (rng_pct(&f->r, 75))
			bhs[1] = (csg << 2) | nsg | (rng_pct(&f->r, 70) ? FL_LOGIN_TRANSIT : 0);
		else
			bhs[1] = (uint8_t)rng_next(&f->r);
		if (rng_pct(&f->r, 5)) {
			bhs[2] = (uint8_t)rng_next(&f->r);
			bhs[3] = (uint8_t)rng_next(&f->r);
		}
		if (rng_pct(&f->r, 5))
			rng_fill(&f->r, isid, 6);	/* ISID changes mid-login */
		if (rng_pct(&f->r, 3))
			tsih = (uint16_t)rng_next(&f->r);
		if (rng_pct(&f->r, 3))
			cid = (uint16_t)rng_next(&f->r);
		if (rng_pct(&f->r, 5))
			itt = (uint32_t)rng_next(&f->r);
		memcpy(bhs + 8, isid, 6);
		put_be16(bhs + 14, tsih);
		put_be32(bhs + B_ITT, itt);
		put_be16(bhs + 20, cid);
		put_be32(bhs + B_CMDSN, rng_pct(&f->r, 90) ? cmdsn : (uint32_t)rng_next(&f->r));
		put_be32(bhs + B_EXPSTATSN, (uint32_t)rng_next(&f->r));
		if (rng_pct(&f->r, 4)) {
			ahs_len = 4 * rng_range(&f->r, 1, 16);
			rng_fill(&f->r, ahs, ahs_len);
			bhs[4] = ahs_len / 4;
		}
		put_dlen(bhs, len);
		if (rng_pct(&f->r, 4)) {
			/* Claim more than 8192 bytes; send a little of it. */
			put_dlen(bhs, rng_range(&f->r, LOGIN_DSL + 1, MAX_DSL));
			cut = BHS_LEN + ahs_len + rng_below(&f->r, 200);
			c->desync = true;
		}
		if (send_pdu_ex(c, bhs, ahs, ahs_len, text, len > 80 * 1024 ? 0 : len,
				SF_NO_DIGESTS, cut, ms_left(f, 3000)))
			break;
		if (cut)
			break;
		if (rng_pct(&f->r, 75)) {
			if (recv_pdu(c, &p, ms_left(f, 5000)))
				break;
			if ((p.bhs[0] & OP_MASK) == OP_LOGIN_RSP && !p.bhs[36] &&
			    (p.bhs[1] & FL_LOGIN_TRANSIT))
				csg = p.bhs[1] & 3;
			consume_pdu(c, &p);
		}
	}
	free(text);
	finish_raw(f);
}

/* A partial first PDU, or nothing, then silence. */
static void stall_one(struct fz *f, struct conn *c)
{
	uint8_t bhs[BHS_LEN];
	char text[512];
	uint32_t len;

	switch (rng_below(&f->r, 3)) {
	case 0:
		break;
	case 1:
		memset(bhs, 0, BHS_LEN);
		bhs[0] = OP_LOGIN_REQ | OP_IMMEDIATE;
		bhs[1] = STAGE_OP;
		put_dlen(bhs, 100);
		send_raw(c, bhs, rng_range(&f->r, 1, BHS_LEN), 2000);
		break;
	default:
		len = text_add(text, 0, sizeof(text), "InitiatorName", f->cfg->initiator);
		len = text_add(text, len, sizeof(text), "TargetName", f->cfg->target);
		len = text_add(text, len, sizeof(text), "AuthMethod", "None");
		memset(bhs, 0, BHS_LEN);
		bhs[0] = OP_LOGIN_REQ | OP_IMMEDIATE;
		bhs[1] = STAGE_SEC << 2 | STAGE_OP;	/* no transit: the login goes on */
		bhs[8] = 0x80;
		put_be32(bhs + B_ITT, 1);
		put_dlen(bhs, len);
		send_pdu_ex(c, bhs, NULL, 0, text, len, SF_NO_DIGESTS, 0, 2000);
		break;
	}
}

static void plan_login_stall(struct fz *f)
{
	char src[32];
	unsigned int ms = rng_pct(&f->r, 3) ? 17000 : rng_below(&f->r, 3000);

	count(f, A_LOGIN_STALL);
	f->c->strict = false;
	if (conn_open(f->c, &f->cfg->portal, f->cfg->plen, stray_source(f, src, sizeof(src)), 0))
		return;
	stall_one(f, f->c);
	hold(f, ms);
	finish_raw(f);
}

static void plan_crowd(struct fz *f)
{
	unsigned int i, n = rng_range(&f->r, 4, 24);
	struct conn *cs[24];
	char src[32];

	count(f, A_CROWD);
	for (i = 0; i < n; i++) {
		cs[i] = conn_new(f->n, f->st, 0);
		if (!cs[i])
			break;
		cs[i]->strict = false;
		if (!conn_open(cs[i], &f->cfg->portal, f->cfg->plen, stray_source(f, src, sizeof(src)), 0))
			stall_one(f, cs[i]);
	}
	n = i;
	sleep_ms(ms_left(f, rng_below(&f->r, 2000)));
	for (i = 0; i < n; i++) {
		if (rng_pct(&f->r, 30))
			conn_abort(cs[i]);
		conn_free(cs[i]);
	}
}

static int plan_login(struct fz *f)
{
	static const char *const dig[] = { "None", "CRC32C", "CRC32C,None", "None,CRC32C" };
	static const uint32_t mrdsl[] = { 512, 4096, 8192, 65536, 262144, 1048576, 16777215 };
	struct login_opts o = { 0 };
	char extra[1024], v[32];
	uint32_t elen = 0;
	unsigned int kind = rng_below(&f->r, 100);
	int ret;

	o.initiator = f->cfg->initiator;
	o.target = f->cfg->target;
	if (kind < 15) {
		o.target = NULL;
		count(f, A_LOGIN_DISC);
	} else if (kind < 27 && f->cfg->chap_target) {
		o.target = f->cfg->chap_target;
		o.chap_user = f->cfg->chap_user;
		o.chap_secret = f->cfg->chap_secret;
		count(f, A_LOGIN_CHAP);
	} else {
		count(f, A_LOGIN);
	}
	o.hd = dig[rng_below(&f->r, 4)];
	o.dd = dig[rng_below(&f->r, 4)];
	o.mrdsl = mrdsl[rng_below(&f->r, 7)];
	o.cmdsn = (uint32_t)rng_next(&f->r);
	o.timeout_ms = 20000;
	if (o.target) {
		uint32_t mbl = rng_pct(&f->r, 50) ? 262144 : rng_range(&f->r, 512, 1 << 20);

		snprintf(v, sizeof(v), "%u", mbl);
		elen = text_add(extra, elen, sizeof(extra), "MaxBurstLength", v);
		snprintf(v, sizeof(v), "%u", rng_pct(&f->r, 50) ? 65536 : rng_range(&f->r, 512, mbl));
		elen = text_add(extra, elen, sizeof(extra), "FirstBurstLength", v);
		elen = text_add(extra, elen, sizeof(extra), "InitialR2T", rng_pct(&f->r, 50) ? "Yes" : "No");
		elen = text_add(extra, elen, sizeof(extra), "ImmediateData", rng_pct(&f->r, 70) ? "Yes" : "No");
		snprintf(v, sizeof(v), "%u", rng_range(&f->r, 1, 8));
		elen = text_add(extra, elen, sizeof(extra), "MaxOutstandingR2T", v);
		snprintf(v, sizeof(v), "%u", rng_range(&f->r, 1, 8));
		elen = text_add(extra, elen, sizeof(extra), "MaxConnections", v);
		if (rng_pct(&f->r, 10))
			elen = text_add(extra, elen, sizeof(extra), "X-org.kitt.fuzz", "1");
	}
	o.extra = extra;
	o.extra_len = elen;
	if (open_conn(f, 0))
		return -1;
	ret = login(f->c, &o);
	if (ret) {
		if (f->cfg->verbose)
			fprintf(stderr, "conn %llu: login failed: %d (0x%04x)\n",
				(unsigned long long)f->n, ret, ret > 0 ? ret : 0);
		conn_close(f->c);
		return -1;
	}
	f->normal = o.target != NULL;
	f->blocks = 2048;
	f->bs = 512;
	if (f->normal) {
		uint64_t b;
		uint32_t bs;

		if (!scsi_capacity(f->c, &b, &bs, ms_left(f, 15000)) && bs >= 512 && bs <= 65536) {
			f->blocks = b;
			f->bs = bs;
		}
	}
	return 0;
}

/* ---- full feature phase actions ------------------------------------------------------------ */

static uint32_t imm_for(struct conn *c, uint32_t edtl)
{
	uint32_t n = edtl;

	if (!c->imm_data)
		return 0;
	if (n > c->first_burst)
		n = c->first_burst;
	if (n > c->tx_max)
		n = c->tx_max;
	return n;
}

static bool ready(struct fz *f)
{
	struct conn *c = f->c;

	pump(c, 0);
	if (c->closed)
		return false;
	if (window_open(c))
		return true;
	if (wait_window(c, ms_left(f, 3000)))
		return true;
	resync_cmdsn(c);
	return !c->closed && window_open(c);
}

static bool task_done_cb(struct conn *c, void *arg)
{
	return ((struct task *)arg)->done || c->closed;
}

static void act_io(struct fz *f)
{
	struct conn *c = f->c;
	uint32_t max_blocks = (rng_pct(&f->r, 90) ? 262144 : 2 << 20) / f->bs, n, lba, edtl;
	uint8_t cdb[16] = { 0 };
	unsigned int flags, variant = rng_below(&f->r, 10), cdb_len = 10;
	bool write = rng_pct(&f->r, 50);
	struct task *t;

	count(f, A_IO);
	if (!ready(f))
		return;
	n = rng_range(&f->r, 1, max_blocks ? max_blocks : 1);
	if (n > f->blocks)
		n = (uint32_t)f->blocks;
	lba = rng_pct(&f->r, 5) ? (uint32_t)f->blocks - rng_below(&f->r, 4)
				: rng_below(&f->r, (uint32_t)(f->blocks - n + 1));
	edtl = n * f->bs;
	if (variant == 0 && n <= 255) {
		cdb[0] = write ? 0x0a : 0x08;	/* 6-byte */
		cdb[1] = (lba >> 16) & 0x1f;
		cdb[2] = lba >> 8;
		cdb[3] = lba;
		cdb[4] = n == 256 ? 0 : n;
		cdb_len = 6;
	} else if (variant == 1) {
		cdb[0] = write ? 0xaa : 0xa8;	/* 12-byte */
		put_be32(cdb + 2, lba);
		put_be32(cdb + 6, n);
		cdb_len = 12;
	} else if (variant == 2) {
		cdb[0] = write ? 0x8a : 0x88;	/* 16-byte */
		put_be32(cdb + 6, lba);
		put_be32(cdb + 10, n);
		cdb_len = 16;
	} else {
		cdb_rw10(cdb, write, lba, (uint16_t)n);
		if (n > 0xffff)
			put_be16(cdb + 7, 0xffff);
	}
	if (rng_pct(&f->r, 5))
		cdb[1] |= 0x08;	/* FUA */
	if (rng_pct(&f->r, 5))
		edtl = rng_pct(&f->r, 50) ? edtl / 2 : edtl + f->bs;	/* residuals */
	flags = write ? CF_WRITE : CF_READ;
	if (rng_pct(&f->r, 10))
		flags |= CF_IMM;
	t = cmd_send(c, cdb, cdb_len, edtl, flags, write ? imm_for(c, edtl) : 0, NULL, 0, 0);
	if (t && rng_pct(&f->r, 40))
		wait_until(c, ms_left(f, 20000), task_done_cb, t);
}

static uint32_t misc_cdb(struct fz *f, uint8_t *cdb, uint32_t *edtl, unsigned int *flags)
{
	struct rng *r = &f->r;
	uint32_t lba = rng_below(r, (uint32_t)f->blocks), alloc = rng_len(r, rng_pct(r, 80) ? 4096 : 70000);
	uint32_t nb = rng_range(r, 0, 8);

	memset(cdb, 0, 16);
	*flags = CF_READ;
	*edtl = alloc;
	switch (rng_below(r, 24)) {
	case 0:
		*flags = 0;
		*edtl = 0;
		return 6;				/* TEST UNIT READY */
	case 1:
		cdb[0] = 0x03;				/* REQUEST SENSE */
		cdb[4] = (uint8_t)alloc;
		*edtl = alloc & 0xff;
		return 6;
	case 2:
		cdb[0] = 0x12;				/* INQUIRY */
		if (rng_pct(r, 60)) {
			static const uint8_t pages[] = { 0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1, 0xb2, 0xb3, 0x89 };

			cdb[1] = 1;
			cdb[2] = rng_pct(r, 80) ? pages[rng_below(r, sizeof(pages))] : (uint8_t)rng_next(r);
		} else if (rng_pct(r, 20)) {
			cdb[1] = (uint8_t)rng_next(r);
			cdb[2] = (uint8_t)rng_next(r);
		}
		put_be16(cdb + 3, (uint16_t)alloc);
		*edtl = alloc & 0xffff;
		return 6;
	case 3:
		cdb[0] = 0x1a;				/* MODE SENSE(6) */
		cdb[1] = rng_pct(r, 50) ? 0x08 : 0;
		cdb[2] = (uint8_t)rng_next(r);
		cdb[3] = rng_pct(r, 70) ? 0 : (uint8_t)rng_next(r);
		cdb[4] = (uint8_t)alloc;
		*edtl = alloc & 0xff;
		return 6;
	case 4:
		cdb[0] = 0x5a;				/* MODE SENSE(10) */
		cdb[1] = (uint8_t)(rng_next(r) & 0x18);
		cdb[2] = (uint8_t)rng_next(r);
		cdb[3] = rng_pct(r, 70) ? 0 : (uint8_t)rng_next(r);
		put_be16(cdb + 7, (uint16_t)alloc);
		*edtl = alloc & 0xffff;
		return 10;
	case 5:
		cdb[0] = rng_pct(r, 50) ? 0x15 : 0x55;	/* MODE SELECT(6/10) */
		cdb[1] = rng_pct(r, 70) ? 0x10 : (uint8_t)rng_next(r);
		*edtl = rng_len(r, 300);
		if (cdb[0] == 0x15)
			cdb[4] = (uint8_t)*edtl;
		else
			put_be16(cdb + 7, (uint16_t)*edtl);
		*flags = CF_WRITE;
		return cdb[0] == 0x15 ? 6 : 10;
	case 6:
		cdb[0] = 0x25;				/* READ CAPACITY(10) */
		*edtl = 8;
		return 10;
	case 7:
		cdb[0] = 0x9e;				/* READ CAPACITY(16) / GET LBA STATUS */
		cdb[1] = rng_pct(r, 70) ? 0x10 : 0x12;
		put_be32(cdb + 2, rng_pct(r, 50) ? 0 : (uint32_t)rng_next(r));
		put_be32(cdb + 6, lba);
		put_be32(cdb + 10, alloc);
		return 16;
	case 8:
		cdb[0] = 0xa0;				/* REPORT LUNS */
		cdb[2] = rng_pct(r, 70) ? 0 : (uint8_t)rng_next(r);
		put_be32(cdb + 6, alloc);
		return 12;
	case 9:
		cdb[0] = 0xa3;				/* REPORT SUPPORTED OPERATION CODES */
		cdb[1] = 0x0c;
		cdb[2] = (uint8_t)rng_next(r);
		cdb[3] = (uint8_t)rng_next(r);
		put_be16(cdb + 4, (uint16_t)rng_next(r));
		put_be32(cdb + 6, alloc);
		return 12;
	case 10:
		cdb[0] = rng_pct(r, 50) ? 0x2f : 0x8f;	/* VERIFY(10/16) */
		cdb[1] = (uint8_t)(rng_below(r, 4) << 1);
		if (cdb[0] == 0x2f) {
			put_be32(cdb + 2, lba);
			put_be16(cdb + 7, (uint16_t)nb);
		} else {
			put_be32(cdb + 6, lba);
			put_be32(cdb + 10, nb);
		}
		*flags = cdb[1] & 0x02 ? CF_WRITE : 0;
		*edtl = cdb[1] & 0x06 ? nb * f->bs : 0;
		if ((cdb[1] & 0x06) == 0x06)
			*edtl = f->bs;
		return cdb[0] == 0x2f ? 10 : 16;
	case 11:
		cdb[0] = rng_pct(r, 50) ? 0x41 : 0x93;	/* WRITE SAME(10/16) */
		cdb[1] = (uint8_t)(rng_next(r) & 0x09);
		if (cdb[0] == 0x41) {
			put_be32(cdb + 2, lba);
			put_be16(cdb + 7, (uint16_t)rng_len(r, 4096));
		} else {
			put_be32(cdb + 6, lba);
			put_be32(cdb + 10, rng_len(r, 70000));
		}
		*flags = cdb[1] & 0x01 ? 0 : CF_WRITE;	/* NDOB */
		*edtl = cdb[1] & 0x01 ? 0 : f->bs;
		return cdb[0] == 0x41 ? 10 : 16;
	case 12:
		cdb[0] = 0x42;				/* UNMAP */
		*edtl = 8 + 16 * rng_range(r, 0, 300);
		if (rng_pct(r, 20))
			*edtl = rng_len(r, 9000);
		put_be16(cdb + 7, (uint16_t)*edtl);
		*flags = CF_WRITE;
		return 10;
	case 13:
		cdb[0] = 0x89;				/* COMPARE AND WRITE */
		cdb[13] = (uint8_t)rng_range(r, 0, 4);
		if (rng_pct(r, 10))
			cdb[13] = (uint8_t)rng_next(r);
		put_be32(cdb + 6, lba);
		*edtl = 2 * cdb[13] * f->bs;
		if (rng_pct(r, 10))
			*edtl = rng_len(r, 4096);
		*flags = CF_WRITE;
		return 16;
	case 14:
		cdb[0] = rng_pct(r, 50) ? 0x35 : 0x91;	/* SYNCHRONIZE CACHE */
		*flags = 0;
		*edtl = 0;
		return cdb[0] == 0x35 ? 10 : 16;
	case 15:
		cdb[0] = 0x1b;				/* START STOP UNIT */
		cdb[4] = (uint8_t)rng_next(r);
		*flags = 0;
		*edtl = 0;
		return 6;
	case 16:
		cdb[0] = rng_pct(r, 50) ? 0x16 : 0x17;	/* RESERVE / RELEASE(6) */
		if (rng_pct(r, 30))
			cdb[0] += 0x40;			/* (10) */
		*flags = 0;
		*edtl = 0;
		return cdb[0] >= 0x56 ? 10 : 6;
	case 17:
		cdb[0] = 0x5e;				/* PERSISTENT RESERVE IN */
		cdb[1] = (uint8_t)rng_below(r, rng_pct(r, 80) ? 4 : 32);
		put_be16(cdb + 7, (uint16_t)alloc);
		*edtl = alloc & 0xffff;
		return 10;
	case 18:
		cdb[0] = 0x8b;				/* ORWRITE(16) */
		put_be32(cdb + 6, lba);
		put_be32(cdb + 10, nb);
		*edtl = nb * f->bs;
		*flags = CF_WRITE;
		return 16;
	case 19:
		cdb[0] = rng_pct(r, 50) ? 0x2e : 0x8e;	/* WRITE AND VERIFY */
		cdb[1] = (uint8_t)(rng_next(r) & 0x06);
		if (cdb[0] == 0x2e) {
			put_be32(cdb + 2, lba);
			put_be16(cdb + 7, (uint16_t)nb);
		} else {
			put_be32(cdb + 6, lba);
			put_be32(cdb + 10, nb);
		}
		*edtl = nb * f->bs;
		*flags = CF_WRITE;
		return cdb[0] == 0x2e ? 10 : 16;
	case 20:
		cdb[0] = rng_pct(r, 50) ? 0x37 : 0xb7;	/* READ DEFECT DATA */
		cdb[2] = (uint8_t)rng_next(r);
		if (cdb[0] == 0x37) {
			put_be16(cdb + 7, (uint16_t)alloc);
			*edtl = alloc & 0xffff;
		} else {
			put_be32(cdb + 6, alloc);
		}
		return cdb[0] == 0x37 ? 10 : 12;
	case 21:
		cdb[0] = rng_pct(r, 50) ? 0x34 : 0x90;	/* PRE-FETCH */
		put_be32(cdb + (cdb[0] == 0x34 ? 2 : 6), lba);
		*flags = 0;
		*edtl = 0;
		return cdb[0] == 0x34 ? 10 : 16;
	case 22:
		cdb[0] = 0x1e;				/* PREVENT ALLOW MEDIUM REMOVAL */
		cdb[4] = (uint8_t)rng_below(r, 4);
		*flags = 0;
		*edtl = 0;
		return 6;
	default:
		cdb[0] = 0x7f;				/* variable length: with an AHS */
		cdb[7] = 0x18;
		*flags = 0;
		*edtl = 0;
		return 32;
	}
}

/* Opcodes a fuzzer must leave alone: they would outlive the run. */
static uint8_t safe_opcode(uint8_t op)
{
	return op == 0x5f || op == 0xa4 ? 0x00 : op;	/* PR OUT, MAINTENANCE OUT */
}

static void send_cdb(struct fz *f, uint8_t *cdb, uint32_t cdb_len, uint32_t edtl, unsigned int flags)
{
	struct conn *c = f->c;
	uint8_t *w = NULL;
	struct task *t;

	cdb[0] = safe_opcode(cdb[0]);
	if (rng_pct(&f->r, 10)) {
		/* Flags or length that do not fit the CDB. */
		edtl = rng_len(&f->r, 1 << 20);
		flags = (flags & ~(CF_READ | CF_WRITE)) |
			(rng_pct(&f->r, 50) ? CF_READ : 0) | (rng_pct(&f->r, 50) ? CF_WRITE : 0);
	}
	if (rng_pct(&f->r, 10))
		flags |= CF_IMM;
	if ((flags & CF_WRITE) && edtl && edtl <= 1 << 20) {
		w = malloc(edtl);
		if (w) {
			rng_fill(&f->r, w, edtl);
			if (cdb[0] == 0x42 && edtl >= 8) {	/* UNMAP: a header that fits */
				put_be16(w, (uint16_t)(edtl - 2));
				put_be16(w + 2, (uint16_t)(edtl - 8));
			}
		}
	}
	if (!(flags & CF_WRITE))
		edtl = flags & CF_READ ? edtl : 0;
	t = cmd_send(c, cdb, cdb_len, edtl, flags, (flags & CF_WRITE) ? imm_for(c, edtl) : 0, w, 0, 0);
	free(w);
	if (t && rng_pct(&f->r, 40))
		wait_until(c, ms_left(f, 15000), task_done_cb, t);
}

static void act_scsi_misc(struct fz *f)
{
	uint8_t cdb[260] = { 0 };
	uint32_t edtl, len;
	unsigned int flags;

	count(f, A_SCSI_MISC);
	if (!ready(f))
		return;
	len = misc_cdb(f, cdb, &edtl, &flags);
	send_cdb(f, cdb, len, edtl, flags);
}

static void act_random_cdb(struct fz *f)
{
	static const uint32_t lens[] = { 6, 10, 12, 16 };
	uint8_t cdb[260];
	uint32_t len = rng_pct(&f->r, 85) ? lens[rng_below(&f->r, 4)] : rng_range(&f->r, 17, 260);
	uint32_t edtl = rng_pct(&f->r, 30) ? 0 : rng_len(&f->r, rng_pct(&f->r, 80) ? 65536 : 1 << 20);
	unsigned int flags = 0;

	count(f, A_RANDOM_CDB);
	if (!ready(f))
		return;
	rng_fill(&f->r, cdb, len);
	if (rng_pct(&f->r, 50)) {
		static const uint8_t known[] = {
			0x00, 0x03, 0x12, 0x15, 0x1a, 0x1b, 0x1e, 0x25, 0x28, 0x2a, 0x2e, 0x2f,
			0x34, 0x35, 0x37, 0x41, 0x42, 0x55, 0x5a, 0x5e, 0x7f, 0x88, 0x89, 0x8a,
			0x8b, 0x8e, 0x8f, 0x90, 0x91, 0x93, 0x9e, 0xa0, 0xa3, 0xa8, 0xaa, 0xb7,
			0x08, 0x0a, 0x16, 0x17, 0x56, 0x57,
		};
		cdb[0] = known[rng_below(&f->r, sizeof(known))];
	}
	if (edtl)
		flags = rng_pct(&f->r, 50) ? CF_READ : CF_WRITE;
	send_cdb(f, cdb, len, edtl, flags);
}

static void act_bad_ahs(struct fz *f)
{
	struct conn *c = f->c;
	uint8_t bhs[BHS_LEN], ahs[1020];
	uint32_t ahs_len = 4 * rng_range(&f->r, 1, 20), dlen = 0;
	struct task *t;

	count(f, A_BAD_AHS);
	if (!ready(f))
		return;
	if (rng_pct(&f->r, 10))
		ahs_len = 4 * rng_range(&f->r, 21, 255);
	rng_fill(&f->r, ahs, ahs_len);
	switch (rng_below(&f->r, 6)) {
	case 0:	/* extended CDB whose length does not fit */
		put_be16(ahs, (uint16_t)rng_len(&f->r, 2000));
		ahs[2] = 1;
		break;
	case 1:	/* a good extended CDB, then another one */
		put_be16(ahs, 5);
		ahs[2] = 1;
		if (ahs_len >= 16) {
			put_be16(ahs + 8, 5);
			ahs[10] = 1;
		}
		break;
	case 2:	/* bidirectional read length */
		put_be16(ahs, rng_pct(&f->r, 50) ? 5 : (uint16_t)rng_below(&f->r, 9));
		ahs[2] = 2;
		break;
	case 3:	/* unknown type */
		put_be16(ahs, (uint16_t)(ahs_len - 4));
		ahs[2] = (uint8_t)rng_range(&f->r, 3, 255);
		break;
	case 4:	/* AHSLength 0 */
		put_be16(ahs, 0);
		ahs[2] = 1;
		break;
	default:
		break;
	}
	if (rng_pct(&f->r, 20)) {
		/* AHS on a PDU that has none */
		bhs_init(f, bhs, OP_NOOP_OUT | OP_IMMEDIATE, FL_FINAL);
		bhs[4] = ahs_len / 4;
		send_pdu_ex(c, bhs, ahs, ahs_len, NULL, 0, 0, 0, 0);
		return;
	}
	bhs_init(f, bhs, OP_SCSI_CMD | (rng_pct(&f->r, 20) ? OP_IMMEDIATE : 0),
		 FL_FINAL | FL_CMD_READ | FL_CMD_SIMPLE);
	put_be32(bhs + 20, 512);
	bhs[32] = rng_pct(&f->r, 50) ? 0x7f : 0x28;
	bhs[40] = 1;
	if (!(bhs[0] & OP_IMMEDIATE))
		c->cmdsn++;
	bhs[4] = ahs_len / 4;
	put_dlen(bhs, dlen);
	t = task_register(c, get_be32(bhs + B_ITT), get_be32(bhs + B_CMDSN), 512,
			  CF_READ | CF_HOSTILE, bhs + 32);
	if (t)
		t->unsure = true;
	send_pdu_ex(c, bhs, ahs, ahs_len, NULL, 0, 0, 0, 0);
}

/* A write that waits for data; hostile: nobody answers its R2Ts. */
static struct task *hostile_write(struct fz *f, uint32_t edtl, bool nofinal)
{
	uint8_t cdb[16];
	uint32_t blocks = edtl / f->bs ? edtl / f->bs : 1;
	unsigned int flags = CF_WRITE | CF_HOSTILE | CF_NO_UNSOL;

	if (nofinal)
		flags |= CF_NOFINAL;
	cdb_rw10(cdb, true, rng_below(&f->r, (uint32_t)(f->blocks - blocks + 1)), (uint16_t)blocks);
	return cmd_send(f->c, cdb, 10, blocks * f->bs, flags, 0, NULL, 0, 0);
}

static bool has_r2t(struct conn *c, void *arg)
{
	return ((struct task *)arg)->npend || ((struct task *)arg)->done || c->closed;
}

static void act_dataout_hostile(struct fz *f)
{
	struct conn *c = f->c;
	uint32_t edtl = rng_range(&f->r, 1, 64) * f->bs, i, n = rng_range(&f->r, 1, 6);
	bool unsol = !c->initial_r2t && rng_pct(&f->r, 30);
	struct task *t;
	uint8_t *buf;

	count(f, A_DATAOUT_HOSTILE);
	if (!ready(f) || !f->hostile_left)
		return;
	t = hostile_write(f, edtl, unsol || rng_pct(&f->r, 10));
	if (!t)
		return;
	f->hostile_left--;
	edtl = t->edtl;
	if (!unsol)
		wait_until(c, ms_left(f, 3000), has_r2t, t);
	buf = malloc(c->tx_max);
	if (!buf)
		return;
	for (i = 0; i < n && !c->closed; i++) {
		uint8_t bhs[BHS_LEN] = { 0 };
		struct r2t_rec r = t->npend ? t->pend[0] : (struct r2t_rec){ RSVD_TAG, 0, edtl };
		uint32_t len = rng_len(&f->r, r.len < c->tx_max ? r.len : c->tx_max);
		uint32_t off = r.offset, sn = 0;

		bhs[0] = OP_DATA_OUT;
		bhs[1] = rng_pct(&f->r, 50) ? FL_FINAL : 0;
		memcpy(bhs + 8, t->lun, 8);
		put_be32(bhs + B_ITT, t->itt);
		put_be32(bhs + B_TTT, r.ttt);
		put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
		switch (rng_below(&f->r, 8)) {
		case 0: off += rng_range(&f->r, 1, 4096); break;	/* hole */
		case 1: off = off ? off - rng_range(&f->r, 1, off) : 0; break;	/* overlap */
		case 2: off = edtl - (len ? len - 1 : 0); break;	/* past the end */
		case 3: sn = rng_range(&f->r, 1, 5); break;		/* DataSN ahead */
		case 4: sn = (uint32_t)rng_next(&f->r); break;
		case 5: put_be32(bhs + B_TTT, (uint32_t)rng_next(&f->r)); break;
		case 6: put_be32(bhs + B_TTT, RSVD_TAG); break;	/* unsolicited when solicited */
		default: break;					/* in order, maybe short */
		}
		if (rng_pct(&f->r, 5))
			rand_lun(f, bhs + 8);
		put_be32(bhs + 36, sn);
		put_be32(bhs + 40, off);
		rng_fill(&f->r, buf, len);
		if (send_pdu(c, bhs, buf, len))
			break;
		pump(c, 0);
	}
	free(buf);
	/* Sometimes finish it properly afterwards (the R2Ts still pending). */
	if (rng_pct(&f->r, 40)) {
		t->hostile = false;
		pump(c, 0);
	}
}

static void act_dataout_unknown(struct fz *f)
{
	struct conn *c = f->c;
	uint8_t bhs[BHS_LEN] = { 0 }, *buf;
	uint32_t len = rng_len(&f->r, c->tx_max < 65536 ? c->tx_max : 65536), itt = 0;
	unsigned int i;

	count(f, A_DATAOUT_UNKNOWN);
	/* The ITT of a finished task, of a pending one, or anything. */
	for (i = rng_below(&f->r, MAX_TASKS); i < MAX_TASKS; i++) {
		if (c->tasks[i].used && rng_pct(&f->r, 50)) {
			itt = c->tasks[i].itt;
			break;
		}
	}
	if (!itt || rng_pct(&f->r, 30))
		itt = (uint32_t)rng_next(&f->r);
	buf = malloc(len ? len : 1);
	if (!buf)
		return;
	rng_fill(&f->r, buf, len);
	bhs[0] = OP_DATA_OUT;
	bhs[1] = rng_pct(&f->r, 70) ? FL_FINAL : 0;
	put_be32(bhs + B_ITT, itt);
	put_be32(bhs + B_TTT, rng_pct(&f->r, 50) ? RSVD_TAG : (uint32_t)rng_next(&f->r));
	put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
	put_be32(bhs + 36, rng_pct(&f->r, 50) ? 0 : (uint32_t)rng_next(&f->r));
	put_be32(bhs + 40, rng_pct(&f->r, 50) ? 0 : rng_len(&f->r, 1 << 20));
	send_pdu(c, bhs, buf, len);
	free(buf);
}

static void act_dup_itt(struct fz *f)
{
	struct conn *c = f->c;
	uint8_t cdb[16];
	uint32_t itt = c->itt_next++, bl = rng_range(&f->r, 1, 16);
	struct task *a, *b;
	unsigned int i;

	count(f, A_DUP_ITT);
	if (!ready(f))
		return;
	if (rng_pct(&f->r, 20)) {
		for (i = 0; i < MAX_TASKS; i++)
			if (c->tasks[i].used && !c->tasks[i].done)
				itt = c->tasks[i].itt;
	}
	cdb_rw10(cdb, false, rng_below(&f->r, (uint32_t)(f->blocks - bl + 1)), (uint16_t)bl);
	a = cmd_send(c, cdb, 10, bl * f->bs, CF_READ, 0, NULL, itt, 0);
	if (rng_pct(&f->r, 50)) {
		b = cmd_send(c, (const uint8_t[16]){ 0 }, 6, 0, rng_pct(&f->r, 50) ? CF_IMM : 0, 0,
			     NULL, itt, 0);
	} else {
		bool w = rng_pct(&f->r, 50);

		cdb_rw10(cdb, w, rng_below(&f->r, (uint32_t)(f->blocks - bl + 1)), (uint16_t)bl);
		b = cmd_send(c, cdb, 10, bl * f->bs, w ? CF_WRITE : CF_READ, w ? imm_for(c, bl * f->bs) : 0,
			     NULL, itt, 0);
	}
	if (a)
		a->unsure = true;
	if (b)
		b->unsure = true;
}

static void act_window(struct fz *f)
{
	struct conn *c = f->c;
	uint8_t cdb[16] = { 0 };
	uint32_t sn, gap = 0;
	struct task *t;

	count(f, A_WINDOW);
	if (!ready(f))
		return;
	switch (rng_below(&f->r, 5)) {
	case 0:	/* far ahead or behind: dropped */
	case 1:
		sn = rand_sn(f, c->cmdsn);
		t = cmd_send(c, cdb, 6, 0, CF_KEEP_CMDSN | CF_HOSTILE, 0, NULL, 0, sn);
		if (t)
			t->unsure = true;
		break;
	case 2:	/* a gap, filled later or not */
	case 3:
		gap = rng_range(&f->r, 1, 4);
		t = cmd_send(c, cdb, 6, 0, CF_KEEP_CMDSN | CF_HOSTILE, 0, NULL, 0, c->cmdsn + gap);
		if (t)
			t->unsure = true;
		if (rng_pct(&f->r, 30)) {	/* the same CmdSN again */
			t = cmd_send(c, cdb, 6, 0, CF_KEEP_CMDSN | CF_HOSTILE, 0, NULL, 0, c->cmdsn + gap);
			if (t)
				t->unsure = true;
		}
		if (rng_pct(&f->r, 70)) {
			while (gap-- && !c->closed) {
				t = cmd_send(c, cdb, 6, 0, CF_HOSTILE, 0, NULL, 0, 0);
				if (t)
					t->unsure = true;
			}
			c->cmdsn++;	/* past the parked one */
		} else {
			resync_cmdsn(c);
		}
		break;
	default:	/* non-immediate ping and Text out of the window */
		sn = c->cmdsn;
		c->cmdsn = rand_sn(f, sn);
		ping_send(c, NULL, 0, false);
		c->cmdsn = sn;
		break;
	}
	pump(c, 0);
}

static void act_expstatsn(struct fz *f)
{
	struct conn *c = f->c;
	uint32_t keep = c->exp_statsn;

	count(f, A_EXPSTATSN);
	c->exp_statsn = rand_sn(f, keep);
	if (rng_pct(&f->r, 50) && f->normal)
		cmd_send(c, (const uint8_t[16]){ 0 }, 6, 0, CF_IMM, 0, NULL, 0, 0);
	else
		ping_send(c, NULL, 0, true);
	c->exp_statsn = keep;
}

static void act_nop(struct fz *f)
{
	struct conn *c = f->c;
	uint8_t bhs[BHS_LEN];
	uint32_t len = rng_len(&f->r, c->tx_max), itt;
	uint8_t *buf;

	count(f, A_NOP);
	buf = malloc(c->tx_max + 1);
	if (!buf)
		return;
	switch (rng_below(&f->r, 8)) {
	case 0: case 1: case 2:	/* a good ping */
		if (len > c->rx_max)
			len = c->rx_max;
		rng_fill(&f->r, buf, len);
		itt = ping_send(c, buf, len, rng_pct(&f->r, 80));
		if (rng_pct(&f->r, 30))
			ping_wait(c, itt, ms_left(f, 10000));
		break;
	case 3:	/* more data than our own MaxRecvDataSegmentLength */
		if (c->tx_max <= c->rx_max)
			break;
		len = rng_range(&f->r, c->rx_max + 1, c->tx_max);
		rng_fill(&f->r, buf, len);
		ping_send(c, buf, len, true);
		break;
	case 4:	/* an answer to a ping never sent */
		bhs_init(f, bhs, OP_NOOP_OUT | OP_IMMEDIATE, FL_FINAL);
		put_be32(bhs + B_ITT, RSVD_TAG);
		put_be32(bhs + B_TTT, (uint32_t)rng_next(&f->r));
		send_pdu(c, bhs, buf, rng_pct(&f->r, 50) ? 0 : len);
		break;
	case 5:	/* ITT 0xffffffff without the I bit */
		bhs_init(f, bhs, OP_NOOP_OUT, FL_FINAL);
		put_be32(bhs + B_ITT, RSVD_TAG);
		send_pdu(c, bhs, NULL, 0);
		break;
	case 6:	/* F clear, odd LUN, a TTT with a valid ITT */
		bhs_init(f, bhs, OP_NOOP_OUT | OP_IMMEDIATE, rng_pct(&f->r, 50) ? 0 : FL_FINAL);
		rand_lun(f, bhs + 8);
		put_be32(bhs + B_TTT, (uint32_t)rng_next(&f->r));
		send_pdu(c, bhs, buf, len > c->rx_max ? c->rx_max : len);
		break;
	default:	/* a burst of pings */
		for (itt = 0; itt < 32 && !c->closed; itt++)
			ping_send(c, NULL, 0, true);
		break;
	}
	free(buf);
}

static void act_text(struct fz *f)
{
	struct conn *c = f->c;
	uint32_t size = c->tx_max, len = 0, n, i;
	char *buf = malloc(size + 300), key[80], val[300];
	uint8_t bhs[BHS_LEN];
	uint32_t itt;

	count(f, A_TEXT);
	if (!buf)
		return;
	switch (rng_below(&f->r, 8)) {
	case 0: case 1:
		len = text_add(buf, 0, size, "SendTargets",
			       rng_pct(&f->r, 60) ? "All" : rng_pct(&f->r, 50) ? "" : f->cfg->target);
		break;
	case 2:	/* junk keys up to the limit */
		n = rng_range(&f->r, 1, 600);
		for (i = 0; i < n && len + 80 < size; i++) {
			snprintf(key, sizeof(key), "X-org.kitt.junk%u", i);
			rand_string(f, val, rng_len(&f->r, 255), "abcdef0123");
			len = text_add(buf, len, size, key, val);
		}
		break;
	case 3:	/* keys that exist but may not be negotiated here */
		for (i = 0; i < 6; i++) {
			rand_number(f, val, sizeof(val));
			len = text_add(buf, len, size,
				       op_keys[rng_below(&f->r, sizeof(op_keys) / sizeof(op_keys[0]))], val);
		}
		break;
	case 4:	/* malformed */
		len = rng_len(&f->r, size < 4096 ? size : 4096);
		rng_fill(&f->r, buf, len);
		break;
	case 5:	/* the same key twice */
		len = text_add(buf, 0, size, "SendTargets", "All");
		len = text_add(buf, len, size, "SendTargets", "All");
		break;
	default:
		len = text_add(buf, 0, size, "SendTargets", "All");
		len = text_add(buf, len, size, "X-org.kitt.a", "b");
		break;
	}
	if (rng_pct(&f->r, 80)) {
		itt = text_send(c, buf, len, rng_pct(&f->r, 60), RSVD_TAG, rng_pct(&f->r, 85));
		if (rng_pct(&f->r, 30))
			ping_wait(c, itt, ms_left(f, 10000));
	} else {
		bhs_init(f, bhs, OP_TEXT_REQ | (rng_pct(&f->r, 50) ? OP_IMMEDIATE : 0),
			 (uint8_t)(rng_next(&f->r) & 0xc0));
		if (rng_pct(&f->r, 50))
			put_be32(bhs + B_TTT, (uint32_t)rng_next(&f->r));
		if (!(bhs[0] & OP_IMMEDIATE))
			c->cmdsn++;
		send_pdu(c, bhs, buf, len);
	}
	free(buf);
}

static void tmf_aborted(struct conn *c, uint8_t func, uint32_t rtt, const uint8_t *lun)
{
	unsigned int i;

	for (i = 0; i < MAX_TASKS; i++) {
		struct task *t = &c->tasks[i];

		if (!t->used || t->done)
			continue;
		if ((func == 1 && t->itt == rtt) ||
		    ((func == 2 || func == 4 || func == 5) && !memcmp(t->lun, lun, 8)) ||
		    func == 6 || func == 7) {
			t->done = true;
			t->unsure = true;
		}
	}
}

static bool tmf_done_cb(struct conn *c, void *arg)
{
	(void)arg;
	return c->tmf_answered || c->closed;
}

static void act_tmf(struct fz *f)
{
	struct conn *c = f->c;
	uint8_t lun[8], func;
	uint32_t rtt = (uint32_t)rng_next(&f->r), ref = (uint32_t)rng_next(&f->r);
	unsigned int i, pick = rng_below(&f->r, 100);

	count(f, A_TMF);
	if (pick < 40)
		func = 1;
	else if (pick < 70)
		func = (uint8_t)rng_range(&f->r, 2, 5);
	else if (pick < 80)
		func = 6;
	else if (pick < 82)
		func = 7;
	else if (pick < 90)
		func = 8;
	else
		func = (uint8_t)rng_below(&f->r, 128);
	memcpy(lun, c->lun, 8);
	if (rng_pct(&f->r, 10))
		rand_lun(f, lun);
	for (i = rng_below(&f->r, MAX_TASKS); i < MAX_TASKS; i++) {
		if (c->tasks[i].used && rng_pct(&f->r, 70)) {
			rtt = c->tasks[i].itt;
			ref = rng_pct(&f->r, 80) ? c->tasks[i].cmdsn : ref;
			break;
		}
	}
	tmf_send(c, func, lun, rtt, ref, rng_pct(&f->r, 70));
	if (wait_until(c, ms_left(f, 15000), tmf_done_cb, NULL) && !c->closed &&
	    c->last_tmf_response == 0)
		tmf_aborted(c, func, rtt, lun);
	if (func == 7)
		f->terminal = true;
}

static void act_snack(struct fz *f)
{
	uint8_t bhs[BHS_LEN];

	count(f, A_SNACK);
	bhs_init(f, bhs, OP_SNACK_REQ, FL_FINAL | (uint8_t)rng_below(&f->r, 16));
	rng_fill(&f->r, bhs + 20, 28);
	send_pdu(f->c, bhs, NULL, 0);
}

static void act_unknown_op(struct fz *f)
{
	struct conn *c = f->c;
	uint8_t bhs[BHS_LEN], op;
	uint32_t max = c->tx_max < 8192 ? c->tx_max : 8192, len = rng_len(&f->r, max);
	char *buf = malloc(8192);

	count(f, A_UNKNOWN_OP);
	if (!buf)
		return;
	switch (rng_below(&f->r, 4)) {
	case 0: op = (uint8_t)rng_range(&f->r, 0x07, 0x0f); break;
	case 1: op = (uint8_t)rng_range(&f->r, 0x11, 0x1f); break;
	case 2: op = (uint8_t)rng_range(&f->r, 0x20, 0x3f); break;	/* target opcodes */
	default: op = OP_LOGIN_REQ; break;
	}
	bhs_init(f, bhs, op | (rng_pct(&f->r, 50) ? OP_IMMEDIATE : 0), (uint8_t)rng_next(&f->r));
	rng_fill(&f->r, bhs + 8, 8);
	rng_fill(&f->r, bhs + 20, 28);
	if (op == OP_LOGIN_REQ) {
		/* A Login Request in full feature phase, with its usual keys. */
		len = text_add(buf, 0, max, "InitiatorName", f->cfg->initiator);
		len = text_add(buf, len, max, "SessionType", "Normal");
	} else {
		rng_fill(&f->r, buf, len);
	}
	send_pdu(c, bhs, buf, len);
	free(buf);
}

static void act_leave_pending(struct fz *f)
{
	struct conn *c = f->c;

	count(f, A_LEAVE_PENDING);
	if (!ready(f) || !f->hostile_left)
		return;
	f->hostile_left--;
	if (rng_pct(&f->r, 60)) {
		hostile_write(f, rng_range(&f->r, 1, 2048) * f->bs, false);
	} else {
		/* Parked behind a CmdSN gap. */
		struct task *t = cmd_send(c, (const uint8_t[16]){ 0x28, 0, 0, 0, 0, 0, 0, 0, 1 }, 10,
					  f->bs, CF_READ | CF_KEEP_CMDSN | CF_HOSTILE, 0, NULL, 0,
					  c->cmdsn + 1);

		if (t)
			t->unsure = true;
		if (rng_pct(&f->r, 50)) {
			cmd_send(c, (const uint8_t[16]){ 0 }, 6, 0, 0, 0, NULL, 0, 0);
			c->cmdsn++;
		}
	}
}

static void act_late_data(struct fz *f)
{
	struct conn *c = f->c;
	unsigned int i;

	count(f, A_LATE_DATA);
	for (i = 0; i < MAX_TASKS; i++)
		if (c->tasks[i].used && !c->tasks[i].done && c->tasks[i].hostile &&
		    c->tasks[i].write && !c->tasks[i].unsure && rng_pct(&f->r, 50))
			c->tasks[i].hostile = false;
	pump(c, 0);
}

static void act_mutate(struct fz *f)
{
	struct conn *c = f->c;
	uint8_t bhs[BHS_LEN], data[64];
	unsigned int i, n = rng_range(&f->r, 1, 3);

	count(f, A_MUTATE);
	switch (rng_below(&f->r, 4)) {
	case 0:
		bhs_init(f, bhs, OP_NOOP_OUT | OP_IMMEDIATE, FL_FINAL);
		break;
	case 1:
		bhs_init(f, bhs, OP_SCSI_CMD | OP_IMMEDIATE, FL_FINAL | FL_CMD_READ | FL_CMD_SIMPLE);
		put_be32(bhs + 20, 36);
		bhs[32] = 0x12;
		bhs[36] = 36;
		break;
	case 2:
		bhs_init(f, bhs, OP_TEXT_REQ | OP_IMMEDIATE, FL_FINAL);
		break;
	default:
		bhs_init(f, bhs, OP_TMF_REQ | OP_IMMEDIATE, FL_FINAL | 1);
		break;
	}
	/* Leave the length fields alone so the framing holds. */
	for (i = 0; i < n; i++) {
		unsigned int pos = rng_below(&f->r, BHS_LEN - 4);

		pos = pos >= 4 ? pos + 4 : pos;
		bhs[pos] ^= (uint8_t)(1u << rng_below(&f->r, 8));
	}
	rng_fill(&f->r, data, sizeof(data));
	bhs[4] = 0;
	loose_note(c, get_be32(bhs + B_ITT));
	/* A mangled opcode may carry a data segment only where one is allowed. */
	send_pdu(c, bhs, (bhs[0] & OP_MASK) == OP_SCSI_CMD ? NULL : data,
		 (bhs[0] & OP_MASK) == OP_NOOP_OUT || (bhs[0] & OP_MASK) == OP_TEXT_REQ ?
		 (uint32_t)sizeof(data) : 0);
}

static void act_oversize(struct fz *f)
{
	struct conn *c = f->c;
	static const uint8_t ops[] = { OP_NOOP_OUT | OP_IMMEDIATE, OP_SCSI_CMD, OP_TEXT_REQ | OP_IMMEDIATE,
				       OP_DATA_OUT };
	uint8_t bhs[BHS_LEN], junk[512];
	uint32_t claim = rng_range(&f->r, c->tx_max + 1, MAX_DSL);

	count(f, A_OVERSIZE);
	bhs_init(f, bhs, ops[rng_below(&f->r, 4)], FL_FINAL | FL_CMD_WRITE);
	put_be32(bhs + 20, claim);
	rng_fill(&f->r, junk, sizeof(junk));
	put_dlen(bhs, claim);
	c->desync = true;
	f->terminal = true;
	send_pdu_ex(c, bhs, NULL, 0, NULL, 0, 0, 0, 0);
	send_raw(c, junk, rng_below(&f->r, sizeof(junk)), 2000);
	hold(f, 3000);
}

static void act_bad_digest(struct fz *f)
{
	struct conn *c = f->c;
	uint8_t bhs[BHS_LEN], data[100];

	count(f, A_BAD_DIGEST);
	if (!c->hd && !c->dd)
		return;
	bhs_init(f, bhs, OP_NOOP_OUT | OP_IMMEDIATE, FL_FINAL);
	rng_fill(&f->r, data, sizeof(data));
	put_dlen(bhs, sizeof(data));
	f->terminal = true;
	c->desync = true;
	send_pdu_ex(c, bhs, NULL, 0, data, sizeof(data),
		    c->hd && (!c->dd || rng_pct(&f->r, 50)) ? SF_BAD_HDIGEST : SF_BAD_DDIGEST, 0, 0);
	hold(f, 3000);
}

static void act_truncate(struct fz *f)
{
	struct conn *c = f->c;
	uint8_t bhs[BHS_LEN], data[600];

	count(f, A_TRUNCATE);
	bhs_init(f, bhs, rng_pct(&f->r, 50) ? OP_NOOP_OUT | OP_IMMEDIATE : OP_TEXT_REQ | OP_IMMEDIATE,
		 FL_FINAL);
	rng_fill(&f->r, data, sizeof(data));
	put_dlen(bhs, sizeof(data));
	f->terminal = true;
	c->desync = true;
	send_pdu_ex(c, bhs, NULL, 0, data, sizeof(data) > c->tx_max ? c->tx_max : sizeof(data), 0,
		    rng_range(&f->r, 1, BHS_LEN + 100), 0);
	if (rng_pct(&f->r, 50))
		conn_abort(c);
	else
		conn_close(c);
}

static void act_abrupt(struct fz *f)
{
	unsigned int i, n = rng_below(&f->r, 8);

	count(f, A_ABRUPT);
	for (i = 0; i < n && f->normal; i++)
		act_io(f);
	f->terminal = true;
	if (rng_pct(&f->r, 50))
		conn_abort(f->c);
	else
		conn_close(f->c);
}

static bool logout_done_cb(struct conn *c, void *arg)
{
	(void)arg;
	return c->logout_rsp || c->closed;
}

static void act_logout(struct fz *f)
{
	struct conn *c = f->c;
	uint8_t reason, bhs[BHS_LEN];

	count(f, A_LOGOUT);
	reason = rng_pct(&f->r, 80) ? (uint8_t)rng_below(&f->r, 3) : (uint8_t)rng_below(&f->r, 128);
	bhs_init(f, bhs, OP_LOGOUT_REQ | (rng_pct(&f->r, 80) ? OP_IMMEDIATE : 0), FL_FINAL | reason);
	put_be16(bhs + 20, rng_pct(&f->r, 70) ? c->cid : (uint16_t)rng_next(&f->r));
	if (!(bhs[0] & OP_IMMEDIATE))
		c->cmdsn++;
	if (send_pdu(c, bhs, NULL, 0))
		return;
	c->logout_rsp = false;
	wait_until(c, ms_left(f, 10000), logout_done_cb, NULL);
	if (c->logout_rsp && c->logout_response == 0)
		f->terminal = true;
}

static void act_noread(struct fz *f)
{
	struct conn *c = f->c;
	uint32_t len = c->tx_max < 262144 ? c->tx_max : 262144;
	uint64_t sent = 0, limit = (uint64_t)rng_range(&f->r, 1, 16) << 20;
	double end = now_s() + ms_left(f, rng_range(&f->r, 500, 2500)) / 1000.0;
	unsigned int kind = rng_below(&f->r, 3);
	uint8_t *buf, bhs[BHS_LEN];

	count(f, A_NOREAD);
	if (f->cfg->no_flood)
		return;
	buf = malloc(len);
	if (!buf)
		return;
	memset(buf, 0x5a, len);
	c->reading = false;
	while (!c->closed && now_s() < end && sent < limit) {
		uint32_t dlen = len;
		int ret;

		if (kind == 2 && f->normal) {
			struct task *t = cmd_send(c, (const uint8_t[16]){ 0x12, 0, 0, 0, 0xff }, 6, 255,
						  CF_READ | CF_IMM | CF_HOSTILE, 0, NULL, 0, 0);

			if (!t || c->closed)
				break;
			t->unsure = true;
			sent += BHS_LEN;
			continue;
		}
		bhs_init(f, bhs, OP_NOOP_OUT | OP_IMMEDIATE, FL_FINAL);
		if (kind == 1) {
			bhs[0] = OP_TEXT_REQ | OP_IMMEDIATE;
			dlen = text_add((char *)buf, 0, len, "SendTargets", "All");
		} else if (dlen > c->rx_max) {
			dlen = c->rx_max;
		}
		put_dlen(bhs, dlen);
		ret = send_pdu_ex(c, bhs, NULL, 0, buf, dlen, 0, 0, 1000);
		sent += dlen + BHS_LEN;
		if (ret)
			break;
	}
	free(buf);
	if (rng_pct(&f->r, 50) && !c->closed) {
		c->reading = true;
		hold(f, 3000);
	} else {
		f->terminal = true;
		conn_abort(c);
	}
}

static void act_pause(struct fz *f)
{
	count(f, A_PAUSE);
	hold(f, rng_below(&f->r, 1500));
}

/* ---- the script ------------------------------------------------------------------------------- */

struct weight {
	int action, normal, discovery;
};

static const struct weight weights[] = {
	{ A_IO,			22, 0 },
	{ A_SCSI_MISC,		12, 2 },
	{ A_RANDOM_CDB,		6, 1 },
	{ A_BAD_AHS,		3, 1 },
	{ A_DATAOUT_HOSTILE,	5, 0 },
	{ A_DATAOUT_UNKNOWN,	3, 2 },
	{ A_DUP_ITT,		5, 0 },
	{ A_WINDOW,		4, 0 },
	{ A_EXPSTATSN,		2, 2 },
	{ A_NOP,		8, 20 },
	{ A_TEXT,		5, 25 },
	{ A_TMF,		5, 1 },
	{ A_SNACK,		1, 1 },
	{ A_UNKNOWN_OP,		3, 6 },
	{ A_LEAVE_PENDING,	2, 0 },
	{ A_LATE_DATA,		2, 0 },
	{ A_MUTATE,		3, 4 },
	{ A_OVERSIZE,		1, 2 },
	{ A_BAD_DIGEST,		1, 1 },
	{ A_TRUNCATE,		1, 2 },
	{ A_ABRUPT,		1, 2 },
	{ A_LOGOUT,		1, 3 },
	{ A_NOREAD,		1, 2 },
	{ A_PAUSE,		1, 1 },
};

static int pick(struct fz *f)
{
	unsigned int i, total = 0, x;

	for (i = 0; i < sizeof(weights) / sizeof(weights[0]); i++)
		total += f->normal ? weights[i].normal : weights[i].discovery;
	x = rng_below(&f->r, total);
	for (i = 0; i < sizeof(weights) / sizeof(weights[0]); i++) {
		unsigned int w = f->normal ? weights[i].normal : weights[i].discovery;

		if (x < w)
			return weights[i].action;
		x -= w;
	}
	return A_NOP;
}

static void run_action(struct fz *f, int a)
{
	switch (a) {
	case A_IO: act_io(f); break;
	case A_SCSI_MISC: act_scsi_misc(f); break;
	case A_RANDOM_CDB: act_random_cdb(f); break;
	case A_BAD_AHS: act_bad_ahs(f); break;
	case A_DATAOUT_HOSTILE: act_dataout_hostile(f); break;
	case A_DATAOUT_UNKNOWN: act_dataout_unknown(f); break;
	case A_DUP_ITT: act_dup_itt(f); break;
	case A_WINDOW: act_window(f); break;
	case A_EXPSTATSN: act_expstatsn(f); break;
	case A_NOP: act_nop(f); break;
	case A_TEXT: act_text(f); break;
	case A_TMF: act_tmf(f); break;
	case A_SNACK: act_snack(f); break;
	case A_UNKNOWN_OP: act_unknown_op(f); break;
	case A_LEAVE_PENDING: act_leave_pending(f); break;
	case A_LATE_DATA: act_late_data(f); break;
	case A_MUTATE: act_mutate(f); break;
	case A_OVERSIZE: act_oversize(f); break;
	case A_BAD_DIGEST: act_bad_digest(f); break;
	case A_TRUNCATE: act_truncate(f); break;
	case A_ABRUPT: act_abrupt(f); break;
	case A_LOGOUT: act_logout(f); break;
	case A_NOREAD: act_noread(f); break;
	default: act_pause(f); break;
	}
}

/* A connection still up at the end answers a ping, or something is stuck. */
static void liveness(struct fz *f)
{
	struct conn *c = f->c;
	uint32_t itt;

	count(f, A_LIVENESS);
	c->reading = true;
	itt = ping_send(c, NULL, 0, true);
	if (!itt || c->closed)
		return;
	if (!ping_wait(c, itt, 30000) && !c->closed) {
		stat_add(f->st, ST_HANGS, 1);
		misbehave(c, "no answer to a NOP-Out within 30 s (connection still open)");
	}
}

int fuzz_conn(const struct fuzz_cfg *cfg, uint64_t n, struct stats *st)
{
	struct fz f = { .cfg = cfg, .n = n, .st = st, .hostile_left = 8 };
	unsigned int plan, steps, i;
	int ret;

	rng_seed(&f.r, cfg->seed, n);
	f.c = conn_new(n, st, cfg->verbose);
	if (!f.c)
		return 0;
	plan = rng_below(&f.r, 100);
	if (plan < 12) {
		plan_login_abuse(&f);
	} else if (plan < 17) {
		plan_login_stall(&f);
	} else if (plan < 20) {
		plan_crowd(&f);
	} else if (!plan_login(&f)) {
		steps = rng_range(&f.r, 1, rng_pct(&f.r, 80) ? 60 : 400);
		for (i = 0; i < steps && !f.c->closed && !f.terminal && now_s() < cfg->deadline; i++) {
			run_action(&f, pick(&f));
			pump(f.c, 0);
		}
		if (!f.c->closed && !f.terminal && !f.c->desync)
			liveness(&f);
		if (!f.c->closed && !f.terminal) {
			if (rng_pct(&f.r, 50))
				logout_send(f.c, 0, true);
			else if (rng_pct(&f.r, 30))
				conn_abort(f.c);
		}
	}
	ret = f.c->nr_misbehave;
	if (ret)
		fprintf(stderr, "kitt-fuzz: connection %llu misbehaved; replay: kitt-fuzz random --seed %llu --replay %llu -v\n",
			(unsigned long long)n, (unsigned long long)cfg->seed, (unsigned long long)n);
	conn_free(f.c);
	return ret;
}
