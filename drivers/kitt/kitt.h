/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt: Kernel iSCSI Target over TCP - the module's private API.
 *
 * Layers, from the wire inwards:
 *   portal.c   listening sockets, shared by every portal group naming them
 *   conn.c     connection lifecycle, receive and transmit threads
 *   pdu.c      BHS/AHS/padding/digest framing and validation        (pure)
 *   text.c     key=value tokenizer and builder                       (pure)
 *   params.c   RFC 7143 key table and negotiation rules              (pure)
 *   chap.c     CHAP authentication                                   (pure)
 *   login.c    login state machine                                   (pure core)
 *   session.c  sessions, command window, task management, logout
 *   task.c     per-command data transfer bookkeeping (R2T, Data-Out, Data-In)
 *   spc.c sbc.c SCSI command set: decode and answer CDBs                (pure)
 *   bdev.c     block backend: open by path, bios
 *   configfs.c the configuration tree, sysfs.c live sessions
 *
 * Sections below are grouped by the file that implements them.
 */
#ifndef KITT_H
#define KITT_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/configfs.h>
#include <linux/socket.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ratelimit.h>
#include <linux/kobject.h>
#include <linux/xarray.h>
#include <linux/completion.h>
#include <linux/refcount.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>
#include <scsi/iscsi_proto.h>

/* ------------------------------------------------------------------ */
/* modparams.c: logging, module parameters                            */
/* ------------------------------------------------------------------ */

/* Debug areas, switchable at run time through the debug_mask parameter. */
#define KITT_DBG_PORTAL		BIT(0)
#define KITT_DBG_CONN		BIT(1)
#define KITT_DBG_PDU		BIT(2)
#define KITT_DBG_LOGIN		BIT(3)
#define KITT_DBG_SESSION	BIT(4)
#define KITT_DBG_SCSI		BIT(5)
#define KITT_DBG_BDEV		BIT(6)
#define KITT_DBG_CONFIG		BIT(7)

extern unsigned int kitt_debug_mask;
extern unsigned int kitt_default_port;
/* Defaults of new portal groups' attrib/ (module parameters) */
extern unsigned int kitt_default_cmdsn_depth;
extern unsigned int kitt_default_nopin_interval;
extern unsigned int kitt_default_nopin_timeout;
extern unsigned int kitt_default_login_timeout;
extern unsigned int kitt_default_send_timeout;
extern unsigned int kitt_max_login_conns;
extern unsigned int kitt_max_login_per_host;
int kitt_modparams_check(void);

#define kitt_dbg(area, fmt, ...)					\
	do {								\
		if (unlikely(kitt_debug_mask & (area)))			\
			pr_info(fmt, ##__VA_ARGS__);			\
	} while (0)

/* ------------------------------------------------------------------ */
/* pdu.c: iSCSI wire format (RFC 7143 section 11)                      */
/* ------------------------------------------------------------------ */

/*
 * The PDU layouts, opcodes, flags and status codes are those of
 * <scsi/iscsi_proto.h> (struct iscsi_hdr, struct iscsi_scsi_req, ...);
 * what follows is what it lacks.
 */

/* RFC 7143 12.12: MaxRecvDataSegmentLength is at most 2^24 - 1. */
#define KITT_MAX_DSL		((1U << 24) - 1)
/* Data segment limit during login and before negotiation (RFC 7143 6.1). */
#define KITT_LOGIN_MAX_DSL	8192
/* Largest AHS area we accept (TotalAHSLength counts 4-byte words). */
#define KITT_MAX_AHS_LEN	(255 * 4)

/* The CSG field of Login flags, as ISCSI_LOGIN_CURRENT_STAGE() reads it */
#define KITT_FLAG_LOGIN_CSG(stage)	((stage) << 2)

/* Padding after a data segment of @len bytes */
static inline u32 kitt_pad4(u32 len)
{
	return (4 - (len & 3)) & 3;
}

/*
 * An Initiator Task Tag as a number, for the task table and log lines.
 * The tag is opaque to a target; reading it in network byte order gives
 * the number the initiator and a packet trace show.
 */
static inline u32 kitt_itt(itt_t itt)
{
	return be32_to_cpu((__force __be32)itt);
}

/* ------------------------------------------------------------------ */
/* Section: pdu.c (header validation, digests) - owned by pdu.c       */
/* ------------------------------------------------------------------ */
/* KITT-SECTION-PDU-BEGIN */
/*
 * Receiving a PDU: read the BHS, the AHS (bhs->hlength * 4 bytes, at most
 * KITT_MAX_AHS_LEN) and the header digest; check the digest (a mismatch
 * closes the connection); then kitt_pdu_check() decides, before a byte
 * of the data segment is read:
 *   KITT_PDU_ACCEPT  dispatch the PDU
 *   KITT_PDU_REJECT  read and discard the data segment (info->data_len
 *                    plus padding and digest), then answer with a Reject
 *                    PDU of reason info->reason carrying the BHS
 *   KITT_PDU_DROP    close the connection without reading further
 * During login every failure is KITT_PDU_DROP (no Reject during login).
 */
enum kitt_pdu_verdict {
	KITT_PDU_ACCEPT = 0,
	KITT_PDU_REJECT,
	KITT_PDU_DROP,
};

/**
 * struct kitt_pdu_limits - what the connection allows right now.
 * @max_data_len: largest DataSegmentLength accepted: KITT_LOGIN_MAX_DSL
 *	during login, the MaxRecvDataSegmentLength the target declared after
 * @login: the connection is in the login phase (only Login Requests)
 * @discovery: full feature phase of a discovery session (only Text,
 *	Logout and NOP-Out)
 * @header_digest: HeaderDigest=CRC32C is in effect
 * @data_digest: DataDigest=CRC32C is in effect
 */
struct kitt_pdu_limits {
	u32 max_data_len;
	bool login;
	bool discovery;
	bool header_digest;
	bool data_digest;
};

/**
 * struct kitt_pdu_info - what kitt_pdu_check() found in a BHS.
 * @opcode: the opcode without the I bit
 * @immediate: the I bit, for opcodes where it has a meaning
 * @reason: Reject reason (RFC 7143 11.17.1) when the verdict is REJECT
 * @why: short static text saying what is wrong, for a rate-limited log
 *	line; NULL when the verdict is ACCEPT
 * @ahs_len: bytes of AHS after the BHS
 * @hdigest_len: 0 or ISCSI_CRC_LEN
 * @data_len: DataSegmentLength
 * @pad_len: padding bytes after the data segment
 * @ddigest_len: 0 or ISCSI_CRC_LEN (only when @data_len is non-zero)
 * @rest_len: bytes of the PDU after the BHS: AHS, header digest, data,
 *	padding and data digest. Filled in for every verdict.
 */
struct kitt_pdu_info {
	u8 opcode;
	bool immediate;
	u8 reason;
	const char *why;
	u32 ahs_len;
	u32 hdigest_len;
	u32 data_len;
	u32 pad_len;
	u32 ddigest_len;
	u32 rest_len;
};

enum kitt_pdu_verdict kitt_pdu_check(const struct iscsi_hdr *bhs,
				     const struct kitt_pdu_limits *lim,
				     struct kitt_pdu_info *info);

/* AHS types (RFC 7143 11.2.1.3) */
#define ISCSI_AHSTYPE_CDB		1
#define ISCSI_AHSTYPE_RLENGTH	2
/* Longest CDB kitt accepts (SPC variable-length CDBs go up to 260). */
#define KITT_MAX_CDB_LEN		260
#define ISCSI_CDB_SIZE		16

/**
 * struct kitt_ahs - the AHS of a SCSI Command, parsed.
 * @ext_cdb: CDB bytes beyond the 16 in the BHS (points into the AHS
 *	buffer), NULL if none
 * @ext_cdb_len: bytes at @ext_cdb
 * @has_bidi: a Bidirectional Read Expected Data Transfer Length AHS
 * @bidi_read_len: its value
 */
struct kitt_ahs {
	const u8 *ext_cdb;
	u32 ext_cdb_len;
	bool has_bidi;
	u32 bidi_read_len;
};

int kitt_pdu_parse_ahs(const u8 *ahs, u32 ahs_len, struct kitt_ahs *out);
int kitt_pdu_get_cdb(const struct iscsi_scsi_req *req, const struct kitt_ahs *ahs,
		     u8 *cdb, u32 size);

/*
 * CRC32C digests (RFC 7143 11.1; the iSCSI CRC is the Castagnoli CRC with
 * an all-ones seed, the result inverted and sent least significant byte
 * first). A running CRC starts at KITT_CRC32C_SEED, is fed with
 * kitt_crc32c*() and ends with kitt_crc32c_final(), which gives the four
 * bytes as they appear on the wire: compare them with the received digest
 * or send them as they are.
 */
#define KITT_CRC32C_SEED	(~0U)

struct page;

u32 kitt_crc32c(u32 crc, const void *buf, size_t len);
u32 kitt_crc32c_page(u32 crc, struct page *page, unsigned int offset, size_t len);
u32 kitt_crc32c_pad(u32 crc, u32 data_len);
__le32 kitt_crc32c_final(u32 crc);
__le32 kitt_pdu_header_digest(const struct iscsi_hdr *bhs, const void *ahs, u32 ahs_len);
__le32 kitt_pdu_data_digest(const void *data, u32 len);

void kitt_pdu_init_rsp(struct iscsi_hdr *bhs, u8 opcode, u8 flags, itt_t itt);
void kitt_pdu_init_reject(struct iscsi_reject *rej, u8 reason);
/* KITT-SECTION-PDU-END */

/* ------------------------------------------------------------------ */
/* Section: text.c (key=value tokenizer and builder)                  */
/* ------------------------------------------------------------------ */
/* KITT-SECTION-TEXT-BEGIN */
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
/*
 * Checks a whole segment: 0 if every pair is well formed and no key
 * appears twice; -EEXIST (and @dup, if non-NULL, holds the second
 * occurrence) for a repeated key; -E2BIG for more than
 * KITT_TEXT_MAX_PAIRS pairs; else kitt_text_next()'s error.
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
/* @item is a member of the list @list. */
bool kitt_text_list_has(const char *list, const char *item);
/* KITT-SECTION-TEXT-END */

/* ------------------------------------------------------------------ */
/* Section: params.c (RFC 7143 keys and negotiation)                  */
/* ------------------------------------------------------------------ */
/* KITT-SECTION-PARAMS-BEGIN */
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
/* A text negotiation sequence in full feature phase; resets nothing. */
void kitt_nego_init_text(struct kitt_nego *n,
			 const struct kitt_param_offer *offer,
			 struct kitt_sess_params *result);
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
/* Every key of kitt_sess_params_has() as "Key=Value\n" lines. */
ssize_t kitt_sess_params_print(const struct kitt_sess_params *p, char *buf,
			       size_t size);
/* KITT-SECTION-PARAMS-END */

/* ------------------------------------------------------------------ */
/* Section: chap.c (CHAP)                                             */
/* ------------------------------------------------------------------ */
/* KITT-SECTION-CHAP-BEGIN */
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

struct crypto_shash;
struct kitt_chap_cred;

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
 * @test_fixed: KUnit only: use @id and @challenge as set instead of
 *	random ones
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
#if IS_ENABLED(CONFIG_KITT_KUNIT_TEST)
	bool test_fixed;
#endif
};

void kitt_chap_init(struct kitt_chap *chap);
int kitt_chap_start(struct kitt_chap *chap, const char *chap_a,
		    struct kitt_text_buf *rsp);
int kitt_chap_verify(struct kitt_chap *chap, const struct kitt_chap_cred *cred,
		     const char *chap_n, const char *chap_r,
		     const char *chap_i, const char *chap_c,
		     struct kitt_text_buf *rsp);
void kitt_chap_free(struct kitt_chap *chap);
const char *kitt_chap_alg_name(u8 alg);
#if IS_ENABLED(CONFIG_KITT_KUNIT_TEST)
void kitt_chap_set_test_challenge(struct kitt_chap *chap, u8 id,
				  const u8 *challenge, u8 len);
#endif
/* KITT-SECTION-CHAP-END */

/* ------------------------------------------------------------------ */
/* Section: spc.c / sbc.c (SCSI command set, sense)                   */
/* ------------------------------------------------------------------ */
/* KITT-SECTION-SCSI-BEGIN */
/*
 * The SCSI command set (SPC-4 / SBC-3 subset) as pure functions over
 * buffers: no sockets, no bios, no locks, no allocation. Opcodes, sense
 * keys and SAM status codes are those of <scsi/scsi_proto.h>.
 *
 * Calling sequence, per SCSI Command PDU:
 *
 *   1. Fill the inputs of a struct kitt_scsi_cmd (memset it to 0 first):
 *      cdb, cdb_len, edtl, pdu_read, pdu_write, buf/buf_size (a buffer of
 *      at least KITT_SCSI_BUF_SIZE bytes for emulated Data-In), and
 *      describe the LU in a struct kitt_lu_info.
 *   2. kitt_scsi_decode(cmd, lu), or kitt_scsi_decode_nolun(cmd) when the
 *      PDU's LUN is not mapped. It always fills cmd->action, cmd->status
 *      and, for CHECK CONDITION, cmd->sense/sense_len.
 *   3. Act on cmd->action:
 *      NONE          send status (cmd->status, sense if any).
 *      EMULATE_IN    send cmd->data_len bytes of cmd->buf, then status.
 *      REPORT_LUNS   call kitt_spc_report_luns() with the portal group's
 *                    mapped LUNs, then as EMULATE_IN.
 *      READ          read cmd->nr_blocks at cmd->lba; send the first
 *                    cmd->data_len bytes (may end inside the last block).
 *      WRITE         receive cmd->data_len bytes; write the first
 *                    cmd->nr_blocks blocks of it at cmd->lba (a partial
 *                    trailing block is received and dropped); FUA if
 *                    cmd->fua.
 *      WRITE_VERIFY  as WRITE, then make it durable (FUA) and, when
 *                    cmd->bytchk == 1, read the blocks back and check them
 *                    with kitt_sbc_compare().
 *      VERIFY        bytchk 0: read cmd->nr_blocks to check the medium,
 *                    no data moves. bytchk 1: receive cmd->data_len bytes,
 *                    read cmd->nr_blocks, kitt_sbc_compare() them. bytchk
 *                    3: receive one block, compare it with each of the
 *                    cmd->nr_blocks blocks (offset = i * block size +
 *                    byte). Miscompare -> MISCOMPARE sense, set for you.
 *      FLUSH         flush the device's volatile cache (whole device).
 *      WRITE_SAME    cmd->unmap false: receive one block, write it to
 *                    cmd->nr_blocks blocks at cmd->lba. cmd->unmap true:
 *                    receive the block and ignore it; deallocate the range
 *                    (discard or write-zeroes); after it the blocks must
 *                    read back as zeroes when lu->lbprz was reported.
 *      COMPARE_AND_WRITE  receive cmd->data_len (= 2 * nr_blocks blocks);
 *                    under a per-LU range lock read nr_blocks at lba,
 *                    kitt_sbc_compare() them with the first half; on a
 *                    match write the second half (FUA if cmd->fua).
 *      DATA_OUT_PARAM  receive cmd->data_len bytes (the parameter list,
 *                    at most KITT_SCSI_MAX_PARAM_LEN) into a buffer and
 *                    call kitt_scsi_data_out(); it sets cmd->action again:
 *                    NONE, SET_WCE or UNMAP.
 *      SET_WCE       (after MODE SELECT) store cmd->wce as the LU's write
 *                    cache setting, send GOOD.
 *      UNMAP         (after UNMAP's parameter list) for i in 0 ..
 *                    cmd->nr_desc - 1: kitt_sbc_unmap_desc(param, i,
 *                    &lba, &nr) and deallocate nr blocks at lba (skip nr
 *                    == 0); all were range-checked.
 *      PR_IN         kitt_pr_in() builds the PERSISTENT RESERVE IN data
 *                    in cmd->buf; then as EMULATE_IN.
 *      PR_OUT        (after PERSISTENT RESERVE OUT's parameter list)
 *                    kitt_pr_out() with the command's I_T nexus.
 *      RESERVE       kitt_pr_reserve_spc2(); RELEASE: kitt_pr_release_spc2().
 *      ORWRITE       receive cmd->data_len bytes; under the per-LU range
 *                    lock of COMPARE AND WRITE read cmd->nr_blocks at
 *                    cmd->lba, OR the data into them, write them back
 *                    (FUA if cmd->fua).
 *   Before any action of a mapped LU: kitt_pr_check(), and on false
 *   status RESERVATION CONFLICT with no data.
 *   4. A failed bio: kitt_scsi_set_io_error(cmd, errno, is_write).
 *   5. Residuals for the SCSI Response: kitt_scsi_cmd_residual().
 *
 * Helpers: kitt_scsi_lun_decode() turns the PDU's LUN field into a LUN
 * number (-EINVAL: answer as an unmapped LUN); kitt_scsi_ua_exempt()
 * says whether a command runs despite a unit attention pending for its
 * I_T nexus (else end it with kitt_sense_set(cmd, UNIT_ATTENTION, asc,
 * ascq) and clear the UA); cmd->pending_sense feeds REQUEST SENSE.
 *
 * Every action with data: cmd->data_len bytes move on the wire (0 means
 * no R2T and no Data-In); unsolicited data beyond it, and all data of a
 * command that ended in CHECK CONDITION at decode, is read and dropped.
 * A CHECK CONDITION from decode has data_len 0 and action NONE.
 * cmd->status holds SAM_STAT_* values of <scsi/scsi_proto.h>, which
 * this header does not include (its macro names are short and generic).
 */

#define KITT_SENSE_LEN			18	/* fixed format sense data */
#define KITT_SCSI_BUF_SIZE		4096	/* emulated Data-In buffer */
#define KITT_SCSI_MAX_PARAM_LEN		8192	/* largest parameter list */
#define KITT_SBC_MAX_UNMAP_DESC		256	/* descriptors per UNMAP */
#define KITT_SBC_MAX_CAW_BLOCKS		255	/* COMPARE AND WRITE limit */
/*
 * WRITE SAME limit: the largest length WRITE SAME(10) can carry, so that
 * both forms have one limit (and a 65536-block unmap is refused, not
 * turned into a 32 MiB WRITE that MAXIMUM TRANSFER LENGTH forbids).
 */
#define KITT_SBC_DEFAULT_WS_BLOCKS	65535
#define KITT_SCSI_VENDOR		"KITT"
#define KITT_SCSI_PRODUCT		"Block device"
#define KITT_SCSI_REVISION		"0001"

/* Additional sense codes (ASC, ASCQ) kitt sends */
#define KITT_ASC_NO_ADDITIONAL_SENSE	0x00
#define KITT_ASC_WRITE_ERROR		0x0c
#define KITT_ASC_INVALID_FIELD_IN_IU	0x0e	/* ASCQ 0x03 */
#define KITT_ASC_UNRECOVERED_READ_ERROR	0x11
#define KITT_ASC_PARAM_LIST_LEN_ERROR	0x1a
#define KITT_ASC_MISCOMPARE_VERIFY	0x1d
#define KITT_ASC_INVALID_OPCODE		0x20
#define KITT_ASC_LBA_OUT_OF_RANGE	0x21
#define KITT_ASC_INVALID_FIELD_IN_CDB	0x24
#define KITT_ASC_LUN_NOT_SUPPORTED	0x25
#define KITT_ASC_INVALID_FIELD_IN_PARAM	0x26
#define KITT_ASC_WRITE_PROTECTED	0x27	/* ASCQ 0x07: space alloc */
#define KITT_ASC_SAVING_PARAMS_UNSUP	0x39
#define KITT_ASC_INTERNAL_TARGET_FAILURE 0x44
/* Unit attention conditions the task layer may queue per I_T nexus */
#define KITT_ASC_POWER_ON_RESET		0x29	/* ASCQ 0x00 */
#define KITT_ASC_PARAMETERS_CHANGED	0x2a	/* ASCQ 0x01 mode, 0x09 capacity */
#define KITT_ASC_REPORTED_LUNS_CHANGED	0x3f	/* ASCQ 0x0e */

/* Direction of the data phase as the CDB defines it */
enum kitt_scsi_dir {
	KITT_SCSI_DIR_NONE = 0,
	KITT_SCSI_DIR_IN,		/* target to initiator (Data-In) */
	KITT_SCSI_DIR_OUT,		/* initiator to target (Data-Out) */
};

/* What the task layer does next; see the calling sequence above. */
enum kitt_scsi_action {
	KITT_SCSI_ACT_NONE = 0,
	KITT_SCSI_ACT_EMULATE_IN,
	KITT_SCSI_ACT_REPORT_LUNS,
	KITT_SCSI_ACT_READ,
	KITT_SCSI_ACT_WRITE,
	KITT_SCSI_ACT_WRITE_VERIFY,
	KITT_SCSI_ACT_VERIFY,
	KITT_SCSI_ACT_FLUSH,
	KITT_SCSI_ACT_WRITE_SAME,
	KITT_SCSI_ACT_COMPARE_AND_WRITE,
	KITT_SCSI_ACT_DATA_OUT_PARAM,
	KITT_SCSI_ACT_SET_WCE,
	KITT_SCSI_ACT_UNMAP,
	KITT_SCSI_ACT_PR_IN,
	KITT_SCSI_ACT_PR_OUT,
	KITT_SCSI_ACT_RESERVE,
	KITT_SCSI_ACT_RELEASE,
	KITT_SCSI_ACT_ORWRITE,
};

/**
 * struct kitt_lu_info - what the command set needs to know about a LU,
 *	filled by the task layer from the device, the LUN and the session.
 * @nr_blocks: capacity in logical blocks
 * @block_shift: log2 of the logical block size (9..16)
 * @phys_exp: log2 of logical blocks per physical block (0 for 1:1)
 * @read_only: medium writes answer DATA PROTECT / WRITE PROTECTED
 * @wce: the volatile write cache is enabled (caching mode page)
 * @discard: UNMAP and WRITE SAME with UNMAP are supported (LBPME, LBPU)
 * @lbprz: deallocated blocks read back as zeroes (LBPRZ)
 * @max_xfer_blocks: largest READ/WRITE in blocks, 0 = no limit
 * @opt_xfer_blocks: optimal transfer length in blocks, 0 = not reported
 * @max_unmap_blocks: largest UNMAP range total, 0 = no limit
 * @unmap_granularity: optimal unmap granularity in blocks, 0 = 1
 * @max_ws_blocks: largest WRITE SAME, 0 = KITT_SBC_DEFAULT_WS_BLOCKS
 * @product: INQUIRY product identification (<= 16 chars), NULL = default
 * @serial: unit serial number (VPD 80, ASCII), NULL/"" = from @naa_id
 * @naa_id: 64-bit NAA designator (VPD 83); emitted as is when its top
 *	nibble is 2, 3 or 5, else as NAA 3 (locally assigned) of the low
 *	60 bits
 * @target_name: iSCSI name of the target (VPD 83 SCSI name strings)
 * @tpgt: portal group tag of the session (target port name)
 * @rel_port_id: relative target port identifier (VPD 83), non-zero
 * @tpg_id: target port group (VPD 83)
 */
struct kitt_lu_info {
	u64 nr_blocks;
	unsigned int block_shift;
	unsigned int phys_exp;
	bool read_only;
	bool wce;
	bool discard;
	bool lbprz;
	u32 max_xfer_blocks;
	u32 opt_xfer_blocks;
	u32 max_unmap_blocks;
	u32 unmap_granularity;
	u32 max_ws_blocks;
	const char *product;
	const char *serial;
	u64 naa_id;
	const char *target_name;
	u16 tpgt;
	u16 rel_port_id;
	u16 tpg_id;
};

/**
 * struct kitt_scsi_cmd - one SCSI command as the command set sees it.
 * @cdb: the CDB (input)
 * @cdb_len: bytes available at @cdb, 16 for a plain SCSI Command PDU
 * @edtl: Expected Data Transfer Length of the PDU (input)
 * @pdu_read: the PDU's R bit (input)
 * @pdu_write: the PDU's W bit (input)
 * @buf: emulated Data-In is built here (input, KITT_SCSI_BUF_SIZE bytes
 *	or more; may be NULL for the data path only)
 * @buf_size: size of @buf (input)
 * @pending_sense: KITT_SENSE_LEN bytes of sense data that REQUEST SENSE
 *	returns, or NULL for NO SENSE (input)
 * @action: what to do next (output)
 * @dir: data direction the CDB implies (output)
 * @status: SAM status (output)
 * @sense_len: 0 or KITT_SENSE_LEN (output)
 * @sense: fixed format sense data (output)
 * @lba: first logical block (output, block commands)
 * @cdb_blocks: the number of blocks the CDB names (output)
 * @nr_blocks: blocks to submit, after clamping to what EDTL carries
 *	(output)
 * @xfer_len: bytes the device server transfers as the CDB says: the
 *	residual computation compares it with EDTL (output)
 * @data_len: bytes that really move on the wire, min(@xfer_len, EDTL
 *	of the PDU's direction) (output)
 * @fua: force unit access: the CDB's FUA bit, or any medium write
 *	while the LU's write cache is disabled (output)
 * @unmap: WRITE SAME deallocates (output)
 * @bytchk: VERIFY / WRITE AND VERIFY byte check mode (output)
 * @wce: new write cache setting (output of MODE SELECT)
 * @nr_desc: UNMAP descriptors in the parameter list (output of UNMAP)
 */
struct kitt_scsi_cmd {
	const u8 *cdb;
	unsigned int cdb_len;
	u32 edtl;
	bool pdu_read;
	bool pdu_write;
	u8 *buf;
	u32 buf_size;
	const u8 *pending_sense;

	enum kitt_scsi_action action;
	enum kitt_scsi_dir dir;
	u8 status;
	u8 sense_len;
	u8 sense[KITT_SENSE_LEN];
	u64 lba;
	u32 cdb_blocks;
	u32 nr_blocks;
	u32 xfer_len;
	u32 data_len;
	bool fua;
	bool unmap;
	u8 bytchk;
	bool wce;
	u32 nr_desc;
};

/* Per-opcode table entry flags */
#define KITT_OP_SA		BIT(0)	/* @sa selects the entry */
#define KITT_OP_WRITES		BIT(1)	/* modifies the medium */
#define KITT_OP_DISCARD		BIT(2)	/* exists only when lu->discard */
#define KITT_OP_BUF		BIT(3)	/* builds its data in cmd->buf */

/**
 * struct kitt_scsi_op - one supported command (opcode or opcode + service
 *	action), with its handler and its CDB usage data for REPORT
 *	SUPPORTED OPERATION CODES.
 * @opcode: operation code
 * @sa: service action (with KITT_OP_SA)
 * @flags: KITT_OP_*
 * @cdb_len: CDB length in bytes
 * @handler: decodes the CDB into @cmd; the table walker has already
 *	checked the CDB length, NACA and write protection
 * @usage: CDB usage data (bits the device server honours)
 */
struct kitt_scsi_op {
	u8 opcode;
	u8 sa;
	u8 flags;
	u8 cdb_len;
	void (*handler)(struct kitt_scsi_cmd *cmd,
			const struct kitt_lu_info *lu);
	u8 usage[16];
};

extern const struct kitt_scsi_op kitt_spc_ops[];
extern const unsigned int kitt_spc_nr_ops;
extern const struct kitt_scsi_op kitt_sbc_ops[];
extern const unsigned int kitt_sbc_nr_ops;

/* EDTL as it applies to the data direction the CDB implies. */
static inline u32 kitt_scsi_dir_edtl(const struct kitt_scsi_cmd *cmd)
{
	switch (cmd->dir) {
	case KITT_SCSI_DIR_IN:
		return cmd->pdu_read ? cmd->edtl : 0;
	case KITT_SCSI_DIR_OUT:
		return cmd->pdu_write ? cmd->edtl : 0;
	default:
		return 0;
	}
}

/* spc.c: decode, sense, emulated SPC commands */
int kitt_scsi_decode(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu);
int kitt_scsi_decode_nolun(struct kitt_scsi_cmd *cmd);
int kitt_scsi_data_out(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu,
		       const u8 *param, u32 len);
const struct kitt_scsi_op *kitt_scsi_find_op(u8 opcode, u8 sa,
					     const struct kitt_lu_info *lu,
					     bool *sa_unknown);
void kitt_sense_set(struct kitt_scsi_cmd *cmd, u8 key, u8 asc, u8 ascq);
void kitt_sense_set_info(struct kitt_scsi_cmd *cmd, u8 key, u8 asc, u8 ascq,
			 u32 info);
void kitt_sense_set_field(struct kitt_scsi_cmd *cmd, u8 key, u8 asc, u8 ascq,
			  bool in_cdb, u16 byte, int bit);
void kitt_scsi_invalid_cdb(struct kitt_scsi_cmd *cmd, u16 byte, int bit);
void kitt_scsi_invalid_param(struct kitt_scsi_cmd *cmd, u16 byte, int bit);
void kitt_scsi_set_io_error(struct kitt_scsi_cmd *cmd, int err, bool write);
bool kitt_scsi_ua_exempt(const u8 *cdb);
void kitt_scsi_residual(u32 edtl, u32 xfer_len, u8 *flags, u32 *count);
void kitt_scsi_cmd_residual(const struct kitt_scsi_cmd *cmd, u8 *flags,
			    u32 *count);
u32 kitt_spc_report_luns(struct kitt_scsi_cmd *cmd, const u64 *luns,
			 unsigned int nr_luns);
int kitt_scsi_lun_encode(u64 lun, u8 *out);
int kitt_scsi_lun_decode(const u8 *in, u64 *lun);
void kitt_scsi_set_data_in(struct kitt_scsi_cmd *cmd, u32 full_len,
			   u32 alloc_len);

/* spc.c: mode pages, shared with sbc.c */
int kitt_spc_mode_select(struct kitt_scsi_cmd *cmd,
			 const struct kitt_lu_info *lu, const u8 *param,
			 u32 len, bool ten);

/* sbc.c: block commands */
int kitt_sbc_compare(struct kitt_scsi_cmd *cmd, const u8 *medium,
		     const u8 *data, u32 len, u32 offset);
int kitt_sbc_unmap_check(struct kitt_scsi_cmd *cmd,
			 const struct kitt_lu_info *lu, const u8 *param,
			 u32 len);
void kitt_sbc_unmap_desc(const u8 *param, u32 idx, u64 *lba, u32 *nr);
bool kitt_sbc_lba_ok(struct kitt_scsi_cmd *cmd,
		     const struct kitt_lu_info *lu, u64 lba, u64 nr);
u32 kitt_sbc_caw_max_blocks(const struct kitt_lu_info *lu);
u32 kitt_sbc_ws_max_blocks(const struct kitt_lu_info *lu);

/**
 * struct kitt_pr_nexus - an I_T nexus as reservations see it.
 * @initiator: InitiatorName
 * @isid: the session's ISID (6 bytes)
 * @target: TargetName
 * @tpgt: portal group tag (the target port)
 */
struct kitt_pr_nexus {
	const char *initiator;
	const u8 *isid;
	const char *target;
	u16 tpgt;
};

struct kitt_device;

/* pr.c: persistent reservations and RESERVE/RELEASE, per device */
bool kitt_pr_check(struct kitt_device *dev, const struct kitt_pr_nexus *n,
		   const u8 *cdb);
void kitt_pr_in(struct kitt_device *dev, struct kitt_scsi_cmd *cmd);
void kitt_pr_out(struct kitt_device *dev, const struct kitt_pr_nexus *n,
		 struct kitt_scsi_cmd *cmd, const u8 *param, u32 len);
void kitt_pr_reserve_spc2(struct kitt_device *dev,
			  const struct kitt_pr_nexus *n,
			  struct kitt_scsi_cmd *cmd);
void kitt_pr_release_spc2(struct kitt_device *dev,
			  const struct kitt_pr_nexus *n,
			  struct kitt_scsi_cmd *cmd);
void kitt_pr_nexus_gone(const struct kitt_pr_nexus *n);
void kitt_pr_reset(struct kitt_device *dev);
/* Frees dev->pr; called when a device is freed (tpg.c). */
void kitt_pr_device_gone(struct kitt_device *dev);
/* KITT-SECTION-SCSI-END */

/* ------------------------------------------------------------------ */
/* Configuration objects (configfs.c), backend (bdev.c), portals       */
/* ------------------------------------------------------------------ */
/* KITT-SECTION-CONFIG-BEGIN */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>

/*
 * Configuration objects: the configfs tree (configfs.c), the backstores
 * (bdev.c) and the shared listening sockets (portal.c).
 *
 * Locking, outermost first:
 *   kitt_config_lock   the target list, each target's portal group list,
 *                      tpg->gone, the discovery credentials; held by login
 *                      while it looks up a target, portal group and ACL
 *                      and attaches its connection to the portal group
 *   tpg->lock          everything inside one portal group (see below)
 *   dev->lock          a device's settings and open state
 * kitt_listeners_lock (portal.c) is taken with none of these held. It is
 * held while a listener stops, which waits for the listener's connections
 * to end: the runtime never takes it. Nothing that waits for connections
 * or sessions to end (kitt_tpg_remove(), kitt_portal_remove(), ...) is
 * called with any of the locks above held, so the runtime may take
 * kitt_config_lock and tpg->lock from its threads.
 */
#define KITT_NAME_MAX		224	/* iSCSI names are at most 223 bytes */
#define KITT_MAX_LUNS		256
#define KITT_SERIAL_MAX		64
#define KITT_PATH_MAX		256
#define KITT_SECRET_MAX		256

/* attrib/ defaults and ranges (seconds for the timers) */
#define KITT_CMDSN_DEPTH_DEF	128
#define KITT_CMDSN_DEPTH_MAX	1024
#define KITT_NOPIN_INTERVAL_DEF	15
#define KITT_NOPIN_TIMEOUT_DEF	30
#define KITT_LOGIN_TIMEOUT_DEF	15
#define KITT_SEND_TIMEOUT_DEF	30
#define KITT_TIMER_MAX		3600

struct kitt_tpg;
struct kitt_backend_ops;
struct kitt_pr;

/**
 * struct kitt_device - a backstore: a block device or a regular file,
 *	opened by path.
 * @group: configfs group devices/<name>
 * @lock: protects @path, @enabled, @read_only, @serial, @naa_id, the
 *	open handle and the geometry against configfs writes
 * @name: the directory name
 * @path: block device or file path, set before enable
 * @enabled: the device is open
 * @read_only: open read-only; writes answer DATA PROTECT
 * @wce: write cache enabled (MODE SENSE caching page); READ_ONCE, may
 *	change at any time
 * @serial: unit serial number (VPD 80)
 * @naa_id: 64-bit NAA identifier (VPD 83): NAA 3 (locally assigned)
 *	derived from the host and device names unless set through wwn
 * @direct: a file is read and written with O_DIRECT (else through the
 *	page cache); block devices ignore it
 * @ops: the backend that opened it (bdev.c, file.c), NULL if disabled
 * @priv: the backend's open handle
 * @discard: the backend can discard (UNMAP, WRITE SAME with UNMAP)
 * @range_lock: protects @ranges and @rmw_ranges
 * @ranges: writes in flight (struct kitt_range), and the read-modify-
 *	writes of COMPARE AND WRITE and ORWRITE, which exclude every write
 *	that overlaps them
 * @rmw_ranges: read-modify-writes in @ranges
 * @pr: reservation state (pr.c), made by the first command that needs
 *	it, freed with the device
 * @range_wait: woken when a range leaves @ranges
 * @block_shift: log2 of the logical block size
 * @phys_block_shift: log2 of the physical block size
 * @nr_blocks: capacity in logical blocks
 * @export_count: LUN links pointing here; enable refuses 0, and path,
 *	read_only, serial and wwn refuse changes, while it is non-zero
 * @stat_read_cmds: READ commands completed, and so on
 *
 * The data path reads @bdev, @block_shift, @nr_blocks, @read_only,
 * @serial and @naa_id without @lock through a LUN: they cannot change
 * while the device is exported.
 */
struct kitt_device {
	struct config_group group;
	struct mutex lock;		/* see @lock above */
	char name[KITT_NAME_MAX];
	char path[KITT_PATH_MAX];
	bool enabled;
	bool read_only;
	bool wce;
	char serial[KITT_SERIAL_MAX];
	u64 naa_id;
	bool direct;
	const struct kitt_backend_ops *ops;
	void *priv;
	bool discard;
	spinlock_t range_lock;		/* see @range_lock above */
	struct list_head ranges;
	unsigned int rmw_ranges;
	wait_queue_head_t range_wait;
	struct kitt_pr *pr;
	unsigned int block_shift;
	unsigned int phys_block_shift;
	u64 nr_blocks;
	atomic_t export_count;
	atomic64_t stat_read_cmds;
	atomic64_t stat_write_cmds;
	atomic64_t stat_read_bytes;
	atomic64_t stat_write_bytes;
};

/**
 * struct kitt_lun - a LUN of a portal group, pointing at a device.
 * @lun: the LUN number
 * @dev: the device (pinned by the configfs link while this exists)
 * @tpg: owning portal group
 * @refs: in-flight users plus one for the mapping; the last put
 *	completes @released
 * @released: drop_link waits on this before the device is unexported
 * @rcu: freed after a grace period
 */
struct kitt_lun {
	u64 lun;
	struct kitt_device *dev;
	struct kitt_tpg *tpg;
	refcount_t refs;
	struct completion released;
	struct rcu_head rcu;
};

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

/**
 * struct kitt_acl - an initiator allowed into a portal group.
 * @group: configfs group acls/<initiator-iqn>
 * @auth_group: configfs group acls/<iqn>/auth
 * @tpg: owning portal group
 * @node: entry in @tpg->acls; added under @tpg->lock, removed under
 *	kitt_config_lock and @tpg->lock (so kitt_acl_find() results stay
 *	valid while kitt_config_lock is held)
 * @initiator: the initiator name
 * @cred: CHAP credentials, under @tpg->lock
 */
struct kitt_acl {
	struct config_group group;
	struct config_group auth_group;
	struct kitt_tpg *tpg;
	struct list_head node;
	char initiator[KITT_NAME_MAX];
	struct kitt_chap_cred cred;
};

/**
 * struct kitt_tpg_attrib - attrib/ of a portal group. Written under
 * tpg->lock; each field may be read with READ_ONCE(). Changes apply to
 * logins that start afterwards (and to the NOP-In timers at once).
 * @generate_node_acls: any initiator may log in (no ACL needed)
 * @authentication: CHAP is required
 * @cmdsn_depth: command window per session, 1..KITT_CMDSN_DEPTH_MAX
 * @nopin_interval: seconds of silence before a NOP-In ping, 0 = off
 * @nopin_timeout: seconds to wait for the answer to a ping
 * @login_timeout: seconds a login may take
 */
struct kitt_tpg_attrib {
	bool generate_node_acls;
	bool authentication;
	u32 cmdsn_depth;
	u32 nopin_interval;
	u32 nopin_timeout;
	u32 login_timeout;
	u32 send_timeout;
};

/**
 * struct kitt_tpg - a target portal group.
 * @group: configfs group targets/<iqn>/tpgt_<n>
 * @portals_group: portals/
 * @luns_group: luns/
 * @acls_group: acls/
 * @attrib_group: attrib/
 * @params_group: params/
 * @target: owning target
 * @tpgt: the portal group tag, 1..65535
 * @gone: being removed; set under kitt_config_lock, after which login
 *	must not attach anything to it
 * @lock: protects @enabled, @acls, @portals, @attrib, @params, ACL
 *	credentials and changes to @luns (readers of @luns use RCU)
 * @enabled: logins accepted (existing sessions survive disabling)
 * @luns: mapped LUNs, RCU-protected; see kitt_lun_get()
 * @lun_gen: bumped on every LUN map and unmap (REPORTED LUNS DATA HAS
 *	CHANGED)
 * @portals: struct kitt_portal list
 * @acls: struct kitt_acl list
 * @attrib: attrib/
 * @params: params/, the target's offer
 * @sessions: live sessions, owned by the runtime (kitt_sessions_lock)
 * @node: entry in @target->tpgs, under kitt_config_lock
 */
struct kitt_tpg {
	struct config_group group;
	struct config_group portals_group;
	struct config_group luns_group;
	struct config_group acls_group;
	struct config_group attrib_group;
	struct config_group params_group;
	struct kitt_target *target;
	u16 tpgt;
	bool gone;
	struct mutex lock;		/* see @lock above */
	bool enabled;
	struct kitt_lun __rcu *luns[KITT_MAX_LUNS];
	atomic_t lun_gen;
	struct list_head portals;
	struct list_head acls;
	struct kitt_tpg_attrib attrib;
	struct kitt_param_offer params;
	struct list_head sessions;
	struct list_head node;
};

/**
 * struct kitt_target - a target, named by its IQN (or EUI/NAA name).
 * @group: configfs group targets/<name>
 * @name: the target name
 * @tpgs: portal groups, under kitt_config_lock
 * @node: entry in kitt_targets, under kitt_config_lock
 */
struct kitt_target {
	struct config_group group;
	char name[KITT_NAME_MAX];
	struct list_head tpgs;
	struct list_head node;
};

struct kitt_listener;

/**
 * struct kitt_portal - a portal of a portal group: tpgt_<n>/portals/<addr>.
 * @group: configfs group
 * @tpg: owning portal group
 * @addr: the address and port
 * @listener: the shared listening socket serving this address
 * @node: entry in @tpg->portals; added under @tpg->lock, removed under
 *	kitt_config_lock and @tpg->lock
 */
struct kitt_portal {
	struct config_group group;
	struct kitt_tpg *tpg;
	struct sockaddr_storage addr;
	struct kitt_listener *listener;
	struct list_head node;
};

extern struct mutex kitt_config_lock;
extern struct list_head kitt_targets;
/* discovery/auth/, under kitt_config_lock */
extern struct kitt_chap_cred kitt_discovery_cred;
extern bool kitt_discovery_enforce;

int kitt_configfs_init(void);
void kitt_configfs_exit(void);
/* RFC 7143 4.2.7 name forms: iqn., eui. (16 hex), naa. (16 or 32 hex). */
bool kitt_valid_iscsi_name(const char *name);

/**
 * struct kitt_fabric_ops - what the object model (tpg.c) asks of the
 *	transport (portal.c) when objects go; registered at module load
 * @listener_get: find or start the listener for a portal's address;
 *	ERR_PTR (the bind error) on failure
 * @listener_put: a portal lets go of its listener; the last put stops it
 *	and closes its connections
 * @close_portal: close the connections of a portal group that came in
 *	through a portal being removed
 * @close_sessions: close the sessions of a portal group (of one initiator
 *	only, when @initiator is not NULL) and wait until they are freed
 *
 * All are called with no config lock held and may sleep.
 */
struct kitt_fabric_ops {
	struct kitt_listener *(*listener_get)(const struct sockaddr_storage *addr);
	void (*listener_put)(struct kitt_listener *l);
	void (*close_portal)(struct kitt_tpg *tpg, struct kitt_portal *portal);
	void (*close_sessions)(struct kitt_tpg *tpg, const char *initiator);
};

/*
 * tpg.c: the object model. Each object is made in two steps, alloc (no
 * side effect, name already checked) then add (visible to logins; may
 * fail with -EEXIST and the like, and the caller frees), and taken apart
 * in two: remove (hidden, its connections closed; sleeps) then free.
 */
void kitt_tpg_set_fabric(const struct kitt_fabric_ops *ops);
struct kitt_device *kitt_device_alloc(const char *name);
void kitt_device_free(struct kitt_device *dev);
int kitt_device_set_path(struct kitt_device *dev, const char *path);
int kitt_device_set_flag(struct kitt_device *dev, bool *flag, bool val);
int kitt_device_enable(struct kitt_device *dev, bool enable);
struct kitt_target *kitt_target_alloc(const char *name);
int kitt_target_add(struct kitt_target *target);
void kitt_target_remove(struct kitt_target *target);
struct kitt_tpg *kitt_tpg_alloc(struct kitt_target *target, u16 tpgt);
int kitt_tpg_add(struct kitt_tpg *tpg);
void kitt_tpg_remove(struct kitt_tpg *tpg);
void kitt_tpg_free(struct kitt_tpg *tpg);
void kitt_tpg_enable(struct kitt_tpg *tpg, bool enable);
struct kitt_acl *kitt_acl_alloc(struct kitt_tpg *tpg, const char *initiator);
int kitt_acl_add(struct kitt_acl *acl);
void kitt_acl_remove(struct kitt_acl *acl);
void kitt_acl_free(struct kitt_acl *acl);
struct kitt_portal *kitt_portal_alloc(struct kitt_tpg *tpg, const char *name);
int kitt_portal_add(struct kitt_portal *portal);
void kitt_portal_remove(struct kitt_portal *portal);
void kitt_portal_free(struct kitt_portal *portal);
int kitt_lun_map(struct kitt_tpg *tpg, u32 nr, struct kitt_device *dev);
void kitt_lun_unmap(struct kitt_tpg *tpg, struct kitt_device *dev);

/*
 * Lookups used by login; callers hold kitt_config_lock, and the results
 * stay valid until they drop it; kitt_acl_find() also needs tpg->lock
 * (the ACL list and credentials). Names compare without regard to case.
 * kitt_tpg_find() picks the portal group of @t that has a portal on
 * exactly listener @l's address @addr, else one with a wildcard portal
 * (0.0.0.0 or [::]) on the same port and family; gone groups are skipped
 * but disabled ones are returned (login checks tpg->enabled under
 * tpg->lock to say why it refuses).
 */
struct kitt_target *kitt_target_find(const char *name);
struct kitt_tpg *kitt_tpg_find(struct kitt_target *t, const struct kitt_listener *l,
			       const struct sockaddr_storage *addr);
struct kitt_acl *kitt_acl_find(struct kitt_tpg *tpg, const char *initiator);

/*
 * Data path LUN lookup; takes a reference on success, which keeps the
 * LUN and its device usable until kitt_lun_put(). Callable in any
 * context (RCU inside).
 */
struct kitt_lun *kitt_lun_get(struct kitt_tpg *tpg, u64 lun);
void kitt_lun_put(struct kitt_lun *lun);

/* ------------------------------------------------------------------ */
/* backend.c, bdev.c, file.c: the backing store                       */
/* ------------------------------------------------------------------ */

enum kitt_io_op {
	KITT_IO_READ,
	KITT_IO_WRITE,
	KITT_IO_FLUSH,
};

/**
 * struct kitt_range - blocks a write or read-modify-write has in flight
 * @lba: first block
 * @nr: blocks
 * @rmw: a read-modify-write: overlapping writes wait for it, and it for them
 * @node: entry in dev->ranges
 */
struct kitt_range {
	u64 lba;
	u64 nr;
	bool rmw;
	struct list_head node;
};

/**
 * struct kitt_dev_io - one asynchronous read, write or cache flush
 * @dev: the device
 * @op: what to do
 * @fua: a write reaches stable storage before it completes
 * @lba: first block
 * @pages: the buffer, page aligned, @len bytes
 * @len: bytes, whole blocks (0 for a flush)
 * @end_io: called once when all is done, in any context (bio completion,
 *	a work item); @error is 0 or a negative errno
 * @range: registers a write in dev->ranges (backend.c)
 * @done: the submitter's @end_io while backend.c holds @range
 * @pending: the backend's count of parts in flight
 * @error: the first error of a part
 * @work: the file backend's work item
 */
struct kitt_dev_io {
	struct kitt_device *dev;
	enum kitt_io_op op;
	bool fua;
	u64 lba;
	struct page **pages;
	u32 len;
	void (*end_io)(struct kitt_dev_io *io, int error);
	struct kitt_range range;
	void (*done)(struct kitt_dev_io *io, int error);
	atomic_t pending;
	int error;
	struct work_struct work;
};

/**
 * struct kitt_backend_ops - a kind of backing store
 * @name: for log lines
 * @open: open dev->path and fill dev->priv, the geometry and dev->discard
 *	(dev->lock held)
 * @close: undo @open (dev->lock held; nothing in flight)
 * @submit: start @io; its end_io is called when it is done, possibly
 *	before @submit returns
 * @rw_sync: read or write @len bytes at @lba from or to @pages, and wait
 * @discard: unmap @nr blocks at @lba (best effort: thin provisioning)
 * @zeroout: make @nr blocks at @lba read as zeroes
 */
struct kitt_backend_ops {
	const char *name;
	int (*open)(struct kitt_device *dev);
	void (*close)(struct kitt_device *dev);
	void (*submit)(struct kitt_dev_io *io);
	int (*rw_sync)(struct kitt_device *dev, enum kitt_io_op op, bool fua, u64 lba,
		       struct page **pages, u32 len);
	int (*discard)(struct kitt_device *dev, u64 lba, u64 nr);
	int (*zeroout)(struct kitt_device *dev, u64 lba, u64 nr);
};

extern const struct kitt_backend_ops kitt_bdev_ops;
extern const struct kitt_backend_ops kitt_file_ops;

/* Logical block sizes kitt serves: one block never spans pages. */
#define KITT_MIN_BLOCK_SIZE	512
#define KITT_MAX_BLOCK_SIZE	PAGE_SIZE

int kitt_backend_init(void);
void kitt_backend_exit(void);
void kitt_backend_dev_init(struct kitt_device *dev);
int kitt_backend_open(struct kitt_device *dev);
void kitt_backend_close(struct kitt_device *dev);
void kitt_backend_submit(struct kitt_dev_io *io);
int kitt_backend_rw_sync(struct kitt_device *dev, enum kitt_io_op op, bool fua, u64 lba,
			 struct page **pages, u32 len);
int kitt_backend_discard(struct kitt_device *dev, u64 lba, u64 nr);
int kitt_backend_zeroout(struct kitt_device *dev, u64 lba, u64 nr);
void kitt_range_lock(struct kitt_device *dev, struct kitt_range *r, u64 lba, u64 nr, bool rmw);
void kitt_range_unlock(struct kitt_device *dev, struct kitt_range *r);
extern struct workqueue_struct *kitt_file_wq;

/* Largest READ/WRITE kitt takes in one command (VPD B0 reports it). */
#define KITT_MAX_XFER_BYTES	SZ_1M

/* sbc_io.c: SBC commands carried out on the backend; page buffers */
struct kitt_scsi_cmd;
void kitt_sbc_io_verify(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
			struct page **data);
void kitt_sbc_io_write_verify(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
			      struct page **data);
void kitt_sbc_io_compare_and_write(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
				   struct page **data);
void kitt_sbc_io_orwrite(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
			 struct page **data);
void kitt_sbc_io_write_same(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
			    struct page **data);
void kitt_sbc_io_unmap(struct kitt_device *dev, struct kitt_scsi_cmd *cmd, const u8 *param);
struct page **kitt_pages_alloc(u32 len, unsigned int *nr);
void kitt_pages_free(struct page **pages, unsigned int nr);
void kitt_pages_copy_from(struct page **pages, u32 offset, void *dst, u32 len);

/*
 * addr.c: portal addresses. Parse "<ipv4>[:<port>]" or "[<ipv6>[%<scope>]][:<port>]" (port
 * kitt_default_port when absent); 0 or -EINVAL.
 */
int kitt_parse_portal_addr(const char *name, struct sockaddr_storage *ss);
bool kitt_addr_equal(const struct sockaddr_storage *a,
		     const struct sockaddr_storage *b);
bool kitt_addr_is_wildcard(const struct sockaddr_storage *a);
__be16 kitt_addr_port(const struct sockaddr_storage *a);
/* @wild is a wildcard on the same family and port as @a (a specific address). */
bool kitt_addr_covers(const struct sockaddr_storage *wild,
		      const struct sockaddr_storage *a);
/*
 * portal.c: shared listeners, one per address, refcounted by portals;
 * reached from tpg.c through kitt_iscsi_fabric (listener_get/put, and
 * close_portal for the connections that came through a removed portal).
 */
extern const struct kitt_fabric_ops kitt_iscsi_fabric;
/* KITT-SECTION-CONFIG-END */

/* ------------------------------------------------------------------ */
/* Runtime: connections, sessions, tasks (conn.c session.c task.c)    */
/* ------------------------------------------------------------------ */
/* KITT-SECTION-RUNTIME-BEGIN */
/*
 * Runtime state: connections, sessions and tasks. Nothing here is
 * configuration; it is shown under /sys/kernel/kitt/ (sysfs.c).
 *
 * Threads: each connection has a receive thread (login, then PDU
 * dispatch and command execution) and, once in full feature phase, a
 * transmit thread that sends everything the target says. Bio completions
 * and the receive thread hand work to the transmit thread through
 * conn->tx_queue; the receive thread also sends, between PDUs, when the
 * transmit thread is idle (kitt_conn_flush()).
 *
 * Locking, outermost first (none of the configuration locks above is
 * held with any of these, except that login takes kitt_config_lock and
 * tpg->lock from a receive thread that holds nothing):
 *   kitt_conns_lock      (conn.c, mutex) the list of connections; held
 *                        while kitt_conn_close_matching() shuts sockets
 *                        down, never while waiting for them
 *   kitt_sessions_lock   (mutex) session creation, lookup and removal
 *   conn->send_lock      (mutex) one sender at a time, in queue order
 *   sess->lock           (spinlock, irq) the command window, the
 *                        session's connections and parked commands
 *   sess->tasks          (xarray lock, irq) the ITT table
 *   task->lock           (spinlock, irq) a task's state and write data
 *                        bookkeeping; never held with the xarray lock
 *   conn->tx_lock, conn->pool_lock, conn->inflight_wait.lock,
 *   dev->range_lock      (spinlocks, irq) innermost; nothing is taken
 *                        inside them
 * Bio completions take only spinlocks. A sender (under send_lock) takes
 * sess->lock to fill in the window, task->lock and the ITT table's lock
 * one at a time, and conn->tx_lock to dequeue.
 */
struct kitt_conn;
struct kitt_session;
struct kitt_task;

/**
 * struct kitt_login_gate - the connections in login through one listener
 * @count: accepted and not yet past their login (or gone)
 * @wait: woken when @count drops; the listener waits here before it
 *	accepts more than kitt_max_login_conns
 */
struct kitt_login_gate {
	atomic_t count;
	wait_queue_head_t wait;
};

/*
 * Called by the listener thread for each accepted socket; takes
 * ownership of @sock (releases it on failure). @addr is @l's address;
 * @gate counts the connection while it is in login.
 */
void kitt_conn_accept(struct kitt_listener *l, const struct sockaddr_storage *addr,
		      struct kitt_login_gate *gate, struct socket *sock);
/*
 * Close every connection accepted through @l (logged in or not) and
 * wait until they are gone. Called when the last portal using @l goes.
 */
void kitt_conn_close_listener(struct kitt_listener *l);
/*
 * Close every session of @tpg and wait until they are freed. Called
 * before a portal group is removed. Connections of @tpg that arrived
 * through @l only, when @l is non-NULL (a portal of @tpg was removed).
 */
void kitt_session_close_tpg(struct kitt_tpg *tpg, struct kitt_listener *l);
/* Close the sessions of @initiator in @tpg (its ACL was removed). */
void kitt_session_close_initiator(struct kitt_tpg *tpg, const char *initiator);

struct kitt_tx_item;

/**
 * struct kitt_tx_ops - what the transmit side does with a queued item
 * @send: send it, then let go of it; returns 0 or a send error (the
 *	connection then ends)
 * @drop: let go of it unsent (the connection is ending)
 */
struct kitt_tx_ops {
	int (*send)(struct kitt_conn *conn, struct kitt_tx_item *item);
	void (*drop)(struct kitt_conn *conn, struct kitt_tx_item *item);
};

/**
 * struct kitt_tx_item - an entry of a connection's transmit queue.
 * @node: entry in conn->tx_queue, under conn->tx_lock
 * @ops: how to send it: a control PDU (conn.c), R2Ts or a task's response
 *	(task.c)
 * @ctl_len: for a control PDU, its data bytes: control PDUs count against
 *	KITT_CONN_CTL_QUEUE_MAX and KITT_CONN_CTL_BYTES_MAX
 * @ctl: it is a control PDU
 */
struct kitt_tx_item {
	struct list_head node;
	const struct kitt_tx_ops *ops;
	u32 ctl_len;
	bool ctl;
};

/**
 * struct kitt_ctl_pdu - a control PDU built by the receive thread.
 * @tx: queue entry
 * @bhs: the header; StatSN, ExpCmdSN and MaxCmdSN are filled in at send
 *	time when @stat_fields is set
 * @stat_fields: fill the StatSN/ExpCmdSN/MaxCmdSN fields at send time
 * @advance_statsn: this PDU consumes a StatSN
 * @close_after: shut the connection down once this PDU is sent (Logout)
 * @data_len: bytes of @data
 * @data: the data segment (kmalloc'ed, sent by copy)
 */
struct kitt_ctl_pdu {
	struct kitt_tx_item tx;
	struct iscsi_hdr bhs;
	bool stat_fields;
	bool advance_statsn;
	bool close_after;
	u32 data_len;
	u8 data[];
};

/*
 * What a peer can make kitt hold (Documentation/admin-guide.rst, "Limits"):
 * control PDUs queued on a connection before its receive thread stops
 * reading (NOP-In, Text, Reject, TMF and Logout responses), and their data
 * bytes; the room a Text response is built in; SCSI commands with the I bit
 * outstanding per session (non-immediate ones are bounded by the command
 * window, attrib/cmdsn_depth); and how long unmapping a LUN waits for the
 * commands that use it before it closes their connections.
 */
#define KITT_CONN_CTL_QUEUE_MAX		64
#define KITT_CONN_CTL_BYTES_MAX		SZ_1M
#define KITT_TEXT_RSP_MAX		SZ_64K
#define KITT_MAX_IMMEDIATE_CMDS		16
/*
 * Connections per session (MaxConnections): kitt serves one. Tasks,
 * aborts and logouts across the connections of one session are not safe
 * yet, so params/MaxConnections refuses more.
 */
#define KITT_MAX_CONNECTIONS		1
#define KITT_LUN_DRAIN_TIMEOUT		(5 * HZ)

/* Connection states */
enum kitt_conn_state {
	KITT_CONN_LOGIN,
	KITT_CONN_FULL_FEATURE,
	KITT_CONN_CLOSING,
};

/**
 * struct kitt_conn - one TCP connection.
 * @sock: the socket
 * @listener: where it was accepted (a reference is not held: listeners
 *	close their connections before they go)
 * @listen_addr: @listener's address (a portal group's portals name it)
 * @sess: the session, set when login completes (or at leading login)
 * @tpg: the session's portal group, kept for matching without touching
 *	@sess (connections are matched under the connection list lock)
 * @initiator: the session's InitiatorName, likewise
 * @state: enum kitt_conn_state; written by the receive thread
 * @cid: connection ID from the login request
 * @rx_thread: receive thread, frees the connection when it ends
 * @tx_thread: transmit thread in full feature phase
 * @tx_lock: protects @tx_queue
 * @tx_queue: struct kitt_tx_item waiting to be sent
 * @tx_wait: the transmit thread sleeps here
 * @send_lock: held by whoever sends queued items (the transmit thread, or
 *	the receive thread between PDUs), so PDUs go out whole and in order
 * @tx_failed: a send failed; the rest is dropped
 * @stat_sn: next StatSN; used by the transmit thread only (and by the
 *	receive thread during login, before the transmit thread exists)
 * @exp_stat_sn: last ExpStatSN the initiator acknowledged
 * @header_digest: CRC32C on headers (both ways)
 * @data_digest: CRC32C on data segments (both ways)
 * @max_recv_dsl: largest data segment the initiator may send us
 * @max_xmit_dsl: largest data segment we may send
 * @rx_buf: data segment buffer for control PDUs (@max_recv_dsl bytes)
 * @rx_stash: bytes read from the socket and not yet consumed
 *	(KITT_RX_STASH_SIZE); @rx_stash_off: where they start;
 *	@rx_stash_len: how many; receive thread only
 * @pool_lock: protects the page pool
 * @pool: ring of KITT_CONN_POOL_PAGES data pages for reuse
 *	(kitt_conn_page_get()); @pool_head: oldest entry; @pool_count: entries
 * @inflight: tasks of this connection that may still touch it (bios in
 *	flight, queued for transmit); teardown waits for zero
 * @inflight_wait: woken when @inflight drops to zero
 * @node: entry in the global connection list, under kitt_conns_lock
 * @sess_node: entry in sess->conns, under sess->lock
 * @login_deadline: jiffies by which the login must be done, 0 after it
 * @login_start: jiffies when the connection was accepted
 * @nopin_ttt: TTT of the outstanding target NOP-In ping, or 0xffffffff
 * @nopin_sent: jiffies when that ping went out
 * @last_rx: jiffies of the last PDU received
 * @local: local address; @peer: the initiator's address
 * @id: number for logs and sysfs
 * @stat_*: counters shown in sysfs
 * @kobj: sessions/<id>/connections/<cid>; @kobj_added: it is shown
 */
struct kitt_conn {
	struct socket *sock;
	struct kitt_listener *listener;
	struct sockaddr_storage listen_addr;
	struct kitt_session *sess;
	struct kitt_tpg *tpg;
	char initiator[KITT_NAME_MAX];
	int state;
	u16 cid;
	struct task_struct *rx_thread;
	struct task_struct *tx_thread;
	spinlock_t tx_lock;		/* protects tx_queue */
	struct mutex send_lock;		/* one sender at a time, in queue order */
	bool tx_failed;
	struct list_head tx_queue;
	wait_queue_head_t tx_wait;
	unsigned int ctl_queued;	/* control PDUs in tx_queue, under tx_lock */
	u32 ctl_bytes;			/* and their data bytes */
	wait_queue_head_t tx_room_wait;	/* the receive thread waits for room */
	bool shut;			/* kitt_conn_shutdown() was called */
	struct kitt_login_gate *login_gate;	/* while in login */
	u32 stat_sn;
	u32 exp_stat_sn;
	bool header_digest;
	bool data_digest;
	u32 max_recv_dsl;
	u32 max_xmit_dsl;
	u8 *rx_buf;
	u32 rx_buf_size;
	u8 *rx_stash;
	u32 rx_stash_off;
	u32 rx_stash_len;
	spinlock_t pool_lock;		/* protects pool, pool_head, pool_count */
	struct page **pool;
	unsigned int pool_head;
	unsigned int pool_count;
	atomic_t inflight;
	wait_queue_head_t inflight_wait;
	struct list_head node;
	struct list_head sess_node;
	unsigned long login_deadline;
	unsigned long login_start;
	u32 nopin_ttt;
	unsigned long nopin_sent;
	unsigned long last_rx;
	struct sockaddr_storage local;
	struct sockaddr_storage peer;
	u32 id;
	atomic64_t stat_rx_pdus;
	atomic64_t stat_tx_pdus;
	atomic64_t stat_rx_bytes;
	atomic64_t stat_tx_bytes;
	atomic64_t stat_digest_errors;
	struct kobject kobj;
	bool kobj_added;
};

/**
 * struct kitt_rx_pdu - a received PDU header, validated.
 * @bhs: the Basic Header Segment
 * @ahs: Additional Header Segments
 * @ahs_len: bytes of @ahs
 * @info: what the validation found (data length, ...)
 */
struct kitt_rx_pdu {
	struct iscsi_hdr bhs;
	struct kitt_pdu_info info;
	u32 ahs_len;
	u8 ahs[KITT_MAX_AHS_LEN];
};

/* The receive stash: its size, and the read size that bypasses it. */
#define KITT_RX_STASH_SIZE	SZ_16K
#define KITT_RX_STASH_DIRECT	PAGE_SIZE
/* Data pages a connection keeps for reuse (4 MB with 4 KB pages). */
#define KITT_CONN_POOL_PAGES	1024

/* conn.c */
void kitt_conn_shutdown(struct kitt_conn *conn);
int kitt_conn_recv(struct kitt_conn *conn, void *buf, size_t len);
struct iov_iter;
int kitt_conn_recv_iter(struct kitt_conn *conn, struct iov_iter *to);
bool kitt_conn_rx_ready(struct kitt_conn *conn);
struct page *kitt_conn_page_get(struct kitt_conn *conn);
void kitt_conn_page_put(struct kitt_conn *conn, struct page *page);
void kitt_conn_pool_free(struct kitt_conn *conn);
int kitt_conn_recv_digest(struct kitt_conn *conn, u32 len, u32 crc);
int kitt_conn_recv_segment(struct kitt_conn *conn, void *buf, u32 len);
int kitt_conn_recv_header(struct kitt_conn *conn, struct kitt_rx_pdu *pdu, bool login);
int kitt_conn_skip_data(struct kitt_conn *conn, u32 len);
struct kvec;
int kitt_conn_send_kvec(struct kitt_conn *conn, struct kvec *iov, unsigned int n, bool more);
unsigned int kitt_conn_trailer(struct kitt_conn *conn, struct kvec *iov, u32 len, u32 crc,
			       __le32 *digest);
int kitt_conn_send_iov(struct kitt_conn *conn, const struct iscsi_hdr *bhs,
		       const void *data, u32 len, bool more);
struct bio_vec;
int kitt_conn_send_pages(struct kitt_conn *conn, const struct bio_vec *bv,
			 unsigned int nr, size_t len, bool more);
void kitt_conn_queue(struct kitt_conn *conn, struct kitt_tx_item *item);
void kitt_conn_queue_ctl(struct kitt_conn *conn, struct kitt_ctl_pdu *pdu);
void kitt_conn_flush(struct kitt_conn *conn);
int kitt_conn_wait_room(struct kitt_conn *conn);
void kitt_conn_inflight_put(struct kitt_conn *conn);
void kitt_ctl_pdu_free(struct kitt_ctl_pdu *pdu);
struct kitt_ctl_pdu *kitt_ctl_pdu_alloc(u32 len, gfp_t gfp);
void kitt_conn_fill_stat(struct kitt_conn *conn, __be32 *statsn, bool advance,
			 __be32 *exp_cmdsn, __be32 *max_cmdsn);
int kitt_conn_start_tx(struct kitt_conn *conn);
int kitt_conn_set_rx_buf(struct kitt_conn *conn, u32 size);
void kitt_conn_close_matching(bool (*match)(struct kitt_conn *conn, void *arg), void *arg);

/* login.c */
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

void kitt_login_init(struct kitt_login *lg, const struct kitt_login_ops *ops, void *ctx);
void kitt_login_free(struct kitt_login *lg);
int kitt_login_step(struct kitt_login *lg, const struct iscsi_login_req *req,
		    const char *data, u32 len, struct iscsi_login_rsp *rsp,
		    struct kitt_text_buf *text);
int kitt_login_run(struct kitt_conn *conn);

/**
 * struct kitt_session - an iSCSI session (normal or discovery).
 * @kobj: /sys/kernel/kitt/sessions/<id>; its release frees the session
 * @conns_kobj: its connections/ directory
 * @tpg: the portal group (NULL for discovery sessions); it outlives the
 *	session: removal closes its sessions and waits
 * @initiator: InitiatorName
 * @target: TargetName (empty for discovery)
 * @isid: the initiator's session ID
 * @tsih: our session handle
 * @discovery: a discovery session
 * @params: the negotiated values
 * @lock: protects the command window, @conns, @pending, @closing
 * @exp_cmd_sn: next CmdSN expected
 * @cmdsn_depth: window size: MaxCmdSN = ExpCmdSN + depth - 1
 * @conns: struct kitt_conn, through conn->sess_node
 * @nr_conns: entries in @conns
 * @pending: commands that arrived ahead of ExpCmdSN
 * @tasks: ITT -> struct kitt_task, for Data-Out, TMF and duplicates
 * @next_ttt: Target Transfer Tags handed out in R2Ts
 * @closing: being torn down; no new connections or commands
 * @node: entry in the session list, under kitt_sessions_lock
 * @id: number in sysfs and logs
 * @stat_*: counters shown in sysfs
 */
struct kitt_session {
	struct kobject kobj;
	struct kobject *conns_kobj;
	struct kitt_tpg *tpg;
	char initiator[KITT_NAME_MAX];
	char target[KITT_NAME_MAX];
	u8 isid[6];
	u16 tsih;
	bool discovery;
	struct kitt_sess_params params;
	spinlock_t lock;		/* command window, conns, pending */
	u32 exp_cmd_sn;
	u32 cmdsn_depth;
	u32 cmds_active;	/* commands that took a window slot, unanswered */
	u32 imm_active;		/* immediate SCSI commands, unanswered */
	struct list_head conns;
	unsigned int nr_conns;
	struct list_head pending;
	struct xarray tasks;
	atomic_t next_ttt;
	bool closing;
	struct list_head node;
	u32 id;
	atomic64_t stat_cmds;
	atomic64_t stat_read_bytes;
	atomic64_t stat_write_bytes;
	atomic64_t stat_errors;
};

/* Serialises session creation, lookup and removal. */
extern struct mutex kitt_sessions_lock;
extern struct list_head kitt_sessions;

/* session.c */
void kitt_session_window(struct kitt_session *sess, u32 *exp, u32 *max);
long kitt_session_nopin_check(struct kitt_conn *conn);
int kitt_session_rx_loop(struct kitt_conn *conn);
void kitt_session_conn_stop(struct kitt_conn *conn);
void kitt_session_conn_gone(struct kitt_conn *conn);
struct kitt_session *kitt_session_alloc(void);
void kitt_session_put(struct kitt_session *sess);
int kitt_session_publish(struct kitt_session *sess);
struct kitt_session *kitt_session_find_tsih(u16 tsih);
void kitt_session_reinstate(struct kitt_session *sess);
int kitt_session_cmdsn(struct kitt_conn *conn, u32 cmdsn, bool immediate);
struct kitt_task *kitt_session_next_pending(struct kitt_session *sess);
bool kitt_session_park(struct kitt_session *sess, struct kitt_task *task);
int kitt_session_cmd_slot(struct kitt_conn *conn, u32 cmdsn, bool immediate,
			  struct kitt_task *task);
void kitt_session_cmd_retire(struct kitt_task *task);
int kitt_session_reject(struct kitt_conn *conn, const struct iscsi_hdr *bhs, u8 reason);
void kitt_io_wake(void);
void kitt_io_wait_task(struct kitt_task *task);

enum kitt_cmdsn_verdict {
	KITT_CMDSN_EXEC,	/* in order (or immediate): run it now */
	KITT_CMDSN_LATER,	/* ahead of ExpCmdSN, inside the window */
	KITT_CMDSN_DROP,	/* outside the window: drop silently */
	KITT_CMDSN_BUSY,	/* immediate, KITT_MAX_IMMEDIATE_CMDS in the target */
};

/* discovery.c: Text requests in full feature phase (SendTargets, ...). */
int kitt_discovery_text(struct kitt_conn *conn, struct kitt_rx_pdu *rx);

/* sysfs.c */
int kitt_sysfs_init(void);
void kitt_sysfs_exit(void);
int kitt_sysfs_session_add(struct kitt_session *sess);
void kitt_sysfs_session_del(struct kitt_session *sess);
void kitt_sysfs_conn_add(struct kitt_conn *conn);
void kitt_sysfs_conn_del(struct kitt_conn *conn);
extern const struct sysfs_ops kitt_sysfs_session_ops;
extern const struct attribute_group *kitt_sysfs_session_groups[];
extern atomic_t kitt_live_conns;
extern atomic_t kitt_live_sessions;

/* Task states */
enum kitt_task_state {
	KITT_TASK_NEW,
	KITT_TASK_DATA_OUT,	/* waiting for write data */
	KITT_TASK_EXEC,		/* bios in flight */
	KITT_TASK_RESPONSE,	/* queued for transmit */
	KITT_TASK_DONE,
};

#define KITT_MAX_R2T		16

/**
 * struct kitt_r2t_slot - one outstanding R2T of a write task.
 * @ttt: its Target Transfer Tag (0xffffffff: slot free)
 * @offset: BufferOffset it asked for
 * @len: DesiredDataTransferLength
 * @received: bytes received for it so far
 * @exp_datasn: next DataSN within it
 * @r2tsn: its R2TSN
 * @sent: the R2T PDU went out
 */
struct kitt_r2t_slot {
	u32 ttt;
	u32 offset;
	u32 len;
	u32 received;
	u32 exp_datasn;
	u32 r2tsn;
	bool sent;
};

/**
 * struct kitt_wdata - write data bookkeeping of one command: which
 *	Data-Out PDUs it accepts and which R2Ts it asks for (task_data.c,
 *	pure; task.c keeps it under task->lock).
 * @edtl: Expected Data Transfer Length of the command
 * @keep_len: bytes the command uses (<= @edtl); R2Ts ask for no more,
 *	unsolicited bytes beyond it are received and dropped
 * @received: bytes received below @keep_len
 * @unsol_end: end offset of the unsolicited burst (immediate data plus
 *	unsolicited Data-Out, at most FirstBurstLength)
 * @unsol_next: next offset expected in unsolicited Data-Out
 * @unsol_datasn: next DataSN expected in unsolicited Data-Out
 * @unsol_done: the unsolicited burst is complete
 * @r2t_next: next offset to solicit
 * @r2t_sn: next R2TSN
 * @r2t: outstanding R2Ts; a free slot has TTT 0xffffffff
 */
struct kitt_wdata {
	u32 edtl;
	u32 keep_len;
	u32 received;
	u32 unsol_end;
	u32 unsol_next;
	u32 unsol_datasn;
	bool unsol_done;
	u32 r2t_next;
	u32 r2t_sn;
	struct kitt_r2t_slot r2t[KITT_MAX_R2T];
};

/* task_data.c */
const char *kitt_wdata_check_cmd(const struct kitt_sess_params *p, u32 edtl,
				 u32 imm_len);
void kitt_wdata_init(struct kitt_wdata *w, const struct kitt_sess_params *p,
		     u32 edtl, u32 keep_len, u32 imm_len, bool final);
const char *kitt_wdata_check(const struct kitt_wdata *w, u32 ttt, u32 offset,
			     u32 len, u32 datasn, bool final, int *slot);
void kitt_wdata_accept(struct kitt_wdata *w, int slot, u32 offset, u32 len,
		       bool final);
bool kitt_wdata_complete(const struct kitt_wdata *w);
unsigned int kitt_wdata_issue_r2ts(struct kitt_wdata *w,
				   const struct kitt_sess_params *p,
				   u32 (*new_ttt)(void *arg), void *arg);
unsigned int kitt_wdata_take_r2ts(struct kitt_wdata *w,
				  struct kitt_r2t_slot out[KITT_MAX_R2T]);

/**
 * struct kitt_task - one SCSI command in flight.
 * @tx: transmit queue entry (R2Ts, then the response)
 * @conn: the connection it arrived on (holds an inflight count)
 * @sess: the session
 * @lun: the LUN (a reference), NULL when unmapped
 * @state: enum kitt_task_state
 * @itt: Initiator Task Tag
 * @cmd_sn: its CmdSN
 * @immediate: the I bit was set
 * @holds_slot: takes a slot of the command window until it is answered
 *	(kitt_session_cmd_retire()), under sess->lock
 * @holds_imm: counts against KITT_MAX_IMMEDIATE_CMDS until answered
 * @lun_raw: LUN field as received
 * @edtl: Expected Data Transfer Length
 * @write: the command moves data to the target
 * @read: the command moves data to the initiator
 * @scsi: the decoded command and its status and sense
 * @pages: data buffer pages (write data received or read data to send)
 * @nr_pages: entries of @pages
 * @buf_len: bytes of the data buffer
 * @inline_pages: @pages storage for small transfers
 * @pooled: @pages belong to the connection's page pool (READ and WRITE)
 * @wd: write data bookkeeping (under @lock)
 * @r2t_queued: R2Ts wait in the transmit queue
 * @data_len: read bytes to send (<= @buf_len, <= @edtl)
 * @io_pending: 1 while the backend has the task's I/O
 * @io_error: its error
 * @io: the asynchronous read, write or flush on the backend
 * @aborted: a task management function ended it; send nothing
 * @node: entry in sess->pending while waiting for its CmdSN
 * @refs: references (see task.c)
 * @lock: protects the R2T and Data-Out bookkeeping between the receive
 *	and transmit threads
 * @emul_page: page for emulated Data-In (INQUIRY, MODE SENSE, ...)
 * @cdb_len: bytes of @cdb_buf in use
 * @data_sn: DataSN count of the Data-In sent, for ExpDataSN
 * @cdb_buf: the CDB, extended by the AHS if any
 */
struct kitt_task {
	struct kitt_tx_item tx;
	refcount_t refs;
	spinlock_t lock;		/* R2T and Data-Out bookkeeping */
	struct page *emul_page;
	unsigned int cdb_len;
	u32 data_sn;
	struct kitt_conn *conn;
	struct kitt_session *sess;
	struct kitt_lun *lun;
	int state;
	itt_t itt;
	u32 cmd_sn;
	bool immediate;
	bool holds_slot;
	bool holds_imm;
	struct scsi_lun lun_raw;
	u32 edtl;
	bool write;
	bool read;
	struct kitt_scsi_cmd scsi;
	struct page **pages;
	unsigned int nr_pages;
	u32 buf_len;
	struct page *inline_pages[4];
	bool pooled;
	struct kitt_wdata wd;
	bool r2t_queued;
	u32 data_len;
	atomic_t io_pending;
	int io_error;
	struct kitt_dev_io io;
	bool aborted;
	struct list_head node;
	u8 cdb_buf[KITT_MAX_CDB_LEN];
};

/* task.c */
int kitt_task_init(void);
void kitt_task_exit(void);
int kitt_task_scsi_cmd(struct kitt_conn *conn, struct kitt_rx_pdu *pdu);
int kitt_task_data_out(struct kitt_conn *conn, struct kitt_rx_pdu *pdu);
int kitt_task_tmf(struct kitt_conn *conn, struct kitt_rx_pdu *pdu);
void kitt_task_abort_conn(struct kitt_conn *conn);
void kitt_task_run_pending(struct kitt_session *sess);
void kitt_task_put(struct kitt_task *task);
void kitt_task_copy_from_buf(struct kitt_task *task, u32 offset, void *dst, u32 len);
void kitt_task_complete(struct kitt_task *task);
void kitt_task_session_end(struct kitt_session *sess);
/* KITT-SECTION-RUNTIME-END */

#endif /* KITT_H */
