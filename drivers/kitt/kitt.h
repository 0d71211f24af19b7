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

/* ------------------------------------------------------------------ */
/* main.c: logging, module parameters                                 */
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

#define kitt_dbg(area, fmt, ...)					\
	do {								\
		if (unlikely(kitt_debug_mask & (area)))			\
			pr_info(fmt, ##__VA_ARGS__);			\
	} while (0)

/* ------------------------------------------------------------------ */
/* pdu.c: iSCSI wire format (RFC 7143 section 11)                      */
/* ------------------------------------------------------------------ */

#define KITT_BHS_LEN		48
#define KITT_DIGEST_LEN		4
/* RFC 7143 12.12: MaxRecvDataSegmentLength is at most 2^24 - 1. */
#define KITT_MAX_DSL		((1U << 24) - 1)
/* Data segment limit during login and before negotiation (RFC 7143 6.1). */
#define KITT_LOGIN_MAX_DSL	8192
/* Largest AHS area we accept (TotalAHSLength counts 4-byte words). */
#define KITT_MAX_AHS_LEN	(255 * 4)

/* Opcodes, initiator to target */
#define ISCSI_OP_NOOP_OUT	0x00
#define ISCSI_OP_SCSI_CMD	0x01
#define ISCSI_OP_TMF_REQ	0x02
#define ISCSI_OP_LOGIN_REQ	0x03
#define ISCSI_OP_TEXT_REQ	0x04
#define ISCSI_OP_DATA_OUT	0x05
#define ISCSI_OP_LOGOUT_REQ	0x06
#define ISCSI_OP_SNACK_REQ	0x10
/* Opcodes, target to initiator */
#define ISCSI_OP_NOOP_IN	0x20
#define ISCSI_OP_SCSI_RSP	0x21
#define ISCSI_OP_TMF_RSP	0x22
#define ISCSI_OP_LOGIN_RSP	0x23
#define ISCSI_OP_TEXT_RSP	0x24
#define ISCSI_OP_DATA_IN	0x25
#define ISCSI_OP_LOGOUT_RSP	0x26
#define ISCSI_OP_R2T		0x31
#define ISCSI_OP_ASYNC_MSG	0x32
#define ISCSI_OP_REJECT		0x3f

#define ISCSI_OPCODE_MASK	0x3f
#define ISCSI_OP_IMMEDIATE	0x40

/* Common flag: Final */
#define ISCSI_FLAG_FINAL	0x80

/* SCSI Command flags */
#define ISCSI_FLAG_CMD_READ	0x40
#define ISCSI_FLAG_CMD_WRITE	0x20
#define ISCSI_FLAG_CMD_ATTR_MASK 0x07

/* SCSI Response / Data-In flags */
#define ISCSI_FLAG_DATA_ACK		0x40
#define ISCSI_FLAG_BIDI_OVERFLOW	0x10
#define ISCSI_FLAG_BIDI_UNDERFLOW	0x08
#define ISCSI_FLAG_RES_OVERFLOW		0x04
#define ISCSI_FLAG_RES_UNDERFLOW	0x02
#define ISCSI_FLAG_DATA_STATUS		0x01

/* Login flags */
#define ISCSI_FLAG_LOGIN_TRANSIT	0x80
#define ISCSI_FLAG_LOGIN_CONTINUE	0x40
#define ISCSI_FLAG_LOGIN_CSG_MASK	0x0c
#define ISCSI_FLAG_LOGIN_CSG_SHIFT	2
#define ISCSI_FLAG_LOGIN_NSG_MASK	0x03

/* Login stages */
#define ISCSI_STAGE_SECURITY		0
#define ISCSI_STAGE_OPERATIONAL		1
#define ISCSI_STAGE_FULL_FEATURE	3

/* Login status class and detail (RFC 7143 11.13.5) */
#define ISCSI_LOGIN_CLASS_SUCCESS	0x00
#define ISCSI_LOGIN_CLASS_REDIRECT	0x01
#define ISCSI_LOGIN_CLASS_INITIATOR_ERR	0x02
#define ISCSI_LOGIN_CLASS_TARGET_ERR	0x03

#define ISCSI_LOGIN_DETAIL_INIT_ERR		0x00
#define ISCSI_LOGIN_DETAIL_AUTH_FAILED		0x01
#define ISCSI_LOGIN_DETAIL_AUTHORIZATION	0x02
#define ISCSI_LOGIN_DETAIL_TGT_NOT_FOUND	0x03
#define ISCSI_LOGIN_DETAIL_TGT_REMOVED		0x04
#define ISCSI_LOGIN_DETAIL_UNSUPPORTED_VER	0x05
#define ISCSI_LOGIN_DETAIL_TOO_MANY_CONNS	0x06
#define ISCSI_LOGIN_DETAIL_MISSING_PARAM	0x07
#define ISCSI_LOGIN_DETAIL_NO_SESSION_SPAN	0x08
#define ISCSI_LOGIN_DETAIL_SESSION_TYPE	0x09
#define ISCSI_LOGIN_DETAIL_NO_SESSION		0x0a
#define ISCSI_LOGIN_DETAIL_INVALID_REQ		0x0b
#define ISCSI_LOGIN_DETAIL_TARGET_ERROR		0x00
#define ISCSI_LOGIN_DETAIL_SVC_UNAVAILABLE	0x01
#define ISCSI_LOGIN_DETAIL_NO_RESOURCES		0x02

/* Logout reason codes and responses */
#define ISCSI_LOGOUT_REASON_MASK	0x7f
#define ISCSI_LOGOUT_CLOSE_SESSION	0
#define ISCSI_LOGOUT_CLOSE_CONN		1
#define ISCSI_LOGOUT_REMOVE_CONN	2
#define ISCSI_LOGOUT_RSP_OK		0
#define ISCSI_LOGOUT_RSP_CID_NOT_FOUND	1
#define ISCSI_LOGOUT_RSP_RECOVERY_UNSUPP 2
#define ISCSI_LOGOUT_RSP_CLEANUP_FAILED	3

/* Task management functions and responses (RFC 7143 11.5, 11.6) */
#define ISCSI_TMF_FUNC_MASK		0x7f
#define ISCSI_TMF_ABORT_TASK		1
#define ISCSI_TMF_ABORT_TASK_SET	2
#define ISCSI_TMF_CLEAR_ACA		3
#define ISCSI_TMF_CLEAR_TASK_SET	4
#define ISCSI_TMF_LUN_RESET		5
#define ISCSI_TMF_TARGET_WARM_RESET	6
#define ISCSI_TMF_TARGET_COLD_RESET	7
#define ISCSI_TMF_TASK_REASSIGN		8

#define ISCSI_TMF_RSP_COMPLETE		0
#define ISCSI_TMF_RSP_NO_TASK		1
#define ISCSI_TMF_RSP_NO_LUN		2
#define ISCSI_TMF_RSP_TASK_ALLEGIANT	3
#define ISCSI_TMF_RSP_NO_FAILOVER	4
#define ISCSI_TMF_RSP_NOT_SUPPORTED	5
#define ISCSI_TMF_RSP_AUTH_FAILED	6
#define ISCSI_TMF_RSP_REJECTED		255

/* Reject reasons (RFC 7143 11.17.1) */
#define ISCSI_REASON_DATA_DIGEST_ERROR	0x02
#define ISCSI_REASON_SNACK_REJECT	0x03
#define ISCSI_REASON_PROTOCOL_ERROR	0x04
#define ISCSI_REASON_CMD_NOT_SUPPORTED	0x05
#define ISCSI_REASON_IMM_CMD_REJECT	0x06
#define ISCSI_REASON_TASK_IN_PROGRESS	0x07
#define ISCSI_REASON_INVALID_DATA_ACK	0x08
#define ISCSI_REASON_BOOKMARK_INVALID	0x09
#define ISCSI_REASON_BOOKMARK_NO_RESOURCES 0x0a
#define ISCSI_REASON_NEGOTIATION_RESET	0x0b
#define ISCSI_REASON_WAITING_FOR_LOGOUT	0x0c

/* SCSI response codes */
#define ISCSI_STATUS_CMD_COMPLETED	0x00
#define ISCSI_STATUS_TARGET_FAILURE	0x01

#define ISCSI_RESERVED_TAG		cpu_to_be32(0xffffffff)

/**
 * struct kitt_bhs - the Basic Header Segment as every PDU starts.
 * @opcode: I bit (0x40) and opcode (low six bits)
 * @flags: opcode-specific flags, the F bit at 0x80
 * @rsvd2: opcode-specific
 * @hlength: TotalAHSLength in 4-byte words
 * @dlength: DataSegmentLength, 24-bit big endian
 * @lun: LUN or opcode-specific
 * @itt: Initiator Task Tag
 * @other: opcode-specific fields
 */
struct kitt_bhs {
	u8 opcode;
	u8 flags;
	u8 rsvd2[2];
	u8 hlength;
	u8 dlength[3];
	u8 lun[8];
	__be32 itt;
	u8 other[28];
} __packed;

/* Login Request (0x03) */
struct kitt_login_req {
	u8 opcode;
	u8 flags;
	u8 max_version;
	u8 min_version;
	u8 hlength;
	u8 dlength[3];
	u8 isid[6];
	__be16 tsih;
	__be32 itt;
	__be16 cid;
	__be16 rsvd3;
	__be32 cmdsn;
	__be32 exp_statsn;
	u8 rsvd5[16];
} __packed;

/* Login Response (0x23) */
struct kitt_login_rsp {
	u8 opcode;
	u8 flags;
	u8 max_version;
	u8 active_version;
	u8 hlength;
	u8 dlength[3];
	u8 isid[6];
	__be16 tsih;
	__be32 itt;
	__be32 rsvd3;
	__be32 statsn;
	__be32 exp_cmdsn;
	__be32 max_cmdsn;
	u8 status_class;
	u8 status_detail;
	u8 rsvd5[10];
} __packed;

/* SCSI Command (0x01) */
struct kitt_scsi_req {
	u8 opcode;
	u8 flags;
	__be16 rsvd2;
	u8 hlength;
	u8 dlength[3];
	u8 lun[8];
	__be32 itt;
	__be32 data_length;
	__be32 cmdsn;
	__be32 exp_statsn;
	u8 cdb[16];
} __packed;

/* SCSI Response (0x21) */
struct kitt_scsi_rsp {
	u8 opcode;
	u8 flags;
	u8 response;
	u8 cmd_status;
	u8 hlength;
	u8 dlength[3];
	u8 rsvd[8];
	__be32 itt;
	__be32 snack_tag;
	__be32 statsn;
	__be32 exp_cmdsn;
	__be32 max_cmdsn;
	__be32 exp_datasn;
	__be32 bi_residual_count;
	__be32 residual_count;
} __packed;

/* SCSI Data-Out (0x05) */
struct kitt_data_out {
	u8 opcode;
	u8 flags;
	u8 rsvd2[2];
	u8 hlength;
	u8 dlength[3];
	u8 lun[8];
	__be32 itt;
	__be32 ttt;
	__be32 rsvd4;
	__be32 exp_statsn;
	__be32 rsvd5;
	__be32 datasn;
	__be32 offset;
	__be32 rsvd6;
} __packed;

/* SCSI Data-In (0x25) */
struct kitt_data_in {
	u8 opcode;
	u8 flags;
	u8 rsvd2;
	u8 cmd_status;
	u8 hlength;
	u8 dlength[3];
	u8 lun[8];
	__be32 itt;
	__be32 ttt;
	__be32 statsn;
	__be32 exp_cmdsn;
	__be32 max_cmdsn;
	__be32 datasn;
	__be32 offset;
	__be32 residual_count;
} __packed;

/* Ready To Transfer (0x31) */
struct kitt_r2t {
	u8 opcode;
	u8 flags;
	__be16 rsvd2;
	u8 hlength;
	u8 dlength[3];
	u8 lun[8];
	__be32 itt;
	__be32 ttt;
	__be32 statsn;
	__be32 exp_cmdsn;
	__be32 max_cmdsn;
	__be32 r2tsn;
	__be32 data_offset;
	__be32 data_length;
} __packed;

/* NOP-Out (0x00) and NOP-In (0x20) share a layout */
struct kitt_nop {
	u8 opcode;
	u8 flags;
	__be16 rsvd2;
	u8 hlength;
	u8 dlength[3];
	u8 lun[8];
	__be32 itt;
	__be32 ttt;
	__be32 sn;		/* CmdSN (out) or StatSN (in) */
	__be32 exp_sn;		/* ExpStatSN (out) or ExpCmdSN (in) */
	__be32 max_cmdsn;	/* reserved (out) or MaxCmdSN (in) */
	u8 rsvd4[12];
} __packed;

/* Text Request (0x04) and Text Response (0x24) */
struct kitt_text {
	u8 opcode;
	u8 flags;
	__be16 rsvd2;
	u8 hlength;
	u8 dlength[3];
	u8 lun[8];
	__be32 itt;
	__be32 ttt;
	__be32 sn;		/* CmdSN (req) or StatSN (rsp) */
	__be32 exp_sn;		/* ExpStatSN (req) or ExpCmdSN (rsp) */
	__be32 max_cmdsn;	/* reserved (req) or MaxCmdSN (rsp) */
	u8 rsvd4[12];
} __packed;

/* Task Management Function Request (0x02) */
struct kitt_tmf_req {
	u8 opcode;
	u8 flags;
	u8 rsvd1[2];
	u8 hlength;
	u8 dlength[3];
	u8 lun[8];
	__be32 itt;
	__be32 rtt;
	__be32 cmdsn;
	__be32 exp_statsn;
	__be32 refcmdsn;
	__be32 exp_datasn;
	u8 rsvd2[8];
} __packed;

/* Task Management Function Response (0x22) */
struct kitt_tmf_rsp {
	u8 opcode;
	u8 flags;
	u8 response;
	u8 rsvd1;
	u8 hlength;
	u8 dlength[3];
	u8 rsvd2[8];
	__be32 itt;
	__be32 rsvd3;
	__be32 statsn;
	__be32 exp_cmdsn;
	__be32 max_cmdsn;
	u8 rsvd4[12];
} __packed;

/* Logout Request (0x06) */
struct kitt_logout_req {
	u8 opcode;
	u8 flags;
	u8 rsvd1[2];
	u8 hlength;
	u8 dlength[3];
	u8 rsvd2[8];
	__be32 itt;
	__be16 cid;
	u8 rsvd3[2];
	__be32 cmdsn;
	__be32 exp_statsn;
	u8 rsvd4[16];
} __packed;

/* Logout Response (0x26) */
struct kitt_logout_rsp {
	u8 opcode;
	u8 flags;
	u8 response;
	u8 rsvd2;
	u8 hlength;
	u8 dlength[3];
	u8 rsvd3[8];
	__be32 itt;
	__be32 rsvd4;
	__be32 statsn;
	__be32 exp_cmdsn;
	__be32 max_cmdsn;
	__be32 rsvd5;
	__be16 t2wait;
	__be16 t2retain;
	__be32 rsvd6;
} __packed;

/* Reject (0x3f) */
struct kitt_reject {
	u8 opcode;
	u8 flags;
	u8 reason;
	u8 rsvd2;
	u8 hlength;
	u8 dlength[3];
	u8 rsvd3[8];
	__be32 ffffffff;
	u8 rsvd4[4];
	__be32 statsn;
	__be32 exp_cmdsn;
	__be32 max_cmdsn;
	__be32 datasn;
	u8 rsvd5[8];
} __packed;

/* Asynchronous Message (0x32) */
struct kitt_async {
	u8 opcode;
	u8 flags;
	u8 rsvd2[2];
	u8 hlength;
	u8 dlength[3];
	u8 lun[8];
	__be32 ffffffff;
	u8 rsvd4[4];
	__be32 statsn;
	__be32 exp_cmdsn;
	__be32 max_cmdsn;
	u8 async_event;
	u8 async_vcode;
	__be16 param1;
	__be16 param2;
	__be16 param3;
	u8 rsvd5[4];
} __packed;

static inline u32 kitt_dlength(const u8 *dlength)
{
	return (dlength[0] << 16) | (dlength[1] << 8) | dlength[2];
}

static inline void kitt_set_dlength(u8 *dlength, u32 len)
{
	dlength[0] = (len >> 16) & 0xff;
	dlength[1] = (len >> 8) & 0xff;
	dlength[2] = len & 0xff;
}

static inline u32 kitt_pad4(u32 len)
{
	return (4 - (len & 3)) & 3;
}

/*
 * Serial number arithmetic (RFC 1982 with SERIAL_BITS 32), used for
 * CmdSN, StatSN, DataSN and R2TSN comparisons.
 */
static inline bool kitt_sn_lt(u32 a, u32 b)
{
	return a != b && (s32)(a - b) < 0;
}

static inline bool kitt_sn_lte(u32 a, u32 b)
{
	return a == b || (s32)(a - b) < 0;
}

/* ------------------------------------------------------------------ */
/* Section: pdu.c (header validation, digests) - owned by pdu.c       */
/* ------------------------------------------------------------------ */
/* KITT-SECTION-PDU-BEGIN */
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
 * @out of @size bytes; *@len gets the byte count. -E2BIG if it does not
 * fit. Hex with an odd digit count has an implicit leading zero nibble.
 */
int kitt_text_parse_binary(const char *val, u8 *out, u32 size, u32 *len);
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

/* Where a key is legal: BIT(stage) with ISCSI_STAGE_* */
#define KITT_PH_SEC		BIT(ISCSI_STAGE_SECURITY)
#define KITT_PH_OP		BIT(ISCSI_STAGE_OPERATIONAL)
#define KITT_PH_FFP		BIT(ISCSI_STAGE_FULL_FEATURE)

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
 * @stage: ISCSI_STAGE_* of the request being answered
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
/* The stage (ISCSI_STAGE_*) the following keys arrive in. */
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
/* KITT-SECTION-CHAP-END */

/* ------------------------------------------------------------------ */
/* Section: spc.c / sbc.c (SCSI command set, sense)                   */
/* ------------------------------------------------------------------ */
/* KITT-SECTION-SCSI-BEGIN */
/* KITT-SECTION-SCSI-END */

/* ------------------------------------------------------------------ */
/* Configuration objects (configfs.c), backend (bdev.c), portals       */
/* ------------------------------------------------------------------ */
/* KITT-SECTION-CONFIG-BEGIN */
#define KITT_NAME_MAX		224	/* iSCSI names are at most 223 bytes */
#define KITT_MAX_LUNS		256
#define KITT_SERIAL_MAX		64

struct kitt_bdev_handle;

/**
 * struct kitt_device - a backstore: one block device, opened by path.
 * @group: configfs group devices/<name>
 * @lock: protects @path, @enabled, @bdev_handle, @read_only and the
 *	geometry fields against concurrent configfs writes
 * @name: the directory name
 * @path: block device path, set before enable
 * @enabled: the device is open
 * @read_only: open read-only; writes answer DATA PROTECT
 * @wce: write cache enabled (MODE SENSE caching page)
 * @serial: unit serial number (VPD 80)
 * @naa_id: 64-bit NAA identifier (VPD 83), derived from the name if unset
 * @bdev_handle: the open block device (compat wrapper), NULL if disabled
 * @bdev: the block device inside @bdev_handle
 * @block_shift: log2 of the logical block size
 * @nr_blocks: capacity in logical blocks
 * @export_count: number of LUN links pointing here; enable refuses 0
 *	while this is non-zero
 */
struct kitt_device {
	struct config_group group;
	struct mutex lock;
	char name[KITT_NAME_MAX];
	char path[256];
	bool enabled;
	bool read_only;
	bool wce;
	char serial[KITT_SERIAL_MAX];
	u64 naa_id;
	struct kitt_bdev_handle *bdev_handle;
	struct block_device *bdev;
	unsigned int block_shift;
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
 * @refs: in-flight tasks plus one for the mapping; the last put
 *	completes @released
 * @released: drop_link waits on this before the device may be unmapped
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
 * Protected by the owner's lock.
 */
struct kitt_chap_cred {
	char userid[KITT_NAME_MAX];
	char password[256];
	char userid_mutual[KITT_NAME_MAX];
	char password_mutual[256];
};

/**
 * struct kitt_acl - an initiator allowed into a portal group.
 * @group: configfs group acls/<initiator-iqn>
 * @auth_group: configfs group acls/<iqn>/auth
 * @tpg: owning portal group
 * @node: entry in @tpg->acls, under @tpg->lock
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
 * struct kitt_tpg_attrib - attrib/ of a portal group.
 */
struct kitt_tpg_attrib {
	bool generate_node_acls;
	bool authentication;
	u32 cmdsn_depth;
	u32 nopin_interval;	/* seconds, 0 = off */
	u32 nopin_timeout;	/* seconds */
	u32 login_timeout;	/* seconds */
};

/**
 * struct kitt_tpg - a target portal group.
 * @group: configfs group targets/<iqn>/tpgt_<n>
 * @target: owning target
 * @tpgt: the portal group tag
 * @lock: protects @enabled, @acls, @portals, @attrib, @params, @cred
 *	and changes to @luns (readers of @luns use RCU)
 * @enabled: logins accepted
 * @luns: mapped LUNs, RCU-protected
 * @portals: struct kitt_portal list
 * @acls: struct kitt_acl list
 * @attrib: attrib/
 * @params: params/, the target's offer
 * @sessions: live sessions, under kitt_sessions_lock
 * @node: entry in @target->tpgs
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
	struct mutex lock;
	bool enabled;
	struct kitt_lun __rcu *luns[KITT_MAX_LUNS];
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
 * @node: entry in the global target list, under kitt_config_lock
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
 * @item: configfs item
 * @tpg: owning portal group
 * @addr: the address and port
 * @listener: the shared listening socket serving this address
 * @node: entry in @tpg->portals
 */
struct kitt_portal {
	struct config_group group;
	struct kitt_tpg *tpg;
	struct sockaddr_storage addr;
	struct kitt_listener *listener;
	struct list_head node;
};

/*
 * kitt_config_lock protects the target list, each target's portal group
 * list, and the discovery credentials. Login takes it to look targets up.
 */
extern struct mutex kitt_config_lock;
extern struct list_head kitt_targets;
extern struct kitt_chap_cred kitt_discovery_cred;
extern bool kitt_discovery_enforce;

int kitt_configfs_init(void);
void kitt_configfs_exit(void);
bool kitt_valid_iscsi_name(const char *name);
int kitt_parse_portal_addr(const char *name, struct sockaddr_storage *ss);

/* Lookups used by login; callers hold kitt_config_lock. */
struct kitt_target *kitt_target_find(const char *name);
struct kitt_tpg *kitt_tpg_find_by_listener(struct kitt_target *t,
					   struct kitt_listener *l);
struct kitt_acl *kitt_acl_find(struct kitt_tpg *tpg, const char *initiator);

/* Data path LUN lookup; takes a reference on success. */
struct kitt_lun *kitt_lun_get(struct kitt_tpg *tpg, u64 lun);
void kitt_lun_put(struct kitt_lun *lun);

/* bdev.c: open and close a device's block device. */
int kitt_bdev_open(struct kitt_device *dev);
void kitt_bdev_close(struct kitt_device *dev);

/* portal.c: shared listeners. */
struct kitt_listener *kitt_listener_get(const struct sockaddr_storage *addr);
void kitt_listener_put(struct kitt_listener *l);
/* KITT-SECTION-CONFIG-END */

/* ------------------------------------------------------------------ */
/* Runtime: connections, sessions, tasks (conn.c session.c task.c)    */
/* ------------------------------------------------------------------ */
/* KITT-SECTION-RUNTIME-BEGIN */
/*
 * Contract between portal.c / configfs.c and the runtime (conn.c,
 * session.c). The runtime owns struct kitt_conn and struct kitt_session.
 */
struct kitt_conn;
struct kitt_session;

/*
 * Called by the listener thread for each accepted socket; takes
 * ownership of @sock (releases it on failure).
 */
void kitt_conn_accept(struct kitt_listener *l, struct socket *sock);
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
int kitt_runtime_init(void);
void kitt_runtime_exit(void);
/* KITT-SECTION-RUNTIME-END */

#endif /* KITT_H */
