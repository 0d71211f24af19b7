// SPDX-License-Identifier: GPL-2.0
/*
 * kitt fuzzing: params.c - the target's offer (params/ writes) and the
 * negotiation of the initiator's keys.
 *
 * Input: a mode byte (leading login, discovery, text negotiation in full
 * feature phase, stages), a byte saying how many of the pairs that follow
 * are params/ writes ("Key=value" stored into the offer, as configfs
 * does), then the initiator's key=value pairs, each answered with
 * kitt_nego_key() and the stage ended with kitt_nego_finish().
 */
#include "fuzz.h"

static void fz_params_sane(const struct kitt_sess_params *p)
{
	FZ_CHECK(p->max_burst_length >= 512 && p->max_burst_length <= KITT_MAX_DSL,
		 "MaxBurstLength %u", p->max_burst_length);
	FZ_CHECK(p->first_burst_length >= 512 && p->first_burst_length <= KITT_MAX_DSL,
		 "FirstBurstLength %u", p->first_burst_length);
	FZ_CHECK(p->max_recv_dsl >= 512 && p->max_recv_dsl <= KITT_MAX_DSL,
		 "MaxRecvDataSegmentLength %u", p->max_recv_dsl);
	FZ_CHECK(p->max_xmit_dsl >= 512 && p->max_xmit_dsl <= KITT_MAX_DSL,
		 "initiator's MaxRecvDataSegmentLength %u", p->max_xmit_dsl);
	FZ_CHECK(p->max_outstanding_r2t >= 1 && p->max_outstanding_r2t <= 65535,
		 "MaxOutstandingR2T %u", p->max_outstanding_r2t);
	FZ_CHECK(p->max_connections >= 1 && p->max_connections <= 65535,
		 "MaxConnections %u", p->max_connections);
	FZ_CHECK(p->default_time2wait <= 3600 && p->default_time2retain <= 3600, "Time2*");
	FZ_CHECK(p->error_recovery_level <= 2, "ErrorRecoveryLevel %u", p->error_recovery_level);
	FZ_CHECK(p->protocol_level <= 31, "iSCSIProtocolLevel %u", p->protocol_level);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kitt_param_offer offer, shown;
	struct kitt_sess_params params;
	struct kitt_text_cursor c;
	struct kitt_text_pair pair;
	struct kitt_text_buf rsp;
	struct kitt_nego n;
	char *text, *page, out[KITT_LOGIN_MAX_DSL], show[64];
	u8 mode, nr_config, key;
	u32 len, out_size;
	struct fz f;
	int ret, k;

	fz_init(&f, data, size);
	mode = fz_u8(&f);
	nr_config = fz_u8(&f);
	out_size = mode & 0x80 ? sizeof(out) : 64 + fz_u8(&f) * 8;
	text = (char *)fz_rest(&f, &len);
	page = malloc(PAGE_SIZE);
	if (!page)
		abort();

	/* params/ writes, as configfs passes them (the value is all bytes to the NUL) */
	kitt_params_offer_init(&offer);
	kitt_text_cursor_init(&c, text, len);
	while (nr_config-- && kitt_text_next(&c, &pair) == 1) {
		k = kitt_params_key_lookup(pair.key);
		key = k < 0 ? (u8)pair.key[0] : k;
		shown = offer;
		ret = kitt_params_offer_store(&offer, key, pair.val, pair.val_len);
		FZ_CHECK(ret == 0 || ret == -EINVAL, "offer_store %d", ret);
		if (ret)
			FZ_CHECK(!memcmp(&shown, &offer, sizeof(offer)), "failed store changed the offer");
		else
			FZ_CHECK(kitt_params_key_configurable(key), "stored a key not in params/");
	}
	/* what params/ shows must be accepted back as it is */
	for (k = 0; k < KITT_NR_KEYS; k++) {
		ssize_t sl = kitt_params_offer_show(&offer, k, page);

		if (!kitt_params_key_configurable(k)) {
			FZ_CHECK(sl == -EINVAL, "show of key %d", k);
			continue;
		}
		FZ_CHECK(sl > 0 && sl < (ssize_t)PAGE_SIZE, "show %zd", sl);
		shown = offer;
		FZ_CHECK(!kitt_params_offer_store(&shown, k, page, sl), "shown value refused: %.*s",
			 (int)sl, page);
		FZ_CHECK(shown.val[k] == offer.val[k], "show/store round trip of key %d", k);
	}

	/* the initiator's keys */
	kitt_text_buf_init(&rsp, out, out_size);
	if (mode & 1) {
		kitt_sess_params_init(&params);
		kitt_nego_init_text(&n, &offer, &params);
	} else {
		kitt_sess_params_init(&params);
		params.max_connections = 1 + (mode >> 5);
		kitt_nego_init(&n, &offer, &params, mode & 2, mode & 4);
		kitt_nego_set_stage(&n, mode & 8 ? ISCSI_SECURITY_NEGOTIATION_STAGE :
					 ISCSI_OP_PARMS_NEGOTIATION_STAGE);
	}
	while (kitt_text_next(&c, &pair) == 1) {
		u32 before = rsp.len;

		ret = kitt_nego_key(&n, pair.key, pair.val, &rsp);
		FZ_CHECK(ret == 0 || ret == -ENOENT || ret == -EPROTO || ret == -EEXIST ||
			 ret == -EINVAL || ret == -ENOSPC, "nego_key %d", ret);
		FZ_CHECK(rsp.len <= rsp.size, "answer %u of %u", rsp.len, rsp.size);
		if (ret == -EPROTO || ret == -EEXIST || ret == -EINVAL)
			FZ_CHECK(n.reason, "no reason for %d", ret);
		if (ret == -ENOENT)
			FZ_CHECK(rsp.len == before, "-ENOENT appended an answer");
		if (ret == -ENOSPC)
			FZ_CHECK(rsp.overflow, "-ENOSPC without overflow");
		/* the stage may move on between requests */
		if ((mode & 0x10) && !(mode & 1) && pair.val_len == 1)
			kitt_nego_set_stage(&n, ISCSI_OP_PARMS_NEGOTIATION_STAGE);
	}
	ret = kitt_nego_finish(&n, &rsp);
	FZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ENOSPC, "nego_finish %d", ret);
	if (ret == -EINVAL)
		FZ_CHECK(n.reason, "no reason for the failed finish");
	if (!ret && n.stage == ISCSI_OP_PARMS_NEGOTIATION_STAGE)
		FZ_CHECK(n.declared, "MaxRecvDataSegmentLength not declared");
	fz_check_text(rsp.buf, rsp.len);
	fz_params_sane(&params);

	/* sysfs shows every negotiated value */
	for (k = 0; k < KITT_NR_KEYS; k++) {
		ssize_t sl = kitt_sess_params_show(&params, k, show, sizeof(show));

		FZ_CHECK(kitt_sess_params_has(k) ? sl > 0 && sl < (ssize_t)sizeof(show) :
			 sl == -ENOENT, "sess_params_show %zd", sl);
	}
	ret = kitt_sess_params_print(&params, page, PAGE_SIZE);
	FZ_CHECK(ret > 0 && ret < (int)PAGE_SIZE && strlen(page) == (size_t)ret, "print %d", ret);

	free(page);
	free(text);
	return 0;
}
