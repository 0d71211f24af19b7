/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt: login and negotiation, the pure layers under login.c: the
 * key=value text (text.c), the RFC 7143 keys and their negotiation
 * (params.c), CHAP (chap.c) and the login state machine itself
 * (kitt_login_step(); conn_login.c runs it on a connection).
 */
#ifndef KITT_LOGIN_H
#define KITT_LOGIN_H

#include <linux/types.h>
#include <linux/bits.h>

#include "kitt_pdu.h"

/* ------------------------------------------------------------------ */
/* text.c: key=value tokenizer and builder                            */
/* ------------------------------------------------------------------ */
/*
 * Contract used by chap.c, params.c and login.c; text.c implements it.
 */

/**
 * struct kitt_text_buf - an output buffer of key=value\0 pairs.
 * @buf: the storage
 * @len: bytes used
 * @size: capacity of @buf
 * @overflow: a pair did not fit; @len is unchanged by failed adds
 */
struct kitt_text_buf {
	char *buf;
	u32 len;
	u32 size;
	bool overflow;
};

void kitt_text_buf_init(struct kitt_text_buf *tb, char *buf, u32 size);
/* Append "key=value\0". Returns 0 or -ENOSPC (and sets @overflow). */
int kitt_text_add(struct kitt_text_buf *tb, const char *key, const char *val);
/* Append "key=<printf>\0". Returns 0 or -ENOSPC. */
__printf(3, 4)
int kitt_text_addf(struct kitt_text_buf *tb, const char *key,
		   const char *fmt, ...);

/*
 * Reading a logical text data segment (RFC 7143 6.1): the login and text
 * layers concatenate the data segments of a C-bit sequence first, then
 * walk the pairs with a cursor. Every pair is "key=value\0"; the key is
 * a standard-label (a letter, then A-Z a-z 0-9 . - + @ _; "X#" prefix
 * allowed) of at most KITT_TEXT_KEY_MAX bytes; the value is at
 * most kitt_text_value_max(key) bytes with no control characters.
 */
#define KITT_TEXT_KEY_MAX		63
#define KITT_TEXT_VALUE_MAX		255
/* Large binary values (CHAP_C, CHAP_R, ...): the RFC's 1024 bytes, encoded */
#define KITT_TEXT_LARGE_VALUE_MAX	8192
/* kitt_text_find_duplicate() gives up on requests with more pairs */
#define KITT_TEXT_MAX_PAIRS		512

/**
 * struct kitt_text_cursor - a bounded walk over key=value\0 pairs.
 * @buf: the data (need not be NUL-terminated)
 * @len: bytes in @buf
 * @pos: offset of the next pair; only a successful kitt_text_next()
 *	moves it
 */
struct kitt_text_cursor {
	const char *buf;
	u32 len;
	u32 pos;
};

/**
 * struct kitt_text_pair - one pair found by kitt_text_next().
 * @key: a NUL-terminated copy of the key
 * @key_len: strlen(@key)
 * @val: the value inside the cursor's buffer, NUL-terminated by the
 *	pair's own delimiter; valid while that buffer is
 * @val_len: strlen(@val)
 * @offset: offset of the pair in the buffer
 */
struct kitt_text_pair {
	char key[KITT_TEXT_KEY_MAX + 1];
	u32 key_len;
	const char *val;
	u32 val_len;
	u32 offset;
};

void kitt_text_cursor_init(struct kitt_text_cursor *c, const char *buf,
			   u32 len);
/*
 * Next pair. Returns 1 and advances the cursor, 0 at the end of the data,
 * or an error leaving the cursor and @pair's previous contents alone:
 *   -EAGAIN       the rest holds no NUL: the last pair is incomplete (more
 *                 data would follow with the C bit; malformed without it).
 *                 Reported only if what is there is a valid prefix.
 *   -EINVAL       a complete pair without '=', or with an empty key
 *   -ENAMETOOLONG key longer than KITT_TEXT_KEY_MAX
 *   -E2BIG        value longer than kitt_text_value_max(key)
 *   -EILSEQ       a byte outside the allowed set, in the key or the value
 */
int kitt_text_next(struct kitt_text_cursor *c, struct kitt_text_pair *pair);
/* Longest value allowed for @key (NUL-terminated). */
u32 kitt_text_value_max(const char *key);
bool kitt_text_name_ok(const char *name, u32 len);
/*
 * Checks a whole segment: 0 if every pair is well formed and no key
 * appears twice; -EEXIST (and @dup, if non-NULL, holds the second
 * occurrence) for a repeated key; -E2BIG for more than
 * KITT_TEXT_MAX_PAIRS pairs; -ENOMEM; else kitt_text_next()'s error.
 * O(n log n) in the number of pairs.
 */
int kitt_text_find_duplicate(const char *buf, u32 len,
			     struct kitt_text_pair *dup);

/*
 * Value parsers (RFC 7143 6.1). Each returns 0, -EINVAL for a malformed
 * value or -ERANGE for a well formed one out of range, and writes its
 * output only on success.
 */
/* decimal-constant (no leading zeros) or hex-constant (0x / 0X), < 2^64 */
int kitt_text_parse_number(const char *val, u64 *num);
/* A number in [min, max]. */
int kitt_text_parse_u32(const char *val, u32 min, u32 max, u32 *num);
/* "Yes" or "No", exactly. */
int kitt_text_parse_bool(const char *val, bool *yes);
/*
 * binary-value: hex-constant or base64-constant (0b / 0B) decoded into
 * @out of @size bytes. Returns the byte count, -EINVAL, or -EOVERFLOW if
 * it does not fit. The one decoder of kitt (CHAP_C, CHAP_R, ...).
 */
int kitt_text_parse_binary(const char *val, u8 *out, u32 size);
/*
 * Walk a list-of-values: *@pos starts at the value. Returns 1 with the
 * next member in @item / @item_len (not NUL-terminated) and *@pos moved
 * past it, 0 at the end, or -EINVAL for an empty member (",,", a leading
 * or trailing comma). An empty value is a list with no members.
 */
int kitt_text_list_next(const char **pos, const char **item, u32 *item_len);

/* ------------------------------------------------------------------ */
/* params.c: RFC 7143 keys and negotiation                            */
/* ------------------------------------------------------------------ */
/*
 * Contract used by configfs.c (params/ directory) and login.c; the
 * internals of struct kitt_param_offer belong to params.c.
 */
enum kitt_key {
	KITT_KEY_HEADER_DIGEST,
	KITT_KEY_DATA_DIGEST,
	KITT_KEY_MAX_CONNECTIONS,
	KITT_KEY_SEND_TARGETS,
	KITT_KEY_TARGET_NAME,
	KITT_KEY_INITIATOR_NAME,
	KITT_KEY_TARGET_ALIAS,
	KITT_KEY_INITIATOR_ALIAS,
	KITT_KEY_TARGET_ADDRESS,
	KITT_KEY_TARGET_PORTAL_GROUP_TAG,
	KITT_KEY_INITIAL_R2T,
	KITT_KEY_IMMEDIATE_DATA,
	KITT_KEY_MAX_RECV_DSL,
	KITT_KEY_MAX_BURST_LENGTH,
	KITT_KEY_FIRST_BURST_LENGTH,
	KITT_KEY_DEFAULT_TIME2WAIT,
	KITT_KEY_DEFAULT_TIME2RETAIN,
	KITT_KEY_MAX_OUTSTANDING_R2T,
	KITT_KEY_DATA_PDU_IN_ORDER,
	KITT_KEY_DATA_SEQUENCE_IN_ORDER,
	KITT_KEY_ERROR_RECOVERY_LEVEL,
	KITT_KEY_SESSION_TYPE,
	KITT_KEY_TASK_REPORTING,
	KITT_KEY_PROTOCOL_LEVEL,
	KITT_KEY_OF_MARKER,
	KITT_KEY_IF_MARKER,
	KITT_KEY_OF_MARK_INT,
	KITT_KEY_IF_MARK_INT,
	KITT_KEY_AUTH_METHOD,
	/* security keys (RFC 7143 12.1): login.c and chap.c handle them */
	KITT_KEY_CHAP_A,
	KITT_KEY_CHAP_I,
	KITT_KEY_CHAP_C,
	KITT_KEY_CHAP_N,
	KITT_KEY_CHAP_R,
	KITT_KEY_SRP_U,
	KITT_KEY_SRP_TARGET_AUTH,
	KITT_KEY_SRP_GROUP,
	KITT_KEY_SRP_A,
	KITT_KEY_SRP_B,
	KITT_KEY_SRP_M,
	KITT_KEY_SRP_HM,
	KITT_KEY_SRP_S,
	KITT_KEY_KRB_AP_REQ,
	KITT_KEY_KRB_AP_REP,
	/*
	 * Not a wire key: the initiator's MaxRecvDataSegmentLength seen from
	 * the target, i.e. what kitt may send. Named for sysfs only;
	 * kitt_params_key_lookup() never returns it.
	 */
	KITT_KEY_MAX_XMIT_DSL,
	KITT_NR_KEYS
};

/* How a key's value is negotiated (RFC 7143 6.2). */
enum kitt_key_type {
	KITT_KT_LIST,		/* the responder picks from the proposer's list */
	KITT_KT_BOOL_AND,
	KITT_KT_BOOL_OR,
	KITT_KT_NUM_MIN,
	KITT_KT_NUM_MAX,
	KITT_KT_DECLARATIVE,	/* each side states its own value */
	KITT_KT_SECURITY,	/* authentication exchange (login.c, chap.c) */
};

enum kitt_key_scope {
	KITT_SCOPE_SW,		/* session-wide */
	KITT_SCOPE_CO,		/* connection-only */
};

/* Use, as RFC 7143 13 names it. */
enum kitt_key_use {
	KITT_USE_LO,		/* leading connection's login only */
	KITT_USE_IO,		/* login only (initialize only) */
	KITT_USE_SPO,		/* security negotiation stage only */
	KITT_USE_FFPO,		/* full feature phase only */
	KITT_USE_ALL,		/* login and full feature phase */
};

/* Where a key is legal: BIT(stage), with the stages of <scsi/iscsi_proto.h> */
#define KITT_PH_SEC		BIT(ISCSI_SECURITY_NEGOTIATION_STAGE)
#define KITT_PH_OP		BIT(ISCSI_OP_PARMS_NEGOTIATION_STAGE)
#define KITT_PH_FFP		BIT(ISCSI_FULL_FEATURE_PHASE)

/* Senders */
#define KITT_SEND_I		BIT(0)
#define KITT_SEND_T		BIT(1)

/* struct kitt_key_info flags */
#define KITT_KF_LOGIN		BIT(0)	/* login.c / chap.c / session.c handle it */
#define KITT_KF_CONFIG		BIT(1)	/* a file in params/ */
#define KITT_KF_IRR_DISC	BIT(2)	/* Irrelevant when SessionType=Discovery */
#define KITT_KF_OBSOLETE	BIT(3)	/* RFC 3720 markers, obsolete in RFC 7143 */
#define KITT_KF_LOCAL		BIT(4)	/* not a wire key */
#define KITT_KF_NUMERIC		BIT(5)	/* declarative with a numerical value */

/* Members of list-valued keys, as bits of offer and default values */
#define KITT_DIGEST_CRC32C		BIT(0)
#define KITT_DIGEST_NONE		BIT(1)

enum kitt_task_reporting {
	KITT_TASK_REPORTING_RFC3720,
	KITT_TASK_REPORTING_RESPONSE_FENCE,
	KITT_TASK_REPORTING_FAST_ABORT,
};

/**
 * struct kitt_key_info - what RFC 7143 section 12/13 says about a key.
 * @name: the key as it appears on the wire
 * @type: enum kitt_key_type
 * @scope: enum kitt_key_scope
 * @use: enum kitt_key_use
 * @phases: KITT_PH_* where the key is legal
 * @senders: KITT_SEND_*
 * @flags: KITT_KF_*
 * @min: smallest legal numerical value
 * @max: largest legal numerical value
 * @def: the RFC default (lists: the member's bit)
 * @offer: kitt's compile-time offer (lists: bits of the members kitt
 *	supports); module-wide defaults may override it
 */
struct kitt_key_info {
	const char *name;
	u8 type;
	u8 scope;
	u8 use;
	u8 phases;
	u8 senders;
	u8 flags;
	u32 min;
	u32 max;
	u32 def;
	u32 offer;
};

/*
 * Connections per session (MaxConnections): kitt serves one. Tasks,
 * aborts and logouts across the connections of one session are not safe
 * yet, so params/MaxConnections refuses more.
 */
#define KITT_MAX_CONNECTIONS		1

/**
 * struct kitt_param_offer - a portal group's params/: what the target
 * offers or declares for each key it negotiates. @val[key] is a number,
 * 0/1 for booleans, or a bit mask of KITT_DIGEST_* for the digests.
 * Protected by the owning portal group's lock; login works on a copy.
 */
struct kitt_param_offer {
	u32 val[KITT_NR_KEYS];
};

/**
 * struct kitt_sess_params - the values in effect for a session (the
 * connection-only ones for the connection it was negotiated on),
 * starting at the RFC defaults.
 * @header_digest: HeaderDigest=CRC32C
 * @data_digest: DataDigest=CRC32C
 * @initial_r2t: InitialR2T
 * @immediate_data: ImmediateData
 * @data_pdu_in_order: DataPDUInOrder
 * @data_sequence_in_order: DataSequenceInOrder
 * @discovery: SessionType=Discovery
 * @task_reporting: enum kitt_task_reporting
 * @max_connections: MaxConnections
 * @max_recv_dsl: the target's MaxRecvDataSegmentLength: the largest data
 *	segment the initiator may send (8192 until kitt declares its own)
 * @max_xmit_dsl: the initiator's MaxRecvDataSegmentLength: the largest
 *	data segment kitt may send
 * @max_burst_length: MaxBurstLength
 * @first_burst_length: FirstBurstLength
 * @default_time2wait: DefaultTime2Wait
 * @default_time2retain: DefaultTime2Retain
 * @max_outstanding_r2t: MaxOutstandingR2T
 * @error_recovery_level: ErrorRecoveryLevel
 * @protocol_level: iSCSIProtocolLevel
 */
struct kitt_sess_params {
	bool header_digest;
	bool data_digest;
	bool initial_r2t;
	bool immediate_data;
	bool data_pdu_in_order;
	bool data_sequence_in_order;
	bool discovery;
	u8 task_reporting;
	u32 max_connections;
	u32 max_recv_dsl;
	u32 max_xmit_dsl;
	u32 max_burst_length;
	u32 first_burst_length;
	u32 default_time2wait;
	u32 default_time2retain;
	u32 max_outstanding_r2t;
	u32 error_recovery_level;
	u32 protocol_level;
};

/**
 * struct kitt_nego - operational negotiation of one login (or of one
 * text negotiation sequence in full feature phase). Fields are private
 * to params.c except @reason.
 * @offer: the target's offer (a copy the caller keeps stable)
 * @result: where negotiated values go
 * @seen: keys already negotiated or declared here
 * @stage: login stage (or ISCSI_FULL_FEATURE_PHASE) of the request answered
 * @leading: the login of a new session (not a connection added to one)
 * @declared: kitt declared its MaxRecvDataSegmentLength
 * @reason: static text saying why the last call failed, for the log
 */
struct kitt_nego {
	const struct kitt_param_offer *offer;
	struct kitt_sess_params *result;
	DECLARE_BITMAP(seen, KITT_NR_KEYS);
	u8 stage;
	bool leading;
	bool declared;
	const char *reason;
};

/* Defaults from module parameters, then clamped to the RFC ranges. */
void kitt_params_offer_init(struct kitt_param_offer *offer);
/* True if @key is exposed as a file in params/. */
bool kitt_params_key_configurable(enum kitt_key key);
const char *kitt_params_key_name(enum kitt_key key);
/* Print the offer for @key as text with a newline, into a page. */
ssize_t kitt_params_offer_show(const struct kitt_param_offer *offer,
			       enum kitt_key key, char *page);
/*
 * Parse @len bytes of @buf (a trailing newline is ignored) into the
 * offer for @key. Returns 0, or -EINVAL leaving the offer unchanged.
 */
int kitt_params_offer_store(struct kitt_param_offer *offer, enum kitt_key key,
			    const char *buf, size_t len);
/*
 * Change the module-wide default offer for @key (the value new portal
 * groups start with), parsed as kitt_params_offer_store() does. For
 * module parameters, before configfs is registered. 0 or -EINVAL.
 */
int kitt_params_default_store(enum kitt_key key, const char *buf, size_t len);

/* The table entry of @key; NULL if @key is out of range. */
const struct kitt_key_info *kitt_params_key_info(enum kitt_key key);
/*
 * Classify a received key: the enum of a key RFC 7143 defines, or -ENOENT
 * for any other (X- and X# extension keys included).
 */
int kitt_params_key_lookup(const char *name);

/* The RFC defaults of every parameter. */
void kitt_sess_params_init(struct kitt_sess_params *p);
/*
 * Start negotiating a login. A leading login resets @result to the RFC
 * defaults; a login adding a connection to a session must pass a copy
 * of the session's parameters, of which only the connection-only ones
 * (digests, data segment lengths) are reset. The stage starts at
 * operational; see kitt_nego_set_stage(). @offer and @result must stay
 * valid while @n is used.
 */
void kitt_nego_init(struct kitt_nego *n, const struct kitt_param_offer *offer,
		    struct kitt_sess_params *result, bool leading,
		    bool discovery);
/* The stage (ISCSI_*_STAGE, ISCSI_FULL_FEATURE_PHASE) keys arrive in next. */
void kitt_nego_set_stage(struct kitt_nego *n, u8 stage);
/*
 * Answer one key=value the initiator sent, appending the answer (if the
 * key needs one) to @rsp and updating the result. Returns:
 *   0        done; the answer may be a value, NotUnderstood (unknown and
 *            extension keys), Irrelevant, or Reject (malformed or out of
 *            range value; the default stays in effect, login goes on)
 *   -ENOENT  a key kitt_nego does not handle: security keys (AuthMethod,
 *            CHAP_*, ...), names, aliases, SessionType, SendTargets,
 *            TargetAddress, TargetPortalGroupTag. Nothing was appended.
 *   -EPROTO  the key is not legal in this stage (an operational key in
 *            the security stage, a login-only key in full feature phase)
 *   -EEXIST  the key was already negotiated in this login / sequence
 *   -EINVAL  the value breaks a rule that makes negotiation fail (no
 *            digest both sides accept, an unusable MaxRecvDataSegmentLength)
 *   -ENOSPC  @rsp is full (@rsp->overflow is set)
 * On -EPROTO, -EEXIST and -EINVAL @n->reason says why: fail the login
 * with status 0x0200 (initiator error).
 */
int kitt_nego_key(struct kitt_nego *n, const char *key, const char *val,
		  struct kitt_text_buf *rsp);
/*
 * Call before the response that ends the login's stage: in the
 * operational stage it declares kitt's MaxRecvDataSegmentLength (once);
 * then it checks the rules that span keys (FirstBurstLength <=
 * MaxBurstLength, a digest the target requires). 0, -EINVAL (with
 * @n->reason) or -ENOSPC.
 */
int kitt_nego_finish(struct kitt_nego *n, struct kitt_text_buf *rsp);

/* @key has a value in struct kitt_sess_params (a file in sysfs). */
bool kitt_sess_params_has(enum kitt_key key);
/*
 * "<value>\n" of one key, RFC spellings (CRC32C/None, Yes/No, decimal,
 * Normal/Discovery, RFC3720): KITT_KEY_MAX_RECV_DSL is the target's value
 * (iscsiadm's MaxXmitDataSegmentLength), KITT_KEY_MAX_XMIT_DSL the
 * initiator's (iscsiadm's MaxRecvDataSegmentLength). Returns the length
 * written (at most @size - 1, NUL-terminated) or -ENOENT.
 */
ssize_t kitt_sess_params_show(const struct kitt_sess_params *p,
			      enum kitt_key key, char *buf, size_t size);

/* ------------------------------------------------------------------ */
/* chap.c: CHAP                                                       */
/* ------------------------------------------------------------------ */
/*
 * CHAP (RFC 1994 as used by RFC 7143 12.1.3), one struct kitt_chap per
 * login. The login layer calls kitt_chap_start() with the initiator's
 * CHAP_A and sends the keys it adds, then kitt_chap_verify() with the
 * initiator's CHAP_N, CHAP_R and, for mutual CHAP, CHAP_I and CHAP_C.
 * Errors and the login status they map to (RFC 7143 11.13.5):
 *   -EACCES   authentication failure           class 2 detail 1
 *   -ENOENT   a required key is missing        class 2 detail 7
 *   -EINVAL   a key value is malformed         class 2 detail 0
 *   -EPROTO   CHAP keys out of order           class 2 detail 0
 *   -ENOSPC   the response text did not fit    class 3 detail 0
 *   -ENOMEM   out of memory                    class 3 detail 2
 * After a failure chap->err says why in a few words (never a secret),
 * for the one log line naming the initiator.
 */
#define KITT_CHAP_MD5		5
#define KITT_CHAP_SHA1		6
#define KITT_CHAP_SHA256	7
#define KITT_CHAP_SHA3_256	8
/* Largest digest (SHA-256, SHA3-256) and so the largest target challenge */
#define KITT_CHAP_DIGEST_MAX	32
/* RFC 7143 12.1.3: C and R are at most 1024 bytes once decoded */
#define KITT_CHAP_BINARY_MAX	1024

/* Room for a CHAP secret of an auth/ directory, NUL included */
#define KITT_SECRET_MAX		256

struct crypto_shash;

/**
 * struct kitt_chap_cred - CHAP names and secrets of an ACL or discovery.
 * Empty strings mean "not set". Protected by the owner's lock.
 */
struct kitt_chap_cred {
	char userid[KITT_NAME_MAX];
	char password[KITT_SECRET_MAX];
	char userid_mutual[KITT_NAME_MAX];
	char password_mutual[KITT_SECRET_MAX];
};

enum kitt_chap_state {
	KITT_CHAP_INIT,		/* waiting for CHAP_A */
	KITT_CHAP_CHALLENGED,	/* CHAP_C sent, waiting for CHAP_N/CHAP_R */
	KITT_CHAP_DONE,		/* the initiator is authenticated */
	KITT_CHAP_FAILED,	/* no second try with the same challenge */
};

/**
 * struct kitt_chap - CHAP state of one login.
 * @state: enum kitt_chap_state
 * @alg: the CHAP_A value chosen (KITT_CHAP_MD5, ...)
 * @id: the CHAP_I sent
 * @digest_len: bytes of a response for @alg
 * @challenge_len: bytes of @challenge (the digest size, at least 16)
 * @challenge: the CHAP_C sent
 * @tfm: the hash for @alg
 * @err: why the last call failed, for the log; NULL when it did not
 */
struct kitt_chap {
	enum kitt_chap_state state;
	u8 alg;
	u8 id;
	u8 digest_len;
	u8 challenge_len;
	u8 challenge[KITT_CHAP_DIGEST_MAX];
	struct crypto_shash *tfm;
	const char *err;
};

void kitt_chap_init(struct kitt_chap *chap);
int kitt_chap_start(struct kitt_chap *chap, const char *chap_a,
		    struct kitt_text_buf *rsp);
int kitt_chap_verify(struct kitt_chap *chap, const struct kitt_chap_cred *cred,
		     const char *chap_n, const char *chap_r,
		     const char *chap_i, const char *chap_c,
		     struct kitt_text_buf *rsp);
void kitt_chap_free(struct kitt_chap *chap);

/* ------------------------------------------------------------------ */
/* login.c: the login state machine                                   */
/* ------------------------------------------------------------------ */

enum kitt_auth_method {
	KITT_AUTH_UNSET,
	KITT_AUTH_NONE,
	KITT_AUTH_CHAP,
	KITT_AUTH_REJECT,
};

/* kitt_login_step() results */
enum kitt_login_result {
	KITT_LOGIN_MORE,	/* answer and wait for the next request */
	KITT_LOGIN_DONE,	/* answer, then full feature phase */
	KITT_LOGIN_FAILED,	/* answer with the status, then close */
};

struct kitt_login;
struct kitt_tpg;

/**
 * struct kitt_login_ops - what the login state machine asks of its world.
 * @resolve: find the target and portal group for lg->target (or set up
 *	discovery), check the ACL, and fill lg->cred, lg->offer,
 *	lg->auth_required, lg->cmdsn_depth, lg->tpg and lg->tpgt. Returns 0,
 *	-ENOENT (no such target here), -EACCES (no ACL), -EAGAIN (portal
 *	group disabled) or another errno.
 * @attach: create the session (lg->tsih 0) or join it; on failure call
 *	nothing else but set the status through lg and return an errno.
 *	Sets lg->tsih.
 */
struct kitt_login_ops {
	int (*resolve)(struct kitt_login *lg, void *ctx);
	int (*attach)(struct kitt_login *lg, void *ctx);
};

/**
 * struct kitt_login - the state of one connection's login.
 * @ops: environment; @ctx: its argument
 * @started: the first request was seen; @isid, @tsih, @cid, @cmdsn and
 *	@exp_statsn come from it
 * @stage: the current stage (CSG)
 * @identified: names checked and the target resolved
 * @security_checked: the rule "authenticate before operational" passed
 * @initiator: InitiatorName; @target: TargetName; @discovery: SessionType
 * @tpg: the portal group (NULL for discovery); @tpgt its tag
 * @cred: CHAP credentials that apply (copy)
 * @auth_required: CHAP is mandatory
 * @offer: the target's offer (copy); @params: negotiated values;
 * @nego: negotiation state
 * @cmdsn_depth: command window of the new session
 * @auth_method: enum kitt_auth_method
 * @chap: CHAP state; @authenticated: CHAP succeeded
 * @text: request text gathered across C-bit continuations
 * @text_len: bytes in @text
 * @status_class: @status_detail: the failure, if any; @why: its reason
 */
struct kitt_login {
	const struct kitt_login_ops *ops;
	void *ctx;
	bool started;
	u8 isid[6];
	u16 tsih;
	u16 cid;
	u32 cmdsn;
	u32 exp_statsn;
	u8 stage;
	bool identified;
	bool security_checked;
	char initiator[KITT_NAME_MAX];
	char target[KITT_NAME_MAX];
	bool discovery;
	struct kitt_tpg *tpg;
	u16 tpgt;
	struct kitt_chap_cred cred;
	bool auth_required;
	struct kitt_param_offer offer;
	struct kitt_sess_params params;
	struct kitt_nego nego;
	u32 cmdsn_depth;
	int auth_method;
	struct kitt_chap chap;
	bool authenticated;
	char *text;
	u32 text_len;
	u8 status_class;
	u8 status_detail;
	const char *why;
};

/**
 * enum kitt_login_outcome - how a login ended, as kitt counts it
 *	(/sys/kernel/kitt/logins and the targets' and portal groups' logins
 *	files): accepted, one refusal per Login Response status that kitt
 *	sends (RFC 7143 11.13.5), dropped (the connection closed or the
 *	login timed out before a final response), or closed at once because
 *	its host already had max_login_per_host connections in login, or
 *	its host max_conns_per_host or kitt max_conns connections in all
 *	(both counted only in /sys/kernel/kitt/logins: no target is known
 *	yet)
 */
enum kitt_login_outcome {
	KITT_LOGIN_ACCEPTED,
	KITT_LOGIN_INITIATOR_ERROR,
	KITT_LOGIN_AUTH_FAILED,
	KITT_LOGIN_FORBIDDEN,
	KITT_LOGIN_TARGET_NOT_FOUND,
	KITT_LOGIN_TARGET_REMOVED,
	KITT_LOGIN_UNSUPPORTED_VERSION,
	KITT_LOGIN_TOO_MANY_CONNECTIONS,
	KITT_LOGIN_MISSING_PARAMETER,
	KITT_LOGIN_CANNOT_INCLUDE,
	KITT_LOGIN_SESSION_TYPE,
	KITT_LOGIN_NO_SESSION,
	KITT_LOGIN_INVALID_REQUEST,
	KITT_LOGIN_TARGET_ERROR,
	KITT_LOGIN_SERVICE_UNAVAILABLE,
	KITT_LOGIN_OUT_OF_RESOURCES,
	KITT_LOGIN_DROPPED,
	KITT_LOGIN_HOST_LIMIT,
	KITT_LOGIN_CONN_LIMIT,
	KITT_LOGIN_NR_OUTCOMES
};

extern const char * const kitt_login_outcome_names[KITT_LOGIN_NR_OUTCOMES];
enum kitt_login_outcome kitt_login_outcome(u8 status_class, u8 status_detail);

void kitt_login_init(struct kitt_login *lg, const struct kitt_login_ops *ops, void *ctx);
void kitt_login_free(struct kitt_login *lg);
void kitt_login_fail(struct kitt_login *lg, u8 class, u8 detail, const char *why);
int kitt_login_step(struct kitt_login *lg, const struct iscsi_login_req *req,
		    const char *data, u32 len, struct iscsi_login_rsp *rsp,
		    struct kitt_text_buf *text);

#endif /* KITT_LOGIN_H */
