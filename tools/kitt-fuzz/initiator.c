// SPDX-License-Identifier: GPL-2.0
/*
 * kitt-fuzz: a minimal iSCSI initiator. Login (with CHAP MD5), framing
 * with digests, and a checker that looks at every PDU the target sends:
 * opcode, lengths against what was negotiated, digests, StatSN order, the
 * command window, and whether it answers something this side sent.
 *
 * Handlers never send: R2Ts and the target's pings are noted, and
 * service() answers them once the received PDUs are dealt with, so a
 * blocked send may read into the receive buffer without pulling it from
 * under a handler.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kitt-fuzz.h"

#define IO_TIMEOUT_MS	15000

void stat_add(struct stats *st, int idx, uint64_t n)
{
	if (st)
		__atomic_fetch_add(&st->v[idx], n, __ATOMIC_RELAXED);
}

void stat_add_at(uint64_t *p, uint64_t n)
{
	__atomic_fetch_add(p, n, __ATOMIC_RELAXED);
}

/* ---- ITTs this side has sent, so answers for others stand out ------------- */

#define ITT_SET_SIZE	65536

struct itt_set {
	uint32_t slot[ITT_SET_SIZE];	/* value + 1; 0 is empty */
	unsigned int count;
	bool full;
};

static struct itt_set *itt_set_of(struct conn *c)
{
	return (struct itt_set *)c->itt_set;
}

static void itt_note(struct conn *c, uint32_t itt)
{
	struct itt_set *s = itt_set_of(c);
	uint32_t h = (itt * 2654435761U) & (ITT_SET_SIZE - 1);

	if (!s || itt == RSVD_TAG)
		return;
	if (s->count >= ITT_SET_SIZE / 2) {
		s->full = true;
		return;
	}
	while (s->slot[h]) {
		if (s->slot[h] == itt + 1)
			return;
		h = (h + 1) & (ITT_SET_SIZE - 1);
	}
	s->slot[h] = itt + 1;
	s->count++;
}

static bool itt_known(struct conn *c, uint32_t itt)
{
	struct itt_set *s = itt_set_of(c);
	uint32_t h = (itt * 2654435761U) & (ITT_SET_SIZE - 1);

	if (!s || s->full)
		return true;
	while (s->slot[h]) {
		if (s->slot[h] == itt + 1)
			return true;
		h = (h + 1) & (ITT_SET_SIZE - 1);
	}
	return false;
}

void loose_note(struct conn *c, uint32_t itt)
{
	c->loose[c->nr_loose++ % 256] = itt;
}

/* Can answers for @itt be held against what this side sent? */
static bool checkable(struct conn *c, uint32_t itt)
{
	unsigned int i, n = c->nr_loose < 256 ? c->nr_loose : 256;

	if (!c->strict)
		return false;
	for (i = 0; i < n; i++)
		if (c->loose[i] == itt)
			return false;
	return true;
}

/* ---- connections ---------------------------------------------------------------- */

struct conn *conn_new(uint64_t id, struct stats *st, int verbose)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->tasks = calloc(MAX_TASKS, sizeof(*c->tasks));
	c->itt_set = calloc(1, sizeof(struct itt_set));
	if (!c->tasks || !c->itt_set) {
		free(c->tasks);
		free(c->itt_set);
		free(c);
		return NULL;
	}
	c->fd = -1;
	c->id = id;
	c->st = st;
	c->verbose = verbose;
	c->reading = true;
	c->auto_r2t = true;
	c->auto_nopin = true;
	c->strict = true;
	c->tx_max = LOGIN_DSL;
	c->rx_max = LOGIN_DSL;
	c->itt_next = 0x100;
	c->first_burst = 65536;
	c->max_burst = 262144;
	c->max_r2t = 1;
	c->initial_r2t = true;
	c->imm_data = true;
	return c;
}

static void task_release(struct task *t)
{
	free(t->wbuf);
	memset(t, 0, sizeof(*t));
}

void conn_free(struct conn *c)
{
	unsigned int i;

	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	for (i = 0; i < MAX_TASKS; i++)
		task_release(&c->tasks[i]);
	free(c->tasks);
	free(c->itt_set);
	free(c->rx);
	free(c->last_text);
	free(c->login_text);
	free(c);
}

int conn_open(struct conn *c, const struct sockaddr_storage *portal, socklen_t plen,
	      const char *src, int rcvbuf)
{
	c->fd = tcp_connect(portal, plen, src, rcvbuf, 10000);
	if (c->fd < 0) {
		c->closed = true;
		c->close_err = errno;
		return -1;
	}
	stat_add(c->st, ST_CONNS, 1);
	return 0;
}

static void mark_closed(struct conn *c, int err)
{
	if (c->closed)
		return;
	c->closed = true;
	c->close_err = err;
	c->closed_at = now_s();
	stat_add(c->st, ST_CLOSED_BY_TARGET, 1);
	if (c->verbose > 1)
		fprintf(stderr, "conn %llu: closed by the target (%s)\n",
			(unsigned long long)c->id, err ? strerror(err) : "EOF");
}

void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->closed = true;
}

void conn_abort(struct conn *c)
{
	struct linger l = { 1, 0 };

	if (c->fd >= 0)
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	conn_close(c);
}

/* ---- reports ------------------------------------------------------------------- */

static const char *op_name(uint8_t op)
{
	switch (op & OP_MASK) {
	case OP_NOOP_OUT: return "NOP-Out";
	case OP_SCSI_CMD: return "SCSI-Cmd";
	case OP_TMF_REQ: return "TMF-Req";
	case OP_LOGIN_REQ: return "Login-Req";
	case OP_TEXT_REQ: return "Text-Req";
	case OP_DATA_OUT: return "Data-Out";
	case OP_LOGOUT_REQ: return "Logout-Req";
	case OP_SNACK_REQ: return "SNACK";
	case OP_NOOP_IN: return "NOP-In";
	case OP_SCSI_RSP: return "SCSI-Rsp";
	case OP_TMF_RSP: return "TMF-Rsp";
	case OP_LOGIN_RSP: return "Login-Rsp";
	case OP_TEXT_RSP: return "Text-Rsp";
	case OP_DATA_IN: return "Data-In";
	case OP_LOGOUT_RSP: return "Logout-Rsp";
	case OP_R2T: return "R2T";
	case OP_ASYNC: return "Async";
	case OP_REJECT: return "Reject";
	default: return "op?";
	}
}

void trace(struct conn *c, const char *dir, const uint8_t *bhs)
{
	char *t = c->trace[c->trace_pos++ % TRACE_LEN];

	snprintf(t, sizeof(c->trace[0]),
		 "%s %-10s op=%02x fl=%02x b2=%02x dlen=%u itt=%08x f20=%08x f24=%08x f28=%08x f32=%08x f36=%08x",
		 dir, op_name(bhs[0]), bhs[0], bhs[1], bhs[2], get_dlen(bhs), get_be32(bhs + 16),
		 get_be32(bhs + 20), get_be32(bhs + 24), get_be32(bhs + 28), get_be32(bhs + 32),
		 get_be32(bhs + 36));
	if (c->verbose > 2)
		fprintf(stderr, "conn %llu: %s\n", (unsigned long long)c->id, t);
}

void trace_dump(struct conn *c, FILE *f)
{
	unsigned int i, n = c->trace_pos < TRACE_LEN ? c->trace_pos : TRACE_LEN;

	for (i = c->trace_pos - n; i < c->trace_pos; i++)
		fprintf(f, "    %s\n", c->trace[i % TRACE_LEN]);
}

void misbehave(struct conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	c->nr_misbehave++;
	stat_add(c->st, ST_MISBEHAVE, 1);
	fprintf(stderr, "kitt-fuzz: MISBEHAVIOUR conn %llu: %s\n",
		(unsigned long long)c->id, c->why);
	if (c->nr_misbehave <= 2) {
		fprintf(stderr, "  last PDUs (> sent, < received):\n");
		trace_dump(c, stderr);
	}
}

/* ---- sending -------------------------------------------------------------------- */

static int rx_fill(struct conn *c);

int send_raw(struct conn *c, const void *buf, size_t len, int timeout_ms)
{
	const uint8_t *p = buf;
	double end = now_s() + timeout_ms / 1000.0;

	if (c->fd < 0 || c->closed)
		return -1;
	while (len) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		struct pollfd pfd;
		int left;

		if (n > 0) {
			p += n;
			len -= n;
			stat_add(c->st, ST_BYTES, n);
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			mark_closed(c, errno);
			return -1;
		}
		left = (int)((end - now_s()) * 1000);
		if (left <= 0)
			return -2;
		pfd.fd = c->fd;
		pfd.events = POLLOUT | (c->reading ? POLLIN : 0);
		if (poll(&pfd, 1, left > 200 ? 200 : left) <= 0)
			continue;
		if (pfd.revents & (POLLERR | POLLHUP)) {
			int err = 0;
			socklen_t elen = sizeof(err);

			getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &elen);
			if (err || (pfd.revents & POLLHUP)) {
				mark_closed(c, err ? err : EPIPE);
				return -1;
			}
		}
		if ((pfd.revents & POLLIN) && c->reading && rx_fill(c) < 0 && c->closed)
			return -1;
	}
	return 0;
}

/* Record what this side sent that expects an answer, from the bytes themselves. */
static void note_sent(struct conn *c, const uint8_t *bhs, const void *data, uint32_t dlen)
{
	uint8_t op = bhs[0] & OP_MASK;
	uint32_t itt = get_be32(bhs + B_ITT);
	unsigned int i;

	stat_add(c->st, ST_PDUS, 1);
	trace(c, ">", bhs);
	if (op == OP_DATA_OUT || op == OP_SNACK_REQ || itt == RSVD_TAG)
		return;
	itt_note(c, itt);
	if (op != OP_NOOP_OUT && op != OP_TEXT_REQ && op != OP_TMF_REQ && op != OP_LOGOUT_REQ)
		return;
	for (i = 0; i < MAX_PEND; i++) {
		struct pend *q = &c->pend[i];

		if (!q->used || (q->itt == itt && q->op == op)) {
			q->used = true;
			q->op = op;
			q->itt = itt;
			q->len = dlen;
			q->crc = data ? crc32c(~0U, data, dlen) : 0;
			return;
		}
	}
	/* Full: forget the oldest; its answer, and others, can no longer be judged. */
	c->pend_lost = true;
	memmove(&c->pend[0], &c->pend[1], sizeof(c->pend[0]) * (MAX_PEND - 1));
	c->pend[MAX_PEND - 1] = (struct pend){ true, op, itt, dlen,
					       data ? crc32c(~0U, data, dlen) : 0 };
}

int send_pdu_ex(struct conn *c, uint8_t *bhs, const void *ahs, uint32_t ahs_len,
		const void *data, uint32_t dlen, unsigned int flags, uint32_t cut,
		int timeout_ms)
{
	bool hd = c->hd && !(flags & SF_NO_DIGESTS), dd = c->dd && !(flags & SF_NO_DIGESTS);
	size_t total = BHS_LEN + ahs_len + (hd ? 4 : 0) + dlen + pad4(dlen) + (dd && dlen ? 4 : 0);
	uint8_t *buf, *p;
	int ret;

	buf = malloc(total);
	if (!buf)
		return -1;
	p = buf;
	memcpy(p, bhs, BHS_LEN);
	p += BHS_LEN;
	if (ahs_len) {
		memcpy(p, ahs, ahs_len);
		p += ahs_len;
	}
	if (hd) {
		digest_bytes(buf, BHS_LEN + ahs_len, p);
		if (flags & SF_BAD_HDIGEST)
			p[0] ^= 0x5a;
		p += 4;
	}
	if (dlen) {
		uint8_t *d = p;

		if (data)
			memcpy(p, data, dlen);
		else
			memset(p, 0, dlen);
		p += dlen;
		memset(p, 0, pad4(dlen));
		p += pad4(dlen);
		if (dd) {
			digest_bytes(d, dlen + pad4(dlen), p);
			if (flags & SF_BAD_DDIGEST)
				p[1] ^= 0xa5;
			p += 4;
		}
	}
	note_sent(c, bhs, data, dlen);
	if (cut && cut < total)
		total = cut;
	ret = send_raw(c, buf, total, timeout_ms > 0 ? timeout_ms : IO_TIMEOUT_MS);
	free(buf);
	return ret;
}

int send_pdu(struct conn *c, uint8_t *bhs, const void *data, uint32_t dlen)
{
	put_dlen(bhs, dlen);
	return send_pdu_ex(c, bhs, NULL, 0, data, dlen, 0, 0, 0);
}

/* ---- receiving -------------------------------------------------------------------- */

/* Read what the socket has; -1 when the connection is gone. */
static int rx_fill(struct conn *c)
{
	for (;;) {
		ssize_t n;

		if (c->rx_cap - c->rx_len < 65536) {
			size_t cap = c->rx_cap ? c->rx_cap * 2 : 262144;
			uint8_t *p = realloc(c->rx, cap);

			if (!p)
				return -1;
			c->rx = p;
			c->rx_cap = cap;
		}
		n = recv(c->fd, c->rx + c->rx_len, c->rx_cap - c->rx_len, MSG_DONTWAIT);
		if (n > 0) {
			c->rx_len += n;
			if (c->rx_len > 64 << 20)
				return 0;	/* enough buffered; parse first */
			continue;
		}
		if (n == 0) {
			mark_closed(c, 0);
			return -1;
		}
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		mark_closed(c, errno);
		return -1;
	}
}

/* Make room for @need bytes in the receive buffer. */
static void rx_reserve(struct conn *c, size_t need)
{
	uint8_t *q;

	if (need <= c->rx_cap)
		return;
	q = realloc(c->rx, need + 65536);
	if (q) {
		c->rx = q;
		c->rx_cap = need + 65536;
	}
}

/*
 * A whole PDU at @buf? Returns its size on the wire, or 0 when more bytes
 * are needed (*need says how many in all). Digests are checked here.
 */
static size_t rx_parse(struct conn *c, const uint8_t *buf, size_t have, struct pdu *p,
		       bool login, size_t *need_out)
{
	bool hd = c->hd && !login, dd = c->dd && !login;
	size_t need, off;
	uint32_t dlen;

	*need_out = BHS_LEN;
	if (have < BHS_LEN)
		return 0;
	memcpy(p->bhs, buf, BHS_LEN);
	p->ahs_len = buf[4] * 4;
	dlen = get_dlen(buf);
	need = BHS_LEN + p->ahs_len + (hd ? 4 : 0) + dlen + pad4(dlen) + (dd && dlen ? 4 : 0);
	*need_out = need;
	if (have < need)
		return 0;
	p->ahs = buf + BHS_LEN;
	off = BHS_LEN + p->ahs_len;
	if (hd) {
		uint8_t d[4];

		digest_bytes(buf, off, d);
		if (memcmp(d, buf + off, 4))
			misbehave(c, "%s with a bad header digest", op_name(p->bhs[0]));
		off += 4;
	}
	p->data = buf + off;
	p->dlen = dlen;
	if (dd && dlen) {
		uint8_t d[4];

		digest_bytes(buf + off, dlen + pad4(dlen), d);
		if (memcmp(d, buf + off + dlen + pad4(dlen), 4))
			misbehave(c, "%s with a bad data digest", op_name(p->bhs[0]));
	}
	return need;
}

void consume_pdu(struct conn *c, const struct pdu *p)
{
	size_t n = c->rx_pending;

	(void)p;
	if (n > c->rx_len)
		n = c->rx_len;
	memmove(c->rx, c->rx + n, c->rx_len - n);
	c->rx_len -= n;
	c->rx_pending = 0;
}

int recv_pdu(struct conn *c, struct pdu *p, int timeout_ms)
{
	double end = now_s() + timeout_ms / 1000.0;

	for (;;) {
		struct pollfd pfd;
		size_t need, n = rx_parse(c, c->rx, c->rx_len, p, !c->ffp, &need);
		int left;

		if (n) {
			c->rx_pending = n;
			trace(c, "<", p->bhs);
			return 0;
		}
		rx_reserve(c, need);
		if (c->closed)
			return -1;
		left = (int)((end - now_s()) * 1000);
		if (left <= 0)
			return -2;
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, left) > 0 && rx_fill(c) < 0 && c->rx_len < BHS_LEN)
			return -1;
	}
}

/* ---- the checker and the bookkeeping ----------------------------------------------- */

static bool is_target_op(uint8_t op)
{
	switch (op) {
	case OP_NOOP_IN: case OP_SCSI_RSP: case OP_TMF_RSP: case OP_LOGIN_RSP:
	case OP_TEXT_RSP: case OP_DATA_IN: case OP_LOGOUT_RSP: case OP_R2T:
	case OP_ASYNC: case OP_REJECT:
		return true;
	}
	return false;
}

struct task *task_find(struct conn *c, uint32_t itt, bool pending_only)
{
	struct task *best = NULL;
	unsigned int i;

	for (i = 0; i < MAX_TASKS; i++) {
		struct task *t = &c->tasks[i];

		if (!t->used || t->itt != itt || (pending_only && t->done))
			continue;
		/* The oldest pending one first. */
		if (!best || (best->done && !t->done) ||
		    (best->done == t->done && t->sent_at < best->sent_at))
			best = t;
	}
	return best;
}

static struct pend *pend_find(struct conn *c, uint8_t op, uint32_t itt)
{
	unsigned int i;

	for (i = 0; i < MAX_PEND; i++)
		if (c->pend[i].used && c->pend[i].itt == itt && c->pend[i].op == op)
			return &c->pend[i];
	return NULL;
}

bool pend_done(struct conn *c, uint32_t itt)
{
	unsigned int i;

	for (i = 0; i < MAX_PEND; i++)
		if (c->pend[i].used && c->pend[i].itt == itt)
			return false;
	return true;
}

/* Does some other pending task share this one's ITT? */
static bool task_ambiguous(struct conn *c, const struct task *t)
{
	unsigned int i;

	if (t->unsure || !checkable(c, t->itt))
		return true;
	for (i = 0; i < MAX_TASKS; i++) {
		const struct task *o = &c->tasks[i];

		if (o != t && o->used && !o->done && o->itt == t->itt)
			return true;
	}
	return false;
}

static void check_statsn(struct conn *c, const struct pdu *p)
{
	uint32_t sn = get_be32(p->bhs + B_CMDSN);

	if (!c->statsn_known) {
		c->statsn_known = true;
		c->exp_statsn = sn + 1;
		return;
	}
	if (sn == c->exp_statsn) {
		c->exp_statsn++;
	} else if (sn + 1 != c->exp_statsn) {
		misbehave(c, "%s ITT 0x%x: StatSN %u, expected %u", op_name(p->bhs[0]),
			  get_be32(p->bhs + B_ITT), sn, c->exp_statsn);
		c->exp_statsn = sn + 1;
	}
}

static void check_window(struct conn *c, const struct pdu *p)
{
	uint32_t exp = get_be32(p->bhs + B_EXPSTATSN), max = get_be32(p->bhs + B_MAXCMDSN);

	if (sn_lt(max, exp - 1)) {
		misbehave(c, "%s: MaxCmdSN %u below ExpCmdSN %u - 1", op_name(p->bhs[0]), max, exp);
		return;
	}
	if (!c->window_known || sn_lt(c->exp_cmdsn, exp))
		c->exp_cmdsn = exp;
	if (!c->window_known || sn_lt(c->max_max_cmdsn, max))
		c->max_max_cmdsn = max;
	/* MaxCmdSN may shrink (RFC 7143 4.2.2.1 lets the target close the window). */
	c->max_cmdsn = max;
	c->window_known = true;
}

static void handle_data_in(struct conn *c, const struct pdu *p)
{
	uint32_t itt = get_be32(p->bhs + B_ITT), datasn = get_be32(p->bhs + 36);
	uint32_t off = get_be32(p->bhs + 40);
	struct task *t = task_find(c, itt, true);
	bool s = p->bhs[1] & FL_DATA_STATUS;

	if (!t) {
		if (checkable(c, itt) && !task_find(c, itt, false))
			misbehave(c, "Data-In for ITT 0x%x, no such command", itt);
		return;
	}
	if (!task_ambiguous(c, t)) {
		if (!t->read)
			misbehave(c, "Data-In for ITT 0x%x, a command without the R bit", itt);
		if ((uint64_t)off + p->dlen > t->edtl)
			misbehave(c, "Data-In for ITT 0x%x: offset %u + %u beyond EDTL %u",
				  itt, off, p->dlen, t->edtl);
		if (datasn != t->next_datasn)
			misbehave(c, "Data-In for ITT 0x%x: DataSN %u, expected %u",
				  itt, datasn, t->next_datasn);
		if (s && !(p->bhs[1] & FL_FINAL))
			misbehave(c, "Data-In for ITT 0x%x with S but not F", itt);
	}
	t->next_datasn = datasn + 1;
	t->in_bytes += p->dlen;
	if (t->rbuf && (uint64_t)off + p->dlen <= t->edtl)
		memcpy(t->rbuf + off, p->data, p->dlen);
	if (s) {
		t->done = true;
		t->data_status = true;
		t->status = p->bhs[3];
	}
}

static void handle_scsi_rsp(struct conn *c, const struct pdu *p)
{
	uint32_t itt = get_be32(p->bhs + B_ITT);
	struct task *t = task_find(c, itt, true);

	if (!t) {
		struct task *old = task_find(c, itt, false);

		if (old && !task_ambiguous(c, old) && !old->rejected)
			misbehave(c, "a second SCSI Response for ITT 0x%x", itt);
		else if (!old && checkable(c, itt))
			misbehave(c, "SCSI Response for ITT 0x%x, no such command", itt);
		return;
	}
	if (p->dlen && p->dlen < 2 && !task_ambiguous(c, t))
		misbehave(c, "SCSI Response ITT 0x%x: a data segment of %u bytes", itt, p->dlen);
	t->done = true;
	t->response = p->bhs[2];
	t->status = p->bhs[3];
}

static void handle_r2t(struct conn *c, const struct pdu *p)
{
	uint32_t itt = get_be32(p->bhs + B_ITT), ttt = get_be32(p->bhs + B_TTT);
	uint32_t r2tsn = get_be32(p->bhs + 36), off = get_be32(p->bhs + 40);
	uint32_t len = get_be32(p->bhs + 44);
	struct task *t = task_find(c, itt, true);

	if (!t) {
		if (checkable(c, itt) && !task_find(c, itt, false))
			misbehave(c, "R2T for ITT 0x%x, no such command", itt);
		return;
	}
	if (!task_ambiguous(c, t)) {
		if (!t->write)
			misbehave(c, "R2T for ITT 0x%x, a command without the W bit", itt);
		if (ttt == RSVD_TAG)
			misbehave(c, "R2T for ITT 0x%x with TTT 0xffffffff", itt);
		if (!len || len > c->max_burst)
			misbehave(c, "R2T for ITT 0x%x: length %u (MaxBurstLength %u)",
				  itt, len, c->max_burst);
		if ((uint64_t)off + len > t->edtl)
			misbehave(c, "R2T for ITT 0x%x: offset %u + %u beyond EDTL %u",
				  itt, off, len, t->edtl);
		if (r2tsn != t->next_r2tsn)
			misbehave(c, "R2T for ITT 0x%x: R2TSN %u, expected %u",
				  itt, r2tsn, t->next_r2tsn);
	}
	t->next_r2tsn = r2tsn + 1;
	t->r2ts++;
	if (t->npend < MAX_R2T)
		t->pend[t->npend++] = (struct r2t_rec){ ttt, off, len };
}

static void handle_reject(struct conn *c, const struct pdu *p)
{
	uint8_t reason = p->bhs[2];
	const uint8_t *rb = p->data;

	c->nr_reject[reason & 15]++;
	if (c->st)
		stat_add_at(&c->st->reject[reason & 15], 1);
	c->last_reject_reason = reason;
	if (reason < 0x02 || reason > 0x0c)
		misbehave(c, "Reject with reason 0x%02x", reason);
	if (get_be32(p->bhs + B_ITT) != RSVD_TAG)
		misbehave(c, "Reject with ITT 0x%x, not 0xffffffff", get_be32(p->bhs + B_ITT));
	if (p->dlen < BHS_LEN) {
		misbehave(c, "Reject (reason 0x%02x) without the rejected header (%u bytes)",
			  reason, p->dlen);
		return;
	}
	memcpy(c->last_reject_bhs, rb, BHS_LEN);
	switch (rb[0] & OP_MASK) {
	case OP_SCSI_CMD: {
		uint32_t itt = get_be32(rb + B_ITT), sn = get_be32(rb + B_CMDSN);
		unsigned int i;

		/* The command the Reject names: same ITT and CmdSN, newest first. */
		for (i = 0; i < MAX_TASKS; i++) {
			struct task *t = &c->tasks[i];

			if (t->used && !t->done && t->itt == itt && t->cmdsn == sn &&
			    !memcmp(rb + 32, t->cdb16, 16)) {
				t->done = true;
				t->rejected = true;
				t->reject_reason = reason;
				break;
			}
		}
		break;
	}
	case OP_NOOP_OUT:
	case OP_TEXT_REQ:
	case OP_TMF_REQ:
	case OP_LOGOUT_REQ: {
		struct pend *q = pend_find(c, rb[0] & OP_MASK, get_be32(rb + B_ITT));

		if (q)
			q->used = false;
		break;
	}
	}
}

static void handle_pdu(struct conn *c, const struct pdu *p)
{
	uint8_t op = p->bhs[0] & OP_MASK;
	uint32_t itt = get_be32(p->bhs + B_ITT);
	struct pend *q;

	c->nr_rx[op]++;
	if (c->st)
		stat_add_at(&c->st->rx_op[op], 1);
	if (!c->ffp) {
		/* Login phase (a raw login script): only Login Responses. */
		if (op != OP_LOGIN_RSP)
			misbehave(c, "%s during login", op_name(op));
		return;
	}
	if (!is_target_op(op) || (p->bhs[0] & 0xc0)) {
		misbehave(c, "opcode byte 0x%02x from the target", p->bhs[0]);
		return;
	}
	if (p->ahs_len)
		misbehave(c, "%s with %u bytes of AHS", op_name(op), p->ahs_len);
	if (p->dlen > c->rx_max)
		misbehave(c, "%s ITT 0x%x: data segment of %u bytes, our MaxRecvDataSegmentLength is %u",
			  op_name(op), itt, p->dlen, c->rx_max);
	if (op == OP_LOGIN_RSP) {
		misbehave(c, "Login Response in full feature phase");
		return;
	}
	if (itt != RSVD_TAG && op != OP_REJECT && op != OP_ASYNC && !itt_known(c, itt))
		misbehave(c, "%s for ITT 0x%x, which this side never sent", op_name(op), itt);

	/* StatSN: only PDUs that carry status advance it. */
	if (op == OP_SCSI_RSP || op == OP_TMF_RSP || op == OP_TEXT_RSP || op == OP_LOGOUT_RSP ||
	    op == OP_REJECT || (op == OP_NOOP_IN && itt != RSVD_TAG) ||
	    (op == OP_DATA_IN && (p->bhs[1] & FL_DATA_STATUS)))
		check_statsn(c, p);
	check_window(c, p);

	switch (op) {
	case OP_NOOP_IN:
		if (itt == RSVD_TAG) {
			uint32_t ttt = get_be32(p->bhs + B_TTT);

			if (ttt == RSVD_TAG) {
				misbehave(c, "NOP-In with both ITT and TTT 0xffffffff");
				break;
			}
			c->nr_pings++;
			if (c->nr_ping_ttt < 8) {
				memcpy(c->ping_lun[c->nr_ping_ttt], p->bhs + 8, 8);
				c->ping_ttt[c->nr_ping_ttt++] = ttt;
			}
			break;
		}
		q = pend_find(c, OP_NOOP_OUT, itt);
		if (!q) {
			if (checkable(c, itt) && !c->pend_lost)
				misbehave(c, "NOP-In for ITT 0x%x, no NOP-Out pending", itt);
			break;
		}
		if (checkable(c, itt) && (q->len != p->dlen ||
				  (p->dlen && crc32c(~0U, p->data, p->dlen) != q->crc)))
			misbehave(c, "NOP-In ITT 0x%x does not echo the ping's %u bytes (%u back)",
				  itt, q->len, p->dlen);
		q->used = false;
		stat_add(c->st, ST_PINGS_OK, 1);
		break;
	case OP_SCSI_RSP:
		handle_scsi_rsp(c, p);
		break;
	case OP_DATA_IN:
		handle_data_in(c, p);
		break;
	case OP_R2T:
		handle_r2t(c, p);
		break;
	case OP_TMF_RSP:
		q = pend_find(c, OP_TMF_REQ, itt);
		if (q)
			q->used = false;
		c->last_tmf_response = p->bhs[2];
		c->last_tmf_itt = itt;
		c->tmf_answered = true;
		break;
	case OP_TEXT_RSP: {
		char *n = realloc(c->last_text, c->last_text_len + p->dlen + 1);

		if (n) {
			memcpy(n + c->last_text_len, p->data, p->dlen);
			c->last_text = n;
			c->last_text_len += p->dlen;
			n[c->last_text_len] = '\0';
		}
		if (!(p->bhs[1] & FL_FINAL) && get_be32(p->bhs + B_TTT) != RSVD_TAG) {
			c->text_cont_ttt = get_be32(p->bhs + B_TTT);
			c->text_cont_itt = itt;
			break;
		}
		q = pend_find(c, OP_TEXT_REQ, itt);
		if (q)
			q->used = false;
		break;
	}
	case OP_LOGOUT_RSP:
		q = pend_find(c, OP_LOGOUT_REQ, itt);
		if (q)
			q->used = false;
		c->logout_rsp = true;
		c->logout_response = p->bhs[2];
		break;
	case OP_ASYNC:
		c->nr_async++;
		if (p->bhs[36] > 4 && p->bhs[36] != 255)
			misbehave(c, "Async Message with event %u", p->bhs[36]);
		break;
	case OP_REJECT:
		handle_reject(c, p);
		break;
	}
	if (c->hook)
		c->hook(c, p, c->hook_arg);
}

/* Handle every whole PDU buffered; returns how many. */
static int handle_buffered(struct conn *c)
{
	size_t off = 0, need = 0;
	int n = 0;

	if (!c->rx)
		return 0;
	for (;;) {
		struct pdu p;
		size_t len = rx_parse(c, c->rx + off, c->rx_len - off, &p, false, &need);

		if (!len)
			break;
		trace(c, "<", p.bhs);
		handle_pdu(c, &p);
		off += len;
		n++;
	}
	if (off) {
		memmove(c->rx, c->rx + off, c->rx_len - off);
		c->rx_len -= off;
	}
	rx_reserve(c, need);
	return n;
}

/* ---- answering: R2Ts, the target's pings, text continuation ---------------------- */

static void pattern(uint8_t *buf, uint32_t len, uint32_t seed, uint32_t off)
{
	uint32_t i;

	for (i = 0; i < len; i++) {
		uint32_t x = (off + i) / 4 * 2654435761U ^ seed;

		buf[i] = x >> (8 * ((off + i) & 3));
	}
}

static int send_data_out(struct conn *c, struct task *t, uint32_t ttt, uint32_t off,
			 uint32_t len, uint32_t datasn, bool final)
{
	uint8_t bhs[BHS_LEN] = { 0 }, *buf = NULL;
	const uint8_t *data;
	int ret;

	bhs[0] = OP_DATA_OUT;
	bhs[1] = final ? FL_FINAL : 0;
	memcpy(bhs + 8, t->lun, 8);
	put_be32(bhs + B_ITT, t->itt);
	put_be32(bhs + B_TTT, ttt);
	put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
	put_be32(bhs + 36, datasn);
	put_be32(bhs + 40, off);
	if (t->wbuf && (uint64_t)off + len <= t->edtl) {
		data = t->wbuf + off;
	} else {
		buf = malloc(len ? len : 1);
		if (!buf)
			return -1;
		pattern(buf, len, t->itt, off);
		data = buf;
	}
	ret = send_pdu(c, bhs, data, len);
	free(buf);
	return ret;
}

/* Send a burst of Data-Out for [off, off + len), DataSN from 0. */
static int send_burst(struct conn *c, struct task *t, uint32_t ttt, uint32_t off, uint32_t len)
{
	uint32_t done = 0, sn = 0, seg = c->tx_max ? c->tx_max : 8192;

	while (done < len) {
		uint32_t n = len - done < seg ? len - done : seg;
		int ret = send_data_out(c, t, ttt, off + done, n, sn++, done + n == len);

		if (ret)
			return ret;
		done += n;
	}
	return 0;
}

int answer_r2ts(struct conn *c, struct task *t)
{
	while (t->npend) {
		struct r2t_rec r = t->pend[0];
		int ret;

		memmove(&t->pend[0], &t->pend[1], sizeof(r) * (t->npend - 1));
		t->npend--;
		if (r.len > 64 << 20)
			continue;	/* not worth answering; the checker said so */
		ret = send_burst(c, t, r.ttt, r.offset, r.len);
		if (ret)
			return ret;
	}
	return 0;
}

static void service(struct conn *c)
{
	unsigned int i;

	if (c->closed || c->in_service)
		return;
	c->in_service = true;
	if (c->auto_nopin) {
		for (i = 0; i < c->nr_ping_ttt && !c->closed; i++) {
			uint8_t bhs[BHS_LEN] = { 0 };

			bhs[0] = OP_NOOP_OUT | OP_IMMEDIATE;
			bhs[1] = FL_FINAL;
			memcpy(bhs + 8, c->ping_lun[i], 8);
			put_be32(bhs + B_ITT, RSVD_TAG);
			put_be32(bhs + B_TTT, c->ping_ttt[i]);
			put_be32(bhs + B_CMDSN, c->cmdsn);
			put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
			send_pdu(c, bhs, NULL, 0);
		}
	}
	c->nr_ping_ttt = 0;
	if (c->text_cont_ttt) {
		uint32_t ttt = c->text_cont_ttt;

		c->text_cont_ttt = 0;
		text_send(c, NULL, 0, true, ttt, true);
	}
	if (c->auto_r2t) {
		for (i = 0; i < MAX_TASKS && !c->closed; i++) {
			struct task *t = &c->tasks[i];

			if (t->used && !t->done && !t->hostile && t->npend)
				answer_r2ts(c, t);
		}
	}
	c->in_service = false;
}

int pump(struct conn *c, int timeout_ms)
{
	double end = now_s() + timeout_ms / 1000.0;
	int handled = 0;

	for (;;) {
		struct pollfd pfd;
		int left;

		handled += handle_buffered(c);
		service(c);
		if (handled)
			return handled;
		if (c->closed || c->fd < 0)
			return -1;
		left = (int)((end - now_s()) * 1000);
		if (left <= 0)
			return 0;
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, left) > 0)
			rx_fill(c);
	}
}

bool wait_until(struct conn *c, int timeout_ms, bool (*done)(struct conn *, void *), void *arg)
{
	double end = now_s() + timeout_ms / 1000.0;

	for (;;) {
		int left;

		if (done(c, arg))
			return true;
		left = (int)((end - now_s()) * 1000);
		if (left <= 0)
			return false;
		if (pump(c, left) < 0)
			return done(c, arg);
	}
}

/* ---- text keys ------------------------------------------------------------------------ */

const char *text_get(const char *text, uint32_t len, const char *key)
{
	size_t klen = strlen(key);
	uint32_t off = 0;

	while (off < len) {
		const char *pair = text + off;
		size_t n = strnlen(pair, len - off);

		if (n > klen && !memcmp(pair, key, klen) && pair[klen] == '=' && off + n < len)
			return pair + klen + 1;
		off += n + 1;
	}
	return NULL;
}

uint32_t text_add(char *buf, uint32_t off, uint32_t size, const char *key, const char *val)
{
	int n = snprintf(buf + off, size - off, "%s=%s", key, val);

	if (n < 0 || (uint32_t)n >= size - off)
		return off;
	return off + n + 1;
}

/* ---- login ------------------------------------------------------------------------------- */

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int b64val(int ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

/* "0x..." or "0b..." (base64) to bytes; returns the length or -1. */
static int decode_binary(const char *s, uint8_t *out, int size)
{
	int n = 0;

	if (s[0] != '0')
		return -1;
	if (s[1] == 'x' || s[1] == 'X') {
		size_t len = strlen(s + 2);
		const char *p = s + 2;

		if (len & 1) {
			if (n >= size || hexval(*p) < 0)
				return -1;
			out[n++] = hexval(*p++);
		}
		for (; *p; p += 2) {
			if (n >= size || hexval(p[0]) < 0 || hexval(p[1]) < 0)
				return -1;
			out[n++] = hexval(p[0]) << 4 | hexval(p[1]);
		}
		return n;
	}
	if (s[1] == 'b' || s[1] == 'B') {
		uint32_t acc = 0;
		int bits = 0;
		const char *p;

		for (p = s + 2; *p && *p != '='; p++) {
			if (b64val(*p) < 0)
				return -1;
			acc = acc << 6 | b64val(*p);
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				if (n >= size)
					return -1;
				out[n++] = acc >> bits;
			}
		}
		return n;
	}
	return -1;
}

static void login_bhs(struct conn *c, uint8_t *bhs, uint8_t flags, uint32_t itt, uint32_t len)
{
	memset(bhs, 0, BHS_LEN);
	bhs[0] = OP_LOGIN_REQ | OP_IMMEDIATE;
	bhs[1] = flags;
	bhs[2] = 0;	/* Version-max */
	bhs[3] = 0;	/* Version-min */
	put_dlen(bhs, len);
	memcpy(bhs + 8, c->isid, 6);
	put_be16(bhs + 14, c->tsih);
	put_be32(bhs + B_ITT, itt);
	put_be16(bhs + 20, c->cid);
	put_be32(bhs + B_CMDSN, c->cmdsn);
	put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
}

/*
 * One login exchange: send, receive the whole answer (continued
 * responses included). @out gets the response text (NUL-terminated,
 * at most @size - 1 bytes); *rflags the response flags.
 */
static int login_xchg(struct conn *c, uint8_t flags, uint32_t itt, const char *text, uint32_t len,
		      char *out, uint32_t size, uint32_t *out_len, uint8_t *rflags, int timeout_ms)
{
	uint8_t bhs[BHS_LEN];
	struct pdu p;
	int ret;

	*out_len = 0;
	for (;;) {
		login_bhs(c, bhs, flags, itt, len);
		ret = send_pdu_ex(c, bhs, NULL, 0, text, len, SF_NO_DIGESTS, 0, timeout_ms);
		if (ret)
			return LOGIN_IO_ERROR;
		ret = recv_pdu(c, &p, timeout_ms);
		if (ret)
			return LOGIN_IO_ERROR;
		if ((p.bhs[0] & OP_MASK) != OP_LOGIN_RSP) {
			misbehave(c, "%s during login", op_name(p.bhs[0]));
			consume_pdu(c, &p);
			return LOGIN_PROTO_ERROR;
		}
		if (p.dlen > LOGIN_DSL)
			misbehave(c, "Login Response with %u bytes of data", p.dlen);
		if (get_be32(p.bhs + B_ITT) != itt)
			misbehave(c, "Login Response ITT 0x%x for ITT 0x%x", get_be32(p.bhs + B_ITT), itt);
		c->statsn_known = true;
		c->exp_statsn = get_be32(p.bhs + B_CMDSN) + 1;
		c->exp_cmdsn = get_be32(p.bhs + B_EXPSTATSN);
		c->max_cmdsn = get_be32(p.bhs + B_MAXCMDSN);
		c->max_max_cmdsn = c->max_cmdsn;
		c->window_known = true;
		if (p.dlen && *out_len + p.dlen < size) {
			memcpy(out + *out_len, p.data, p.dlen);
			*out_len += p.dlen;
			out[*out_len] = '\0';
		}
		*rflags = p.bhs[1];
		if (p.bhs[36]) {
			int st = p.bhs[36] << 8 | p.bhs[37];

			if (c->st && p.bhs[36] < 4)
				stat_add_at(&c->st->login_status[p.bhs[36]][p.bhs[37] & 15], 1);
			consume_pdu(c, &p);
			return st;
		}
		if (p.bhs[36] == 0 && (p.bhs[1] & FL_LOGIN_TRANSIT) && (p.bhs[1] & FL_LOGIN_CONTINUE))
			misbehave(c, "Login Response with both T and C");
		c->tsih = get_be16(p.bhs + 14) ? get_be16(p.bhs + 14) : c->tsih;
		consume_pdu(c, &p);
		if (!(*rflags & FL_LOGIN_CONTINUE))
			return 0;
		/* The target has more to say: ask with an empty request, same stage. */
		flags = flags & ~(FL_LOGIN_TRANSIT | 3) & ~FL_LOGIN_CONTINUE;
		text = NULL;
		len = 0;
	}
}

static bool has_key(const char *text, uint32_t len, const char *key)
{
	return text && text_get(text, len, key);
}

static uint32_t num_or(const char *v, uint32_t def)
{
	return v ? (uint32_t)strtoul(v, NULL, 0) : def;
}

int login(struct conn *c, const struct login_opts *o)
{
	char *txt = malloc(LOGIN_DSL), *rsp = malloc(65536), *acc = malloc(65536);
	uint32_t len = 0, rlen = 0, alen = 0, itt = c->itt_next++;
	int timeout = o->timeout_ms ? o->timeout_ms : IO_TIMEOUT_MS, ret, round;
	uint8_t rflags = 0;
	bool chap = o->chap_user && o->chap_secret;
	char buf[64];

	if (!txt || !rsp || !acc) {
		ret = LOGIN_IO_ERROR;
		goto out;
	}
	if (o->isid_set) {
		memcpy(c->isid, o->isid, 6);
	} else {
		c->isid[0] = 0x80;	/* random format */
		c->isid[1] = 0x4b;
		put_be32(c->isid + 2, (uint32_t)(c->id * 2654435761U) ^ (uint32_t)getpid());
	}
	c->tsih = o->tsih;
	c->cid = o->cid;
	c->cmdsn = o->cmdsn ? o->cmdsn : 1;
	c->exp_statsn = 0;
	c->discovery = !o->target;
	itt_note(c, itt);

	/* Security stage: names, AuthMethod. */
	len = text_add(txt, len, LOGIN_DSL, "InitiatorName", o->initiator);
	if (o->target) {
		len = text_add(txt, len, LOGIN_DSL, "TargetName", o->target);
		len = text_add(txt, len, LOGIN_DSL, "SessionType", "Normal");
	} else {
		len = text_add(txt, len, LOGIN_DSL, "SessionType", "Discovery");
	}
	len = text_add(txt, len, LOGIN_DSL, "AuthMethod", chap ? "CHAP" : "None");
	if (o->sec_extra_len && len + o->sec_extra_len <= LOGIN_DSL) {
		memcpy(txt + len, o->sec_extra, o->sec_extra_len);
		len += o->sec_extra_len;
	}
	ret = login_xchg(c, (STAGE_SEC << 2) | STAGE_OP | (chap ? 0 : FL_LOGIN_TRANSIT), itt,
			 txt, len, rsp, 65536, &rlen, &rflags, timeout);
	if (ret)
		goto out;

	if (chap) {
		uint8_t chal[1024], digest[16];
		const char *v;
		struct md5_ctx m;
		int clen, i;
		uint8_t id;

		v = text_get(rsp, rlen, "AuthMethod");
		if (!v || strcmp(v, "CHAP")) {
			ret = LOGIN_PROTO_ERROR;
			goto out;
		}
		len = text_add(txt, 0, LOGIN_DSL, "CHAP_A", o->chap_a ? o->chap_a : "5");
		ret = login_xchg(c, (STAGE_SEC << 2) | STAGE_OP, itt, txt, len, rsp, 65536, &rlen,
				 &rflags, timeout);
		if (ret)
			goto out;
		v = text_get(rsp, rlen, "CHAP_A");
		if (v && (!strcmp(v, "6") || !strcmp(v, "7") || !strcmp(v, "8"))) {
			/* A valid choice from our list, but only MD5 is done here. */
			ret = LOGIN_OTHER_CHAP;
			goto out;
		}
		if (!v || strcmp(v, "5")) {
			ret = LOGIN_PROTO_ERROR;
			goto out;
		}
		v = text_get(rsp, rlen, "CHAP_I");
		id = (uint8_t)num_or(v, 0);
		v = text_get(rsp, rlen, "CHAP_C");
		clen = v ? decode_binary(v, chal, sizeof(chal)) : -1;
		if (clen <= 0) {
			misbehave(c, "CHAP_C missing or malformed");
			ret = LOGIN_PROTO_ERROR;
			goto out;
		}
		md5_init(&m);
		md5_update(&m, &id, 1);
		md5_update(&m, o->chap_secret, strlen(o->chap_secret));
		md5_update(&m, chal, clen);
		md5_final(&m, digest);
		strcpy(buf, "0x");
		for (i = 0; i < 16; i++)
			sprintf(buf + 2 + 2 * i, "%02x", digest[i]);
		len = text_add(txt, 0, LOGIN_DSL, "CHAP_N", o->chap_user);
		len = text_add(txt, len, LOGIN_DSL, "CHAP_R", buf);
		ret = login_xchg(c, (STAGE_SEC << 2) | STAGE_OP | FL_LOGIN_TRANSIT, itt, txt, len,
				 rsp, 65536, &rlen, &rflags, timeout);
		if (ret)
			goto out;
	}
	if (!(rflags & FL_LOGIN_TRANSIT) || (rflags & 3) != STAGE_OP) {
		ret = LOGIN_PROTO_ERROR;
		goto out;
	}

	/* Operational stage: our offer, the caller's keys first. */
	len = 0;
	if (o->extra_len && o->extra_len <= LOGIN_DSL) {
		memcpy(txt, o->extra, o->extra_len);
		len = o->extra_len;
	}
#define OFFER(k, v) do {						\
		if (!has_key(o->extra, o->extra_len, k))		\
			len = text_add(txt, len, LOGIN_DSL, k, v);	\
	} while (0)
	OFFER("HeaderDigest", o->hd ? o->hd : "None");
	OFFER("DataDigest", o->dd ? o->dd : "None");
	snprintf(buf, sizeof(buf), "%u", o->mrdsl ? o->mrdsl : 262144);
	OFFER("MaxRecvDataSegmentLength", buf);
	if (o->target) {
		OFFER("InitialR2T", "No");
		OFFER("ImmediateData", "Yes");
		OFFER("MaxBurstLength", "262144");
		OFFER("FirstBurstLength", "65536");
		OFFER("MaxOutstandingR2T", "1");
		OFFER("MaxConnections", "1");
		OFFER("DataPDUInOrder", "Yes");
		OFFER("DataSequenceInOrder", "Yes");
		OFFER("DefaultTime2Wait", "0");
		OFFER("DefaultTime2Retain", "0");
	}
	OFFER("ErrorRecoveryLevel", "0");
#undef OFFER
	{
		const char *v = text_get(txt, len, "MaxRecvDataSegmentLength");

		c->rx_max = num_or(v, 8192);
	}
	alen = 0;
	for (round = 0; round < 4; round++) {
		ret = login_xchg(c, (STAGE_OP << 2) | STAGE_FFP | FL_LOGIN_TRANSIT, itt, txt, len,
				 rsp, 65536, &rlen, &rflags, timeout);
		if (ret)
			goto out;
		if (rlen && alen + rlen < 65536) {
			memcpy(acc + alen, rsp, rlen);
			alen += rlen;
			acc[alen] = '\0';
		}
		if ((rflags & FL_LOGIN_TRANSIT) && (rflags & 3) == STAGE_FFP)
			break;
		len = 0;	/* the target wants another round; nothing new to say */
	}
	if (round == 4) {
		ret = LOGIN_PROTO_ERROR;
		goto out;
	}

	/* What was negotiated: the target's answers. */
	{
		const char *v;

		v = text_get(acc, alen, "HeaderDigest");
		c->hd = v && !strcmp(v, "CRC32C");
		v = text_get(acc, alen, "DataDigest");
		c->dd = v && !strcmp(v, "CRC32C");
		c->tx_max = num_or(text_get(acc, alen, "MaxRecvDataSegmentLength"), 8192);
		c->max_burst = num_or(text_get(acc, alen, "MaxBurstLength"), 262144);
		c->first_burst = num_or(text_get(acc, alen, "FirstBurstLength"), 65536);
		c->max_r2t = num_or(text_get(acc, alen, "MaxOutstandingR2T"), 1);
		c->max_conns = num_or(text_get(acc, alen, "MaxConnections"), 1);
		v = text_get(acc, alen, "InitialR2T");
		c->initial_r2t = !v || !strcmp(v, "Yes");
		v = text_get(acc, alen, "ImmediateData");
		c->imm_data = !v || !strcmp(v, "Yes");
		if (c->first_burst > c->max_burst)
			c->first_burst = c->max_burst;
		free(c->login_text);
		c->login_text = malloc(alen + 1);
		if (c->login_text) {
			memcpy(c->login_text, acc, alen);
			c->login_text[alen] = '\0';
			c->login_text_len = alen;
		}
	}
	c->ffp = true;
	stat_add(c->st, ST_LOGIN_OK, 1);
out:
	if (ret)
		stat_add(c->st, ST_LOGIN_FAIL, 1);
	free(txt);
	free(rsp);
	free(acc);
	return ret;
}

/* ---- commands -------------------------------------------------------------------------------- */

static struct task *task_slot(struct conn *c)
{
	struct task *oldest = NULL;
	unsigned int i;

	for (i = 0; i < MAX_TASKS; i++) {
		struct task *t = &c->tasks[i];

		if (!t->used)
			return t;
		if (t->done && (!oldest || t->sent_at < oldest->sent_at))
			oldest = t;
	}
	if (oldest)
		task_release(oldest);
	return oldest;
}

struct task *task_register(struct conn *c, uint32_t itt, uint32_t cmdsn, uint32_t edtl,
			   unsigned int flags, const uint8_t *cdb16)
{
	struct task *t = task_slot(c);

	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->used = true;
	t->itt = itt;
	t->cmdsn = cmdsn;
	t->edtl = edtl;
	t->read = flags & CF_READ;
	t->write = flags & CF_WRITE;
	t->immediate = flags & CF_IMM;
	t->hostile = flags & CF_HOSTILE;
	t->op = cdb16[0];
	t->sent_at = now_s();
	memcpy(t->lun, c->lun, 8);
	memcpy(t->cdb16, cdb16, 16);
	return t;
}

void task_forget(struct conn *c, struct task *t)
{
	(void)c;
	task_release(t);
}

void cdb_rw10(uint8_t *cdb, bool write, uint32_t lba, uint16_t blocks)
{
	memset(cdb, 0, 16);
	cdb[0] = write ? 0x2a : 0x28;
	put_be32(cdb + 2, lba);
	put_be16(cdb + 7, blocks);
}

struct task *cmd_send(struct conn *c, const uint8_t *cdb, uint32_t cdb_len, uint32_t edtl,
		      unsigned int flags, uint32_t imm_len, const uint8_t *wdata,
		      uint32_t itt, uint32_t cmdsn)
{
	uint8_t bhs[BHS_LEN] = { 0 }, ahs[264];
	uint32_t ahs_len = 0, unsol_end;
	bool write = flags & CF_WRITE;
	struct task *t = task_slot(c);
	uint8_t *imm = NULL;
	int ret;

	if (!t || c->closed)
		return NULL;
	if (!itt)
		itt = c->itt_next++;
	if (!(flags & CF_KEEP_CMDSN))
		cmdsn = c->cmdsn;
	if (!(flags & (CF_IMM | CF_KEEP_CMDSN)))
		c->cmdsn++;
	if (!write)
		imm_len = 0;
	if (imm_len > edtl)
		imm_len = edtl;
	unsol_end = imm_len;
	if (write && !c->initial_r2t && !(flags & CF_NO_UNSOL) && edtl > imm_len)
		unsol_end = edtl < c->first_burst ? edtl : c->first_burst;
	if (unsol_end < imm_len)
		unsol_end = imm_len;

	memset(t, 0, sizeof(*t));
	t->used = true;
	t->itt = itt;
	t->cmdsn = cmdsn;
	t->edtl = edtl;
	t->read = flags & CF_READ;
	t->write = write;
	t->immediate = flags & CF_IMM;
	t->hostile = flags & CF_HOSTILE;
	t->op = cdb[0];
	t->sent_at = now_s();
	memcpy(t->lun, c->lun, 8);
	if (write && wdata && edtl <= 64 << 20) {
		t->wbuf = malloc(edtl ? edtl : 1);
		if (t->wbuf)
			memcpy(t->wbuf, wdata, edtl);
	}

	bhs[0] = OP_SCSI_CMD | (flags & CF_IMM ? OP_IMMEDIATE : 0);
	bhs[1] = FL_CMD_SIMPLE | (flags & CF_READ ? FL_CMD_READ : 0) | (write ? FL_CMD_WRITE : 0);
	if (!(flags & CF_NOFINAL) && unsol_end == imm_len)
		bhs[1] |= FL_FINAL;
	memcpy(bhs + 8, c->lun, 8);
	put_be32(bhs + B_ITT, itt);
	put_be32(bhs + 20, edtl);
	put_be32(bhs + B_CMDSN, cmdsn);
	put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
	memcpy(bhs + 32, cdb, cdb_len < 16 ? cdb_len : 16);
	memcpy(t->cdb16, bhs + 32, 16);
	if (cdb_len > 16) {
		uint32_t ext = cdb_len - 16;

		put_be16(ahs, (uint16_t)(ext + 1));
		ahs[2] = 1;	/* Extended CDB */
		ahs[3] = 0;
		memcpy(ahs + 4, cdb + 16, ext);
		ahs_len = 4 + ext;
		memset(ahs + ahs_len, 0, pad4(ahs_len));
		ahs_len += pad4(ahs_len);
		bhs[4] = ahs_len / 4;
	}
	if (imm_len) {
		imm = malloc(imm_len);
		if (!imm)
			return NULL;
		if (t->wbuf)
			memcpy(imm, t->wbuf, imm_len);
		else
			pattern(imm, imm_len, itt, 0);
	}
	put_dlen(bhs, imm_len);
	ret = send_pdu_ex(c, bhs, ahs, ahs_len, imm, imm_len, 0, 0, 0);
	free(imm);
	if (ret)
		return t;
	if (unsol_end > imm_len)
		send_burst(c, t, RSVD_TAG, imm_len, unsol_end - imm_len);
	t->unsol_sent = unsol_end;
	return t;
}

unsigned int tasks_pending(struct conn *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < MAX_TASKS; i++)
		if (c->tasks[i].used && !c->tasks[i].done && !c->tasks[i].hostile)
			n++;
	return n;
}

static bool no_tasks(struct conn *c, void *arg)
{
	(void)arg;
	return !tasks_pending(c) || c->closed;
}

bool wait_tasks(struct conn *c, int timeout_ms)
{
	return wait_until(c, timeout_ms, no_tasks, NULL) && !c->closed;
}

bool window_open(struct conn *c)
{
	return !c->window_known || sn_lte(c->cmdsn, c->max_cmdsn);
}

static bool window_open_cb(struct conn *c, void *arg)
{
	(void)arg;
	return window_open(c) || c->closed;
}

bool wait_window(struct conn *c, int timeout_ms)
{
	return wait_until(c, timeout_ms, window_open_cb, NULL) && !c->closed;
}

/* ---- NOP, Text, Logout, TMF ---------------------------------------------------------------- */

uint32_t ping_send(struct conn *c, const void *data, uint32_t len, bool imm)
{
	uint8_t bhs[BHS_LEN] = { 0 };
	uint32_t itt = c->itt_next++;

	bhs[0] = OP_NOOP_OUT | (imm ? OP_IMMEDIATE : 0);
	bhs[1] = FL_FINAL;
	put_be32(bhs + B_ITT, itt);
	put_be32(bhs + B_TTT, RSVD_TAG);
	put_be32(bhs + B_CMDSN, c->cmdsn);
	if (!imm)
		c->cmdsn++;
	put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
	if (send_pdu(c, bhs, data, len))
		return 0;
	return itt;
}

static bool ping_done_cb(struct conn *c, void *arg)
{
	return pend_done(c, *(uint32_t *)arg) || c->closed;
}

bool ping_wait(struct conn *c, uint32_t itt, int timeout_ms)
{
	return itt && wait_until(c, timeout_ms, ping_done_cb, &itt) && pend_done(c, itt) &&
	       !c->closed;
}

uint32_t text_send(struct conn *c, const void *data, uint32_t len, bool imm, uint32_t ttt,
		   bool final)
{
	uint8_t bhs[BHS_LEN] = { 0 };
	uint32_t itt = ttt != RSVD_TAG && c->text_cont_itt ? c->text_cont_itt : c->itt_next++;

	if (ttt == RSVD_TAG) {
		free(c->last_text);
		c->last_text = NULL;
		c->last_text_len = 0;
	}
	bhs[0] = OP_TEXT_REQ | (imm ? OP_IMMEDIATE : 0);
	bhs[1] = final ? FL_FINAL : FL_TEXT_CONTINUE;
	put_be32(bhs + B_ITT, itt);
	put_be32(bhs + B_TTT, ttt);
	put_be32(bhs + B_CMDSN, c->cmdsn);
	if (!imm)
		c->cmdsn++;
	put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
	if (send_pdu(c, bhs, data, len))
		return 0;
	return itt;
}

int logout_send(struct conn *c, uint8_t reason, bool wait)
{
	uint8_t bhs[BHS_LEN] = { 0 };
	uint32_t itt = c->itt_next++;

	bhs[0] = OP_LOGOUT_REQ | OP_IMMEDIATE;
	bhs[1] = FL_FINAL | (reason & 0x7f);
	put_be32(bhs + B_ITT, itt);
	put_be16(bhs + 20, c->cid);
	put_be32(bhs + B_CMDSN, c->cmdsn);
	put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
	if (send_pdu(c, bhs, NULL, 0))
		return -1;
	if (!wait)
		return 0;
	return ping_wait(c, itt, 10000) || c->logout_rsp ? 0 : -1;
}

uint32_t tmf_send(struct conn *c, uint8_t func, const uint8_t *lun, uint32_t rtt,
		  uint32_t refcmdsn, bool imm)
{
	uint8_t bhs[BHS_LEN] = { 0 };
	uint32_t itt = c->itt_next++;

	bhs[0] = OP_TMF_REQ | (imm ? OP_IMMEDIATE : 0);
	bhs[1] = FL_FINAL | (func & 0x7f);
	if (lun)
		memcpy(bhs + 8, lun, 8);
	put_be32(bhs + B_ITT, itt);
	put_be32(bhs + 20, rtt);
	put_be32(bhs + B_CMDSN, c->cmdsn);
	if (!imm)
		c->cmdsn++;
	put_be32(bhs + B_EXPSTATSN, c->exp_statsn);
	put_be32(bhs + 32, refcmdsn);
	c->tmf_answered = false;
	if (send_pdu(c, bhs, NULL, 0))
		return 0;
	return itt;
}

/* Ask where the window is, and line CmdSN up with it. */
void resync_cmdsn(struct conn *c)
{
	uint32_t itt = ping_send(c, NULL, 0, true);

	if (!ping_wait(c, itt, 15000))
		return;
	c->cmdsn = c->exp_cmdsn;
}

/* ---- synchronous SCSI helpers (LUN 0 unless c->lun says otherwise) ------------------------- */

static bool task_done_cb(struct conn *c, void *arg)
{
	return ((struct task *)arg)->done || c->closed;
}

int scsi_rw(struct conn *c, bool write, uint32_t lba, uint32_t blocks, uint32_t bs,
	    uint8_t *buf, int timeout_ms)
{
	uint8_t cdb[16];
	uint32_t len = blocks * bs, imm = 0;
	struct task *t;
	int st;

	if (!wait_window(c, timeout_ms))
		return -1;
	cdb_rw10(cdb, write, lba, (uint16_t)blocks);
	if (write && c->imm_data)
		imm = len < c->first_burst ? len : c->first_burst;
	if (imm > c->tx_max)
		imm = c->tx_max;
	t = cmd_send(c, cdb, 10, len, write ? CF_WRITE : CF_READ, imm, write ? buf : NULL, 0, 0);
	if (!t)
		return -1;
	if (!write)
		t->rbuf = buf;
	if (!wait_until(c, timeout_ms, task_done_cb, t) || !t->done) {
		t->rbuf = NULL;
		return -1;
	}
	t->rbuf = NULL;
	st = t->rejected ? -1 : t->status;
	if (!write && !t->rejected && t->in_bytes != len)
		st = -1;
	return st;
}

int scsi_capacity(struct conn *c, uint64_t *blocks, uint32_t *bs, int timeout_ms)
{
	uint8_t cdb[16] = { 0x25 }, buf[8] = { 0 };
	struct task *t;

	t = cmd_send(c, cdb, 10, 8, CF_READ, 0, NULL, 0, 0);
	if (!t)
		return -1;
	t->rbuf = buf;
	if (!wait_until(c, timeout_ms, task_done_cb, t) || !t->done || t->status) {
		t->rbuf = NULL;
		return -1;
	}
	t->rbuf = NULL;
	*blocks = (uint64_t)get_be32(buf) + 1;
	*bs = get_be32(buf + 4);
	return 0;
}
