// SPDX-License-Identifier: GPL-2.0
/*
 * kitt fuzzing: userspace implementations of the kernel helpers that
 * kitt_shim.h declares. They follow the kernel's documented behaviour
 * where kitt depends on it (strscpy() return values, kstrto*() syntax,
 * the %ph format, CRC32C without inversion, ctype of Latin-1 bytes).
 */
#include "kitt_shim.h"

#include <openssl/evp.h>

/* Here the names mean libc's own functions again. */
#undef snprintf
#undef sprintf
#undef vsnprintf

unsigned long jiffies = 100000;
unsigned int kitt_shim_fail_alloc;
unsigned int kitt_shim_missing_hash;
static u32 kitt_shim_rng = 1;

void kitt_shim_warn(const char *file, int line, const char *cond)
{
	fprintf(stderr, "kitt-shim: WARNING at %s:%d: %s\n", file, line, cond);
	abort();
}

void kitt_shim_reset(u32 seed)
{
	kitt_shim_rng = seed ? seed : 1;
	jiffies += 3600 * HZ;
	kitt_shim_fail_alloc = 0;
	kitt_shim_missing_hash = 0;
}

/* ---- memory -------------------------------------------------------- */

void *kitt_shim_kmalloc(size_t size, gfp_t gfp)
{
	void *p;

	if (kitt_shim_fail_alloc && --kitt_shim_fail_alloc == 0)
		return NULL;
	p = malloc(size ? size : 1);
	if (!p)
		abort();
	if (gfp & __GFP_ZERO)
		memset(p, 0, size);
	return p;
}

/* ---- randomness ---------------------------------------------------- */

void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;
	u32 x = kitt_shim_rng;

	while (len--) {
		/* xorshift32: deterministic, so seeds can carry CHAP answers */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		*p++ = x;
	}
	kitt_shim_rng = x;
}

/* ---- CRC32C -------------------------------------------------------- */

static u32 kitt_crc32c_table[256];

static void kitt_crc32c_init(void)
{
	u32 i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
		kitt_crc32c_table[i] = c;
	}
}

u32 crc32c(u32 crc, const void *address, unsigned int length)
{
	const u8 *p = address;

	if (!kitt_crc32c_table[1])
		kitt_crc32c_init();
	while (length--)
		crc = kitt_crc32c_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

/* ---- ctype (lib/ctype.c) ------------------------------------------- */

unsigned char kitt_shim_ctype(unsigned char c)
{
	if (c < 0x20)
		return c >= 9 && c <= 13 ? _KITT_C | _KITT_S : _KITT_C;
	if (c == ' ')
		return _KITT_S | _KITT_SP;
	if (c >= '0' && c <= '9')
		return _KITT_D;
	if (c >= 'A' && c <= 'Z')
		return c <= 'F' ? _KITT_U | _KITT_X : _KITT_U;
	if (c >= 'a' && c <= 'z')
		return c <= 'f' ? _KITT_L | _KITT_X : _KITT_L;
	if (c < 0x7f)
		return _KITT_P;
	if (c == 0x7f)
		return _KITT_C;
	if (c < 0xa0)
		return 0;
	if (c == 0xa0)
		return _KITT_S | _KITT_SP;
	if (c < 0xc0 || c == 0xd7 || c == 0xf7)
		return _KITT_P;
	return c < 0xdf ? _KITT_U : _KITT_L;
}

/* ---- strings ------------------------------------------------------- */

ssize_t kitt_shim_strscpy(char *dst, const char *src, size_t size)
{
	size_t len;

	if (!size)
		return -E2BIG;
	/* like the kernel's, never reads more than @size bytes of @src */
	len = strnlen(src, size);
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

int hex_to_bin(unsigned char ch)
{
	unsigned char cu = ch & 0xdf;

	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (cu >= 'A' && cu <= 'F')
		return cu - 'A' + 10;
	return -1;
}

/* lib/hexdump.c: @count bytes from 2 * @count hex digits, -EINVAL on a bad one. */
int hex2bin(u8 *dst, const char *src, size_t count)
{
	while (count--) {
		int hi = hex_to_bin(*src++), lo;

		if (hi < 0)
			return -EINVAL;
		lo = hex_to_bin(*src++);
		if (lo < 0)
			return -EINVAL;
		*dst++ = (hi << 4) | lo;
	}
	return 0;
}

/* lib/base64.c: RFC 4648 digits, -1 on anything else or stray low bits. */
int base64_decode(const char *src, int len, u8 *dst)
{
	static const char table[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned int ac = 0, bits = 0;
	u8 *bp = dst;
	int i;

	for (i = 0; i < len; i++) {
		const char *p = src[i] ? strchr(table, src[i]) : NULL;

		if (src[i] == '=') {
			ac <<= 6;
			bits += 6;
			if (bits >= 8)
				bits -= 8;
			continue;
		}
		if (!p)
			return -1;
		ac = (ac << 6) | (unsigned int)(p - table);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*bp++ = (u8)(ac >> bits);
		}
	}
	if (ac & ((1U << bits) - 1))
		return -1;
	return bp - dst;
}

/* lib/kstrtox.c: optional '+', radix prefix, digits, one optional '\n'. */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	unsigned int d, n = 0;

	if (s[0] == '+')
		s++;
	if (base == 0) {
		if (s[0] == '0' && (s[1] | 0x20) == 'x' && isxdigit(s[2]))
			base = 16, s += 2;
		else if (s[0] == '0')
			base = 8;
		else
			base = 10;
	} else if (base == 16 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		s += 2;
	}
	for (;; s++, n++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			d = (*s | 0x20) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (v > (ULLONG_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!n)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	int ret = kstrtoull(s, base, &v);

	if (ret)
		return ret;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

int kstrtou32(const char *s, unsigned int base, u32 *res)
{
	return kstrtouint(s, base, res);
}

int kstrtou16(const char *s, unsigned int base, u16 *res)
{
	unsigned long long v;
	int ret = kstrtoull(s, base, &v);

	if (ret)
		return ret;
	if (v > U16_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

int kstrtou8(const char *s, unsigned int base, u8 *res)
{
	unsigned long long v;
	int ret = kstrtoull(s, base, &v);

	if (ret)
		return ret;
	if (v > U8_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	unsigned long long v;
	int ret;

	if (s[0] == '-') {
		ret = kstrtoull(s + 1, base, &v);
		if (ret)
			return ret;
		if (v > (unsigned long long)INT_MAX + 1)
			return -ERANGE;
		*res = -(long long)v;
		return 0;
	}
	ret = kstrtoull(s, base, &v);
	if (ret)
		return ret;
	if (v > INT_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

int kstrtobool(const char *s, bool *res)
{
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	default:
		return -EINVAL;
	}
}

/* ---- sort (lib/sort.c: unstable, in place) -------------------------- */

static void kitt_shim_swap_bytes(void *a, void *b, size_t size)
{
	u8 *x = a, *y = b, t;

	while (size--) {
		t = *x;
		*x++ = *y;
		*y++ = t;
	}
}

void kitt_shim_sort(void *base, size_t num, size_t size,
		    int (*cmp)(const void *, const void *),
		    void (*swap_fn)(void *, void *, int))
{
	u8 *b = base;
	size_t i, j;

	/* insertion sort by swaps: kitt sorts at most a few dozen entries */
	for (i = 1; i < num; i++) {
		for (j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size) > 0; j--) {
			if (swap_fn)
				swap_fn(b + (j - 1) * size, b + j * size, size);
			else
				kitt_shim_swap_bytes(b + (j - 1) * size, b + j * size, size);
		}
	}
}

/* ---- formatting ---------------------------------------------------- */

struct kitt_out {
	char *buf;
	size_t size;
	size_t len;	/* what would have been written */
};

static void kitt_out_put(struct kitt_out *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, o->len++)
		if (o->len + 1 < o->size)
			o->buf[o->len] = s[i];
}

static void kitt_out_pad(struct kitt_out *o, char c, int n)
{
	while (n-- > 0)
		kitt_out_put(o, &c, 1);
}

/* %ph: up to 64 bytes as hex, separated by ' ', ':' (C), '-' (D) or none (N) */
static void kitt_out_hex(struct kitt_out *o, const u8 *p, int width, char mode)
{
	static const char hex[] = "0123456789abcdef";
	char sep = mode == 'C' ? ':' : mode == 'D' ? '-' : mode == 'N' ? 0 : ' ';
	int len = width < 0 ? 1 : width > 64 ? 64 : width, i;
	char b[2];

	for (i = 0; i < len; i++) {
		b[0] = hex[p[i] >> 4];
		b[1] = hex[p[i] & 15];
		kitt_out_put(o, b, 2);
		if (sep && i + 1 < len)
			kitt_out_put(o, &sep, 1);
	}
}

int kitt_shim_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct kitt_out o = { buf, size, 0 };
	char spec[48], num[160], *sp;
	const char *start, *q;
	int width, prec, lng, n;
	unsigned long long uv;
	long long sv;
	bool left;
	char conv;

	while (*fmt) {
		if (*fmt != '%') {
			kitt_out_put(&o, fmt++, 1);
			continue;
		}
		start = fmt++;
		if (*fmt == '%') {
			kitt_out_put(&o, fmt++, 1);
			continue;
		}
		left = false;
		while (*fmt && strchr("-+ #0", *fmt)) {
			if (*fmt == '-')
				left = true;
			fmt++;
		}
		width = -1;
		if (*fmt == '*') {
			width = va_arg(args, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			fmt++;
		} else if (isdigit(*fmt)) {
			width = 0;
			while (isdigit(*fmt))
				width = width * 10 + *fmt++ - '0';
		}
		prec = -1;
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(args, int);
				fmt++;
			} else {
				while (isdigit(*fmt))
					prec = prec * 10 + *fmt++ - '0';
			}
		}
		/* 0 int, 1 long, 2 long long, 3 size_t, 4 ptrdiff_t, 5 char, 6 short */
		lng = 0;
		while (*fmt && strchr("hlLqztj", *fmt)) {
			if (*fmt == 'l')
				lng = lng == 1 ? 2 : 1;
			else if (*fmt == 'h')
				lng = lng == 6 ? 5 : 6;
			else if (*fmt == 'z')
				lng = 3;
			else if (*fmt == 't')
				lng = 4;
			else
				lng = 2;
			fmt++;
		}
		conv = *fmt;
		switch (conv) {
		case 's': {
			const char *s = va_arg(args, const char *);
			size_t sl;

			if (!s)
				s = "(null)";
			sl = prec >= 0 ? strnlen(s, prec) : strlen(s);
			if (!left)
				kitt_out_pad(&o, ' ', width - (int)sl);
			kitt_out_put(&o, s, sl);
			if (left)
				kitt_out_pad(&o, ' ', width - (int)sl);
			fmt++;
			continue;
		}
		case 'c': {
			char c = va_arg(args, int);

			if (!left)
				kitt_out_pad(&o, ' ', width - 1);
			kitt_out_put(&o, &c, 1);
			if (left)
				kitt_out_pad(&o, ' ', width - 1);
			fmt++;
			continue;
		}
		case 'p': {
			const void *p = va_arg(args, const void *);

			fmt++;
			if (*fmt == 'h') {
				fmt++;
				kitt_out_hex(&o, p, width, *fmt);
			} else if (isalnum(*fmt)) {
				/* %pI4, %pISc, ...: not needed by the pure layers */
				kitt_out_put(&o, "<p>", 3);
			} else {
				n = snprintf(num, sizeof(num), "%p", p);
				kitt_out_put(&o, num, n);
			}
			/* the kernel skips every alphanumeric after %p */
			while (isalnum(*fmt))
				fmt++;
			continue;
		}
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
			break;
		default:
			/* unknown conversion: copy it out as it is */
			kitt_out_put(&o, start, fmt - start + (*fmt != 0));
			if (*fmt)
				fmt++;
			continue;
		}
		fmt++;
		/* fetch the value with the right type, print it as long long */
		switch (lng) {
		case 1: sv = va_arg(args, long); uv = (unsigned long)sv; break;
		case 2: sv = va_arg(args, long long); uv = sv; break;
		case 3: uv = va_arg(args, size_t); sv = (ssize_t)uv; break;
		case 4: sv = va_arg(args, ptrdiff_t); uv = sv; break;
		default:
			sv = va_arg(args, int);
			uv = (unsigned int)sv;
			if (lng == 5) {
				sv = (signed char)sv;
				uv = (unsigned char)uv;
			} else if (lng == 6) {
				sv = (short)sv;
				uv = (unsigned short)uv;
			}
			break;
		}
		sp = spec;
		*sp++ = '%';
		for (q = start + 1; *q && strchr("-+ #0", *q) && sp < spec + 8; q++)
			*sp++ = *q;
		if (width > 100)
			width = 100;	/* kitt never pads numbers this wide */
		if (width >= 0)
			sp += sprintf(sp, "%d", width);
		if (prec > 100)
			prec = 100;
		if (prec >= 0)
			sp += sprintf(sp, ".%d", prec);
		*sp++ = 'l';
		*sp++ = 'l';
		*sp++ = conv;
		*sp = '\0';
		if (conv == 'd' || conv == 'i')
			n = snprintf(num, sizeof(num), spec, sv);
		else
			n = snprintf(num, sizeof(num), spec, uv);
		kitt_out_put(&o, num, n);
	}
	if (size)
		o.buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

int kitt_shim_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = kitt_shim_vsnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

int kitt_shim_vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int n = kitt_shim_vsnprintf(buf, size, fmt, args);

	if (likely((size_t)n < size))
		return n;
	return size ? size - 1 : 0;
}

int kitt_shim_scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = kitt_shim_vscnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

/* ---- crypto: shash over OpenSSL ------------------------------------ */

struct crypto_shash {
	const EVP_MD *md;
};

static const struct {
	const char *name;
	unsigned int chap_id;	/* the CHAP_A value, for kitt_shim_missing_hash */
} kitt_shim_hashes[] = {
	{ "md5", 5 }, { "sha1", 6 }, { "sha256", 7 }, { "sha3-256", 8 },
};

struct crypto_shash *crypto_alloc_shash(const char *alg_name, u32 type, u32 mask)
{
	struct crypto_shash *tfm;
	const EVP_MD *md = NULL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kitt_shim_hashes); i++) {
		if (strcmp(alg_name, kitt_shim_hashes[i].name))
			continue;
		if (kitt_shim_missing_hash & BIT(kitt_shim_hashes[i].chap_id))
			return ERR_PTR(-ENOENT);
		md = EVP_get_digestbyname(alg_name);
		break;
	}
	if (!md)
		return ERR_PTR(-ENOENT);
	tfm = kitt_shim_kmalloc(sizeof(*tfm), GFP_KERNEL);
	if (!tfm)
		return ERR_PTR(-ENOMEM);
	tfm->md = md;
	return tfm;
}

void crypto_free_shash(struct crypto_shash *tfm)
{
	free(tfm);
}

unsigned int crypto_shash_digestsize(struct crypto_shash *tfm)
{
	return EVP_MD_get_size(tfm->md);
}

int crypto_shash_init(struct shash_desc *desc)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (!ctx)
		return -ENOMEM;
	if (!EVP_DigestInit_ex(ctx, desc->tfm->md, NULL)) {
		EVP_MD_CTX_free(ctx);
		return -EINVAL;
	}
	desc->kitt_shim_ctx = ctx;
	return 0;
}

int crypto_shash_update(struct shash_desc *desc, const u8 *data, unsigned int len)
{
	return EVP_DigestUpdate(desc->kitt_shim_ctx, data, len) ? 0 : -EINVAL;
}

int crypto_shash_final(struct shash_desc *desc, u8 *out)
{
	int ok = EVP_DigestFinal_ex(desc->kitt_shim_ctx, out, NULL);

	EVP_MD_CTX_free(desc->kitt_shim_ctx);
	desc->kitt_shim_ctx = NULL;
	return ok ? 0 : -EINVAL;
}

void shash_desc_zero(struct shash_desc *desc)
{
	EVP_MD_CTX_free(desc->kitt_shim_ctx);
	memzero_explicit(desc, sizeof(*desc));
}

int crypto_memneq(const void *a, const void *b, size_t size)
{
	/* memcmp, so libFuzzer sees what the comparison wanted */
	return memcmp(a, b, size) != 0;
}

/* As lib/string.c: equal, but for one trailing newline on either side. */
bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}
