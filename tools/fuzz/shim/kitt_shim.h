/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt fuzzing: the userspace stand-in for the kernel API that kitt's pure
 * layers use. It is forced in front of every file with -include, and the
 * kernel headers those files name (tools/fuzz/shim/include/) only lead
 * back here, so the files of drivers/kitt compile unchanged.
 *
 * Only what the pure files (pdu.c text.c params.c chap.c login.c spc.c
 * sbc.c task_data.c) and their headers need is here. Objects of the
 * runtime (locks, wait queues, kobjects, ...) are empty shells: login.c
 * includes kitt.h for the half of it that runs on a connection, and
 * kitt.h declares structures that embed them.
 *
 * WARN_ON*() and BUG_ON() abort: a warning the fuzzer can reach from the
 * wire is a finding, as it is in the guest tests.
 */
#ifndef KITT_SHIM_H
#define KITT_SHIM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* strchrnul() */
#endif

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

/* ---- compiler ---------------------------------------------------- */
#define __packed		__attribute__((__packed__))
#define __printf(a, b)		/* kernel %p extensions: no format check */
#define __rcu
#define __iomem
#define __user
#define __force
#define __bitwise
#define __must_check		__attribute__((__warn_unused_result__))
#undef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#define __maybe_unused		__attribute__((__unused__))
#define __cold
#define noinline		__attribute__((__noinline__))
#define fallthrough		__attribute__((__fallthrough__))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#define barrier()		__asm__ __volatile__("" ::: "memory")

#define KBUILD_MODNAME		"kitt"
#define THIS_MODULE		((void *)0)
#define EXPORT_SYMBOL(s)
#define EXPORT_SYMBOL_GPL(s)
#define EXPORT_SYMBOL_IF_KUNIT(s)
#define MODULE_LICENSE(s)
#define MODULE_DESCRIPTION(s)

/* IS_ENABLED(CONFIG_FOO): 1 when CONFIG_FOO is defined to 1. */
#define __kitt_arg_placeholder_1		0,
#define __kitt_second(ignored, val, ...)	val
#define __kitt_is_defined(x)		__kitt_is_defined1(x)
#define __kitt_is_defined1(val)		__kitt_is_defined2(__kitt_arg_placeholder_##val)
#define __kitt_is_defined2(junk)	__kitt_second(junk 1, 0, 0)
#define IS_ENABLED(option)		__kitt_is_defined(option)
#define IS_BUILTIN(option)		__kitt_is_defined(option)
/* The harnesses are tests: they use kitt_test.h, built for tests only. */
#define CONFIG_KITT_KUNIT_TEST		1

/* ---- types --------------------------------------------------------- */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef uint16_t __be16;
typedef uint32_t __be32;
typedef uint64_t __be64;
typedef uint16_t __le16;
typedef uint32_t __le32;
typedef uint64_t __le64;
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef unsigned int gfp_t;
typedef long long loff_t_kitt;

#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S32_MAX		((s32)(U32_MAX >> 1))
#define S32_MIN		((s32)(-S32_MAX - 1))

/* ---- sizes, bits --------------------------------------------------- */
#define SZ_1K		0x00000400
#define SZ_4K		0x00001000
#define SZ_8K		0x00002000
#define SZ_16K		0x00004000
#define SZ_64K		0x00010000
#define SZ_1M		0x00100000
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define BITS_PER_LONG	64
#define BIT(nr)		(1UL << (nr))
#define BIT_ULL(nr)	(1ULL << (nr))
#define GENMASK(h, l)	(((~0UL) - (1UL << (l)) + 1) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l) (((~0ULL) - (1ULL << (l)) + 1) & (~0ULL >> (63 - (h))))
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits)	unsigned long name[BITS_TO_LONGS(bits)]

static inline bool test_bit(long nr, const unsigned long *addr)
{
	return (addr[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

static inline void set_bit(long nr, unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline void clear_bit(long nr, unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

static inline bool __test_and_set_bit(long nr, unsigned long *addr)
{
	bool old = test_bit(nr, addr);

	set_bit(nr, addr);
	return old;
}

#define __set_bit	set_bit
#define __clear_bit	clear_bit
#define test_and_set_bit __test_and_set_bit

static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

#define ilog2(n)	((n) ? fls64((u64)(n)) - 1 : -1)
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))

/* ---- kernel.h helpers ---------------------------------------------- */
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define min(a, b)		({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b)		({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#define min3(a, b, c)		min(min(a, b), c)
#define max3(a, b, c)		max(max(a, b), c)
#define min_t(t, a, b)		({ t _a = (a); t _b = (b); _a < _b ? _a : _b; })
#define max_t(t, a, b)		({ t _a = (a); t _b = (b); _a > _b ? _a : _b; })
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define clamp_t(t, v, lo, hi)	min_t(t, max_t(t, v, lo), hi)
#define clamp_val(v, lo, hi)	clamp_t(__typeof__(v), v, lo, hi)
#define round_up(x, y)		((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((__typeof__(x))((y) - 1)))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define ALIGN(x, a)		round_up(x, a)
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#define swap(a, b)		do { __typeof__(a) _t = (a); (a) = (b); (b) = _t; } while (0)
#define BUILD_BUG_ON(c)		_Static_assert(!(c), "BUILD_BUG_ON: " #c)
#undef static_assert
#define static_assert(expr, ...)	__kitt_static_assert(expr, ##__VA_ARGS__, #expr)
#define __kitt_static_assert(expr, msg, ...) _Static_assert(expr, msg)

/* ---- byte order (x86: little endian) ------------------------------- */
#define cpu_to_be16(x)		((__be16)__builtin_bswap16(x))
#define cpu_to_be32(x)		((__be32)__builtin_bswap32(x))
#define cpu_to_be64(x)		((__be64)__builtin_bswap64(x))
#define be16_to_cpu(x)		((u16)__builtin_bswap16(x))
#define be32_to_cpu(x)		((u32)__builtin_bswap32(x))
#define be64_to_cpu(x)		((u64)__builtin_bswap64(x))
#define cpu_to_le16(x)		((__le16)(x))
#define cpu_to_le32(x)		((__le32)(x))
#define cpu_to_le64(x)		((__le64)(x))
#define le16_to_cpu(x)		((u16)(x))
#define le32_to_cpu(x)		((u32)(x))
#define le64_to_cpu(x)		((u64)(x))

static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)b[0] << 8 | b[1];
}

static inline u32 get_unaligned_be24(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 16 | (u32)b[1] << 8 | b[2];
}

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline u64 get_unaligned_be64(const void *p)
{
	return (u64)get_unaligned_be32(p) << 32 | get_unaligned_be32((const u8 *)p + 4);
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 8;
	b[1] = v;
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

static inline void put_unaligned_be64(u64 v, void *p)
{
	put_unaligned_be32(v >> 32, p);
	put_unaligned_be32((u32)v, (u8 *)p + 4);
}

/*
 * drivers/kitt/kitt_compat.h wraps what differs between kernel versions:
 * the pure files take only get_unaligned_*() and put_unaligned_*() from
 * it, which are above, so the header itself is skipped.
 */
#define KITT_COMPAT_H

/* ---- errors -------------------------------------------------------- */
#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE(ptr);
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR_VALUE(ptr);
}

/* Kernel-internal errno values that userspace lacks */
#ifndef ENOTSUPP
#define ENOTSUPP	524
#endif

/* ---- warnings: every one is a finding ------------------------------ */
void kitt_shim_warn(const char *file, int line, const char *cond) __attribute__((__noreturn__));
#define WARN_ON(c)	({ bool _c = !!(c); if (unlikely(_c)) kitt_shim_warn(__FILE__, __LINE__, #c); _c; })
#define WARN_ON_ONCE(c)	WARN_ON(c)
#define WARN(c, ...)	WARN_ON(c)
#define WARN_ONCE(c, ...) WARN_ON(c)
#define BUG_ON(c)	((void)WARN_ON(c))
#define BUG()		kitt_shim_warn(__FILE__, __LINE__, "BUG()")

/* ---- printk: swallowed, arguments still evaluated ------------------ */
static inline void kitt_shim_printk(const char *fmt, ...)
{
	(void)fmt;
}

#define printk(fmt, ...)		kitt_shim_printk(fmt, ##__VA_ARGS__)
#define pr_emerg(fmt, ...)		kitt_shim_printk(fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)		kitt_shim_printk(fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)		kitt_shim_printk(fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...)		kitt_shim_printk(fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)		kitt_shim_printk(fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)		kitt_shim_printk(fmt, ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...)	kitt_shim_printk(fmt, ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...)	kitt_shim_printk(fmt, ##__VA_ARGS__)
#define pr_info_ratelimited(fmt, ...)	kitt_shim_printk(fmt, ##__VA_ARGS__)
#define pr_notice_ratelimited(fmt, ...)	kitt_shim_printk(fmt, ##__VA_ARGS__)

/* ---- strings and formatting ---------------------------------------- */
/*
 * The kernel's vsnprintf() knows %ph and friends (chap.c sends CHAP_C and
 * CHAP_R with "0x%*phN"); libc's does not, so formatting goes through the
 * shim's own implementation. scnprintf() returns what was written.
 */
int kitt_shim_vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int kitt_shim_snprintf(char *buf, size_t size, const char *fmt, ...);
int kitt_shim_scnprintf(char *buf, size_t size, const char *fmt, ...);
int kitt_shim_vscnprintf(char *buf, size_t size, const char *fmt, va_list args);
#define vsnprintf	kitt_shim_vsnprintf
#define snprintf	kitt_shim_snprintf
#define scnprintf	kitt_shim_scnprintf
#define vscnprintf	kitt_shim_vscnprintf
#define sprintf(buf, fmt, ...)	kitt_shim_snprintf(buf, INT_MAX, fmt, ##__VA_ARGS__)

ssize_t kitt_shim_strscpy(char *dst, const char *src, size_t size);
#define strscpy		kitt_shim_strscpy
int hex_to_bin(unsigned char ch);
int hex2bin(u8 *dst, const char *src, size_t count);
int base64_decode(const char *src, int len, u8 *dst);
int kstrtou32(const char *s, unsigned int base, u32 *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);
int kstrtou16(const char *s, unsigned int base, u16 *res);
int kstrtou8(const char *s, unsigned int base, u8 *res);
bool sysfs_streq(const char *s1, const char *s2);
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtobool(const char *s, bool *res);

static inline void memzero_explicit(void *s, size_t n)
{
	memset(s, 0, n);
	barrier();
}

/* The kernel's ctype (lib/ctype.c): Latin-1 letters count as letters. */
#define _KITT_U		0x01	/* upper */
#define _KITT_L		0x02	/* lower */
#define _KITT_D		0x04	/* digit */
#define _KITT_C		0x08	/* cntrl */
#define _KITT_P		0x10	/* punct */
#define _KITT_S		0x20	/* white space (space/lf/tab) */
#define _KITT_X		0x40	/* hex digit */
#define _KITT_SP	0x80	/* hard space (0x20) */
unsigned char kitt_shim_ctype(unsigned char c);
#undef isalnum
#undef isalpha
#undef iscntrl
#undef isdigit
#undef isgraph
#undef islower
#undef isprint
#undef ispunct
#undef isspace
#undef isupper
#undef isxdigit
#undef tolower
#undef toupper
#define isalnum(c)	((kitt_shim_ctype(c) & (_KITT_U | _KITT_L | _KITT_D)) != 0)
#define isalpha(c)	((kitt_shim_ctype(c) & (_KITT_U | _KITT_L)) != 0)
#define iscntrl(c)	((kitt_shim_ctype(c) & (_KITT_C)) != 0)
#define isdigit(c)	({ int _c = (c); '0' <= _c && _c <= '9'; })
#define isgraph(c)	((kitt_shim_ctype(c) & (_KITT_P | _KITT_U | _KITT_L | _KITT_D)) != 0)
#define islower(c)	((kitt_shim_ctype(c) & (_KITT_L)) != 0)
#define isprint(c)	((kitt_shim_ctype(c) & (_KITT_P | _KITT_U | _KITT_L | _KITT_D | _KITT_SP)) != 0)
#define ispunct(c)	((kitt_shim_ctype(c) & (_KITT_P)) != 0)
#define isspace(c)	((kitt_shim_ctype(c) & (_KITT_S)) != 0)
#define isupper(c)	((kitt_shim_ctype(c) & (_KITT_U)) != 0)
#define isxdigit(c)	((kitt_shim_ctype(c) & (_KITT_D | _KITT_X)) != 0)
#define tolower(c)	({ unsigned char _c = (c); isupper(_c) ? _c - 'A' + 'a' : _c; })
#define toupper(c)	({ unsigned char _c = (c); islower(_c) ? _c - 'a' + 'A' : _c; })

void kitt_shim_sort(void *base, size_t num, size_t size,
		    int (*cmp)(const void *, const void *),
		    void (*swap_fn)(void *, void *, int));
#define sort		kitt_shim_sort

/* ---- memory -------------------------------------------------------- */
#define GFP_KERNEL	0x1u
#define GFP_NOIO	0x2u
#define GFP_ATOMIC	0x4u
#define __GFP_ZERO	0x100u

/*
 * kmalloc and friends fail when the harness asks (kitt_shim_fail_alloc),
 * so the -ENOMEM paths run too.
 */
void *kitt_shim_kmalloc(size_t size, gfp_t gfp);
#define kmalloc(s, g)		kitt_shim_kmalloc(s, g)
#define kzalloc(s, g)		kitt_shim_kmalloc(s, (g) | __GFP_ZERO)
#define kvmalloc(s, g)		kitt_shim_kmalloc(s, g)
#define kvzalloc(s, g)		kitt_shim_kmalloc(s, (g) | __GFP_ZERO)
#define kcalloc(n, s, g)	kitt_shim_kmalloc((n) * (s), (g) | __GFP_ZERO)
#define kmalloc_array(n, s, g)	kitt_shim_kmalloc((n) * (s), g)
#define kfree(p)		free((void *)(p))
#define kvfree(p)		free((void *)(p))
#define kfree_sensitive(p)	free((void *)(p))

/*
 * struct page is the page's bytes here: kmap_local_page() is the page
 * itself and nth_page() pointer arithmetic, so a flat buffer of N pages
 * can stand for physically contiguous pages.
 */
struct page {
	unsigned char kitt_shim_bytes[PAGE_SIZE];
};
#define nth_page(page, n)	((page) + (n))
#define kmap_local_page(page)	((void *)(page))
#define kunmap_local(addr)	((void)(addr))
#define page_address(page)	((void *)(page))

/* ---- CRC32C (lib/crc32.c semantics: no pre/post inversion) ---------- */
u32 crc32c(u32 crc, const void *address, unsigned int length);

/* ---- randomness: deterministic, reset per fuzz input ---------------- */
void get_random_bytes(void *buf, size_t len);

/* ---- time ---------------------------------------------------------- */
/*
 * jiffies moves an hour on at every kitt_shim_reset(), so that what one
 * input leaves behind with a timestamp (chap.c remembers missing hashes
 * for a minute) has expired for the next one.
 */
#define HZ		250
extern unsigned long jiffies;
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)

/* ---- lists --------------------------------------------------------- */
struct list_head {
	struct list_head *next, *prev;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	n->next = head;
	n->prev = head->prev;
	head->prev->next = n;
	head->prev = n;
}

static inline void list_del(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_for_each_entry(pos, head, member)					\
	for (pos = list_entry((head)->next, __typeof__(*pos), member);		\
	     &pos->member != (head);						\
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))

/* ---- runtime objects kitt.h embeds: shells only --------------------- */
struct mutex { int kitt_shim; };
typedef struct { int kitt_shim; } spinlock_t;
typedef struct { int kitt_shim; } wait_queue_head_t;
struct completion { int kitt_shim; };
struct work_struct { int kitt_shim; };
struct workqueue_struct;
struct kref { int kitt_shim; };
typedef struct { int counter; } atomic_t;
typedef struct { long long counter; } atomic64_t;
typedef struct { atomic_t refs; } refcount_t;
struct rcu_head { void *kitt_shim; };
struct kobject { const char *name; };
struct kobj_type { int kitt_shim; };
struct config_group { int kitt_shim; };
struct ratelimit_state { int kitt_shim; };
struct socket;
struct task_struct;
struct block_device;

static inline struct kobject *kobject_get(struct kobject *k)
{
	return k;
}

#define mutex_lock(m)		((void)(m))
#define mutex_unlock(m)		((void)(m))
#define spin_lock(l)		((void)(l))
#define spin_unlock(l)		((void)(l))
#define spin_lock_irq(l)	((void)(l))
#define spin_unlock_irq(l)	((void)(l))
#define lockdep_assert_held(l)	((void)(l))
#define kobject_put(k)		((void)(k))
#define atomic_read(a)		((a)->counter)
#define atomic_set(a, v)	((a)->counter = (v))
#define atomic_inc(a)		((void)((a)->counter++))
#define atomic64_inc(a)		((void)((a)->counter++))

/* ---- networking ---------------------------------------------------- */
static inline bool ipv6_addr_any(const struct in6_addr *a)
{
	static const struct in6_addr any;

	return !memcmp(a, &any, sizeof(any));
}

/* ---- crypto: the shash API over OpenSSL's digests ------------------- */
struct crypto_shash;
struct shash_desc {
	struct crypto_shash *tfm;
	void *kitt_shim_ctx;
};

#define SHASH_DESC_ON_STACK(name, tfm_arg)	\
	struct shash_desc __##name##_desc = { 0 }; \
	struct shash_desc *name = &__##name##_desc

struct crypto_shash *crypto_alloc_shash(const char *alg_name, u32 type, u32 mask);
void crypto_free_shash(struct crypto_shash *tfm);
unsigned int crypto_shash_digestsize(struct crypto_shash *tfm);
int crypto_shash_init(struct shash_desc *desc);
int crypto_shash_update(struct shash_desc *desc, const u8 *data, unsigned int len);
int crypto_shash_final(struct shash_desc *desc, u8 *out);
void shash_desc_zero(struct shash_desc *desc);
int crypto_memneq(const void *a, const void *b, size_t size);

/* ---- knobs the harnesses turn -------------------------------------- */
/* Start of every fuzz input: reseed the random bytes, clear failures. */
void kitt_shim_reset(u32 seed);
/* The next @n-th kmalloc (1 = the next one) fails; 0 = none fails. */
extern unsigned int kitt_shim_fail_alloc;
/* CHAP algorithms crypto_alloc_shash() pretends not to have (BIT(id)). */
extern unsigned int kitt_shim_missing_hash;

#endif /* KITT_SHIM_H */
