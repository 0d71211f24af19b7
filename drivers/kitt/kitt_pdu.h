/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt: the iSCSI PDU layer (pdu.c, pure): what kitt adds to the wire
 * format of <scsi/iscsi_proto.h>, header validation, AHS parsing and the
 * CRC32C digests.
 */
#ifndef KITT_PDU_H
#define KITT_PDU_H

#include <linux/types.h>
#include <scsi/iscsi_proto.h>

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
/* iSCSI names are at most 223 bytes, plus the NUL. */
#define KITT_NAME_MAX		224

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
/* pdu.c: header validation, AHS, digests                             */
/* ------------------------------------------------------------------ */
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

void kitt_pdu_init_reject(struct iscsi_reject *rej, u8 reason);
u32 kitt_pdu_data_in_count(u32 len, u32 seg, u32 burst);

/**
 * struct kitt_rx_scan - where PDU boundaries fall in the received stream
 * @dsl: bytes 4-7 of the BHS being scanned (TotalAHSLength, DataSegmentLength)
 * @bhs_got: bytes of that BHS seen so far
 * @hdr_left: bytes of its AHS and header digest still to come
 * @data_left: bytes of its data segment, padding and data digest still to come
 * @big: the data segment is at least @direct bytes long
 * @header_digest: a header digest follows each header
 * @data_digest: a data digest follows each data segment
 * @direct: data segments of this size and more go around the stash
 *
 * The receive side reads small PDUs in batches into a stash and large data
 * segments straight into their pages. Fed every byte taken from the socket,
 * in order, the scanner tells how much a refill of the stash may take
 * without running into a large data segment. It only sizes reads: the
 * headers are parsed and checked later, from the bytes themselves, so a
 * scanner that lost its way (a hostile peer) costs speed, not correctness.
 */
struct kitt_rx_scan {
	u8 dsl[4];
	u8 bhs_got;
	u32 hdr_left;
	u32 data_left;
	bool big;
	bool header_digest;
	bool data_digest;
	u32 direct;
};

void kitt_rx_scan_feed(struct kitt_rx_scan *s, const u8 *p, u32 n);
u32 kitt_rx_scan_room(const struct kitt_rx_scan *s);
void kitt_rx_scan_data(struct kitt_rx_scan *s, u32 data_len);

#endif /* KITT_PDU_H */
