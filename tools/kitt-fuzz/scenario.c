// SPDX-License-Identifier: GPL-2.0
/*
 * kitt-fuzz scenario NAME: the PDU sequences of issue 9's findings, each
 * sent the same way every time, each ending in one line:
 *
 *   PASS NAME: what was seen        or        FAIL NAME: what went wrong
 *
 * Lines starting with "  ok:" and "  FAIL:" before it are the individual
 * checks. The bounds checked are the intended behaviour of kitt with the
 * hostile-peer limits (see Documentation/testing.rst); the guest test
 * scripts/guest/tests/hostile.sh sets the target up for each of them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <unistd.h>

#include "kitt-fuzz.h"

struct res {
	const char *name;
	int fails;
	char summary[256];
};

static void __attribute__((format(printf, 3, 4))) check(struct res *r, bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("  %s: ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		r->fails++;
}

static void __attribute__((format(printf, 2, 3))) note(struct res *r, const char *fmt, ...)
{
	va_list ap;

	(void)r;
	printf("  ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static int verdict(struct res *r)
{
	printf("%s %s%s%s\n", r->fails ? "FAIL" : "PASS", r->name, r->summary[0] ? ": " : "",
	       r->summary);
	return r->fails ? 1 : 0;
}

/* kitt's KITT_CTL_PARKED_MAX: requests that may wait behind a CmdSN gap */
#define KITT_CTL_WAIT_MAX	16

static uint64_t scen_ids = 1000;

/* A connection, logged in (normal session unless @discovery). */
static struct conn *scen_login(struct scen_cfg *cfg, bool discovery, const char *extra,
			       uint32_t extra_len, uint32_t mrdsl, int rcvbuf, int *status)
{
	struct login_opts o = { .initiator = cfg->initiator,
				.target = discovery ? NULL : cfg->target,
				.extra = extra, .extra_len = extra_len, .mrdsl = mrdsl,
				.timeout_ms = 20000 };
	struct conn *c = conn_new(scen_ids++, NULL, cfg->verbose);
	int ret;

	if (!c)
		return NULL;
	if (conn_open(c, &cfg->portal, cfg->plen, NULL, rcvbuf)) {
		printf("  cannot connect: %s\n", strerror(c->close_err));
		conn_free(c);
		if (status)
			*status = LOGIN_IO_ERROR;
		return NULL;
	}
	ret = login(c, &o);
	if (status)
		*status = ret;
	if (ret) {
		printf("  login failed: %d (status 0x%04x)\n", ret, ret > 0 ? ret : 0);
		conn_free(c);
		return NULL;
	}
	return c;
}

static uint32_t keys(char *buf, uint32_t size, const char *const *kv)
{
	uint32_t len = 0;

	for (; kv[0]; kv += 2)
		len = text_add(buf, len, size, kv[0], kv[1]);
	return len;
}

/* ---- peers that never read ----------------------------------------------------------------- */

/*
 * Flood @c with copies of the PDU in @pdu (whole PDUs: the stream stays
 * framed) without ever reading, until the target drops the connection,
 * @secs pass, or the machine's free memory falls by @mem_limit_mb. Each copy
 * gets the next ITT at @itt_off, unless @itt_off is 0. Returns how long
 * before the drop the target last took data (well under a second when it
 * took data to the end), or -1 when it did not drop the connection.
 */
static double flood(struct res *r, struct conn *c, uint8_t *pdu, size_t len, uint32_t itt_off,
		    double secs, double bound, long mem_limit_mb)
{
	double start = now_s(), end = start + secs, last_progress = start, stall = 0, drop = 0;
	long mem0 = mem_available_kb(), worst = 0;
	uint64_t sent = 0, pdus = 0;
	int inq_stall = -1, inq_last = -1;
	size_t off = 0;
	uint32_t itt = 0x10000;
	bool memfail = false;
	double next_mem = start;

	if (itt_off)
		put_be32(pdu + itt_off, itt);
	while (now_s() < end) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLOUT | POLLRDHUP };
		ssize_t n;

		if (now_s() >= next_mem) {
			long m = mem_available_kb();

			next_mem = now_s() + 0.1;
			if (mem0 > 0 && m > 0 && mem0 - m > worst)
				worst = mem0 - m;
			if (worst > mem_limit_mb * 1024) {
				memfail = true;
				break;
			}
		}
		if (poll(&pfd, 1, 100) < 0)
			continue;
		if (pfd.revents & (POLLERR | POLLHUP | POLLRDHUP)) {
			drop = now_s();
			break;
		}
		if (!(pfd.revents & POLLOUT)) {
			if (!stall && now_s() - last_progress > 1.0) {
				stall = last_progress;
				ioctl(c->fd, SIOCINQ, &inq_stall);
			}
			ioctl(c->fd, SIOCINQ, &inq_last);
			continue;
		}
		n = send(c->fd, pdu + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			drop = now_s();
			break;
		}
		sent += n;
		off += n;
		last_progress = now_s();
		if (off == len) {
			off = 0;
			pdus++;
			if (itt_off)
				put_be32(pdu + itt_off, ++itt);
		}
	}
	if (drop && !stall)
		stall = last_progress;
	note(r, "sent %llu PDUs, %llu MiB in %.1f s; free memory fell by at most %ld MiB",
	     (unsigned long long)pdus, (unsigned long long)(sent >> 20), now_s() - start,
	     worst / 1024);
	if (stall)
		note(r, "the target stopped taking data after %.1f s (%llu MiB); unread here: %d bytes then, %d at the end",
		     stall - start, (unsigned long long)(sent >> 20), inq_stall, inq_last);
	check(r, !memfail, "free memory fell by less than %ld MiB", mem_limit_mb);
	check(r, drop > 0, "the target dropped the connection%s",
	      drop ? "" : " (it was still open when the flood stopped)");
	if (drop && stall)
		check(r, drop - stall <= bound, "dropped %.1f s after it stopped reading (bound %.0f s)",
		      drop - stall, bound);
	snprintf(r->summary, sizeof(r->summary), "%s after %.1f s, %llu MiB sent, memory -%ld MiB",
		 drop ? "dropped" : "not dropped", (drop ? drop : now_s()) - start,
		 (unsigned long long)(sent >> 20), worst / 1024);
	return drop ? drop - stall : -1;
}

/*
 * A peer that reads nothing but sends slowly: one empty NOP-Out every
 * @gap_ms. Its answers fill the socket buffers slowly; the target must
 * still drop it once it has not read for the send timeout.
 */
static void trickle(struct res *r, struct conn *c, unsigned int gap_ms, double secs, double bound)
{
	double start = now_s(), drop = 0;
	uint8_t bhs[BHS_LEN] = { 0 };
	uint32_t itt = 0x20000, n = 0;

	bhs[0] = OP_NOOP_OUT | OP_IMMEDIATE;
	bhs[1] = FL_FINAL;
	put_be32(bhs + B_TTT, RSVD_TAG);
	put_be32(bhs + B_CMDSN, c->cmdsn);
	put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
	while (now_s() - start < secs) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLRDHUP };
		ssize_t k;

		put_be32(bhs + B_ITT, itt++);
		k = send(c->fd, bhs, BHS_LEN, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (k < 0 && errno != EAGAIN && errno != EINTR) {
			drop = now_s();
			break;
		}
		if (k == BHS_LEN)
			n++;
		else if (k > 0)
			break;	/* a partial header: give up, the framing is gone */
		if (poll(&pfd, 1, gap_ms) > 0 && (pfd.revents & (POLLERR | POLLHUP | POLLRDHUP))) {
			drop = now_s();
			break;
		}
	}
	note(r, "slow: %u empty NOP-Outs, one every %u ms, nothing read: %s after %.1f s", n, gap_ms,
	     drop ? "dropped" : "still open", (drop ? drop : now_s()) - start);
	check(r, drop && drop - start <= bound,
	      "slow: a peer that never reads is dropped within %.0f s even when it sends slowly",
	      bound);
}

static int scen_noread(struct scen_cfg *cfg)
{
	struct res r = { .name = "noread" };
	char fast[256];
	struct conn *c;
	uint8_t *pdu;
	uint32_t len;

	printf("noread: a discovery session stops reading and sends immediate NOP-Outs of\n"
	       "MaxRecvDataSegmentLength bytes; then one that never reads and sends an empty\n"
	       "NOP-Out every 50 ms; expect bounded memory and a drop after the send timeout\n");
	c = scen_login(cfg, true, NULL, 0, 262144, 4096, NULL);
	if (!c) {
		check(&r, false, "discovery login");
		return verdict(&r);
	}
	len = c->tx_max;
	note(&r, "target MaxRecvDataSegmentLength %u", len);
	pdu = calloc(1, BHS_LEN + len + 8);
	if (!pdu)
		return 2;
	pdu[0] = OP_NOOP_OUT | OP_IMMEDIATE;
	pdu[1] = FL_FINAL;
	put_dlen(pdu, len);
	put_be32(pdu + B_TTT, RSVD_TAG);
	put_be32(pdu + B_CMDSN, c->cmdsn);
	put_be32(pdu + B_EXPSTATSN, c->exp_statsn);
	memset(pdu + BHS_LEN, 'n', len);
	/* Digests are off in this session: the PDU is the header and the data. */
	flood(&r, c, pdu, BHS_LEN + len + pad4(len), B_ITT, cfg->time ? cfg->time : 60, cfg->bound,
	      cfg->mem_limit_mb);
	free(pdu);
	conn_free(c);
	snprintf(fast, sizeof(fast), "%s", r.summary);

	c = scen_login(cfg, true, NULL, 0, 262144, 4096, NULL);
	if (!c) {
		check(&r, false, "second discovery login");
		return verdict(&r);
	}
	trickle(&r, c, 50, cfg->time ? cfg->time : 60, cfg->bound);
	conn_free(c);
	snprintf(r.summary, sizeof(r.summary), "fast: %.160s; slow: %s", fast,
		 r.fails ? "not dropped in time" : "dropped");
	return verdict(&r);
}

/*
 * A peer that never reads and sends header-only PDUs kitt must reject (a
 * vendor-specific opcode): each costs the target a queued Reject, which
 * must count against the same bound as any other answer.
 */
static int scen_rejects(struct scen_cfg *cfg)
{
	struct res r = { .name = "rejects" };
	uint8_t pdu[BHS_LEN] = { 0 };
	struct conn *c;

	printf("rejects: a discovery session stops reading and sends header-only PDUs with a\n"
	       "vendor-specific opcode (0x1c) back to back; expect bounded memory and a drop\n"
	       "after the send timeout\n");
	c = scen_login(cfg, true, NULL, 0, 262144, 4096, NULL);
	if (!c) {
		check(&r, false, "discovery login");
		return verdict(&r);
	}
	pdu[0] = 0x1c | OP_IMMEDIATE;
	pdu[1] = FL_FINAL;
	put_be32(pdu + B_CMDSN, c->cmdsn);
	put_be32(pdu + B_EXPSTATSN, c->exp_statsn);
	flood(&r, c, pdu, sizeof(pdu), B_ITT, cfg->time ? cfg->time : 60, cfg->bound,
	      cfg->mem_limit_mb);
	conn_free(c);
	return verdict(&r);
}

/*
 * A peer that sends but reads slowly: READs of 1 MiB whose data it never
 * reads, then Data-Outs of a task it never started, back to back, which
 * kitt discards without an answer and without waking its transmit thread.
 * The transmit thread waits for the peer; the receive thread must go on
 * reading (task management and logout come that way) until the send
 * timeout drops the connection.
 */
/*
 * @small: PDUs of 512 bytes (MaxRecvDataSegmentLength and MaxBurstLength),
 * a READ of 1 MiB in 2048 Data-In PDUs, after READs read in full have
 * grown kitt's send buffer: what those PDUs take of it must be counted.
 */
static int slowread_run(struct scen_cfg *cfg, bool small)
{
	static const char small_keys[] = "MaxBurstLength=512\0FirstBurstLength=512";
	struct res r = { .name = small ? "slowsmall" : "slowread" };
	uint8_t cdb[16] = { 0 }, *pdu, *buf;
	double gap;
	struct conn *c;
	unsigned int k;
	uint32_t len;

	printf("%s: 16 READs of 1 MiB whose data is never read, then Data-Outs of\n"
	       "MaxRecvDataSegmentLength bytes for a task that does not exist; kitt must take\n"
	       "them until the send timeout drops the connection, not stop reading when its\n"
	       "sends wait%s\n", r.name,
	       small ? ";\nData-In PDUs of 512 bytes (MaxRecvDataSegmentLength, MaxBurstLength)" : "");
	if (small)
		c = scen_login(cfg, false, small_keys, sizeof(small_keys), 512, 0, NULL);
	else
		c = scen_login(cfg, false, NULL, 0, 262144, 4096, NULL);
	if (!c) {
		check(&r, false, "login");
		return verdict(&r);
	}
	if (small) {
		buf = malloc(1 << 20);
		check(&r, buf != NULL, "a buffer for the READs read in full");
		for (k = 0; buf && k < 8; k++)
			check(&r, scsi_rw(c, false, k * 2048, 2048, 512, buf, 30000) == 0,
			      "READ %u of 1 MiB read in full", k + 1);
		free(buf);
	}
	/* Corked: the READs arrive together, as a burst from a busy initiator. */
	setsockopt(c->fd, IPPROTO_TCP, TCP_CORK, &(int){ 1 }, sizeof(int));
	for (k = 0; k < 16 && !c->closed; k++) {
		cdb_rw10(cdb, false, k * 2048, 2048);
		check(&r, cmd_send(c, cdb, 10, 1 << 20, CF_READ, 0, NULL, 0, 0) != NULL,
		      "READ %u of 1 MiB sent", k + 1);
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_CORK, &(int){ 0 }, sizeof(int));
	len = c->tx_max;
	pdu = calloc(1, BHS_LEN + len + 8);
	if (!pdu) {
		conn_free(c);
		return 2;
	}
	pdu[0] = OP_DATA_OUT;
	pdu[1] = FL_FINAL;
	put_dlen(pdu, len);
	memcpy(pdu + 8, c->lun, 8);
	put_be32(pdu + B_ITT, 0x7ffffff0);
	put_be32(pdu + B_TTT, RSVD_TAG);
	put_be32(pdu + B_EXPSTATSN, c->exp_statsn);
	memset(pdu + BHS_LEN, 's', len);
	gap = flood(&r, c, pdu, BHS_LEN + len + pad4(len), 0, cfg->time ? cfg->time : 60,
		    cfg->bound, cfg->mem_limit_mb);
	check(&r, gap >= 0 && gap <= 1.5,
	      "kitt read until it dropped the connection (it stopped %.1f s before)", gap);
	free(pdu);
	conn_free(c);
	return verdict(&r);
}

static int scen_slowread(struct scen_cfg *cfg)
{
	return slowread_run(cfg, false);
}

static int scen_slowsmall(struct scen_cfg *cfg)
{
	return slowread_run(cfg, true);
}

static int scen_textbomb(struct scen_cfg *cfg)
{
	struct res r = { .name = "textbomb" };
	struct conn *c;
	uint8_t *pdu, big[8192];
	char *text, key[64], val[256];
	uint32_t len = 0, i, itt;
	int got_rej = -1, got_nopin = 0;

	printf("textbomb: a NOP-Out larger than the initiator's own MaxRecvDataSegmentLength,\n"
	       "then Text Requests (SendTargets=All and junk keys) as fast as possible, never read\n");

	/* 1. The echo must fit what the initiator declared. */
	c = scen_login(cfg, true, NULL, 0, 4096, 0, NULL);
	if (!c) {
		check(&r, false, "discovery login");
		return verdict(&r);
	}
	c->strict = false;	/* this part judges the answer itself */
	memset(big, 'e', sizeof(big));
	itt = ping_send(c, big, sizeof(big) <= c->tx_max ? sizeof(big) : c->tx_max, true);
	for (i = 0; i < 50 && !c->closed; i++) {
		pump(c, 100);
		if (c->nr_rx[OP_NOOP_IN]) {
			got_nopin = 1;
			break;
		}
		if (c->nr_rx[OP_REJECT]) {
			got_rej = c->last_reject_reason;
			break;
		}
	}
	note(&r, "declared MaxRecvDataSegmentLength 4096, NOP-Out ITT 0x%x with 8192 bytes: %s", itt,
	     got_nopin ? "NOP-In" : got_rej >= 0 ? "Reject" : c->closed ? "connection closed" : "nothing");
	check(&r, !got_nopin, "no NOP-In larger than 4096 bytes");
	check(&r, got_rej == RJ_PROTO, "Reject with reason 0x04 (got %s0x%02x)",
	      got_rej < 0 ? "none, " : "", got_rej < 0 ? 0 : got_rej);
	conn_free(c);

	/* 2. The bomb. */
	c = scen_login(cfg, true, NULL, 0, MAX_DSL, 4096, NULL);
	if (!c) {
		check(&r, false, "second discovery login");
		return verdict(&r);
	}
	text = calloc(1, c->tx_max + 300);
	pdu = calloc(1, BHS_LEN + c->tx_max + 8);
	if (!text || !pdu)
		return 2;
	len = text_add(text, 0, c->tx_max, "SendTargets", "All");
	memset(val, 'j', sizeof(val) - 1);
	val[200] = '\0';
	for (i = 0; i < 500 && len + 300 < c->tx_max; i++) {
		snprintf(key, sizeof(key), "X-org.kitt.bomb-%03u", i);
		len = text_add(text, len, c->tx_max, key, val);
	}
	note(&r, "Text Requests of %u bytes, %u keys", len, i + 1);
	pdu[0] = OP_TEXT_REQ | OP_IMMEDIATE;
	pdu[1] = FL_FINAL;
	put_dlen(pdu, len);
	put_be32(pdu + B_TTT, RSVD_TAG);
	put_be32(pdu + B_CMDSN, c->cmdsn);
	put_be32(pdu + B_EXPSTATSN, c->exp_statsn);
	memcpy(pdu + BHS_LEN, text, len);
	flood(&r, c, pdu, BHS_LEN + len + pad4(len), B_ITT, cfg->time ? cfg->time : 60, cfg->bound,
	      cfg->mem_limit_mb);
	free(text);
	free(pdu);
	conn_free(c);
	return verdict(&r);
}

/* ---- the command window ---------------------------------------------------------------------- */

static bool quiet_for(struct conn *c, int ms)
{
	/* Pump until nothing has arrived for @ms (or 15 s in all). */
	double end = now_s() + 15;

	while (now_s() < end) {
		int n = pump(c, ms);

		if (n <= 0)
			return n == 0;
	}
	return true;
}

/* Everything the target sent before the answer to a new ping is in. */
static bool settle(struct conn *c)
{
	quiet_for(c, 1000);
	return !c->closed && ping_wait(c, ping_send(c, NULL, 0, true), 15000);
}

static struct task *write_1m(struct conn *c, uint32_t lba, unsigned int flags, uint32_t itt,
			     uint32_t cmdsn)
{
	uint8_t cdb[16];

	cdb_rw10(cdb, true, lba, 2048);
	return cmd_send(c, cdb, 10, 1 << 20, CF_WRITE | CF_HOSTILE | CF_NO_UNSOL | flags, 0, NULL,
			itt, cmdsn);
}

static const char *const window_keys[] = {
	"InitialR2T", "Yes", "ImmediateData", "No", "MaxBurstLength", "262144",
	"FirstBurstLength", "65536", "MaxOutstandingR2T", "1", NULL,
};

static bool task_done_cb(struct conn *c, void *arg)
{
	return ((struct task *)arg)->done || c->closed;
}

static int scen_window(struct scen_cfg *cfg)
{
	struct res r = { .name = "window" };
	char extra[512];
	uint32_t elen = keys(extra, sizeof(extra), window_keys), e, n, i, acc, rej6, other;
	unsigned int depth = cfg->depth, imm = cfg->imm_limit;
	struct task *ta, *tb, *tc, *probe, **ts;
	struct conn *c;

	printf("window: WRITE(10)s of 1 MiB that wait for Data-Out that never comes\n"
	       "(cmdsn_depth %u, immediate limit %u)\n", depth, imm);
	ts = calloc(depth + 64, sizeof(*ts));
	if (!ts)
		return 2;

	/* A. The same CmdSN twice behind a gap: the second copy is dropped. */
	c = scen_login(cfg, false, extra, elen, 0, 0, NULL);
	if (!c) {
		check(&r, false, "login");
		return verdict(&r);
	}
	c->auto_r2t = false;
	e = c->cmdsn;
	ta = write_1m(c, 0, CF_KEEP_CMDSN, 0, e + 1);
	tb = write_1m(c, 2048, CF_KEEP_CMDSN, 0, e + 1);
	tc = write_1m(c, 4096, CF_KEEP_CMDSN, 0, e);
	c->cmdsn = e + 2;
	settle(c);
	note(&r, "A: CmdSN %u parked twice (ITT 0x%x, 0x%x), then CmdSN %u (ITT 0x%x)", e + 1,
	     ta ? ta->itt : 0, tb ? tb->itt : 0, e, tc ? tc->itt : 0);
	check(&r, tc && tc->r2ts, "A: the command that fills the gap gets its R2T");
	check(&r, ta && ta->r2ts, "A: the first command parked at CmdSN %u gets its R2T", e + 1);
	check(&r, tb && !tb->r2ts && !tb->done, "A: its duplicate gets nothing (r2ts %u, done %d)",
	      tb ? tb->r2ts : 0, tb ? tb->done : 0);
	/* Is the duplicate's ITT still taken? An immediate command with it tells. */
	probe = tb ? cmd_send(c, (const uint8_t[16]){ 0 }, 6, 0, CF_IMM, 0, NULL, tb->itt, 0) : NULL;
	if (probe) {
		tb->done = true;	/* let the probe take the answer */
		wait_until(c, 10000, task_done_cb, probe);
		check(&r, probe->done && !probe->rejected && !probe->status,
		      "A: the duplicate's ITT is free again (TEST UNIT READY with it: %s, reason 0x%02x)",
		      !probe->done ? "no answer" : probe->rejected ? "Reject" : "status",
		      probe->rejected ? probe->reject_reason : probe->status);
	}
	conn_free(c);

	/* B. In-order commands fill the window; beyond it they are dropped. */
	c = scen_login(cfg, false, extra, elen, 0, 0, NULL);
	if (!c) {
		check(&r, false, "login B");
		return verdict(&r);
	}
	c->auto_r2t = false;
	e = c->cmdsn;
	note(&r, "B: after login ExpCmdSN %u, MaxCmdSN %u", c->exp_cmdsn, c->max_cmdsn);
	n = depth + 8;
	for (i = 0; i < n && !c->closed; i++) {
		ts[i] = write_1m(c, (i * 2048) % 65536, 0, 0, 0);
		pump(c, 0);
	}
	quiet_for(c, 2000);
	probe = NULL;
	if (!c->closed && ping_wait(c, ping_send(c, NULL, 0, true), 10000)) {
		acc = 0;
		for (i = 0; i < n; i++)
			acc += ts[i] && ts[i]->r2ts;
		other = 0;
		for (i = depth; i < n; i++)
			other += ts[i] && (ts[i]->done || ts[i]->r2ts);
		note(&r, "B: %u commands sent, %u got R2Ts; now ExpCmdSN %u, MaxCmdSN %u (highest seen %u)",
		     n, acc, c->exp_cmdsn, c->max_cmdsn, c->max_max_cmdsn);
		check(&r, acc == depth, "B: exactly cmdsn_depth (%u) commands run (got %u)", depth, acc);
		check(&r, c->max_cmdsn == c->exp_cmdsn - 1,
		      "B: the window is closed: MaxCmdSN %u = ExpCmdSN %u - 1", c->max_cmdsn,
		      c->exp_cmdsn);
		check(&r, sn_lte(c->max_max_cmdsn, e + depth - 1),
		      "B: MaxCmdSN never went past %u (highest %u)", e + depth - 1, c->max_max_cmdsn);
		check(&r, !other, "B: commands beyond MaxCmdSN are dropped silently (%u answered)", other);
		/* One command gets its data and finishes: one slot opens. */
		if (ts[0] && ts[0]->r2ts) {
			ts[0]->hostile = false;
			c->auto_r2t = true;
			pump(c, 0);
			wait_until(c, 30000, task_done_cb, ts[0]);
			c->auto_r2t = false;
			check(&r, ts[0]->done && !ts[0]->status,
			      "B: the first command completes once its data is sent (status %d)",
			      ts[0]->done ? ts[0]->status : -1);
			if (ping_wait(c, ping_send(c, NULL, 0, true), 10000))
				check(&r, c->max_cmdsn == c->exp_cmdsn,
				      "B: one slot opens: MaxCmdSN %u = ExpCmdSN %u", c->max_cmdsn,
				      c->exp_cmdsn);
		}
	} else {
		check(&r, false, "B: the connection answers a ping after the commands");
	}
	conn_free(c);

	/* C. Immediate commands are outside the window but bounded. */
	c = scen_login(cfg, false, extra, elen, 0, 0, NULL);
	if (!c) {
		check(&r, false, "login C");
		return verdict(&r);
	}
	c->auto_r2t = false;
	n = imm + 8;
	for (i = 0; i < n && !c->closed; i++)
		ts[i] = write_1m(c, (i * 2048) % 65536, CF_IMM, 0, 0);
	settle(c);
	acc = rej6 = other = 0;
	for (i = 0; i < n; i++) {
		if (!ts[i])
			continue;
		if (ts[i]->rejected && ts[i]->reject_reason == RJ_IMM_REJECT)
			rej6++;
		else if (ts[i]->r2ts && !ts[i]->rejected)
			acc++;
		else
			other++;
	}
	note(&r, "C: %u immediate WRITEs: %u got R2Ts, %u Reject 0x06, %u other", n, acc, rej6, other);
	check(&r, acc >= 1 && acc <= imm, "C: at most %u immediate commands outstanding (got %u)", imm,
	      acc);
	check(&r, rej6 == n - acc, "C: the others get Reject reason 0x06 (%u of %u)", rej6, n - acc);
	conn_free(c);
	free(ts);
	snprintf(r.summary, sizeof(r.summary), "%d check%s failed", r.fails, r.fails == 1 ? "" : "s");
	if (!r.fails)
		snprintf(r.summary, sizeof(r.summary), "window closes at %u, duplicates and extras dropped",
			 depth);
	return verdict(&r);
}

/* ---- duplicate ITTs ------------------------------------------------------------------------ */

static int scen_dupitt(struct scen_cfg *cfg)
{
	struct res r = { .name = "dupitt" };
	double end = now_s() + (cfg->time ? cfg->time : 20);
	uint64_t pairs = 0, first_ok = 0, second_ok = 0, second_rej = 0, bad_rej = 0, lost = 0;
	uint32_t base = 0x700, k;
	struct conn *c;
	uint8_t cdb[16];

	printf("dupitt: a READ with ITT X, then at once another command with ITT X, repeated;\n"
	       "expect Reject reason 0x07 or a normal answer, never a crash\n");
	c = scen_login(cfg, false, NULL, 0, 0, 0, NULL);
	if (!c) {
		check(&r, false, "login");
		return verdict(&r);
	}
	while (now_s() < end && !c->closed) {
		struct task *a[8], *b[8];

		for (k = 0; k < 8; k++) {
			uint32_t itt = base + k;

			cdb_rw10(cdb, false, k * 64, 8);
			a[k] = cmd_send(c, cdb, 10, 4096, CF_READ, 0, NULL, itt, 0);
			switch ((pairs + k) % 3) {
			case 0:
				b[k] = cmd_send(c, (const uint8_t[16]){ 0 }, 6, 0, 0, 0, NULL, itt, 0);
				break;
			case 1:
				b[k] = cmd_send(c, (const uint8_t[16]){ 0 }, 6, 0, CF_IMM, 0, NULL, itt, 0);
				break;
			default:
				cdb_rw10(cdb, false, k * 64 + 8, 1);
				b[k] = cmd_send(c, cdb, 10, 512, CF_READ, 0, NULL, itt, 0);
				break;
			}
			if (a[k])
				a[k]->unsure = true;
			if (b[k])
				b[k]->unsure = true;
		}
		wait_tasks(c, 10000);
		for (k = 0; k < 8; k++) {
			pairs++;
			if (!a[k] || !b[k] || !a[k]->done || !b[k]->done) {
				lost++;
				continue;
			}
			if (!a[k]->rejected)
				first_ok++;
			else
				bad_rej++;
			if (!b[k]->rejected)
				second_ok++;
			else if (b[k]->reject_reason == RJ_IN_PROGRESS)
				second_rej++;
			else
				bad_rej++;
			task_forget(c, a[k]);
			task_forget(c, b[k]);
		}
		if (lost)
			break;
		/* A refused command may or may not have used its CmdSN. */
		resync_cmdsn(c);
	}
	note(&r, "%llu pairs: READ answered %llu, second answered %llu, second Reject 0x07 %llu, other Rejects %llu, unanswered %llu",
	     (unsigned long long)pairs, (unsigned long long)first_ok,
	     (unsigned long long)second_ok, (unsigned long long)second_rej,
	     (unsigned long long)bad_rej, (unsigned long long)lost);
	check(&r, !c->closed, "the connection stays up");
	check(&r, !lost, "every command is answered");
	check(&r, !bad_rej, "the first command is never refused, the second only with reason 0x07");
	/* No stale entry left: each ITT works again. */
	for (k = 0; k < 8 && !c->closed; k++) {
		struct task *t = cmd_send(c, (const uint8_t[16]){ 0 }, 6, 0, 0, 0, NULL, base + k, 0);

		if (t)
			wait_until(c, 10000, task_done_cb, t);
		if (!t || !t->done || t->rejected) {
			check(&r, false, "ITT 0x%x is free again (%s)", base + k,
			      !t || !t->done ? "no answer" : "Reject");
			break;
		}
	}
	if (k == 8)
		check(&r, true, "every ITT is free again afterwards");
	check(&r, !c->nr_misbehave, "no malformed answers (%u)", c->nr_misbehave);
	snprintf(r.summary, sizeof(r.summary), "%llu pairs, %llu refused with 0x07",
		 (unsigned long long)pairs, (unsigned long long)second_rej);
	conn_free(c);
	return verdict(&r);
}

/* ---- a second connection to a session ------------------------------------------------------------ */

static int scen_mcs(struct scen_cfg *cfg)
{
	static const char *const kv[] = { "MaxConnections", "8", NULL };
	struct res r = { .name = "mcs" };
	struct login_opts o = { .initiator = cfg->initiator, .target = cfg->target,
				.timeout_ms = 20000, .cid = 1, .isid_set = true };
	char extra[64];
	uint32_t elen = keys(extra, sizeof(extra), kv);
	struct conn *c, *c2;
	const char *mc;
	int ret;

	printf("mcs: a login that adds a second connection to a session (same ISID, its TSIH, CID 1)\n");
	c = scen_login(cfg, false, extra, elen, 0, 0, NULL);
	if (!c) {
		check(&r, false, "first login");
		return verdict(&r);
	}
	mc = c->login_text ? text_get(c->login_text, c->login_text_len, "MaxConnections") : NULL;
	check(&r, mc && !strcmp(mc, "1"), "MaxConnections=8 offered, the target answers %s",
	      mc ? mc : "nothing");
	memcpy(o.isid, c->isid, 6);
	o.tsih = c->tsih;
	c2 = conn_new(scen_ids++, NULL, cfg->verbose);
	if (!c2 || conn_open(c2, &cfg->portal, cfg->plen, NULL, 0)) {
		check(&r, false, "second connection");
		return verdict(&r);
	}
	ret = login(c2, &o);
	note(&r, "second login (TSIH %u, CID 1): %d, status 0x%04x", c->tsih, ret, ret > 0 ? ret : 0);
	check(&r, ret == 0x0206, "refused with status 0x0206 (too many connections)");
	check(&r, ping_wait(c, ping_send(c, NULL, 0, true), 10000),
	      "the first connection still answers");
	snprintf(r.summary, sizeof(r.summary), "MaxConnections=%s, second connection 0x%04x",
		 mc ? mc : "?", ret > 0 ? ret : 0);
	conn_free(c2);
	conn_free(c);
	return verdict(&r);
}

/* ---- logins that never finish ---------------------------------------------------------------- */

static bool sock_alive(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLRDHUP };
	char b;

	if (fd < 0)
		return false;
	if (poll(&pfd, 1, 0) <= 0)
		return true;
	if (pfd.revents & (POLLERR | POLLHUP | POLLRDHUP))
		return false;
	return recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) > 0 || errno == EAGAIN;
}

static unsigned int count_alive(const int *fds, unsigned int n)
{
	unsigned int i, a = 0;

	for (i = 0; i < n; i++)
		a += sock_alive(fds[i]);
	return a;
}

/* kitt's own count of its connections, or -1 outside a guest running kitt. */
static int live_conns(void)
{
	FILE *f = fopen("/sys/kernel/kitt/live", "r");
	int n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "connections %d", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

static int scen_loginflood(struct scen_cfg *cfg)
{
	struct res r = { .name = "loginflood" };
	unsigned int per = cfg->per_host, max = cfg->max_login, n1 = cfg->conns;
	unsigned int srcs = (max + per - 1) / (per ? per : 1) + 2, total = 0, i, j, a1, fails = 0;
	int *fds = calloc(n1 + srcs * per + 8, sizeof(int)), k0 = live_conns(), k1, k2, k3;
	double start, t_ok = -1;
	char src[32];

	printf("loginflood: connections that never send a byte: %u from one address, then %u from\n"
	       "each of %u more; expect at most %u per address and %u in all kept in login,\n"
	       "and a normal login once they are gone\n", n1, per, srcs, per, max);
	if (!fds)
		return 2;
	for (i = 0; i < n1; i++) {
		fds[total] = tcp_connect(&cfg->portal, cfg->plen, "127.0.0.1", 0, 5000);
		if (fds[total] < 0)
			fails++;
		total++;
	}
	sleep_ms(3000);
	a1 = count_alive(fds, n1);
	k1 = live_conns();
	note(&r, "%u connections from 127.0.0.1 (%u failed to connect): %u still open after 3 s, kitt has %d (%d before)",
	     n1, fails, a1, k1, k0);
	check(&r, a1 <= per, "at most %u kept from one address, the others closed at once (%u open)",
	      per, a1);
	if (k1 >= 0)
		check(&r, k1 - k0 <= (int)per, "kitt holds at most %u of them (%d)", per, k1 - k0);
	for (j = 0; j < srcs; j++) {
		snprintf(src, sizeof(src), "127.0.0.%u", j + 2);
		for (i = 0; i < per; i++)
			fds[total++] = tcp_connect(&cfg->portal, cfg->plen, src, 0, 5000);
	}
	sleep_ms(3000);
	k2 = live_conns();
	note(&r, "%u more from 127.0.0.2-%u: %u of all %u look open from here, kitt has %d", srcs * per,
	     srcs + 1, count_alive(fds, total), total, k2);
	if (k2 >= 0)
		check(&r, k2 - k0 <= (int)max, "kitt holds at most %u connections in login (%d)", max,
		      k2 - k0);
	else
		check(&r, count_alive(fds, total) <= max, "at most %u connections kept in login", max);

	/* The flood ends; a real login must get through within the bound. */
	for (i = 0; i < total; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	start = now_s();
	while (now_s() - start < cfg->bound) {
		struct login_opts o = { .initiator = cfg->initiator, .target = cfg->target,
					.timeout_ms = 10000 };
		struct conn *c = conn_new(scen_ids++, NULL, cfg->verbose);
		int ret = -1;

		if (c && !conn_open(c, &cfg->portal, cfg->plen, "127.0.0.250", 0))
			ret = login(c, &o);
		if (!ret) {
			t_ok = now_s() - start;
			logout_send(c, 0, true);
		}
		conn_free(c);
		if (!ret)
			break;
		sleep_ms(500);
	}
	check(&r, t_ok >= 0, "a normal login succeeds within %.0f s after the flood (%.1f s)",
	      cfg->bound, t_ok);
	/* And kitt lets go of everything. */
	for (i = 0; i < 100 && (k3 = live_conns()) > k0; i++)
		sleep_ms(200);
	k3 = live_conns();
	if (k3 >= 0)
		check(&r, k3 <= k0, "kitt is back to %d connections (%d)", k0, k3);
	free(fds);
	snprintf(r.summary, sizeof(r.summary), "%u of %u kept from one address, kitt held %d, login %.1f s after",
		 a1, n1, k2 - k0, t_ok);
	return verdict(&r);
}

/* kitt's count of logins with outcome @name (/sys/kernel/kitt/logins), or -1. */
static long logins_count(const char *name)
{
	FILE *f = fopen("/sys/kernel/kitt/logins", "r");
	char key[64];
	long v, n = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &v) == 2)
		if (!strcmp(key, name))
			n = v;
	fclose(f);
	return n;
}

/* Discovery sessions from @src, logged in and left idle; returns how many got in. */
static unsigned int connflood_open(struct scen_cfg *cfg, struct conn **cs, unsigned int n,
				   const char *src)
{
	unsigned int i, in = 0;

	for (i = 0; i < n; i++) {
		struct login_opts o = { .initiator = cfg->initiator, .timeout_ms = 10000 };
		struct conn *c = conn_new(scen_ids++, NULL, cfg->verbose);

		cs[i] = NULL;
		if (!c)
			continue;
		if (!conn_open(c, &cfg->portal, cfg->plen, src, 0) && !login(c, &o)) {
			cs[i] = c;
			in++;
		} else {
			conn_free(c);
		}
	}
	return in;
}

static int scen_connflood(struct scen_cfg *cfg)
{
	struct res r = { .name = "connflood" };
	unsigned int per = cfg->per_host, max = cfg->max_conns, n1 = per + 3, n2, in1, in2, i, open;
	int k0 = live_conns(), k1, k2;
	long lim0 = logins_count("conn_limit"), lim1;
	struct conn **cs;
	double start, t_idle = -1;

	printf("connflood: discovery sessions logged in and left idle: %u from one address, then\n"
	       "more from another; expect %u per address and %u in all, the rest closed at once\n"
	       "(counted as conn_limit), and the idle ones closed after %.0f s\n",
	       n1, per, max, cfg->idle);
	if (!per || max <= per || k0 < 0) {
		printf("  needs --per-host N --max-conns M (M > N) and kitt in this guest\n");
		return 2;
	}
	n2 = max - per + 2;
	cs = calloc(n1 + n2, sizeof(*cs));
	if (!cs)
		return 2;
	in1 = connflood_open(cfg, cs, n1, "127.0.0.1");
	k1 = live_conns();
	lim1 = logins_count("conn_limit");
	note(&r, "%u discovery logins from 127.0.0.1: %u got in; kitt has %d connections (%d before), conn_limit %ld -> %ld",
	     n1, in1, k1, k0, lim0, lim1);
	check(&r, in1 == per, "exactly max_conns_per_host (%u) got in from one address (%u)", per, in1);
	check(&r, lim1 - lim0 == n1 - per, "the %u others counted as conn_limit (%ld)", n1 - per,
	      lim1 - lim0);

	in2 = connflood_open(cfg, cs + n1, n2, "127.0.0.2");
	k2 = live_conns();
	note(&r, "%u more from 127.0.0.2: %u got in; kitt has %d connections", n2, in2, k2);
	check(&r, k2 <= (int)max && in1 + in2 == max - (k0 > 0 ? k0 : 0),
	      "max_conns (%u) held in all, the rest refused (%u + %u in, %d held)", max, in1, in2, k2);

	/* Idle discovery sessions go after discovery_idle_timeout. */
	start = now_s();
	while (now_s() - start < cfg->idle + 10) {
		if (live_conns() <= k0) {
			t_idle = now_s() - start;
			break;
		}
		sleep_ms(200);
	}
	open = 0;
	for (i = 0; i < n1 + n2; i++)
		if (cs[i] && sock_alive(cs[i]->fd))
			open++;
	check(&r, t_idle >= cfg->idle - 2 && t_idle >= 0,
	      "the idle sessions closed by kitt after about %.0f s (%.1f s)", cfg->idle, t_idle);
	check(&r, !open, "none of them open from here (%u)", open);
	for (i = 0; i < n1 + n2; i++)
		conn_free(cs[i]);
	free(cs);

	/* Discovery sessions have a cap of their own (max_discovery_conns). */
	if (cfg->max_disc > 0) {
		static const char *const param = "/sys/module/kitt/parameters/max_discovery_conns";
		unsigned int nd = cfg->max_disc + 2, din = 0, dref = 0;
		struct conn **ds = calloc(nd, sizeof(*ds));
		char old[32] = "";
		FILE *f = fopen(param, "r");

		if (f) {
			if (!fgets(old, sizeof(old), f))
				old[0] = 0;
			fclose(f);
		}
		f = fopen(param, "w");
		if (f) {
			fprintf(f, "%d\n", cfg->max_disc);
			fclose(f);
		}
		for (i = 0; ds && i < nd; i++) {
			struct login_opts o = { .initiator = cfg->initiator, .timeout_ms = 10000 };
			struct conn *d = conn_new(scen_ids++, NULL, cfg->verbose);
			int st = -1;

			if (d && !conn_open(d, &cfg->portal, cfg->plen, "127.0.0.3", 0))
				st = login(d, &o);
			if (!st) {
				ds[i] = d;
				din++;
			} else {
				dref += st == 0x0302;
				conn_free(d);
			}
		}
		check(&r, din == (unsigned int)cfg->max_disc,
		      "max_discovery_conns %d: that many discovery sessions in (%u)", cfg->max_disc, din);
		check(&r, dref == 2, "the 2 others refused with status 0x0302, out of resources (%u)",
		      dref);
		for (i = 0; ds && i < nd; i++)
			conn_free(ds[i]);
		free(ds);
		f = fopen(param, "w");
		if (f) {
			fputs(old[0] ? old : "64\n", f);
			fclose(f);
		}
	}

	/* A normal login gets through afterwards. */
	{
		struct conn *c = scen_login(cfg, false, NULL, 0, 0, 0, NULL);

		check(&r, c != NULL, "a normal login succeeds afterwards");
		if (c)
			logout_send(c, 0, true);
		conn_free(c);
	}
	snprintf(r.summary, sizeof(r.summary), "%u + %u of %u in, idle ones closed after %.1f s",
		 in1, in2, n1 + n2, t_idle);
	return verdict(&r);
}

/* ---- control requests behind a CmdSN gap ---------------------------------------------------- */

static bool tmf_done(struct conn *c, void *arg)
{
	(void)arg;
	return c->tmf_answered || c->closed;
}

static bool task_done(struct conn *c, void *arg)
{
	const struct task *t = arg;

	return t->done || c->closed;
}

static int scen_ctlorder(struct scen_cfg *cfg)
{
	struct res r = { .name = "ctlorder" };
	uint8_t cdb[16] = { 0 };	/* TEST UNIT READY */
	uint32_t e, nop, i;
	struct task *t_gap, *t_after;
	struct conn *c;

	printf("ctlorder: with ExpCmdSN E, a NOP-Out (not immediate) with CmdSN E+1 and a TEST UNIT\n"
	       "READY with E+2: neither may run before a command with E fills the gap; then all\n"
	       "three run and ExpCmdSN is E+3. Aborted commands, one waiting behind a gap and one\n"
	       "never sent, leave their CmdSNs received. A LUN RESET behind a gap spares the\n"
	       "command sent after it. Then %u NOP-Outs behind a new gap: the last one closes\n"
	       "the connection\n", KITT_CTL_WAIT_MAX + 1);
	c = scen_login(cfg, false, NULL, 0, 0, 0, NULL);
	if (!c) {
		check(&r, false, "login");
		return verdict(&r);
	}
	e = c->cmdsn;
	c->cmdsn = e + 1;
	nop = ping_send(c, "ping", 4, false);
	t_after = cmd_send(c, cdb, 6, 0, 0, 0, NULL, 0, 0);
	check(&r, nop && t_after, "NOP-Out with CmdSN E+1 and TEST UNIT READY with E+2 sent");
	pump(c, 1500);
	check(&r, !pend_done(c, nop), "the NOP-Out waits for the gap (no answer within 1.5 s)");
	check(&r, t_after && !t_after->done, "the command after it waits too");
	t_gap = cmd_send(c, cdb, 6, 0, CF_KEEP_CMDSN, 0, NULL, 0, e);
	check(&r, ping_wait(c, nop, 5000), "the NOP-Out answered once the gap filled");
	check(&r, wait_tasks(c, 5000), "both commands answered");
	check(&r, t_gap && t_after && t_gap->status == 0 && t_after->status == 0,
	      "both GOOD");
	check(&r, c->exp_cmdsn == e + 3, "ExpCmdSN E+3: each CmdSN consumed once (E+%u)",
	      c->exp_cmdsn - e);

	/*
	 * Aborted before its turn, a command leaves its CmdSN received (RFC
	 * 7143 11.5.1): one that waited behind a gap, and one that never came.
	 */
	e = c->cmdsn;
	c->cmdsn = e + 1;
	t_after = cmd_send(c, cdb, 6, 0, 0, 0, NULL, 0, 0);
	pump(c, 500);
	check(&r, t_after && tmf_send(c, 1, c->lun, t_after->itt, e + 1, true) &&
	      wait_until(c, 5000, tmf_done, NULL) && c->last_tmf_response == 0,
	      "ABORT TASK of the command waiting behind the gap: Function Complete (%u)",
	      c->last_tmf_response);
	if (t_after)
		task_forget(c, t_after);
	c->cmdsn = e + 3;
	check(&r, tmf_send(c, 1, c->lun, 0x7fff0000, e + 2, true) &&
	      wait_until(c, 5000, tmf_done, NULL) && c->last_tmf_response == 0,
	      "ABORT TASK of a command never sent, RefCmdSN E+2: Function Complete (%u)",
	      c->last_tmf_response);
	t_gap = cmd_send(c, cdb, 6, 0, CF_KEEP_CMDSN, 0, NULL, 0, e);
	t_after = cmd_send(c, cdb, 6, 0, 0, 0, NULL, 0, 0);
	check(&r, t_gap && t_after && wait_tasks(c, 5000) && t_gap->status == 0 &&
	      t_after->status == 0,
	      "the commands of E and E+3 answered: the aborted CmdSNs did not hold them");
	check(&r, c->exp_cmdsn == e + 4, "ExpCmdSN E+4 (E+%u)", c->exp_cmdsn - e);

	/*
	 * A LUN RESET without the I bit, behind a gap, and a command after
	 * it: the reset runs in its turn and leaves the later command alone
	 * (answered, with the reset's unit attention). The command of the
	 * gap, before it, runs first, and the reset may end it before its
	 * status goes out (SAM: it is in the task set), so it is not counted.
	 */
	e = c->cmdsn;
	c->cmdsn = e + 1;
	check(&r, tmf_send(c, 5, c->lun, RSVD_TAG, 0, false) != 0, "LUN RESET with CmdSN E+1 sent");
	t_after = cmd_send(c, cdb, 6, 0, 0, 0, NULL, 0, 0);
	pump(c, 1000);
	check(&r, !c->tmf_answered, "the LUN RESET waits for the gap");
	t_gap = cmd_send(c, cdb, 6, 0, CF_KEEP_CMDSN, 0, NULL, 0, e);
	check(&r, wait_until(c, 5000, tmf_done, NULL) && c->last_tmf_response == 0,
	      "the LUN RESET ran once the gap filled: Function Complete (%u)", c->last_tmf_response);
	check(&r, t_after && wait_until(c, 5000, task_done, t_after),
	      "the command sent after the reset answered (status 0x%02x)",
	      t_after ? t_after->status : 0xff);
	if (t_gap && !t_gap->done)
		task_forget(c, t_gap);
	check(&r, c->exp_cmdsn == e + 3, "ExpCmdSN E+3 (E+%u)", c->exp_cmdsn - e);

	/* The bound: one more than may wait ends the connection. */
	e = c->cmdsn;
	c->cmdsn = e + 1;
	for (i = 0; i <= KITT_CTL_WAIT_MAX; i++)
		ping_send(c, NULL, 0, false);
	for (i = 0; i < 50 && !c->closed; i++)
		pump(c, 100);
	check(&r, c->closed, "the connection closed after the %uth", KITT_CTL_WAIT_MAX + 1);
	conn_free(c);
	snprintf(r.summary, sizeof(r.summary), "requests behind a gap wait, run in order, %u at most",
		 KITT_CTL_WAIT_MAX);
	return verdict(&r);
}

/* ---- a session type switch -------------------------------------------------------------------- */

/* Send a raw Login Request; returns the status (class << 8 | detail), or < 0. */
static int raw_login(struct conn *c, uint8_t flags, const char *text, uint32_t len, uint8_t *rflags)
{
	uint8_t bhs[BHS_LEN] = { 0 };
	struct pdu p;
	int st;

	bhs[0] = OP_LOGIN_REQ | OP_IMMEDIATE;
	bhs[1] = flags;
	put_dlen(bhs, len);
	memcpy(bhs + 8, c->isid, 6);
	put_be32(bhs + B_ITT, 1);
	put_be32(bhs + B_CMDSN, 1);
	put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
	if (send_pdu_ex(c, bhs, NULL, 0, text, len, SF_NO_DIGESTS, 0, 5000))
		return LOGIN_IO_ERROR;
	if (recv_pdu(c, &p, 15000))
		return LOGIN_IO_ERROR;
	if ((p.bhs[0] & OP_MASK) != OP_LOGIN_RSP) {
		consume_pdu(c, &p);
		return LOGIN_PROTO_ERROR;
	}
	st = p.bhs[36] << 8 | p.bhs[37];
	c->exp_statsn = get_be32(p.bhs + B_CMDSN) + 1;
	*rflags = p.bhs[1];
	consume_pdu(c, &p);
	return st;
}

static bool closed_within(struct conn *c, int ms)
{
	struct pdu p;

	while (recv_pdu(c, &p, ms) == 0)
		consume_pdu(c, &p);
	return c->closed;
}

static int switch_type(struct scen_cfg *cfg, struct res *r, const char *what, bool opstage,
		       const char *from, const char *to)
{
	struct conn *c = conn_new(scen_ids++, NULL, cfg->verbose);
	char text[1024];
	uint32_t len = 0;
	uint8_t fl = 0;
	int st1, st2;

	if (!c || conn_open(c, &cfg->portal, cfg->plen, NULL, 0)) {
		check(r, false, "%s: connect", what);
		conn_free(c);
		return -1;
	}
	c->isid[0] = 0x80;
	c->isid[5] = (uint8_t)c->id;
	len = text_add(text, len, sizeof(text), "InitiatorName", cfg->initiator);
	if (!strcmp(from, "Normal"))
		len = text_add(text, len, sizeof(text), "TargetName", cfg->target);
	len = text_add(text, len, sizeof(text), "SessionType", from);
	len = text_add(text, len, sizeof(text), "AuthMethod", "None");
	st1 = raw_login(c, STAGE_SEC << 2 | STAGE_OP | (opstage ? FL_LOGIN_TRANSIT : 0), text, len, &fl);
	len = text_add(text, 0, sizeof(text), "SessionType", to);
	if (!strcmp(to, "Normal"))
		len = text_add(text, len, sizeof(text), "TargetName", cfg->target);
	if (opstage)
		len = text_add(text, len, sizeof(text), "HeaderDigest", "None");
	st2 = st1 ? st1 : raw_login(c, opstage ? (STAGE_OP << 2 | STAGE_FFP) :
				    (STAGE_SEC << 2 | STAGE_OP | FL_LOGIN_TRANSIT), text, len, &fl);
	note(r, "%s: SessionType=%s, then SessionType=%s%s: first 0x%04x, then %s0x%04x", what, from, to,
	     opstage ? " in the operational stage" : "", st1 > 0 ? st1 : 0, st2 < 0 ? "error " : "",
	     st2 > 0 ? st2 : 0);
	check(r, st1 == 0, "%s: the first Login Request is accepted", what);
	check(r, st2 == 0x0200, "%s: the switch is refused with status 0x0200 (got 0x%04x)", what,
	      st2 > 0 ? st2 : 0);
	check(r, closed_within(c, 5000), "%s: the connection is closed", what);
	conn_free(c);
	return st2;
}

static int scen_sesstype(struct scen_cfg *cfg)
{
	struct res r = { .name = "sesstype" };
	int a, b, d;

	printf("sesstype: a login that changes SessionType after the first Login Request\n");
	a = switch_type(cfg, &r, "security", false, "Normal", "Discovery");
	b = switch_type(cfg, &r, "operational", true, "Normal", "Discovery");
	d = switch_type(cfg, &r, "reverse", false, "Discovery", "Normal");
	snprintf(r.summary, sizeof(r.summary), "Normal->Discovery 0x%04x / 0x%04x, Discovery->Normal 0x%04x",
		 a > 0 ? a : 0, b > 0 ? b : 0, d > 0 ? d : 0);
	return verdict(&r);
}

/* ---- unlinking a LUN under a peer that holds tasks ------------------------------------------------ */

/*
 * Leave two 64 KiB WRITEs in the target: @wait (LBA 0) gets its R2T and
 * never its data, @parked (LBA 128) sits behind a CmdSN gap. Returns the
 * CmdSN of @wait; the gap is at that + 1.
 */
static uint32_t queue_two_writes(struct conn *c, struct task **wait, struct task **parked)
{
	uint32_t e = c->cmdsn;
	uint8_t cdb[16];

	c->auto_r2t = false;
	c->auto_nopin = true;
	cdb_rw10(cdb, true, 0, 128);
	*wait = cmd_send(c, cdb, 10, 65536, CF_WRITE | CF_HOSTILE | CF_NO_UNSOL, 0, NULL, 0, 0);
	cdb_rw10(cdb, true, 128, 128);
	*parked = cmd_send(c, cdb, 10, 65536, CF_WRITE | CF_HOSTILE | CF_NO_UNSOL | CF_KEEP_CMDSN,
			   0, NULL, 0, e + 2);
	settle(c);
	return e;
}

static int scen_unlinkhang(struct scen_cfg *cfg)
{
	struct res r = { .name = "unlinkhang" };
	char extra[512];
	uint32_t elen = keys(extra, sizeof(extra), window_keys), e;
	double hold = cfg->hold, ready_at, end;
	struct task *ta, *tb;
	struct conn *c;

	printf("unlinkhang: a WRITE that waits for Data-Out and one parked behind a CmdSN gap,\n"
	       "held while the LUN is unlinked; expect the session to be closed, not a hang\n");
	c = scen_login(cfg, false, extra, elen, 0, 0, NULL);
	if (!c) {
		check(&r, false, "login");
		return verdict(&r);
	}
	e = queue_two_writes(c, &ta, &tb);
	check(&r, ta && ta->r2ts, "the WRITE at CmdSN %u waits for data (R2T received)", e);
	check(&r, tb && !tb->r2ts && !tb->done, "the WRITE at CmdSN %u is parked behind the gap", e + 2);
	printf("READY\n");
	fflush(stdout);
	ready_at = now_s();
	end = ready_at + hold;
	while (!c->closed && now_s() < end)
		pump(c, 200);
	check(&r, c->closed, "the target closed the session %s",
	      c->closed ? "" : "(still open at the end of the hold)");
	if (c->closed)
		note(&r, "closed %.1f s after READY", c->closed_at - ready_at);
	snprintf(r.summary, sizeof(r.summary), "session %s after %.1f s",
		 c->closed ? "closed" : "still open", (c->closed ? c->closed_at : now_s()) - ready_at);
	conn_free(c);
	return verdict(&r);
}

/* ---- commands aborted by another nexus ---------------------------------------------------- */

static bool fenced_done_cb(struct conn *c, void *arg)
{
	struct task **t = arg;

	return (t[0]->done && t[1]->done && t[2]->done) || c->closed;
}

/*
 * Another initiator resets the LU (or preempts and aborts) while this
 * one has a WRITE waiting for its Data-Out and another parked behind a
 * CmdSN gap: both must end in TASK ABORTED (TAS 1) once their data is
 * in and their CmdSN has come, and neither may write. The shell checks
 * the blocks; here the statuses are checked.
 */
static int scen_fenced(struct scen_cfg *cfg)
{
	struct res r = { .name = "fenced" };
	char extra[512], line[64];
	uint32_t elen = keys(extra, sizeof(extra), window_keys), e;
	struct task *t[3] = { NULL };
	double end = now_s() + cfg->hold;
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	struct conn *c;
	uint8_t cdb[16];
	bool go = false;

	printf("fenced: a WRITE waiting for Data-Out and one parked behind a CmdSN gap while\n"
	       "another nexus resets the LU; after GO on stdin both must end in TASK ABORTED\n");
	c = scen_login(cfg, false, extra, elen, 0, 0, NULL);
	if (!c) {
		check(&r, false, "login");
		return verdict(&r);
	}
	e = queue_two_writes(c, &t[0], &t[1]);
	check(&r, t[0] && t[0]->r2ts, "the WRITE at CmdSN %u waits for data (R2T received)", e);
	check(&r, t[1] && !t[1]->r2ts && !t[1]->done, "the WRITE at CmdSN %u is parked behind the gap",
	      e + 2);
	if (!t[0] || !t[1] || c->closed) {
		conn_free(c);
		return verdict(&r);
	}
	printf("READY\n");
	fflush(stdout);
	while (!c->closed && now_s() < end) {
		pump(c, 100);
		if (poll(&pfd, 1, 0) > 0) {
			go = fgets(line, sizeof(line), stdin) && !strncmp(line, "GO", 2);
			break;
		}
	}
	check(&r, go && !c->closed, "GO came while the session was open");
	if (!go || c->closed) {
		conn_free(c);
		return verdict(&r);
	}
	/* Now the data, and the command that fills the gap. */
	t[0]->hostile = false;
	t[1]->hostile = false;
	c->auto_r2t = true;
	answer_r2ts(c, t[0]);
	memset(cdb, 0, sizeof(cdb));	/* TEST UNIT READY */
	t[2] = cmd_send(c, cdb, 6, 0, 0, 0, NULL, 0, 0);
	if (t[2])
		wait_until(c, 30000, fenced_done_cb, t);
	check(&r, t[0]->done && t[0]->status == 0x40,
	      "the WRITE that waited for data: TASK ABORTED (done %d, status 0x%02x)", t[0]->done,
	      t[0]->status);
	check(&r, t[1]->done && t[1]->status == 0x40,
	      "the WRITE parked behind the gap: TASK ABORTED (done %d, status 0x%02x)", t[1]->done,
	      t[1]->status);
	check(&r, t[2] && t[2]->done && t[2]->status != 0x40,
	      "the TEST UNIT READY sent after the reset runs (status 0x%02x)",
	      t[2] ? t[2]->status : 0xff);
	snprintf(r.summary, sizeof(r.summary), "%d check%s failed", r.fails,
		 r.fails == 1 ? "" : "s");
	if (!r.fails)
		snprintf(r.summary, sizeof(r.summary), "both queued WRITEs ended in TASK ABORTED");
	logout_send(c, 0, true);
	conn_free(c);
	return verdict(&r);
}

/* ---- CHAP_A abuse ----------------------------------------------------------------------------- */

static int chap_try(struct scen_cfg *cfg, struct res *r, const char *what, const char *list,
		    bool want_ok)
{
	struct login_opts o = { .initiator = cfg->initiator, .target = cfg->target,
				.chap_user = cfg->chap_user, .chap_secret = cfg->chap_secret,
				.chap_a = list, .timeout_ms = 60000 };
	struct conn *c = conn_new(scen_ids++, NULL, cfg->verbose);
	double t0 = now_s(), dt;
	int ret = LOGIN_IO_ERROR;

	if (c && !conn_open(c, &cfg->portal, cfg->plen, NULL, 0))
		ret = login(c, &o);
	dt = now_s() - t0;
	note(r, "%s: CHAP_A of %zu bytes: %s (status 0x%04x) in %.2f s", what, strlen(list),
	     ret == 0 ? "logged in" : ret == LOGIN_OTHER_CHAP ? "the target chose SHA1, SHA-256 or SHA3-256" :
	     ret > 0 ? "refused" : "error", ret > 0 ? ret : 0, dt);
	/* Choosing another hash of the list is right too; only MD5 is done here. */
	if (want_ok)
		check(r, ret == 0 || ret == LOGIN_OTHER_CHAP,
		      "%s: the login proceeds with an algorithm of the list", what);
	else
		check(r, ret == 0 || ret == LOGIN_OTHER_CHAP || ret == 0x0200 || ret == 0x0201,
		      "%s: logged in, or refused cleanly with 0x0200/0x0201", what);
	check(r, dt <= cfg->bound, "%s: answered within %.0f s", what, cfg->bound);
	if (!ret)
		logout_send(c, 0, true);
	conn_free(c);
	return ret;
}

static int scen_chapa(struct scen_cfg *cfg)
{
	struct res r = { .name = "chapa" };
	char list[8192];
	size_t off = 0;
	unsigned int i;

	printf("chapa: CHAP logins whose CHAP_A is long, repetitive and mostly unknown\n");
	if (!cfg->chap_user) {
		check(&r, false, "--chap USER:SECRET is needed");
		return verdict(&r);
	}
	/* Within the 255 bytes a value may have: junk, SHA3-256 many times, then MD5. */
	off = snprintf(list, sizeof(list), "0,1,2,3,4,9,10,11,300,0x100,abc,,-1");
	while (off + 4 < 250)
		off += snprintf(list + off, sizeof(list) - off, ",8");
	snprintf(list + off, sizeof(list) - off, ",5");
	chap_try(cfg, &r, "255 bytes", list, true);

	/* 0..300 and then duplicates: longer than a value may be. */
	off = 0;
	for (i = 0; i <= 300; i++)
		off += snprintf(list + off, sizeof(list) - off, "%s%u", i ? "," : "", i);
	while (off + 3 < 4000)
		off += snprintf(list + off, sizeof(list) - off, ",5");
	chap_try(cfg, &r, "4000 bytes", list, false);

	/* Nothing usable at all: unknown numbers only, repeated. */
	off = snprintf(list, sizeof(list), "0");
	while (off + 4 < 250)
		off += snprintf(list + off, sizeof(list) - off, ",9,4");
	chap_try(cfg, &r, "no usable algorithm", list, false);
	snprintf(r.summary, sizeof(r.summary), "%d check%s failed", r.fails, r.fails == 1 ? "" : "s");
	return verdict(&r);
}

/* ---- connections that go away with commands in flight ---------------------------------------- */

static int scen_inflight(struct scen_cfg *cfg)
{
	static const char *const kv[] = { "InitialR2T", "No", "ImmediateData", "Yes", NULL };
	struct res r = { .name = "inflight" };
	unsigned int i, k, rounds = cfg->conns > 0 && cfg->conns < 1000 ? cfg->conns : 20;
	char extra[128];
	uint32_t elen = keys(extra, sizeof(extra), kv);
	double start = now_s();
	struct conn *c;
	uint8_t cdb[16];
	int ok = 0;

	printf("inflight: log in, send READs of 256 KiB and WRITEs with immediate data,\n"
	       "then reset the connection before the answers, %u times; kitt must clean up\n", rounds);
	for (i = 0; i < rounds; i++) {
		c = scen_login(cfg, false, extra, elen, 0, 0, NULL);
		if (!c) {
			check(&r, false, "login %u", i + 1);
			break;
		}
		c->auto_r2t = false;
		for (k = 0; k < 16 && !c->closed; k++) {
			cdb_rw10(cdb, k & 1, (k * 512 + i * 8) % 65536, 512);
			cmd_send(c, cdb, 10, 262144, k & 1 ? CF_WRITE : CF_READ,
				 k & 1 ? (c->tx_max < 65536 ? c->tx_max : 65536) : 0, NULL, 0, 0);
		}
		/* Half of the rounds read a little first, so some answers are on their way. */
		if (i & 1)
			pump(c, 20);
		conn_abort(c);
		conn_free(c);
		ok++;
	}
	note(&r, "%d connections reset with commands in flight in %.1f s", ok, now_s() - start);
	/* kitt must still serve: a login and a ping within the bound. */
	c = scen_login(cfg, false, NULL, 0, 0, 0, NULL);
	check(&r, c && ping_wait(c, ping_send(c, NULL, 0, true), (int)(cfg->bound * 1000)),
	      "a new login is served and answers a ping afterwards");
	if (c)
		logout_send(c, 0, true);
	conn_free(c);
	snprintf(r.summary, sizeof(r.summary), "%d resets with I/O in flight, kitt %s", ok,
		 r.fails ? "stuck" : "still serving");
	return verdict(&r);
}

/* ---- data digests on WRITE data ----------------------------------------------------------- */

static const char *const ddigest_keys[] = {
	"HeaderDigest", "CRC32C", "DataDigest", "CRC32C", "InitialR2T", "No",
	"ImmediateData", "Yes", "FirstBurstLength", "65536", "MaxBurstLength", "262144", NULL,
};

static void ddigest_fill(uint8_t *buf, uint32_t len, uint32_t seed)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 31 + seed * 77 + (i >> 9));
}

/*
 * A WRITE whose data carries a wrong data digest: in the command's
 * immediate data, or (@dataout) in the unsolicited Data-Out that follows
 * a first half with a right one.
 */
static void ddigest_bad_write(struct conn *c, uint32_t lba, uint32_t nblk, uint32_t bs,
			      const uint8_t *data, bool dataout)
{
	uint32_t len = nblk * bs, imm = dataout ? len / 2 : len, itt = c->itt_next++;
	uint8_t bhs[BHS_LEN] = { 0 }, cdb[16];

	cdb_rw10(cdb, true, lba, (uint16_t)nblk);
	bhs[0] = OP_SCSI_CMD;
	bhs[1] = FL_CMD_SIMPLE | FL_CMD_WRITE | (dataout ? 0 : FL_FINAL);
	memcpy(bhs + 8, c->lun, 8);
	put_be32(bhs + B_ITT, itt);
	put_be32(bhs + 20, len);
	put_be32(bhs + B_CMDSN, c->cmdsn++);
	put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
	memcpy(bhs + 32, cdb, 16);
	put_dlen(bhs, imm);
	send_pdu_ex(c, bhs, NULL, 0, data, imm, dataout ? 0 : SF_BAD_DDIGEST, 0, 0);
	if (!dataout)
		return;
	memset(bhs, 0, sizeof(bhs));
	bhs[0] = OP_DATA_OUT;
	bhs[1] = FL_FINAL;
	memcpy(bhs + 8, c->lun, 8);
	put_be32(bhs + B_ITT, itt);
	put_be32(bhs + B_TTT, 0xffffffff);
	put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
	put_be32(bhs + 40, imm);
	put_dlen(bhs, len - imm);
	send_pdu_ex(c, bhs, NULL, 0, data + imm, len - imm, SF_BAD_DDIGEST, 0, 0);
}

static int scen_ddigest(struct scen_cfg *cfg)
{
	/* Blocks per WRITE: through the receive stash, and around it. */
	static const uint32_t sizes[] = { 1, 7, 8, 32, 128 };
	static const struct { uint32_t size; bool dataout; const char *what; } bad[] = {
		{ 1, false, "immediate data of 1 block" },
		{ 32, false, "immediate data of 32 blocks" },
		{ 32, true, "an unsolicited Data-Out of 16 blocks" },
		{ 128, true, "an unsolicited Data-Out of 64 blocks" },
	};
	struct res r = { .name = "ddigest" };
	uint32_t elen, bs = 0, lba[5], at, i;
	uint8_t *good = NULL, *back = NULL;
	uint64_t blocks = 0;
	char extra[256];
	struct conn *c;
	uint8_t ping[1001];

	printf("ddigest: WRITEs with CRC32C data digests, in the command and in Data-Out,\n"
	       "small and large; each one with a wrong digest must close its connection\n"
	       "and leave the blocks as they were\n");
	elen = keys(extra, sizeof(extra), ddigest_keys);
	c = scen_login(cfg, false, extra, elen, 0, 0, NULL);
	if (!c || scsi_capacity(c, &blocks, &bs, 10000) || bs > 512 || blocks < 2048) {
		check(&r, false, "login with digests, READ CAPACITY, 512-byte blocks");
		conn_free(c);
		return verdict(&r);
	}
	check(&r, c->hd && c->dd, "header and data digests in effect");
	good = malloc(128 * bs);
	back = malloc(128 * bs);
	if (!good || !back) {
		check(&r, false, "memory");
		goto out;
	}
	at = (uint32_t)(blocks / 2 < 1u << 30 ? blocks / 2 : 1u << 30);
	for (i = 0; i < 5; i++) {
		lba[i] = at;
		at += sizes[i];
		ddigest_fill(good, sizes[i] * bs, i);
		check(&r, scsi_rw(c, true, lba[i], sizes[i], bs, good, 10000) == 0,
		      "WRITE of %u block(s) with data digests: GOOD", sizes[i]);
		memset(back, 0, sizes[i] * bs);
		check(&r, scsi_rw(c, false, lba[i], sizes[i], bs, back, 10000) == 0 &&
		      !memcmp(good, back, sizes[i] * bs),
		      "%u block(s) read back byte for byte", sizes[i]);
	}
	/* 1001 bytes: the padding counts in the digest. */
	ddigest_fill(ping, sizeof(ping), 9);
	check(&r, ping_wait(c, ping_send(c, ping, sizeof(ping), true), 10000) && !c->closed,
	      "a NOP-Out with 1001 bytes of data and 3 of padding is answered");
	logout_send(c, 0, true);
	conn_free(c);

	for (i = 0; i < 4; i++) {
		uint32_t k = bad[i].size == 1 ? 0 : bad[i].size == 32 ? 3 : 4;

		c = scen_login(cfg, false, extra, elen, 0, 0, NULL);
		if (!c) {
			check(&r, false, "login for the wrong digest in %s", bad[i].what);
			continue;
		}
		ddigest_fill(good, sizes[k] * bs, 100 + i);
		ddigest_bad_write(c, lba[k], sizes[k], bs, good, bad[i].dataout);
		check(&r, closed_within(c, 10000), "a wrong data digest in %s closes the connection",
		      bad[i].what);
		conn_free(c);
	}

	c = scen_login(cfg, false, extra, elen, 0, 0, NULL);
	check(&r, c != NULL, "a new login with digests");
	for (i = 0; c && i < 5; i++) {
		ddigest_fill(good, sizes[i] * bs, i);
		memset(back, 0, sizes[i] * bs);
		check(&r, scsi_rw(c, false, lba[i], sizes[i], bs, back, 10000) == 0 &&
		      !memcmp(good, back, sizes[i] * bs),
		      "%u block(s) unchanged by the WRITEs with wrong digests", sizes[i]);
	}
	if (c)
		logout_send(c, 0, true);
out:
	conn_free(c);
	free(good);
	free(back);
	snprintf(r.summary, sizeof(r.summary), "data digests %s", r.fails ? "mishandled" : "checked");
	return verdict(&r);
}

/* ---- urgent data ---------------------------------------------------------------------------- */

static int scen_urgent(struct scen_cfg *cfg)
{
	struct res r = { .name = "urgent" };
	struct conn *c;
	double t;

	printf("urgent: a byte of TCP urgent data, before the login and in full feature\n"
	       "phase; iSCSI never sends it: kitt must close the connection at once\n");
	c = conn_new(scen_ids++, NULL, cfg->verbose);
	if (!c || conn_open(c, &cfg->portal, cfg->plen, NULL, 0)) {
		check(&r, false, "connect");
		conn_free(c);
		return verdict(&r);
	}
	t = now_s();
	check(&r, send(c->fd, "u", 1, MSG_OOB) == 1, "urgent byte sent before the login");
	check(&r, closed_within(c, 5000), "closed within 5 s (%.1f s)", now_s() - t);
	conn_free(c);

	c = scen_login(cfg, false, NULL, 0, 0, 0, NULL);
	if (!c) {
		check(&r, false, "login");
		return verdict(&r);
	}
	check(&r, ping_wait(c, ping_send(c, NULL, 0, true), 10000), "a ping is answered");
	t = now_s();
	check(&r, send(c->fd, "u", 1, MSG_OOB) == 1, "urgent byte sent in full feature phase");
	check(&r, closed_within(c, 5000), "closed within 5 s (%.1f s)", now_s() - t);
	conn_free(c);

	c = scen_login(cfg, false, NULL, 0, 0, 0, NULL);
	check(&r, c && ping_wait(c, ping_send(c, NULL, 0, true), 10000),
	      "a new login is served and answers a ping");
	if (c)
		logout_send(c, 0, true);
	conn_free(c);
	snprintf(r.summary, sizeof(r.summary), "urgent data %s", r.fails ? "mishandled" : "refused");
	return verdict(&r);
}

/* ---- the table ---------------------------------------------------------------------------------- */

static const struct {
	const char *name;
	int (*run)(struct scen_cfg *cfg);
	const char *help;
} scenarios[] = {
	{ "noread", scen_noread, "discovery session stops reading, floods NOP-Outs [--time --bound --mem-limit]" },
	{ "window", scen_window, "WRITEs that never get data fill the CmdSN window [--depth --imm-limit]" },
	{ "dupitt", scen_dupitt, "a command reusing the ITT of one in flight [--time]" },
	{ "mcs", scen_mcs, "a second connection to a session, MaxConnections" },
	{ "loginflood", scen_loginflood, "connections that never log in [--conns --per-host --max-login --bound]" },
	{ "connflood", scen_connflood, "idle discovery sessions: per-host and total caps, idle close, discovery cap [--per-host --max-conns --idle --max-disc]" },
	{ "sesstype", scen_sesstype, "SessionType changed during login" },
	{ "ctlorder", scen_ctlorder, "NOP-Outs behind a CmdSN gap wait for it, run in order, bounded" },
	{ "slowread", scen_slowread, "READ data never read, Data-Outs keep coming; kitt must keep reading [--time --bound --mem-limit]" },
	{ "slowsmall", scen_slowsmall, "slowread with Data-In PDUs of 512 bytes, kitt's send buffer grown first [--time --bound --mem-limit]" },
	{ "rejects", scen_rejects, "discovery session stops reading, floods PDUs to reject [--time --bound --mem-limit]" },
	{ "textbomb", scen_textbomb, "Text Requests without reading; an oversized NOP echo [--time --bound --mem-limit]" },
	{ "unlinkhang", scen_unlinkhang, "prints READY, holds tasks while the LUN is unlinked [--hold]" },
	{ "chapa", scen_chapa, "huge, repetitive CHAP_A lists [--chap --bound]" },
	{ "fenced", scen_fenced, "prints READY, holds queued WRITEs until GO on stdin; expects TASK ABORTED [--hold]" },
	{ "ddigest", scen_ddigest, "WRITEs with data digests; wrong ones close the connection, write nothing" },
	{ "urgent", scen_urgent, "TCP urgent data before the login and after; kitt must close the connection" },
	{ "inflight", scen_inflight, "connections reset with commands in flight [--conns --bound]" },
};

void list_scenarios(FILE *f)
{
	unsigned int i;

	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		fprintf(f, "%-12s %s\n", scenarios[i].name, scenarios[i].help);
}

int run_scenario(const char *name, struct scen_cfg *cfg)
{
	unsigned int i;

	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!strcmp(name, scenarios[i].name))
			return scenarios[i].run(cfg);
	fprintf(stderr, "kitt-fuzz: no scenario %s; try kitt-fuzz scenario list\n", name);
	return 2;
}
