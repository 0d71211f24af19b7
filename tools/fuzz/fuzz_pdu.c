// SPDX-License-Identifier: GPL-2.0
/*
 * kitt fuzzing: pdu.c - BHS validation, AHS parsing, CDB assembly, the
 * CRC32C digests and the receive scanner (the whole input as a stream).
 *
 * Input: one byte of connection state (login, discovery, digests), two
 * bytes choosing MaxRecvDataSegmentLength, the 48-byte BHS, then the AHS
 * area; what is left after TotalAHSLength * 4 bytes is a data segment.
 */
#include "fuzz.h"

static const u32 fz_dsl[] = { KITT_LOGIN_MAX_DSL, 262144, KITT_MAX_DSL, 512 };

static void fz_pdu_check(const struct iscsi_hdr *bhs, const struct kitt_pdu_limits *lim,
			 struct kitt_pdu_info *info)
{
	enum kitt_pdu_verdict v = kitt_pdu_check(bhs, lim, info);
	u32 dlen = ntoh24(bhs->dlength);

	FZ_CHECK(v == KITT_PDU_ACCEPT || v == KITT_PDU_REJECT || v == KITT_PDU_DROP,
		 "verdict %d", v);
	FZ_CHECK(info->opcode == (bhs->opcode & ISCSI_OPCODE_MASK), "opcode");
	FZ_CHECK(info->data_len == dlen, "data_len %u", info->data_len);
	FZ_CHECK(info->ahs_len == bhs->hlength * 4u, "ahs_len");
	FZ_CHECK(info->ahs_len <= KITT_MAX_AHS_LEN, "ahs_len %u", info->ahs_len);
	FZ_CHECK(info->pad_len < 4 && !((info->data_len + info->pad_len) & 3), "pad");
	FZ_CHECK(info->hdigest_len == (lim->header_digest ? 4u : 0u), "hdigest");
	FZ_CHECK(info->ddigest_len == (lim->data_digest && dlen ? 4u : 0u), "ddigest");
	FZ_CHECK(info->rest_len == info->ahs_len + info->hdigest_len + info->data_len +
		 info->pad_len + info->ddigest_len, "rest_len %u", info->rest_len);
	FZ_CHECK((v == KITT_PDU_ACCEPT) == !info->why, "why %s", info->why ?: "NULL");
	if (v == KITT_PDU_ACCEPT) {
		FZ_CHECK(dlen <= lim->max_data_len, "accepted %u > %u", dlen, lim->max_data_len);
		if (lim->login)
			FZ_CHECK(info->opcode == ISCSI_OP_LOGIN && !info->ahs_len,
				 "login accepted opcode 0x%x", info->opcode);
	}
	if (v == KITT_PDU_REJECT)
		FZ_CHECK(!lim->login && info->reason, "reject during login or reason 0");
	if (dlen > lim->max_data_len)
		FZ_CHECK(v == KITT_PDU_DROP, "oversized segment not dropped");
}

static void fz_pdu_ahs(const struct iscsi_scsi_req *req, const u8 *ahs, u32 ahs_len, u8 sel)
{
	struct kitt_ahs parsed;
	u8 cdb[KITT_MAX_CDB_LEN];
	u32 size;
	int ret;

	ret = kitt_pdu_parse_ahs(ahs, ahs_len, &parsed);
	FZ_CHECK(ret == 0 || ret == -EINVAL || ret == -EOPNOTSUPP, "parse_ahs %d", ret);
	if (ret) {
		FZ_CHECK(!parsed.ext_cdb && !parsed.ext_cdb_len && !parsed.has_bidi,
			 "half-valid AHS after an error");
		return;
	}
	FZ_CHECK(!(ahs_len & 3) && ahs_len <= KITT_MAX_AHS_LEN, "accepted AHS length %u", ahs_len);
	if (parsed.ext_cdb) {
		FZ_CHECK(parsed.ext_cdb >= ahs &&
			 parsed.ext_cdb + parsed.ext_cdb_len <= ahs + ahs_len,
			 "Extended CDB outside the AHS");
		FZ_CHECK(parsed.ext_cdb_len >= 1 &&
			 ISCSI_CDB_SIZE + parsed.ext_cdb_len <= KITT_MAX_CDB_LEN,
			 "ext_cdb_len %u", parsed.ext_cdb_len);
	}
	/* the whole CDB, into a buffer of the size the task layer has, or less */
	size = sel & 1 ? KITT_MAX_CDB_LEN : sel % KITT_MAX_CDB_LEN;
	ret = kitt_pdu_get_cdb(req, &parsed, cdb, size);
	if (ret >= 0) {
		FZ_CHECK((u32)ret <= size && ret >= ISCSI_CDB_SIZE, "cdb length %d", ret);
		FZ_CHECK(!memcmp(cdb, req->cdb, ISCSI_CDB_SIZE), "cdb head");
	} else {
		FZ_CHECK(ret == -ENOSPC, "get_cdb %d", ret);
	}
}

/* The page walk must give the CRC of the same bytes in one piece. */
static void fz_pdu_crc(const u8 *data, u32 len, u16 sel)
{
	struct page *pages = calloc(3, PAGE_SIZE);
	u32 offset = sel % (2 * PAGE_SIZE), n;
	u32 a, b;

	if (!pages)
		abort();
	n = min_t(u32, len, 3 * PAGE_SIZE - offset);
	memcpy((u8 *)pages + offset, data, n);
	a = kitt_crc32c_page(KITT_CRC32C_SEED, pages, offset, n);
	b = kitt_crc32c(KITT_CRC32C_SEED, (u8 *)pages + offset, n);
	FZ_CHECK(a == b, "crc over pages %08x, flat %08x", a, b);
	free(pages);
	(void)kitt_pdu_data_digest(data, len);
	(void)kitt_crc32c_final(kitt_crc32c_pad(a, len));
}

/* Where the scanner says a refill may go, from a plain walk of the stream. */
static u32 fz_scan_room(const u8 *data, size_t size, size_t at, const struct kitt_rx_scan *s)
{
	size_t p = 0;

	for (;;) {
		size_t hdr, seg = 0, dsl;

		if (at < p + ISCSI_HDR_LEN)
			return p + ISCSI_HDR_LEN - at;
		dsl = (data[p + 5] << 16) | (data[p + 6] << 8) | data[p + 7];
		hdr = data[p + 4] * 4 + (s->header_digest ? 4 : 0);
		if (dsl)
			seg = dsl + kitt_pad4(dsl) + (s->data_digest ? 4 : 0);
		if (at < p + ISCSI_HDR_LEN + hdr)
			return p + ISCSI_HDR_LEN + hdr - at;
		if (at < p + ISCSI_HDR_LEN + hdr + seg)
			return dsl >= s->direct ? 0 : p + ISCSI_HDR_LEN + hdr + seg - at;
		p += ISCSI_HDR_LEN + hdr + seg;
		if (p > size)
			return 0;
	}
}

/* The receive scanner, fed the whole input as a stream in uneven pieces. */
static void fz_pdu_scan(const u8 *data, size_t size, u8 state, u16 sel)
{
	struct kitt_rx_scan s = {
		.header_digest = state & 4, .data_digest = state & 8,
		.direct = state & 0x10 ? 4096 : 512,
	};
	u32 x = sel | 1;
	size_t at = 0;

	while (at < size) {
		u32 k = 1 + (x >> 16) % 97;

		x = x * 1103515245 + 12345;
		if (k > size - at)
			k = size - at;
		kitt_rx_scan_feed(&s, data + at, k);
		at += k;
		FZ_CHECK(kitt_rx_scan_room(&s) == fz_scan_room(data, size, at, &s),
			 "scanner room %u at %zu, expected %u", kitt_rx_scan_room(&s), at,
			 fz_scan_room(data, size, at, &s));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kitt_pdu_limits lim = { };
	struct kitt_pdu_info info;
	struct iscsi_reject rej;
	struct iscsi_hdr bhs;
	struct fz f;
	u8 state, *ahs, *seg;
	u16 sel;
	u32 ahs_len, seg_len;

	fz_init(&f, data, size);
	state = fz_u8(&f);
	sel = fz_u16(&f);
	lim.login = state & 1;
	lim.discovery = state & 2;
	lim.header_digest = state & 4;
	lim.data_digest = state & 8;
	lim.max_data_len = fz_dsl[(state >> 4) & 3];
	if (state & 0x40)
		lim.max_data_len = (u32)sel << 8;
	fz_bytes(&f, &bhs, sizeof(bhs));
	fz_pdu_scan(data, size, state, sel);

	fz_pdu_check(&bhs, &lim, &info);

	/* the AHS bytes the receive path would read, in a block of their own */
	ahs = fz_dup(&f, state & 0x80 ? f.left : info.ahs_len, &ahs_len);
	fz_pdu_ahs((const struct iscsi_scsi_req *)&bhs, ahs, ahs_len, sel);
	(void)kitt_pdu_header_digest(&bhs, ahs, ahs_len);

	seg = fz_rest(&f, &seg_len);
	fz_pdu_crc(seg, seg_len, sel);

	kitt_pdu_init_reject(&rej, info.reason);
	FZ_CHECK(ntoh24(rej.dlength) == ISCSI_HDR_LEN, "reject length");
	free(seg);
	free(ahs);
	return 0;
}
