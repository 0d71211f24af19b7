/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt: what only the tests use - the KUnit suites (*_test.c) and the
 * fuzz harnesses (tools/fuzz). The module itself calls none of it, so
 * it is built only with CONFIG_KITT_KUNIT_TEST (the harnesses define it
 * too). Each function lives in the file of the layer it belongs to.
 */
#ifndef KITT_TEST_H
#define KITT_TEST_H

#include <linux/types.h>

#include "kitt_pdu.h"
#include "kitt_login.h"

#if IS_ENABLED(CONFIG_KITT_KUNIT_TEST)

/* pdu.c */
__le32 kitt_pdu_data_digest(const void *data, u32 len);
void kitt_pdu_init_rsp(struct iscsi_hdr *bhs, u8 opcode, u8 flags, itt_t itt);

/* text.c: @item is a member of the list @list. */
bool kitt_text_list_has(const char *list, const char *item);

/* params.c */
/* A text negotiation sequence in full feature phase; resets nothing. */
void kitt_nego_init_text(struct kitt_nego *n,
			 const struct kitt_param_offer *offer,
			 struct kitt_sess_params *result);
/* Every key of kitt_sess_params_has() as "Key=Value\n" lines. */
ssize_t kitt_sess_params_print(const struct kitt_sess_params *p, char *buf,
			       size_t size);

/* chap.c */
const char *kitt_chap_alg_name(u8 alg);
/* Before kitt_chap_start(): send this CHAP_I and CHAP_C, not random ones. */
void kitt_chap_set_test_challenge(struct kitt_chap *chap, u8 id,
				  const u8 *challenge, u8 len);

/* spc.c: for when the task layer raises unit attentions */

#endif /* CONFIG_KITT_KUNIT_TEST */

#endif /* KITT_TEST_H */
