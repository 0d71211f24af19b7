/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt-fuzz: a small iSCSI initiator that misbehaves on purpose.
 *
 *   wire.c      PRNG, CRC32C, MD5, sockets, PDU framing
 *   initiator.c login (CHAP MD5), the response checker, tasks, I/O helpers
 *   random.c    seeded random connection scripts (kitt-fuzz random)
 *   scenario.c  deterministic hostile scenarios (kitt-fuzz scenario NAME)
 *   main.c      options, the worker processes, the counters
 */
#ifndef KITT_FUZZ_H
#define KITT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <netinet/in.h>

/* ---- the wire (RFC 7143 section 11) ------------------------------------ */

#define BHS_LEN			48
#define MAX_DSL			((1U << 24) - 1)
#define LOGIN_DSL		8192

#define OP_NOOP_OUT		0x00
#define OP_SCSI_CMD		0x01
#define OP_TMF_REQ		0x02
#define OP_LOGIN_REQ		0x03
#define OP_TEXT_REQ		0x04
#define OP_DATA_OUT		0x05
#define OP_LOGOUT_REQ		0x06
#define OP_SNACK_REQ		0x10
#define OP_NOOP_IN		0x20
#define OP_SCSI_RSP		0x21
#define OP_TMF_RSP		0x22
#define OP_LOGIN_RSP		0x23
#define OP_TEXT_RSP		0x24
#define OP_DATA_IN		0x25
#define OP_LOGOUT_RSP		0x26
#define OP_R2T			0x31
#define OP_ASYNC		0x32
#define OP_REJECT		0x3f
#define OP_MASK			0x3f
#define OP_IMMEDIATE		0x40

#define FL_FINAL		0x80
#define FL_CMD_READ		0x40
#define FL_CMD_WRITE		0x20
#define FL_CMD_SIMPLE		0x01
#define FL_DATA_STATUS		0x01
#define FL_LOGIN_TRANSIT	0x80
#define FL_LOGIN_CONTINUE	0x40
#define FL_TEXT_CONTINUE	0x40

#define STAGE_SEC		0
#define STAGE_OP		1
#define STAGE_FFP		3

#define RSVD_TAG		0xffffffffU

/* Reject reasons */
#define RJ_DIGEST		0x02
#define RJ_SNACK		0x03
#define RJ_PROTO		0x04
#define RJ_NOT_SUPP		0x05
#define RJ_IMM_REJECT		0x06
#define RJ_IN_PROGRESS		0x07
#define RJ_INVALID_FIELD	0x09
#define RJ_LONG_OP		0x0a
#define RJ_WAIT_LOGOUT		0x0c

/* Big-endian field access on a byte buffer. */
static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline uint32_t get_dlen(const uint8_t *bhs)
{
	return (uint32_t)bhs[5] << 16 | (uint32_t)bhs[6] << 8 | bhs[7];
}

static inline void put_dlen(uint8_t *bhs, uint32_t len)
{
	bhs[5] = len >> 16;
	bhs[6] = len >> 8;
	bhs[7] = len;
}

static inline uint32_t pad4(uint32_t len)
{
	return (4 - (len & 3)) & 3;
}

/* Serial number arithmetic (RFC 1982, 32 bits). */
static inline bool sn_lt(uint32_t a, uint32_t b)
{
	return a != b && (int32_t)(a - b) < 0;
}

static inline bool sn_lte(uint32_t a, uint32_t b)
{
	return a == b || (int32_t)(a - b) < 0;
}

/* Header field offsets shared by most PDUs. */
#define B_ITT			16
#define B_TTT			20
#define B_CMDSN			24	/* CmdSN (out) / StatSN (in) */
#define B_EXPSTATSN		28	/* ExpStatSN (out) / ExpCmdSN (in) */
#define B_MAXCMDSN		32	/* MaxCmdSN (in) */

/* ---- wire.c --------------------------------------------------------------- */

struct rng {
	uint64_t s;
};

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_next(struct rng *r);
uint32_t rng_below(struct rng *r, uint32_t n);	/* 0 .. n-1; 0 when n is 0 */
uint32_t rng_range(struct rng *r, uint32_t lo, uint32_t hi);	/* lo .. hi */
bool rng_pct(struct rng *r, unsigned int pct);
void rng_fill(struct rng *r, void *buf, size_t len);
/* A length biased to the interesting ones: 0, 1, edges around @max. */
uint32_t rng_len(struct rng *r, uint32_t max);

uint32_t crc32c(uint32_t crc, const void *buf, size_t len);
/* The iSCSI digest of @buf (seed ~0, inverted), as 4 bytes in wire order. */
void digest_bytes(const void *buf, size_t len, uint8_t out[4]);

struct md5_ctx {
	uint32_t h[4];
	uint64_t len;
	uint8_t buf[64];
	size_t used;
};

void md5_init(struct md5_ctx *c);
void md5_update(struct md5_ctx *c, const void *data, size_t len);
void md5_final(struct md5_ctx *c, uint8_t out[16]);

double now_s(void);
void sleep_ms(unsigned int ms);
int parse_portal(const char *s, struct sockaddr_storage *ss, socklen_t *len);
/* A non-blocking TCP connection to @portal, from @src if not NULL. */
int tcp_connect(const struct sockaddr_storage *portal, socklen_t plen,
		const char *src, int rcvbuf, int timeout_ms);

/* Free memory of the machine, in KiB (MemAvailable), or -1. */
long mem_available_kb(void);

/* ---- initiator.c ------------------------------------------------------------ */

/* A received PDU; ahs and data point into the connection's buffer. */
struct pdu {
	uint8_t bhs[BHS_LEN];
	const uint8_t *ahs;
	uint32_t ahs_len;
	const uint8_t *data;
	uint32_t dlen;
};

#define MAX_TASKS	512
#define MAX_R2T		16

struct r2t_rec {
	uint32_t ttt, offset, len;
};

/* A command this side sent. */
struct task {
	bool used, done, rejected, hostile;
	bool unsure;			/* its PDU was mangled: skip the detailed checks */
	bool read, write, immediate, data_status;
	uint8_t op, status, reject_reason, response;
	uint32_t itt, cmdsn, edtl, lba;
	uint32_t in_bytes, next_datasn, next_r2tsn, r2ts;
	uint32_t unsol_sent;
	uint8_t lun[8];
	uint8_t cdb16[16];
	uint8_t *wbuf;			/* write data, edtl bytes */
	uint8_t *rbuf;			/* read data received, edtl bytes */
	struct r2t_rec pend[MAX_R2T];	/* R2Ts not answered yet */
	unsigned int npend;
	double sent_at;
};

/* Things this side sent that expect an answer by ITT (NOP, Text, TMF, Logout). */
#define MAX_PEND	64

struct pend {
	bool used;
	uint8_t op;
	uint32_t itt, len, crc;
};

struct stats;

#define TRACE_LEN	32

struct conn {
	int fd;
	uint64_t id;			/* connection number, for messages */
	int verbose;
	bool hd, dd;			/* digests in effect */
	bool ffp, discovery;
	bool closed;			/* the target closed it or it failed */
	int close_err;			/* errno of the failure, 0 for EOF */
	double closed_at;
	bool desync;			/* this side broke the framing */
	bool reading;			/* read while a send blocks */
	bool auto_r2t;			/* answer R2Ts of tasks that are not hostile */
	bool auto_nopin;		/* answer the target's NOP-In pings */
	bool strict;			/* count misbehaviour (off for abuse that breaks state) */
	bool in_service;
	uint32_t loose[256];		/* ITTs whose answers cannot be matched */
	unsigned int nr_loose;
	bool pend_lost;			/* a pending NOP/Text/TMF/Logout was forgotten */
	uint32_t tx_max;		/* the target's MaxRecvDataSegmentLength */
	uint32_t rx_max;		/* ours */
	uint32_t cmdsn, exp_statsn;
	bool statsn_known;
	uint32_t exp_cmdsn, max_cmdsn;	/* the window as last reported */
	uint32_t max_max_cmdsn;		/* the highest MaxCmdSN ever reported */
	bool window_known;
	uint32_t itt_next;
	uint8_t isid[6];
	uint16_t tsih, cid;
	uint8_t lun[8];			/* LUN field of the commands sent */
	/* negotiated */
	uint32_t first_burst, max_burst, max_r2t, max_conns;
	bool imm_data, initial_r2t;
	/* receive buffer */
	uint8_t *rx;
	size_t rx_len, rx_cap, rx_pending;
	void *itt_set;			/* every ITT sent */
	char *login_text;		/* the operational stage's answers */
	uint32_t login_text_len;
	/* what the target answered */
	struct task *tasks;
	struct pend pend[MAX_PEND];
	uint32_t nr_rx[64];		/* PDUs received by opcode */
	uint32_t nr_reject[16];		/* Rejects by reason */
	uint32_t nr_async, nr_misbehave, nr_pings;
	bool logout_rsp;
	uint8_t logout_response;
	uint32_t ping_ttt[8];		/* the target's pings, to answer */
	uint8_t ping_lun[8][8];
	unsigned int nr_ping_ttt;
	uint32_t text_cont_ttt, text_cont_itt;
	uint8_t last_reject_bhs[BHS_LEN];
	uint8_t last_reject_reason;
	uint32_t last_text_len;
	char *last_text;
	uint8_t last_tmf_response;
	bool tmf_answered;
	uint32_t last_tmf_itt;
	/* hook for scenarios: called for every PDU after the checks */
	void (*hook)(struct conn *c, const struct pdu *p, void *arg);
	void *hook_arg;
	/* counters shared between processes, may be NULL */
	struct stats *st;
	/* a short trace of the last PDUs, for reports */
	char trace[TRACE_LEN][160];
	unsigned int trace_pos;
	char why[256];			/* the last misbehaviour */
};

struct login_opts {
	const char *initiator;
	const char *target;		/* NULL: discovery */
	const char *chap_user, *chap_secret;
	const char *chap_a;		/* CHAP_A value, default "5" */
	const char *hd, *dd;		/* HeaderDigest / DataDigest offers */
	uint32_t mrdsl;			/* our MaxRecvDataSegmentLength (0: 262144) */
	const char *extra;		/* more key=value\0 pairs for the operational stage */
	uint32_t extra_len;
	const char *sec_extra;		/* more pairs for the first security PDU */
	uint32_t sec_extra_len;
	uint8_t isid[6];
	bool isid_set;
	uint16_t tsih, cid;
	uint32_t cmdsn;
	int timeout_ms;			/* per response (default 15000) */
};

/* Login results: 0, a status (class << 8 | detail) > 0, or < 0. */
#define LOGIN_IO_ERROR		(-1)
#define LOGIN_PROTO_ERROR	(-2)
#define LOGIN_OTHER_CHAP	(-3)	/* the target chose a CHAP_A other than MD5 */

struct conn *conn_new(uint64_t id, struct stats *st, int verbose);
void conn_free(struct conn *c);
int conn_open(struct conn *c, const struct sockaddr_storage *portal, socklen_t plen,
	      const char *src, int rcvbuf);
void conn_close(struct conn *c);
void conn_abort(struct conn *c);	/* close with RST */

void misbehave(struct conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void trace(struct conn *c, const char *dir, const uint8_t *bhs);
void trace_dump(struct conn *c, FILE *f);

/* Send flags */
#define SF_BAD_HDIGEST	0x01
#define SF_BAD_DDIGEST	0x02
#define SF_NO_DIGESTS	0x04	/* login phase */
#define SF_NOWAIT	0x08	/* do not block: fail with -2 if it would */

/*
 * Send one PDU. @cut > 0 sends only the first @cut bytes. Returns 0, -1
 * when the connection is gone, -2 when the target did not take the bytes
 * within @timeout_ms.
 */
int send_pdu_ex(struct conn *c, uint8_t *bhs, const void *ahs, uint32_t ahs_len,
		const void *data, uint32_t dlen, unsigned int flags, uint32_t cut,
		int timeout_ms);
int send_pdu(struct conn *c, uint8_t *bhs, const void *data, uint32_t dlen);
int send_raw(struct conn *c, const void *buf, size_t len, int timeout_ms);

/* Read and handle what arrives for up to @timeout_ms; -1 when closed. */
int pump(struct conn *c, int timeout_ms);
/* Wait until @done(c, arg) or @timeout_ms; returns true if done. */
bool wait_until(struct conn *c, int timeout_ms, bool (*done)(struct conn *, void *), void *arg);
/* Receive exactly one PDU (login phase; no handling). 0, -1 closed, -2 timeout. */
int recv_pdu(struct conn *c, struct pdu *p, int timeout_ms);
void consume_pdu(struct conn *c, const struct pdu *p);

int login(struct conn *c, const struct login_opts *o);
/* text helpers: find "key=" in key=value\0 pairs; returns the value or NULL */
const char *text_get(const char *text, uint32_t len, const char *key);
uint32_t text_add(char *buf, uint32_t off, uint32_t size, const char *key, const char *val);

/* Commands */
#define CF_READ		0x01
#define CF_WRITE	0x02
#define CF_IMM		0x04	/* I bit */
#define CF_HOSTILE	0x08	/* never answer its R2Ts */
#define CF_NOFINAL	0x10	/* F bit clear: unsolicited data follows */
#define CF_NO_UNSOL	0x20	/* do not send the unsolicited data */
#define CF_KEEP_CMDSN	0x40	/* use c->cmdsn without advancing it */

struct task *task_find(struct conn *c, uint32_t itt, bool pending_only);
/* Track a command that the caller sends itself. */
struct task *task_register(struct conn *c, uint32_t itt, uint32_t cmdsn, uint32_t edtl,
			   unsigned int flags, const uint8_t *cdb16);
/* Answers for @itt cannot be checked against what was sent. */
void loose_note(struct conn *c, uint32_t itt);
struct task *cmd_send(struct conn *c, const uint8_t *cdb, uint32_t cdb_len, uint32_t edtl,
		      unsigned int flags, uint32_t imm_len, const uint8_t *wdata,
		      uint32_t itt, uint32_t cmdsn);
int answer_r2ts(struct conn *c, struct task *t);
void task_forget(struct conn *c, struct task *t);
unsigned int tasks_pending(struct conn *c);
bool wait_tasks(struct conn *c, int timeout_ms);
bool window_open(struct conn *c);
bool wait_window(struct conn *c, int timeout_ms);

/* NOP-Out ping; returns its ITT (0 on failure) */
uint32_t ping_send(struct conn *c, const void *data, uint32_t len, bool imm);
bool ping_wait(struct conn *c, uint32_t itt, int timeout_ms);
bool pend_done(struct conn *c, uint32_t itt);
uint32_t text_send(struct conn *c, const void *data, uint32_t len, bool imm, uint32_t ttt,
		   bool final);
int logout_send(struct conn *c, uint8_t reason, bool wait);
uint32_t tmf_send(struct conn *c, uint8_t func, const uint8_t *lun, uint32_t rtt,
		  uint32_t refcmdsn, bool imm);
void resync_cmdsn(struct conn *c);

/* SCSI helpers: synchronous, on LUN 0; return the SCSI status or -1. */
int scsi_rw(struct conn *c, bool write, uint32_t lba, uint32_t blocks, uint32_t bs,
	    uint8_t *buf, int timeout_ms);
int scsi_capacity(struct conn *c, uint64_t *blocks, uint32_t *bs, int timeout_ms);
void cdb_rw10(uint8_t *cdb, bool write, uint32_t lba, uint16_t blocks);

/* ---- counters shared by the worker processes (main.c) ------------------------ */

enum {
	ST_CONNS, ST_LOGIN_OK, ST_LOGIN_FAIL, ST_LOGIN_ABUSE, ST_PDUS, ST_BYTES,
	ST_CLOSED_BY_TARGET, ST_MISBEHAVE, ST_HANGS, ST_IO_OK, ST_PINGS_OK,
	ST_NR
};

#define NR_ACTIONS	40

struct stats {
	uint64_t v[ST_NR];
	uint64_t rx_op[64];
	uint64_t reject[16];
	uint64_t login_status[4][16];
	uint64_t actions[NR_ACTIONS];
};

void stat_add(struct stats *st, int idx, uint64_t n);
void stat_add_at(uint64_t *p, uint64_t n);

/* ---- random.c ------------------------------------------------------------------ */

struct fuzz_cfg {
	struct sockaddr_storage portal;
	socklen_t plen;
	const char *target;
	const char *chap_target;
	const char *chap_user, *chap_secret;
	const char *initiator;
	uint64_t seed;
	double deadline;
	int verbose;
	bool no_flood;
	bool loopback;			/* the portal is 127.x: vary our source address */
};

extern const char *const action_names[NR_ACTIONS];
/* Run connection @n's script. Returns the number of misbehaviours seen. */
int fuzz_conn(const struct fuzz_cfg *cfg, uint64_t n, struct stats *st);

/* ---- scenario.c ------------------------------------------------------------------ */

struct scen_cfg {
	struct sockaddr_storage portal;
	socklen_t plen;
	const char *target;
	const char *initiator;
	const char *chap_user, *chap_secret;
	int verbose;
	double time;			/* run time for the flooding scenarios */
	double bound;			/* the bound a scenario checks, in seconds */
	int depth;			/* expected cmdsn_depth */
	int imm_limit;			/* expected immediate command limit */
	int per_host, max_login;	/* expected login limits */
	int max_conns;			/* expected max_conns (per_host: max_conns_per_host) */
	int max_disc;			/* max_discovery_conns to set and check */
	double idle;			/* expected discovery_idle_timeout */
	int conns;
	double hold;
	long mem_limit_mb;
};

int run_scenario(const char *name, struct scen_cfg *cfg);
void list_scenarios(FILE *f);

#endif
