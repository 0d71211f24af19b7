// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: text key=value pairs (RFC 7143 6.1) - building answers and walking
 * received segments. Pure code: no allocation, no locking, no logging;
 * every read is bounded by the length the caller gives.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/ctype.h>
#include <linux/limits.h>
#include <linux/base64.h>

#include "kitt_login.h"
#include "kitt_test.h"

/**
 * kitt_text_buf_init() - prepare an output buffer.
 * @tb: the buffer descriptor
 * @buf: storage, may be NULL when @size is 0
 * @size: capacity of @buf in bytes
 */
void kitt_text_buf_init(struct kitt_text_buf *tb, char *buf, u32 size)
{
	tb->buf = buf;
	tb->len = 0;
	tb->size = buf ? size : 0;
	tb->overflow = false;
}

/**
 * kitt_text_add() - append "key=value\0".
 * @tb: the output buffer
 * @key: the key, NUL-terminated
 * @val: the value, NUL-terminated
 *
 * Return: 0, or -ENOSPC when the pair does not fit; then @tb->overflow is
 * set and @tb->len is unchanged.
 */
int kitt_text_add(struct kitt_text_buf *tb, const char *key, const char *val)
{
	size_t klen = strlen(key), vlen = strlen(val);
	size_t need = klen + 1 + vlen + 1;
	char *p;

	if (need > tb->size - tb->len) {
		tb->overflow = true;
		return -ENOSPC;
	}
	p = tb->buf + tb->len;
	memcpy(p, key, klen);
	p[klen] = '=';
	memcpy(p + klen + 1, val, vlen);
	p[klen + 1 + vlen] = '\0';
	tb->len += need;
	return 0;
}

/**
 * kitt_text_addf() - append "key=<formatted value>\0".
 * @tb: the output buffer
 * @key: the key, NUL-terminated
 * @fmt: printf format of the value
 *
 * Return: 0, or -ENOSPC as for kitt_text_add().
 */
int kitt_text_addf(struct kitt_text_buf *tb, const char *key,
		   const char *fmt, ...)
{
	size_t klen = strlen(key);
	u32 room = tb->size - tb->len;
	va_list args;
	char *p;
	int n;

	/* key, '=', at least the NUL */
	if (klen + 2 > room)
		goto nospc;
	p = tb->buf + tb->len;
	va_start(args, fmt);
	n = vsnprintf(p + klen + 1, room - klen - 1, fmt, args);
	va_end(args);
	/* vsnprintf needs room for n bytes plus its NUL */
	if (n < 0 || (size_t)n + 1 > room - klen - 1) {
		/* leave nothing half written behind the used length */
		memset(p, 0, room);
		goto nospc;
	}
	memcpy(p, key, klen);
	p[klen] = '=';
	tb->len += klen + 1 + n + 1;
	return 0;

nospc:
	tb->overflow = true;
	return -ENOSPC;
}

/**
 * kitt_text_cursor_init() - start walking a received segment.
 * @c: the cursor
 * @buf: the data, not necessarily NUL-terminated
 * @len: its length
 */
void kitt_text_cursor_init(struct kitt_text_cursor *c, const char *buf, u32 len)
{
	c->buf = buf;
	c->len = buf ? len : 0;
	c->pos = 0;
}

/* letters, digits, dot, minus, plus, commercial at, underscore */
static bool kitt_text_label_char(char ch)
{
	return isalnum(ch) || ch == '.' || ch == '-' || ch == '+' ||
	       ch == '@' || ch == '_';
}

/*
 * A key byte at index @i. A standard-label starts with a capital letter,
 * but RFC 7143 13.24 itself defines iSCSIProtocolLevel, so any letter is
 * taken first; "X#" introduces an IANA-registered key (RFC 7143 6.1).
 */
static bool kitt_text_key_char(const char *key, u32 i)
{
	char ch = key[i];

	if (ch & 0x80)
		return false;
	if (i == 0)
		return isalpha(ch);
	if (i == 1 && ch == '#')
		return key[0] == 'X';
	return kitt_text_label_char(ch);
}

/* Values: any UTF-8 text, but no control characters. */
static bool kitt_text_value_char(char ch)
{
	unsigned char u = ch;

	return u >= 0x20 && u != 0x7f;
}

/* Keys whose values are large-binary-values (RFC 7143 12.1.3, 12.1.4). */
static const char * const kitt_text_large_keys[] = {
	"CHAP_C", "CHAP_R",
	"SRP_A", "SRP_B", "SRP_M", "SRP_HM", "SRP_s",
	"KRB_AP_REQ", "KRB_AP_REP",
};

/**
 * kitt_text_value_max() - longest value allowed for a key.
 * @key: the key, NUL-terminated
 *
 * Return: KITT_TEXT_LARGE_VALUE_MAX for keys carrying large binary values,
 * KITT_TEXT_VALUE_MAX for every other key.
 */
u32 kitt_text_value_max(const char *key)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kitt_text_large_keys); i++)
		if (!strcmp(key, kitt_text_large_keys[i]))
			return KITT_TEXT_LARGE_VALUE_MAX;
	return KITT_TEXT_VALUE_MAX;
}

/**
 * kitt_text_next() - take the next key=value pair.
 * @c: the cursor
 * @pair: filled in on success
 *
 * Return: 1 and the cursor moved past the pair, 0 at the end of the data,
 * or a negative errno with the cursor and @pair untouched: -EAGAIN when
 * the data ends inside a pair that is well formed so far, -EINVAL for a
 * pair without '=' or with an empty key, -ENAMETOOLONG for a key longer
 * than KITT_TEXT_KEY_MAX, -E2BIG for a value longer than
 * kitt_text_value_max(), -EILSEQ for a byte outside the allowed set.
 */
int kitt_text_next(struct kitt_text_cursor *c, struct kitt_text_pair *pair)
{
	const char *p = c->buf + c->pos;
	u32 left = c->len - c->pos;
	char key[KITT_TEXT_KEY_MAX + 1];
	u32 klen, vlen, vmax, i;
	const char *nul, *val;

	if (!left)
		return 0;

	nul = memchr(p, '\0', left);

	/* The key: up to '=', the NUL or the end of the data. */
	for (klen = 0; klen < left && p[klen] != '=' && p[klen] != '\0'; klen++) {
		if (klen == KITT_TEXT_KEY_MAX)
			return -ENAMETOOLONG;
		key[klen] = p[klen];
		if (!kitt_text_key_char(key, klen))
			return -EILSEQ;
	}
	if (klen == left)
		return -EAGAIN;		/* not even the '=' yet */
	if (p[klen] == '\0' || klen == 0)
		return -EINVAL;		/* "Key\0" or "=value" */
	key[klen] = '\0';

	/* The value: after '=', up to the NUL (or the end of the data). */
	val = p + klen + 1;
	vlen = nul ? nul - val : left - klen - 1;
	vmax = kitt_text_value_max(key);
	if (vlen > vmax)
		return -E2BIG;
	for (i = 0; i < vlen; i++)
		if (!kitt_text_value_char(val[i]))
			return -EILSEQ;
	if (!nul)
		return -EAGAIN;

	memcpy(pair->key, key, klen + 1);
	pair->key_len = klen;
	pair->val = val;
	pair->val_len = vlen;
	pair->offset = c->pos;
	c->pos += klen + 1 + vlen + 1;
	return 1;
}

/**
 * kitt_text_name_ok() - may @name stand as an iSCSI name in kitt's records?
 * @name: the name (not necessarily NUL-terminated)
 * @len: its length
 *
 * iSCSI names are printable ASCII without blanks (RFC 7143 4.2.7: iqn.,
 * eui. and naa. forms use letters, digits and a few punctuation marks).
 * kitt keeps initiator names in line-based files (persistent reservations
 * with APTPL) and prints them in sysfs, so a name with a blank, a control
 * character or a byte of 0x7f or above is refused wherever a peer gives
 * one: at login and in a TransportID.
 *
 * Return: true when @len is not zero and every byte is 0x21-0x7e.
 */
bool kitt_text_name_ok(const char *name, u32 len)
{
	u32 i;

	if (!len)
		return false;
	for (i = 0; i < len; i++)
		if (name[i] < 0x21 || name[i] > 0x7e)
			return false;
	return true;
}

/* A key of a segment, for kitt_text_find_duplicate(). */
struct kitt_text_key {
	const char *key;	/* in the segment, followed by '=' */
	u32 len;
	u32 offset;		/* of its pair */
};

/* Order keys by length, then bytes, then where their pair is. */
static int kitt_text_key_cmp(const void *a, const void *b)
{
	const struct kitt_text_key *x = a, *y = b;
	int d;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	d = memcmp(x->key, y->key, x->len);
	if (d)
		return d;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static bool kitt_text_key_same(const struct kitt_text_key *x, const struct kitt_text_key *y)
{
	return x->len == y->len && !memcmp(x->key, y->key, x->len);
}

/**
 * kitt_text_find_duplicate() - check a segment for malformed pairs and
 * repeated keys.
 * @buf: the data
 * @len: its length
 * @dup: if non-NULL, receives the second occurrence of a repeated key
 *	(the first such pair in the segment)
 *
 * One pass over the segment, then its keys sorted: a peer's request costs
 * O(n log n) in its number of pairs, not O(n^2) (a login or Text Request
 * of KITT_TEXT_MAX_PAIRS pairs is answered before authentication).
 *
 * Return: 0 if every pair is well formed and each key appears once,
 * -EEXIST for a repeated key (among the pairs before any error), -E2BIG
 * for more than KITT_TEXT_MAX_PAIRS pairs, -ENOMEM, or the error
 * kitt_text_next() found.
 */
int kitt_text_find_duplicate(const char *buf, u32 len,
			     struct kitt_text_pair *dup)
{
	struct kitt_text_key small[16], *keys = small;
	struct kitt_text_cursor cur;
	struct kitt_text_pair pair;
	u32 first = U32_MAX;
	unsigned int n = 0, i;
	int ret;

	kitt_text_cursor_init(&cur, buf, len);
	while ((ret = kitt_text_next(&cur, &pair)) > 0) {
		if (n == KITT_TEXT_MAX_PAIRS) {
			ret = -E2BIG;
			break;
		}
		if (n == ARRAY_SIZE(small)) {
			keys = kmalloc_array(KITT_TEXT_MAX_PAIRS, sizeof(*keys), GFP_KERNEL);
			if (!keys)
				return -ENOMEM;
			memcpy(keys, small, sizeof(small));
		}
		keys[n].key = buf + pair.offset;
		keys[n].len = pair.key_len;
		keys[n].offset = pair.offset;
		n++;
	}

	/* Equal keys are neighbours, the first occurrence first. */
	sort(keys, n, sizeof(*keys), kitt_text_key_cmp, NULL);
	for (i = 1; i < n; i++)
		if (kitt_text_key_same(&keys[i - 1], &keys[i]))
			first = min(first, keys[i].offset);
	if (keys != small)
		kfree(keys);
	if (first == U32_MAX)
		return ret;
	if (dup) {
		kitt_text_cursor_init(&cur, buf, len);
		cur.pos = first;
		kitt_text_next(&cur, dup);
	}
	return -EEXIST;
}

/**
 * kitt_text_parse_number() - parse a numerical value.
 * @val: a decimal-constant (0, or digits without a leading zero) or a
 *	hex-constant ("0x" or "0X" and at least one hex digit)
 * @num: the value, written only on success
 *
 * Return: 0, -EINVAL if malformed, -ERANGE if not below 2^64.
 */
int kitt_text_parse_number(const char *val, u64 *num)
{
	u64 n = 0;
	int d;

	if (!*val)
		return -EINVAL;

	if (val[0] == '0' && (val[1] == 'x' || val[1] == 'X')) {
		val += 2;
		if (!*val)
			return -EINVAL;
		for (; *val; val++) {
			d = hex_to_bin(*val);
			if (d < 0)
				return -EINVAL;
			if (n >> 60)
				return -ERANGE;
			n = (n << 4) | d;
		}
		*num = n;
		return 0;
	}

	if (val[0] == '0' && val[1])
		return -EINVAL;		/* leading zero */
	for (; *val; val++) {
		if (*val < '0' || *val > '9')
			return -EINVAL;
		d = *val - '0';
		if (n > (U64_MAX - d) / 10)
			return -ERANGE;
		n = n * 10 + d;
	}
	*num = n;
	return 0;
}

/**
 * kitt_text_parse_u32() - parse a numerical value within a range.
 * @val: the value, as for kitt_text_parse_number()
 * @min: smallest value allowed
 * @max: largest value allowed
 * @num: the value, written only on success
 *
 * Return: 0, -EINVAL if malformed, -ERANGE if outside [@min, @max].
 */
int kitt_text_parse_u32(const char *val, u32 min, u32 max, u32 *num)
{
	u64 n;
	int ret;

	ret = kitt_text_parse_number(val, &n);
	if (ret)
		return ret;
	if (n < min || n > max)
		return -ERANGE;
	*num = n;
	return 0;
}

/**
 * kitt_text_parse_bool() - parse a boolean-value.
 * @val: "Yes" or "No" (case matters)
 * @yes: the value, written only on success
 *
 * Return: 0 or -EINVAL.
 */
int kitt_text_parse_bool(const char *val, bool *yes)
{
	if (!strcmp(val, "Yes")) {
		*yes = true;
		return 0;
	}
	if (!strcmp(val, "No")) {
		*yes = false;
		return 0;
	}
	return -EINVAL;
}

/* The value of a base64 digit (RFC 4648 section 4), or -1. */
static int kitt_b64_value(char ch)
{
	if (isupper(ch))
		return ch - 'A';
	if (islower(ch))
		return ch - 'a' + 26;
	if (isdigit(ch))
		return ch - '0' + 52;
	return ch == '+' ? 62 : ch == '/' ? 63 : -1;
}

/*
 * Hex digits after "0x": an odd count has an implied leading zero digit.
 * hex2bin() takes the pairs.
 */
static int kitt_text_parse_hex(const char *s, u8 *out, u32 size)
{
	size_t n = strlen(s), len = (n + 1) / 2, i;

	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (hex_to_bin(s[i]) < 0)
			return -EINVAL;
	if (len > size)
		return -EOVERFLOW;
	if (n & 1)
		out[0] = hex_to_bin(s[0]);
	if (hex2bin(out + (n & 1), s + (n & 1), n / 2))
		return -EINVAL;
	return len;
}

/*
 * Base64 after "0b": RFC 4648 digits, then at most two '=' of padding,
 * and only where the length calls for them (padding may be left out).
 * What is allowed is checked here, first; base64_decode() decodes it.
 */
static int kitt_text_parse_b64(const char *s, u8 *out, u32 size)
{
	size_t n = strlen(s), digits = n, len, i;
	unsigned int pads = 0;

	while (digits && s[digits - 1] == '=' && pads < 2) {
		digits--;
		pads++;
	}
	if (!digits || digits % 4 == 1 || (pads && n % 4))
		return -EINVAL;
	for (i = 0; i < digits; i++)
		if (kitt_b64_value(s[i]) < 0)
			return -EINVAL;
	/* A short last group leaves 4 or 2 bits over: they must be zero. */
	if (kitt_b64_value(s[digits - 1]) & (digits % 4 == 2 ? 0x0f : digits % 4 == 3 ? 0x03 : 0))
		return -EINVAL;
	len = digits / 4 * 3 + (digits % 4 ? digits % 4 - 1 : 0);
	if (len > size)
		return -EOVERFLOW;
	if (base64_decode(s, digits, out) != len)
		return -EINVAL;
	return len;
}

/**
 * kitt_text_parse_binary() - decode a binary-value (RFC 7143 6.1)
 * @val: "0x" or "0X" and hex digits, or "0b" or "0B" and base64 (RFC 4648,
 *	with or without the trailing '=' padding)
 * @out: where the bytes go
 * @size: capacity of @out
 *
 * An odd number of hex digits has an implied leading zero. Nothing is
 * written to @out unless the whole value is valid and fits.
 *
 * Return: the number of bytes decoded (at least 1), -EINVAL if @val is
 * empty or not a well-formed binary value, or -EOVERFLOW if it decodes to
 * more than @size bytes.
 */
int kitt_text_parse_binary(const char *val, u8 *out, u32 size)
{
	if (!val || val[0] != '0')
		return -EINVAL;
	if (val[1] == 'x' || val[1] == 'X')
		return kitt_text_parse_hex(val + 2, out, size);
	if (val[1] == 'b' || val[1] == 'B')
		return kitt_text_parse_b64(val + 2, out, size);
	return -EINVAL;
}

/**
 * kitt_text_list_next() - take the next member of a list-of-values.
 * @pos: the position in the NUL-terminated list; advanced on success
 * @item: the member (not NUL-terminated)
 * @item_len: its length
 *
 * Return: 1 with a member, 0 at the end, -EINVAL for an empty member.
 */
int kitt_text_list_next(const char **pos, const char **item, u32 *item_len)
{
	const char *p = *pos, *end;

	if (!*p)
		return 0;
	end = strchrnul(p, ',');
	if (end == p)
		return -EINVAL;			/* ",x" or "x,,y" */
	if (*end == ',' && !end[1])
		return -EINVAL;			/* "x," */
	*item = p;
	*item_len = end - p;
	*pos = *end ? end + 1 : end;
	return 1;
}

#if IS_ENABLED(CONFIG_KITT_KUNIT_TEST)
/**
 * kitt_text_list_has() - is @item a member of @list?
 * @list: a list-of-values, NUL-terminated
 * @item: the member to look for, NUL-terminated
 *
 * Return: true if found before any malformed part of @list.
 */
bool kitt_text_list_has(const char *list, const char *item)
{
	size_t n = strlen(item);
	const char *m;
	u32 mlen;

	while (kitt_text_list_next(&list, &m, &mlen) > 0)
		if (mlen == n && !memcmp(m, item, n))
			return true;
	return false;
}
#endif /* CONFIG_KITT_KUNIT_TEST */
