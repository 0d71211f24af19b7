// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: CHAP authentication (RFC 1994 as used by RFC 7143 12.1.3).
 *
 *   initiator: CHAP_A=<A1,A2,...>
 *   target:    CHAP_A=<A> CHAP_I=<I> CHAP_C=<C>
 *   initiator: CHAP_N=<N> CHAP_R=<R> [CHAP_I=<I> CHAP_C=<C>]
 *   target:    [CHAP_N=<N> CHAP_R=<R>]                 (mutual CHAP)
 *
 * R = H(I || secret || C) with H the hash CHAP_A names. Pure apart from
 * the hash and the random challenge: the login layer passes key values in
 * and gets keys to send back in a struct kitt_text_buf.
 *
 * The target answers the initiator's challenge only after the initiator
 * has proven it knows its own secret, so the target never computes a
 * response for an unauthenticated peer.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kitt_login.h"
#include "kitt_test.h"

/* Shortest challenge the target sends, whatever the digest size. */
#define KITT_CHAP_CHALLENGE_MIN	16

struct kitt_chap_alg {
	u8 id;
	const char *crypto;	/* crypto API name */
	const char *name;	/* its usual name */
};

static const struct kitt_chap_alg kitt_chap_algs[] = {
	{ KITT_CHAP_MD5,	"md5",		"MD5" },
	{ KITT_CHAP_SHA1,	"sha1",		"SHA1" },
	{ KITT_CHAP_SHA256,	"sha256",	"SHA-256" },
	{ KITT_CHAP_SHA3_256,	"sha3-256",	"SHA3-256" },
};

/*
 * When each algorithm was last found missing from the kernel (0: never).
 * For a minute after, lists that name it skip it: asking the crypto API
 * for it again would run modprobe for every login that names it.
 */
#define KITT_CHAP_MISSING_RETRY	(60 * HZ)
static unsigned long kitt_chap_missing[ARRAY_SIZE(kitt_chap_algs)];

static bool kitt_chap_alg_missing(unsigned int idx)
{
	unsigned long t = READ_ONCE(kitt_chap_missing[idx]);

	return t && time_before(jiffies, t + KITT_CHAP_MISSING_RETRY);
}

static const struct kitt_chap_alg *kitt_chap_find_alg(u32 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kitt_chap_algs); i++)
		if (kitt_chap_algs[i].id == id)
			return &kitt_chap_algs[i];
	return NULL;
}

/*
 * A numerical value (RFC 7143 6.1): decimal, or hexadecimal after 0x/0X,
 * of @len characters at @s (not NUL-terminated: list elements). Values
 * above @max are out of range.
 */
static int kitt_chap_number(const char *s, size_t len, u32 max, u32 *val)
{
	unsigned int base = 10;
	u64 v = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		len -= 2;
	}
	if (!len)
		return -EINVAL;
	for (; len; s++, len--) {
		int d = base == 16 ? hex_to_bin(*s) : (isdigit(*s) ? *s - '0' : -1);

		if (d < 0)
			return -EINVAL;
		v = v * base + d;
		if (v > max)
			return -ERANGE;
	}
	*val = v;
	return 0;
}

static int kitt_chap_fail(struct kitt_chap *chap, int err, const char *why)
{
	chap->err = why;
	return err;
}

/**
 * kitt_chap_init() - prepare the CHAP state of a login
 * @chap: the state
 */
void kitt_chap_init(struct kitt_chap *chap)
{
	memset(chap, 0, sizeof(*chap));
}

/**
 * kitt_chap_free() - release the CHAP state of a login
 * @chap: the state, initialised by kitt_chap_init()
 *
 * Frees the hash and wipes the challenge. @chap may be reused after
 * kitt_chap_init().
 */
void kitt_chap_free(struct kitt_chap *chap)
{
	if (!IS_ERR_OR_NULL(chap->tfm))
		crypto_free_shash(chap->tfm);
	memzero_explicit(chap, sizeof(*chap));
}

#if IS_ENABLED(CONFIG_KITT_KUNIT_TEST)
/**
 * kitt_chap_alg_name() - name of a CHAP algorithm
 * @alg: a CHAP_A value
 *
 * Return: "MD5", "SHA1", "SHA-256", "SHA3-256" or "unknown".
 */
const char *kitt_chap_alg_name(u8 alg)
{
	const struct kitt_chap_alg *a = kitt_chap_find_alg(alg);

	return a ? a->name : "unknown";
}

/**
 * kitt_chap_set_test_challenge() - use a fixed CHAP_I and CHAP_C
 * @chap: the state, before kitt_chap_start()
 * @id: the CHAP_I to send
 * @challenge: the CHAP_C to send
 * @len: its length, 1 to KITT_CHAP_DIGEST_MAX
 */
void kitt_chap_set_test_challenge(struct kitt_chap *chap, u8 id,
				  const u8 *challenge, u8 len)
{
	len = clamp_t(u8, len, 1, KITT_CHAP_DIGEST_MAX);
	chap->id = id;
	memcpy(chap->challenge, challenge, len);
	chap->challenge_len = len;
}
#endif /* CONFIG_KITT_KUNIT_TEST */

/**
 * kitt_chap_start() - answer the initiator's CHAP_A
 * @chap: the state, initialised by kitt_chap_init()
 * @chap_a: the CHAP_A value received (a list such as "7,5"), or NULL
 *	if the initiator did not send the key
 * @rsp: where CHAP_A, CHAP_I and CHAP_C are added
 *
 * Picks the first algorithm of the initiator's list (its order of
 * preference) that kitt knows (5 MD5, 6 SHA1, 7 SHA-256, 8 SHA3-256) and
 * the kernel's crypto provides, loading its module if needed. Unknown or
 * malformed list elements are skipped. The challenge is random and as
 * long as the digest, but at least 16 bytes; CHAP_I is random too.
 *
 * If no algorithm of the list can be used, "CHAP_A=Reject" is added to
 * @rsp and the login fails (RFC 7143 12.1.3: the target answers with an
 * authentication failure).
 *
 * Return: 0; -EACCES when no algorithm is acceptable; -ENOENT when
 * @chap_a is NULL; -EINVAL when it is empty; -EPROTO when called twice;
 * -ENOSPC when @rsp is full; -ENOMEM. chap->err says why on failure.
 */
int kitt_chap_start(struct kitt_chap *chap, const char *chap_a,
		    struct kitt_text_buf *rsp)
{
	const struct kitt_chap_alg *alg = NULL;
	struct crypto_shash *tfm = NULL;
	unsigned int dlen, idx, tried = 0;
	const char *p, *end;
	int ret;

	chap->err = NULL;
	if (chap->state != KITT_CHAP_INIT)
		return kitt_chap_fail(chap, -EPROTO, "CHAP_A sent more than once");
	if (!chap_a)
		return kitt_chap_fail(chap, -ENOENT, "CHAP_A missing");
	if (!*chap_a)
		return kitt_chap_fail(chap, -EINVAL, "CHAP_A is empty");
	chap->state = KITT_CHAP_FAILED;

	for (p = chap_a; *p; p = *end ? end + 1 : end) {
		u32 id;

		end = strchrnul(p, ',');
		if (kitt_chap_number(p, end - p, U8_MAX, &id))
			continue;
		alg = kitt_chap_find_alg(id);
		if (!alg)
			continue;
		/* Each algorithm is asked for once, however often it is listed. */
		idx = alg - kitt_chap_algs;
		if ((tried & BIT(idx)) || kitt_chap_alg_missing(idx)) {
			alg = NULL;
			continue;
		}
		tried |= BIT(idx);
		tfm = crypto_alloc_shash(alg->crypto, 0, 0);
		if (!IS_ERR(tfm))
			break;
		if (PTR_ERR(tfm) == -ENOMEM)
			return kitt_chap_fail(chap, -ENOMEM, "out of memory for the CHAP hash");
		/* not in this kernel: try the initiator's next choice */
		WRITE_ONCE(kitt_chap_missing[idx], jiffies ?: 1);
		tfm = NULL;
		alg = NULL;
	}
	if (!tfm) {
		/* Best effort: the login is rejected whether this fits or not. */
		kitt_text_add(rsp, "CHAP_A", "Reject");
		return kitt_chap_fail(chap, -EACCES, "no usable algorithm in CHAP_A");
	}

	dlen = crypto_shash_digestsize(tfm);
	if (WARN_ON_ONCE(dlen > KITT_CHAP_DIGEST_MAX)) {
		crypto_free_shash(tfm);
		return kitt_chap_fail(chap, -EACCES, "CHAP digest too large");
	}
	chap->tfm = tfm;
	chap->alg = alg->id;
	chap->digest_len = dlen;
	/* Only a test sets a challenge before (kitt_chap_set_test_challenge()) */
	if (!chap->challenge_len) {
		chap->challenge_len = max_t(unsigned int, dlen, KITT_CHAP_CHALLENGE_MIN);
		get_random_bytes(&chap->id, sizeof(chap->id));
		get_random_bytes(chap->challenge, chap->challenge_len);
	}

	ret = kitt_text_addf(rsp, "CHAP_A", "%u", chap->alg);
	if (!ret)
		ret = kitt_text_addf(rsp, "CHAP_I", "%u", chap->id);
	if (!ret)
		ret = kitt_text_addf(rsp, "CHAP_C", "0x%*phN",
				     (int)chap->challenge_len, chap->challenge);
	if (ret)
		return kitt_chap_fail(chap, -ENOSPC, "no room for the CHAP challenge");
	chap->state = KITT_CHAP_CHALLENGED;
	return 0;
}

/* H(id || secret || challenge) into @out (chap->digest_len bytes) */
static int kitt_chap_hash(struct kitt_chap *chap, u8 id, const char *secret,
			  size_t secret_len, const u8 *challenge, u32 len, u8 *out)
{
	SHASH_DESC_ON_STACK(desc, chap->tfm);
	int ret;

	desc->tfm = chap->tfm;
	ret = crypto_shash_init(desc);
	if (!ret)
		ret = crypto_shash_update(desc, &id, 1);
	if (!ret)
		ret = crypto_shash_update(desc, secret, secret_len);
	if (!ret)
		ret = crypto_shash_update(desc, challenge, len);
	if (!ret)
		ret = crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return ret;
}

/* Compare a received name with a configured one (a char array). */
static bool kitt_chap_name_eq(const char *name, const char *conf, size_t size)
{
	size_t len = strnlen(conf, size);

	return strlen(name) == len && !memcmp(name, conf, len);
}

/*
 * Mutual CHAP: check the initiator's CHAP_I and CHAP_C and add our
 * CHAP_N and CHAP_R. Called only once the initiator is authenticated.
 */
static int kitt_chap_mutual(struct kitt_chap *chap, const struct kitt_chap_cred *cred,
			    const char *chap_i, const char *chap_c,
			    struct kitt_text_buf *rsp)
{
	u8 digest[KITT_CHAP_DIGEST_MAX];
	u8 *challenge;
	u32 id;
	int len, ret;

	if (kitt_chap_number(chap_i, strlen(chap_i), U8_MAX, &id))
		return kitt_chap_fail(chap, -EINVAL, "CHAP_I is not a number from 0 to 255");

	challenge = kmalloc(KITT_CHAP_BINARY_MAX, GFP_KERNEL);
	if (!challenge)
		return kitt_chap_fail(chap, -ENOMEM, "out of memory for CHAP_C");
	len = kitt_text_parse_binary(chap_c, challenge, KITT_CHAP_BINARY_MAX);
	if (len < 0) {
		ret = kitt_chap_fail(chap, -EINVAL, "CHAP_C malformed or longer than 1024 bytes");
		goto out;
	}
	/* RFC 7143 9.2.1: a challenge sent back to us is a reflection attack. */
	if (len == chap->challenge_len && !memcmp(challenge, chap->challenge, len)) {
		ret = kitt_chap_fail(chap, -EACCES, "CHAP_C reflects the target's challenge");
		goto out;
	}
	if (!cred->userid_mutual[0] || !cred->password_mutual[0]) {
		ret = kitt_chap_fail(chap, -EACCES,
				     "mutual CHAP requested but userid_mutual/password_mutual not set");
		goto out;
	}

	ret = kitt_chap_hash(chap, id, cred->password_mutual,
			     strnlen(cred->password_mutual, sizeof(cred->password_mutual)),
			     challenge, len, digest);
	if (ret) {
		ret = kitt_chap_fail(chap, -ENOMEM, "CHAP hash failed");
		goto out;
	}
	ret = kitt_text_addf(rsp, "CHAP_N", "%.*s",
			     (int)strnlen(cred->userid_mutual, sizeof(cred->userid_mutual)),
			     cred->userid_mutual);
	if (!ret)
		ret = kitt_text_addf(rsp, "CHAP_R", "0x%*phN", (int)chap->digest_len, digest);
	if (ret)
		ret = kitt_chap_fail(chap, -ENOSPC, "no room for the mutual CHAP response");
out:
	memzero_explicit(digest, sizeof(digest));
	kfree(challenge);
	return ret;
}

/**
 * kitt_chap_verify() - check the initiator's response, answer mutual CHAP
 * @chap: the state, after a successful kitt_chap_start()
 * @cred: the credentials to check against: @cred->userid and
 *	@cred->password authenticate the initiator; @cred->userid_mutual and
 *	@cred->password_mutual are what the target answers with
 * @chap_n: CHAP_N received, or NULL
 * @chap_r: CHAP_R received, or NULL
 * @chap_i: CHAP_I received (mutual CHAP), or NULL
 * @chap_c: CHAP_C received (mutual CHAP), or NULL
 * @rsp: where the target's CHAP_N and CHAP_R are added for mutual CHAP
 *
 * CHAP_N must equal the configured userid. CHAP_R, in hex or base64, must
 * decode to exactly the digest length and equal H(CHAP_I || password ||
 * CHAP_C) for what kitt_chap_start() sent; anything else, including an
 * oversized value, is an authentication failure. The comparison takes
 * constant time. The state allows one answer per challenge: after a
 * failure every further call fails.
 *
 * When the initiator also sent CHAP_I and CHAP_C it wants to authenticate
 * the target: CHAP_I must be a number up to 255, CHAP_C a binary value of
 * 1 to 1024 bytes different from the target's own challenge, and
 * userid_mutual and password_mutual must be configured. The target then
 * answers CHAP_N=<userid_mutual> CHAP_R=H(CHAP_I || password_mutual ||
 * CHAP_C). Configured mutual credentials that the initiator does not ask
 * for are not an error: one-way CHAP is the initiator's choice.
 *
 * Return: 0 when the initiator is authenticated (and @rsp holds the
 * mutual answer if one was asked for); -EACCES on authentication failure;
 * -ENOENT when CHAP_N or CHAP_R, or one of CHAP_I and CHAP_C, is missing;
 * -EINVAL when CHAP_I or CHAP_C is malformed; -EPROTO when no challenge
 * is outstanding; -ENOSPC; -ENOMEM. chap->err says why on failure.
 */
int kitt_chap_verify(struct kitt_chap *chap, const struct kitt_chap_cred *cred,
		     const char *chap_n, const char *chap_r,
		     const char *chap_i, const char *chap_c,
		     struct kitt_text_buf *rsp)
{
	u8 expect[KITT_CHAP_DIGEST_MAX];
	u8 resp[KITT_CHAP_DIGEST_MAX];
	int len, ret;

	chap->err = NULL;
	if (chap->state != KITT_CHAP_CHALLENGED)
		return kitt_chap_fail(chap, -EPROTO, chap->state == KITT_CHAP_INIT ?
				      "CHAP response before CHAP_A" :
				      "CHAP response after the exchange ended");
	/* One answer per challenge, whatever happens below. */
	chap->state = KITT_CHAP_FAILED;

	if (!chap_n || !chap_r)
		return kitt_chap_fail(chap, -ENOENT, "CHAP_N or CHAP_R missing");
	if (!chap_i != !chap_c)
		return kitt_chap_fail(chap, -ENOENT, "CHAP_I and CHAP_C must come together");
	if (!cred->userid[0] || !cred->password[0])
		return kitt_chap_fail(chap, -EACCES, "no CHAP userid/password configured");
	if (!kitt_chap_name_eq(chap_n, cred->userid, sizeof(cred->userid)))
		return kitt_chap_fail(chap, -EACCES, "CHAP_N does not match the configured userid");

	len = kitt_text_parse_binary(chap_r, resp, sizeof(resp));
	if (len < 0)
		return kitt_chap_fail(chap, -EACCES, "CHAP_R malformed or too long");
	if (len != chap->digest_len) {
		ret = kitt_chap_fail(chap, -EACCES, "CHAP_R has the wrong length");
		goto out;
	}
	ret = kitt_chap_hash(chap, chap->id, cred->password,
			     strnlen(cred->password, sizeof(cred->password)),
			     chap->challenge, chap->challenge_len, expect);
	if (ret) {
		ret = kitt_chap_fail(chap, -ENOMEM, "CHAP hash failed");
		goto out;
	}
	if (crypto_memneq(resp, expect, chap->digest_len)) {
		ret = kitt_chap_fail(chap, -EACCES, "CHAP_R does not match (wrong password?)");
		goto out;
	}

	if (chap_i) {
		ret = kitt_chap_mutual(chap, cred, chap_i, chap_c, rsp);
		if (ret)
			goto out;
	}
	chap->state = KITT_CHAP_DONE;
out:
	memzero_explicit(expect, sizeof(expect));
	memzero_explicit(resp, sizeof(resp));
	return ret;
}
