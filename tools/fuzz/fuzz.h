/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt fuzzing: what every harness shares. A harness reads its input with
 * a struct fz cursor (reads past the end give zeroes, so every input is
 * usable) and checks kitt's documented contracts with FZ_CHECK(), which
 * aborts: libFuzzer then saves the input as a crash.
 */
#ifndef KITT_FUZZ_H
#define KITT_FUZZ_H

#include "shim/kitt_shim.h"
#include "../../drivers/kitt/kitt_pdu.h"
#include "../../drivers/kitt/kitt_login.h"
#include "../../drivers/kitt/kitt_scsi.h"
#include "../../drivers/kitt/kitt_wdata.h"
#include "../../drivers/kitt/kitt_test.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "kitt-fuzz: %s:%d: check failed: %s: ",	\
				__FILE__, __LINE__, #cond);			\
			fprintf(stderr, __VA_ARGS__);				\
			fputc('\n', stderr);					\
			abort();						\
		}								\
	} while (0)

/* KITT_FUZZ_VERBOSE=1 in the environment: say what happens (reproducing) */
static inline bool fz_verbose(void)
{
	static int v = -1;

	if (v < 0)
		v = getenv("KITT_FUZZ_VERBOSE") != NULL;
	return v;
}

#define FZ_LOG(...)							\
	do {								\
		if (fz_verbose())					\
			fprintf(stderr, "kitt-fuzz: " __VA_ARGS__);	\
	} while (0)

struct fz {
	const u8 *p;
	size_t left;
};

static inline void fz_init(struct fz *f, const u8 *data, size_t size)
{
	f->p = data;
	f->left = size;
}

static inline u8 fz_u8(struct fz *f)
{
	if (!f->left)
		return 0;
	f->left--;
	return *f->p++;
}

static inline u16 fz_u16(struct fz *f)
{
	return (u16)fz_u8(f) << 8 | fz_u8(f);
}

static inline u32 fz_u32(struct fz *f)
{
	return (u32)fz_u16(f) << 16 | fz_u16(f);
}

static inline u64 fz_u64(struct fz *f)
{
	return (u64)fz_u32(f) << 32 | fz_u32(f);
}

static inline bool fz_bool(struct fz *f)
{
	return fz_u8(f) & 1;
}

/* Copy up to @n bytes out (zero-filled past the end of the input). */
static inline void fz_bytes(struct fz *f, void *out, size_t n)
{
	size_t k = n < f->left ? n : f->left;

	memcpy(out, f->p, k);
	memset((u8 *)out + k, 0, n - k);
	f->p += k;
	f->left -= k;
}

/*
 * The next @n bytes (fewer at the end) in a heap block of exactly that
 * size, so AddressSanitizer sees any read past them. *@len gets the size.
 */
static inline u8 *fz_dup(struct fz *f, size_t n, u32 *len)
{
	size_t k = n < f->left ? n : f->left;
	u8 *p = malloc(k ? k : 1);

	if (!p)
		abort();
	memcpy(p, f->p, k);
	f->p += k;
	f->left -= k;
	*len = k;
	return p;
}

/* Everything that is left, as fz_dup(). */
static inline u8 *fz_rest(struct fz *f, u32 *len)
{
	return fz_dup(f, f->left, len);
}

/*
 * The bytes up to the next NUL (or the end), as a NUL-terminated heap
 * string of exactly that size; the NUL is consumed.
 */
static inline char *fz_str(struct fz *f)
{
	const u8 *nul = memchr(f->p, 0, f->left);
	size_t n = nul ? (size_t)(nul - f->p) : f->left;
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, f->p, n);
	s[n] = '\0';
	f->p += n;
	f->left -= n;
	if (nul) {
		f->p++;
		f->left--;
	}
	return s;
}

/*
 * Check that @len bytes at @buf are well-formed key=value\0 pairs, as
 * every text kitt sends must be.
 */
static inline void fz_check_text(const char *buf, u32 len)
{
	struct kitt_text_cursor c;
	struct kitt_text_pair pair;
	int ret;

	kitt_text_cursor_init(&c, buf, len);
	while ((ret = kitt_text_next(&c, &pair)) == 1)
		;
	FZ_CHECK(ret == 0, "kitt sent malformed text (%d) at offset %u", ret, c.pos);
}

#endif /* KITT_FUZZ_H */
