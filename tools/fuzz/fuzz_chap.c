// SPDX-License-Identifier: GPL-2.0
/*
 * kitt fuzzing: chap.c - CHAP_A selection, the binary value decoders and
 * the check of the initiator's response, with mutual CHAP.
 *
 * The hashes are OpenSSL's (shim), the "random" challenge comes from a
 * generator the input seeds, so a seed can carry a right CHAP_R.
 *
 * Input: a byte of credentials and hashes the kernel lacks, a byte of
 * which keys are present, the random seed, the answer buffer size, then
 * NUL-separated CHAP_A, CHAP_N, CHAP_R, CHAP_I and CHAP_C values; what
 * is left is decoded as a binary value on its own.
 */
#include "fuzz.h"

#define FZ_USER		"user"
#define FZ_SECRET	"secretsecret12"
#define FZ_TUSER	"target"
#define FZ_TSECRET	"mutualsecret16"

static const char * const fz_hash_names[] = {
	[KITT_CHAP_MD5] = "md5", [KITT_CHAP_SHA1] = "sha1",
	[KITT_CHAP_SHA256] = "sha256", [KITT_CHAP_SHA3_256] = "sha3-256",
};

/* H(id || secret || challenge), computed here, not by chap.c */
static void fz_chap_expect(u8 alg, u8 id, const char *secret, const u8 *c, u32 clen, u8 *out)
{
	struct crypto_shash *tfm = crypto_alloc_shash(fz_hash_names[alg], 0, 0);
	SHASH_DESC_ON_STACK(desc, tfm);

	FZ_CHECK(!IS_ERR(tfm), "no hash for CHAP_A %u", alg);
	desc->tfm = tfm;
	crypto_shash_init(desc);
	crypto_shash_update(desc, &id, 1);
	crypto_shash_update(desc, (const u8 *)secret, strlen(secret));
	crypto_shash_update(desc, c, clen);
	crypto_shash_final(desc, out);
	crypto_free_shash(tfm);
}

static void fz_chap_decode(const char *s, u32 size)
{
	u8 *out = malloc(size ? size : 1);
	int ret;

	if (!out)
		abort();
	ret = kitt_text_parse_binary(s, out, size);
	FZ_CHECK(ret == -EINVAL || ret == -EOVERFLOW || (ret >= 1 && (u32)ret <= size),
		 "decode_binary %d into %u", ret, size);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a, *n, *r, *i, *c, *rest, out[KITT_LOGIN_MAX_DSL];
	u8 expect[KITT_CHAP_DIGEST_MAX], got[KITT_CHAP_BINARY_MAX];
	struct kitt_chap_cred *cred;
	struct kitt_text_buf rsp;
	struct kitt_chap chap;
	u8 creds, keys;
	u32 out_size;
	struct fz f;
	int ret;

	fz_init(&f, data, size);
	creds = fz_u8(&f);
	keys = fz_u8(&f);
	kitt_shim_reset(fz_u8(&f));
	out_size = keys & 0x80 ? sizeof(out) : fz_u8(&f) * 2;
	kitt_shim_missing_hash = creds & 0xf0 ? (creds & 0xf0) << 1 : 0;
	if ((creds & 0x0c) == 0x0c)
		kitt_shim_fail_alloc = 1 + (keys >> 5 & 3);
	a = fz_str(&f);
	n = fz_str(&f);
	r = fz_str(&f);
	i = fz_str(&f);
	c = fz_str(&f);
	rest = fz_str(&f);

	cred = calloc(1, sizeof(*cred));
	if (!cred)
		abort();
	if (creds & 1) {
		strcpy(cred->userid, FZ_USER);
		strcpy(cred->password, FZ_SECRET);
	}
	if (creds & 2) {
		strcpy(cred->userid_mutual, FZ_TUSER);
		strcpy(cred->password_mutual, FZ_TSECRET);
	}

	kitt_text_buf_init(&rsp, out, out_size);
	kitt_chap_init(&chap);
	if (keys & 0x20) {
		/* a response before any challenge */
		ret = kitt_chap_verify(&chap, cred, n, r, NULL, NULL, &rsp);
		FZ_CHECK(ret == -EPROTO && chap.err, "verify before start: %d", ret);
	}
	ret = kitt_chap_start(&chap, keys & 0x10 ? NULL : a, &rsp);
	FZ_LOG("start(%s) -> %d %s\n", a, ret, chap.err ?: "");
	FZ_CHECK(ret == 0 || ret == -EACCES || ret == -ENOENT || ret == -EINVAL ||
		 ret == -EPROTO || ret == -ENOSPC || ret == -ENOMEM, "start %d", ret);
	FZ_CHECK(!ret == !chap.err, "start %d, err %s", ret, chap.err ?: "NULL");
	FZ_CHECK(rsp.len <= rsp.size, "answer length");
	if (!ret) {
		FZ_CHECK(chap.state == KITT_CHAP_CHALLENGED, "state %d", chap.state);
		FZ_CHECK(chap.alg >= KITT_CHAP_MD5 && chap.alg <= KITT_CHAP_SHA3_256, "alg %u",
			 chap.alg);
		FZ_CHECK(chap.challenge_len >= 16 && chap.challenge_len <= KITT_CHAP_DIGEST_MAX &&
			 chap.digest_len <= KITT_CHAP_DIGEST_MAX, "challenge %u digest %u",
			 chap.challenge_len, chap.digest_len);
		FZ_CHECK(!(kitt_shim_missing_hash & BIT(chap.alg)), "picked a missing hash");
		fz_check_text(rsp.buf, rsp.len);

		rsp.len = 0;
		ret = kitt_chap_verify(&chap, cred, keys & 1 ? n : NULL, keys & 2 ? r : NULL,
				       keys & 4 ? i : NULL, keys & 8 ? c : NULL, &rsp);
		FZ_LOG("verify -> %d %s\n", ret, chap.err ?: "");
		FZ_CHECK(ret == 0 || ret == -EACCES || ret == -ENOENT || ret == -EINVAL ||
			 ret == -ENOSPC || ret == -ENOMEM, "verify %d", ret);
		FZ_CHECK(!ret == !chap.err, "verify %d, err %s", ret, chap.err ?: "NULL");
		FZ_CHECK(rsp.len <= rsp.size, "answer length");
		if (!ret) {
			/* authenticated: only with the right name and the right answer */
			FZ_CHECK(chap.state == KITT_CHAP_DONE, "state %d", chap.state);
			FZ_CHECK((creds & 1) && (keys & 1) && !strcmp(n, FZ_USER), "CHAP_N %s", n);
			fz_chap_expect(chap.alg, chap.id, FZ_SECRET, chap.challenge,
				       chap.challenge_len, expect);
			FZ_CHECK(kitt_text_parse_binary(r, got, sizeof(got)) == chap.digest_len &&
				 !memcmp(got, expect, chap.digest_len),
				 "authenticated with a wrong CHAP_R");
			if (keys & 4)
				FZ_CHECK((creds & 2) && rsp.len, "mutual CHAP without an answer");
			fz_check_text(rsp.buf, rsp.len);
		} else {
			FZ_CHECK(chap.state == KITT_CHAP_FAILED, "state %d after %d", chap.state, ret);
		}
		/* one answer per challenge */
		ret = kitt_chap_verify(&chap, cred, n, r, NULL, NULL, &rsp);
		FZ_CHECK(ret == -EPROTO, "second verify %d", ret);
	}
	kitt_chap_free(&chap);

	kitt_shim_fail_alloc = 0;
	fz_chap_decode(rest, creds & 0x80 ? KITT_CHAP_BINARY_MAX : keys);
	fz_chap_decode(r, KITT_CHAP_DIGEST_MAX);

	free(cred);
	free(rest);
	free(c);
	free(i);
	free(r);
	free(n);
	free(a);
	return 0;
}
