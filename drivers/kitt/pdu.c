// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: iSCSI PDU framing - header validation, AHS parsing, CRC32C
 * digests and response header builders (RFC 7143 section 11).
 *
 * Everything here is pure: no sockets, no sessions. The receive path
 * hands each Basic Header Segment to kitt_pdu_check() before it reads a
 * byte of the data segment; one table says which initiator opcodes exist,
 * in which phase they are legal and which parts they may carry.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/crc32c.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "kitt_pdu.h"
#include "kitt_compat.h"
#include "kitt_test.h"

/* The wire structures are 48 bytes each, whatever the compiler thinks. */
static_assert(sizeof(struct iscsi_hdr) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_login_req) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_login_rsp) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_scsi_req) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_scsi_rsp) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_data) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_data_rsp) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_r2t_rsp) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_nopout) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_nopin) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_text) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_text_rsp) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_tm) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_tm_rsp) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_logout) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_logout_rsp) == ISCSI_HDR_LEN);
static_assert(sizeof(struct iscsi_reject) == ISCSI_HDR_LEN);

/* Per-opcode rules for PDUs an initiator sends. */
#define KITT_PDU_KNOWN		BIT(0)	/* an initiator opcode */
#define KITT_PDU_LOGIN		BIT(1)	/* legal in the login phase */
#define KITT_PDU_FFP		BIT(2)	/* legal in full feature phase */
#define KITT_PDU_DISC		BIT(3)	/* legal in a discovery session */
#define KITT_PDU_DATA		BIT(4)	/* may carry a data segment */
#define KITT_PDU_AHS		BIT(5)	/* may carry AHS */
#define KITT_PDU_IMM		BIT(6)	/* the I bit has a meaning */
#define KITT_PDU_ITT		BIT(7)	/* ITT 0xffffffff is not allowed */
#define KITT_PDU_FINAL		BIT(8)	/* the F bit must be set */

/*
 * RFC 7143 4.3 allows only Text and Logout in a discovery session; NOP-Out
 * is let through as well, since answering a ping does no harm.
 *
 * The F bit is enforced only on NOP-Out, where Linux and libiscsi both set
 * it; on TMF, Logout and SNACK it is a fixed 1 whose absence the RFC does
 * not call an error, so it is not checked there.
 */
static const u16 kitt_pdu_rules[ISCSI_OPCODE_MASK + 1] = {
	[ISCSI_OP_NOOP_OUT]	= KITT_PDU_KNOWN | KITT_PDU_FFP | KITT_PDU_DISC |
				  KITT_PDU_DATA | KITT_PDU_IMM | KITT_PDU_FINAL,
	[ISCSI_OP_SCSI_CMD]	= KITT_PDU_KNOWN | KITT_PDU_FFP | KITT_PDU_DATA |
				  KITT_PDU_AHS | KITT_PDU_IMM | KITT_PDU_ITT,
	[ISCSI_OP_SCSI_TMFUNC]	= KITT_PDU_KNOWN | KITT_PDU_FFP | KITT_PDU_IMM |
				  KITT_PDU_ITT,
	[ISCSI_OP_LOGIN]	= KITT_PDU_KNOWN | KITT_PDU_LOGIN | KITT_PDU_DATA |
				  KITT_PDU_IMM,
	[ISCSI_OP_TEXT]	= KITT_PDU_KNOWN | KITT_PDU_FFP | KITT_PDU_DISC |
				  KITT_PDU_DATA | KITT_PDU_IMM | KITT_PDU_ITT,
	[ISCSI_OP_SCSI_DATA_OUT]	= KITT_PDU_KNOWN | KITT_PDU_FFP | KITT_PDU_DATA,
	[ISCSI_OP_LOGOUT]	= KITT_PDU_KNOWN | KITT_PDU_FFP | KITT_PDU_DISC |
				  KITT_PDU_IMM | KITT_PDU_ITT,
	[ISCSI_OP_SNACK]	= KITT_PDU_KNOWN | KITT_PDU_FFP,
};

static enum kitt_pdu_verdict kitt_pdu_reject(struct kitt_pdu_info *info,
					     u8 reason, const char *why)
{
	info->reason = reason;
	info->why = why;
	return KITT_PDU_REJECT;
}

static enum kitt_pdu_verdict kitt_pdu_drop(struct kitt_pdu_info *info,
					   const char *why)
{
	info->why = why;
	return KITT_PDU_DROP;
}

/*
 * SCSI Command header consistency (RFC 7143 11.3.1): the R/W/F bits, the
 * Expected Data Transfer Length and the immediate data must agree. What
 * depends on negotiated values (ImmediateData, FirstBurstLength) is for
 * the task layer to check.
 */
static enum kitt_pdu_verdict kitt_pdu_check_cmd(const struct iscsi_hdr *bhs,
						struct kitt_pdu_info *info)
{
	const struct iscsi_scsi_req *req = (const struct iscsi_scsi_req *)bhs;
	bool r = req->flags & ISCSI_FLAG_CMD_READ;
	bool w = req->flags & ISCSI_FLAG_CMD_WRITE;
	bool f = req->flags & ISCSI_FLAG_CMD_FINAL;
	u32 edtl = be32_to_cpu(req->data_length);

	if (!w && !f)
		return kitt_pdu_reject(info, ISCSI_REASON_PROTOCOL_ERROR,
				       "SCSI Command without W bit announces unsolicited data");
	if (!r && !w && edtl)
		return kitt_pdu_reject(info, ISCSI_REASON_PROTOCOL_ERROR,
				       "SCSI Command with a transfer length but neither R nor W");
	if (info->data_len && !w)
		return kitt_pdu_reject(info, ISCSI_REASON_PROTOCOL_ERROR,
				       "immediate data on a SCSI Command without W bit");
	if (info->data_len > edtl)
		return kitt_pdu_reject(info, ISCSI_REASON_PROTOCOL_ERROR,
				       "immediate data longer than the expected transfer length");
	if (w && info->data_len == edtl && !f)
		return kitt_pdu_reject(info, ISCSI_REASON_PROTOCOL_ERROR,
				       "F bit clear although all write data came with the command");
	return KITT_PDU_ACCEPT;
}

/**
 * kitt_pdu_check() - validate a received Basic Header Segment
 * @bhs: the 48 bytes just received
 * @lim: the connection's phase and limits
 * @info: filled with the opcode and the sizes of the rest of the PDU, for
 *	every verdict (a REJECT needs them to skip the data segment)
 *
 * Checks everything that can be checked from the header alone: the
 * opcode against the phase, TotalAHSLength and DataSegmentLength against
 * what the opcode may carry and against @lim->max_data_len, the fixed
 * bits the RFC makes errors, reserved ITTs, and the SCSI Command R/W/F
 * rules. Nothing is logged; @info->why says what was wrong.
 *
 * A DataSegmentLength above @lim->max_data_len drops the connection: the
 * initiator ignored the limit we declared and nothing it sends can be
 * trusted to be framed right. During login every failure drops the
 * connection (there is no Reject PDU during login); in full feature
 * phase an unknown opcode is rejected with "Command not supported" and
 * other header errors with "Protocol Error".
 *
 * Return: KITT_PDU_ACCEPT (0), KITT_PDU_REJECT with @info->reason set,
 * or KITT_PDU_DROP.
 */
enum kitt_pdu_verdict kitt_pdu_check(const struct iscsi_hdr *bhs,
				     const struct kitt_pdu_limits *lim,
				     struct kitt_pdu_info *info)
{
	u8 op = bhs->opcode & ISCSI_OPCODE_MASK;
	u16 rule = kitt_pdu_rules[op];

	memset(info, 0, sizeof(*info));
	info->opcode = op;
	info->immediate = (rule & KITT_PDU_IMM) && (bhs->opcode & ISCSI_OP_IMMEDIATE);
	info->ahs_len = bhs->hlength * 4;
	info->hdigest_len = lim->header_digest ? ISCSI_CRC_LEN : 0;
	info->data_len = ntoh24(bhs->dlength);
	info->pad_len = kitt_pad4(info->data_len);
	info->ddigest_len = lim->data_digest && info->data_len ? ISCSI_CRC_LEN : 0;
	info->rest_len = info->ahs_len + info->hdigest_len + info->data_len +
			 info->pad_len + info->ddigest_len;

	if (info->data_len > lim->max_data_len)
		return kitt_pdu_drop(info, "data segment longer than MaxRecvDataSegmentLength");

	if (lim->login) {
		if (op != ISCSI_OP_LOGIN)
			return kitt_pdu_drop(info, "PDU other than Login Request during login");
		if (info->ahs_len)
			return kitt_pdu_drop(info, "AHS in a Login Request");
		return KITT_PDU_ACCEPT;
	}

	if (!(rule & KITT_PDU_KNOWN))
		return kitt_pdu_reject(info, ISCSI_REASON_CMD_NOT_SUPPORTED,
				       "unknown opcode");
	if (!(rule & KITT_PDU_FFP))
		return kitt_pdu_reject(info, ISCSI_REASON_PROTOCOL_ERROR,
				       "Login Request in full feature phase");
	if (lim->discovery && !(rule & KITT_PDU_DISC))
		return kitt_pdu_reject(info, ISCSI_REASON_PROTOCOL_ERROR,
				       "opcode not allowed in a discovery session");
	if (info->ahs_len && !(rule & KITT_PDU_AHS))
		return kitt_pdu_reject(info, ISCSI_REASON_PROTOCOL_ERROR,
				       "AHS on a PDU that has none");
	if (info->data_len && !(rule & KITT_PDU_DATA))
		return kitt_pdu_reject(info, ISCSI_REASON_PROTOCOL_ERROR,
				       "data segment on a PDU that has none");
	if ((rule & KITT_PDU_FINAL) && !(bhs->flags & ISCSI_FLAG_CMD_FINAL))
		return kitt_pdu_reject(info, ISCSI_REASON_PROTOCOL_ERROR,
				       "F bit not set");
	if ((rule & KITT_PDU_ITT) && bhs->itt == RESERVED_ITT)
		return kitt_pdu_reject(info, ISCSI_REASON_PROTOCOL_ERROR,
				       "reserved Initiator Task Tag 0xffffffff");

	switch (op) {
	case ISCSI_OP_NOOP_OUT:
		/* RFC 7143 11.18.2: a NOP-Out answering a NOP-In is immediate. */
		if (bhs->itt == RESERVED_ITT && !info->immediate)
			return kitt_pdu_reject(info, ISCSI_REASON_PROTOCOL_ERROR,
					       "NOP-Out with reserved ITT but no I bit");
		break;
	case ISCSI_OP_SCSI_CMD:
		return kitt_pdu_check_cmd(bhs, info);
	case ISCSI_OP_TEXT:
		/* RFC 7143 11.10.2: C set requires F clear. */
		if ((bhs->flags & ISCSI_FLAG_CMD_FINAL) &&
		    (bhs->flags & ISCSI_FLAG_TEXT_CONTINUE))
			return kitt_pdu_reject(info, ISCSI_REASON_PROTOCOL_ERROR,
					       "Text Request with both F and C bits");
		break;
	}
	return KITT_PDU_ACCEPT;
}

/**
 * kitt_pdu_parse_ahs() - parse the AHS area of a SCSI Command
 * @ahs: the AHS bytes (TotalAHSLength * 4 of them)
 * @ahs_len: their number, a multiple of 4
 * @out: the Extended CDB and Bidirectional Read Length found
 *
 * Each AHS is AHSLength (2 bytes), AHSType (1 byte) and AHSLength bytes
 * of which the first is reserved, padded to 4 bytes. Every AHS must fit
 * inside @ahs_len, and together they must fill it exactly. An Extended
 * CDB AHS (AHSLength = CDB length - 15) must add at least one byte and
 * keep the CDB within KITT_MAX_CDB_LEN; a Bidirectional Read Expected
 * Data Transfer Length AHS has AHSLength 5. Each type may appear once.
 *
 * Return: 0; -EINVAL for a malformed AHS (reject with Protocol Error);
 * -EOPNOTSUPP for an AHS type kitt does not know (reject with Command
 * not supported). @out is cleared on entry, so it is never half-valid
 * to a caller that ignores the error.
 */
int kitt_pdu_parse_ahs(const u8 *ahs, u32 ahs_len, struct kitt_ahs *out)
{
	u32 off = 0;

	memset(out, 0, sizeof(*out));
	if (ahs_len > KITT_MAX_AHS_LEN || (ahs_len & 3))
		return -EINVAL;

	while (off < ahs_len) {
		u32 left = ahs_len - off;
		u16 len;
		u32 total;

		/* off and ahs_len are multiples of 4: left >= 4 here */
		len = get_unaligned_be16(&ahs[off]);
		total = round_up(3 + (u32)len, 4);
		if (total > left)
			goto bad;

		switch (ahs[off + 2]) {
		case ISCSI_AHSTYPE_CDB:
			if (out->ext_cdb || len < 2 ||
			    ISCSI_CDB_SIZE + len - 1 > KITT_MAX_CDB_LEN)
				goto bad;
			out->ext_cdb = ahs + off + 4;
			out->ext_cdb_len = len - 1;
			break;
		case ISCSI_AHSTYPE_RLENGTH:
			if (out->has_bidi || len != 5)
				goto bad;
			out->has_bidi = true;
			out->bidi_read_len = get_unaligned_be32(&ahs[off + 4]);
			break;
		default:
			memset(out, 0, sizeof(*out));
			return -EOPNOTSUPP;
		}
		off += total;
	}
	return 0;

bad:
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}

/**
 * kitt_pdu_get_cdb() - assemble the whole CDB of a SCSI Command
 * @req: the SCSI Command BHS (first 16 CDB bytes)
 * @ahs: its parsed AHS (the rest of a long CDB), or NULL
 * @cdb: destination
 * @size: bytes available at @cdb
 *
 * Return: the CDB length (16 plus the Extended CDB bytes), or -ENOSPC if
 * @size is too small.
 */
int kitt_pdu_get_cdb(const struct iscsi_scsi_req *req, const struct kitt_ahs *ahs,
		     u8 *cdb, u32 size)
{
	u32 ext = ahs && ahs->ext_cdb ? ahs->ext_cdb_len : 0;

	if (size < ISCSI_CDB_SIZE + ext)
		return -ENOSPC;
	memcpy(cdb, req->cdb, ISCSI_CDB_SIZE);
	if (ext)
		memcpy(cdb + ISCSI_CDB_SIZE, ahs->ext_cdb, ext);
	return ISCSI_CDB_SIZE + ext;
}

/**
 * kitt_crc32c() - feed bytes into a running iSCSI CRC32C
 * @crc: KITT_CRC32C_SEED to start, or the value of a previous call
 * @buf: the bytes
 * @len: their number
 *
 * Return: the running CRC, to pass on or to kitt_crc32c_final().
 */
u32 kitt_crc32c(u32 crc, const void *buf, size_t len)
{
	/* PDU parts are far below 4 GiB, crc32c()'s length limit. */
	return crc32c(crc, buf, len);
}

/**
 * kitt_crc32c_page() - feed part of a page (or of physically contiguous
 * pages) into a running CRC32C
 * @crc: the running CRC
 * @page: the first page
 * @offset: offset from the start of @page, may exceed PAGE_SIZE
 * @len: bytes
 *
 * Maps one page at a time, so highmem and multi-page bio_vecs work.
 *
 * Return: the running CRC.
 */
u32 kitt_crc32c_page(u32 crc, struct page *page, unsigned int offset, size_t len)
{
	page = nth_page(page, offset >> PAGE_SHIFT);
	offset &= ~PAGE_MASK;

	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - offset);
		u8 *p = kmap_local_page(page);

		crc = crc32c(crc, p + offset, n);
		kunmap_local(p);
		page = nth_page(page, 1);
		offset = 0;
		len -= n;
	}
	return crc;
}

/**
 * kitt_crc32c_pad() - feed the zero padding that follows a data segment
 * @crc: the running CRC over the data segment
 * @data_len: the DataSegmentLength (padding is 0-3 bytes up to a multiple of 4)
 *
 * The data digest covers the padding (RFC 7143 11.1).
 *
 * Return: the running CRC.
 */
u32 kitt_crc32c_pad(u32 crc, u32 data_len)
{
	static const u8 zeros[4];
	u32 pad = kitt_pad4(data_len);

	return pad ? crc32c(crc, zeros, pad) : crc;
}

/**
 * kitt_crc32c_final() - finish a running CRC32C into a digest
 * @crc: the running CRC
 *
 * Return: the digest as its four bytes go on the wire (the inverted CRC,
 * least significant byte first): compare it with a received digest, or
 * send it as it is.
 */
__le32 kitt_crc32c_final(u32 crc)
{
	return cpu_to_le32(~crc);
}

/**
 * kitt_pdu_header_digest() - HeaderDigest of a PDU
 * @bhs: the BHS
 * @ahs: the AHS, or NULL
 * @ahs_len: bytes of AHS
 *
 * Return: the digest as it goes on the wire.
 */
__le32 kitt_pdu_header_digest(const struct iscsi_hdr *bhs, const void *ahs, u32 ahs_len)
{
	u32 crc = kitt_crc32c(KITT_CRC32C_SEED, bhs, ISCSI_HDR_LEN);

	if (ahs_len)
		crc = kitt_crc32c(crc, ahs, ahs_len);
	return kitt_crc32c_final(crc);
}

#if IS_ENABLED(CONFIG_KITT_KUNIT_TEST)
/**
 * kitt_pdu_data_digest() - DataDigest of a data segment in one buffer
 * @data: the data segment
 * @len: DataSegmentLength (the padding is added here)
 *
 * Return: the digest as it goes on the wire.
 */
__le32 kitt_pdu_data_digest(const void *data, u32 len)
{
	u32 crc = kitt_crc32c(KITT_CRC32C_SEED, data, len);

	return kitt_crc32c_final(kitt_crc32c_pad(crc, len));
}

/**
 * kitt_pdu_init_rsp() - start a target PDU header
 * @bhs: the header to fill
 * @opcode: the opcode (a target opcode, 0x20 and up)
 * @flags: byte 1
 * @itt: the Initiator Task Tag it answers (RESERVED_ITT if none)
 *
 * Zeroes all 48 bytes first, so every reserved field is 0 and
 * DataSegmentLength is 0 until hton24().
 */
void kitt_pdu_init_rsp(struct iscsi_hdr *bhs, u8 opcode, u8 flags, itt_t itt)
{
	memset(bhs, 0, sizeof(*bhs));
	bhs->opcode = opcode;
	bhs->flags = flags;
	bhs->itt = itt;
}
#endif /* CONFIG_KITT_KUNIT_TEST */

/**
 * kitt_pdu_init_reject() - start a Reject PDU
 * @rej: the header to fill
 * @reason: the reason code (RFC 7143 11.17.1)
 *
 * The data segment of a Reject is the rejected PDU's BHS, so
 * DataSegmentLength is set to 48; the caller sends those 48 bytes and
 * fills in StatSN, ExpCmdSN and MaxCmdSN.
 */
void kitt_pdu_init_reject(struct iscsi_reject *rej, u8 reason)
{
	memset(rej, 0, sizeof(*rej));
	rej->opcode = ISCSI_OP_REJECT;
	rej->flags = ISCSI_FLAG_CMD_FINAL;
	rej->reason = reason;
	rej->ffffffff = cpu_to_be32(ISCSI_RESERVED_TAG);
	hton24(rej->dlength, ISCSI_HDR_LEN);
}

/* Bytes of data segment, padding and data digest after a header. */
static u32 kitt_rx_scan_data_total(const struct kitt_rx_scan *s, u32 data_len)
{
	if (!data_len)
		return 0;
	return data_len + kitt_pad4(data_len) + (s->data_digest ? ISCSI_CRC_LEN : 0);
}

/**
 * kitt_rx_scan_data() - the stream is right after a header, before its data
 * @s: the scanner
 * @data_len: that PDU's DataSegmentLength
 *
 * The receive side calls this when it has just parsed a header and nothing
 * past it has been read: the scanner starts again from a known place.
 */
void kitt_rx_scan_data(struct kitt_rx_scan *s, u32 data_len)
{
	s->bhs_got = 0;
	s->hdr_left = 0;
	s->data_left = kitt_rx_scan_data_total(s, data_len);
	s->big = data_len >= s->direct;
}

/**
 * kitt_rx_scan_feed() - account for bytes taken from the socket
 * @s: the scanner
 * @p: the bytes, or NULL for bytes known to belong to a data segment
 *	(read around the stash)
 * @n: how many
 */
void kitt_rx_scan_feed(struct kitt_rx_scan *s, const u8 *p, u32 n)
{
	while (n) {
		u32 k, i;

		if (s->hdr_left || s->data_left) {
			u32 *left = s->hdr_left ? &s->hdr_left : &s->data_left;

			k = min(n, *left);
			*left -= k;
		} else {
			k = min_t(u32, n, ISCSI_HDR_LEN - s->bhs_got);
			for (i = 0; i < k; i++) {
				u32 at = s->bhs_got + i;

				if (at >= 4 && at < 8)
					s->dsl[at - 4] = p ? p[i] : 0;
			}
			s->bhs_got += k;
			if (s->bhs_got == ISCSI_HDR_LEN) {
				u32 len = (s->dsl[1] << 16) | (s->dsl[2] << 8) | s->dsl[3];

				kitt_rx_scan_data(s, len);
				s->hdr_left = s->dsl[0] * 4 +
					      (s->header_digest ? ISCSI_CRC_LEN : 0);
			}
		}
		n -= k;
		if (p)
			p += k;
	}
}

/**
 * kitt_rx_scan_room() - how much a refill of the stash may take
 * @s: the scanner
 *
 * Return: the bytes up to the next decision: the rest of a BHS, of a
 * header, or of a small data segment; 0 before a large data segment, which
 * the receive side reads around the stash.
 */
u32 kitt_rx_scan_room(const struct kitt_rx_scan *s)
{
	if (s->hdr_left)
		return s->hdr_left;
	if (s->data_left)
		return s->big ? 0 : s->data_left;
	return ISCSI_HDR_LEN - s->bhs_got;
}

/**
 * kitt_pdu_data_in_count() - how many Data-In PDUs carry a command's read data
 * @len: bytes of read data
 * @seg: the most one PDU carries (the initiator's MaxRecvDataSegmentLength)
 * @burst: MaxBurstLength: a sequence, and the PDU carrying its last bytes,
 *	ends every @burst bytes
 *
 * As the transmit side splits them: each full burst into
 * DIV_ROUND_UP(@burst, @seg) PDUs, the rest likewise. A zero @seg or
 * @burst (never negotiated: both are at least 512) counts as no limit.
 *
 * Return: the number of PDUs; 0 for no data.
 */
u32 kitt_pdu_data_in_count(u32 len, u32 seg, u32 burst)
{
	if (!len)
		return 0;
	if (!seg)
		seg = len;
	if (!burst)
		burst = len;
	return len / burst * DIV_ROUND_UP(burst, seg) + DIV_ROUND_UP(len % burst, seg);
}
