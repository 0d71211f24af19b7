// SPDX-License-Identifier: GPL-2.0
/*
 * kittctl - configure kitt, the in-kernel iSCSI target, through configfs.
 *
 * Every command is a sequence of mkdir, write, symlink, unlink and rmdir
 * calls on /sys/kernel/config/kitt (see Documentation/configfs.rst and
 * kittctl(8)); nothing here talks to the kernel any other way, so what
 * kittctl does can always be done by hand with mkdir, echo and ln.
 *
 * Adding is idempotent: a directory that exists is left alone, a value is
 * written only when it differs from the current one, and a LUN link that
 * already points at the same device is kept. That is what lets
 * `kittctl restore` apply the same file twice without changing anything.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef KITTCTL_VERSION
#define KITTCTL_VERSION		"unknown"	/* the Makefile passes kitt's */
#endif
#define DEFAULT_CONFIGFS	"/sys/kernel/config/kitt"
#define DEFAULT_SESSIONS	"/sys/kernel/kitt/sessions"
#define DEFAULT_CONF		"/etc/kitt/kitt.conf"
#define DEFAULT_PORTAL		"0.0.0.0:3260"
#define DEFAULT_TPGT		1

/* A configfs or sysfs attribute is at most a page; leave room for more. */
#define VALUE_MAX		16384
#define MAX_PORTALS		64

static const char *cfs_root = DEFAULT_CONFIGFS;
static const char *sess_root = DEFAULT_SESSIONS;
static bool verbose;

/* "FILE:LINE: " while restoring, so that an error names its line. */
static char err_ctx[PATH_MAX + 32];

/* "device " while running a command, for the usage hint of an error. */
static const char *cur_cmd;

/*
 * Exit statuses, documented in kittctl(8). A command that fails returns
 * the status of its last error.
 */
enum {
	KC_OK		= 0,
	KC_FAIL		= 1,	/* the kernel refused a change, or I/O failed */
	KC_USAGE	= 2,	/* bad command line */
	KC_NOT_LOADED	= 3,	/* no /sys/kernel/config/kitt: kitt is not loaded */
	KC_NOT_FOUND	= 4,	/* an object the command needs does not exist */
	KC_BUSY		= 5,	/* the object is in use */
	KC_DENIED	= 6,	/* permission denied: not root */
};

static int cmd_status = KC_FAIL;

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

static int status_for(int err)
{
	switch (err) {
	case ENOENT:
		return KC_NOT_FOUND;
	case EBUSY:
	case ENOTEMPTY:
		return KC_BUSY;
	case EACCES:
	case EPERM:
		return KC_DENIED;
	default:
		return KC_FAIL;
	}
}

/* The status a failed command exits with. */
static int failed(void)
{
	return cmd_status;
}

/* Path relative to the configfs root, for messages. */
static const char *rel_path(const char *path);

/*
 * Print "kittctl: [ctx]PATH: [WHAT: ]strerror(errno)" with PATH relative
 * to the configfs root; return -1. The exit status follows errno.
 */
static int fail_what(const char *path, const char *what)
{
	cmd_status = status_for(errno);
	fprintf(stderr, "kittctl: %s%s: %s%s%s\n", err_ctx, rel_path(path), what ? what : "",
		what ? ": " : "", strerror(errno));
	return -1;
}

static int fail(const char *path)
{
	return fail_what(path, NULL);
}

/* Print "kittctl: [ctx]message"; return -1 (exit status @status). */
static int __attribute__((format(printf, 2, 3))) failf_status(int status, const char *fmt, ...)
{
	va_list ap;

	cmd_status = status;
	fprintf(stderr, "kittctl: %s", err_ctx);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

#define failf(...) failf_status(KC_FAIL, __VA_ARGS__)

/* fail() for a command's exit status. */
static int fail_exit(const char *path)
{
	fail(path);
	return failed();
}

static void __attribute__((noreturn)) usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("kittctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (kittctl %s--help for usage)\n", cur_cmd ? cur_cmd : "");
	exit(KC_USAGE);
}

/* ------------------------------------------------------------------ */
/* Paths                                                               */
/* ------------------------------------------------------------------ */

/* Format a path into @buf (PATH_MAX bytes); a path that long is a usage error. */
static char * __attribute__((format(printf, 2, 3))) pathf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX)
		usage_error("path too long: %.60s...", buf);
	return buf;
}

/*
 * A name that becomes one path component: not empty, no '/', not "." or
 * "..". What else a name may hold is the kernel's to decide.
 */
static void check_name(const char *what, const char *name)
{
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") ||
	    strchr(name, '\n'))
		usage_error("invalid %s '%s'", what, name);
}

/* The configfs root must exist: kitt is loaded and configfs mounted. */
static int need_root(void)
{
	struct stat st;

	if (stat(cfs_root, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (errno == 0)
		errno = ENOTDIR;
	fprintf(stderr, "kittctl: %s: %s (is kitt loaded? modprobe kitt)\n", cfs_root,
		strerror(errno));
	cmd_status = KC_NOT_LOADED;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Attribute and directory primitives                                  */
/* ------------------------------------------------------------------ */

/*
 * Read an attribute into @buf without its final newline. Quiet: returns
 * -1 with errno set on failure.
 */
static int read_value_quiet(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return 0;
}

static int read_value(const char *path, char *buf, size_t size)
{
	if (read_value_quiet(path, buf, size))
		return fail(path);
	return 0;
}

/*
 * Write @value to an attribute in one write(), with the newline echo
 * adds (kitt strips it; it also makes an empty value a non-empty write).
 * Quiet: returns -1 with errno set on failure.
 */
static int write_value(const char *path, const char *value)
{
	size_t len = strlen(value);
	char *buf;
	ssize_t n;
	int fd, e;

	buf = malloc(len + 2);
	if (!buf)
		return -1;
	memcpy(buf, value, len);
	buf[len++] = '\n';
	buf[len] = '\0';

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		free(buf);
		errno = e;
		return -1;
	}
	do {
		n = write(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	e = errno;
	free(buf);
	if (n >= 0 && (size_t)n != len) {
		close(fd);
		errno = EIO;
		return -1;
	}
	if (close(fd) && n >= 0)
		return -1;
	if (n < 0) {
		errno = e;
		return -1;
	}
	return 0;
}

/* Path relative to the configfs root, for messages. */
static const char *rel_path(const char *path)
{
	size_t n = strlen(cfs_root);

	if (!strncmp(path, cfs_root, n) && path[n] == '/')
		return path + n + 1;
	return path;
}

static bool is_secret(const char *path)
{
	const char *base = strrchr(path, '/');

	return strstr(base ? base : path, "password") != NULL;
}

/*
 * Make the attribute at @path hold @want; write only if it differs.
 * *@changed (if given) is set when something was written.
 */
static int ensure_value(const char *path, const char *want, bool *changed)
{
	char *cur = malloc(VALUE_MAX);
	int ret;

	if (!cur)
		return fail(path);
	ret = read_value(path, cur, VALUE_MAX);
	if (!ret && strcmp(cur, want)) {
		ret = write_value(path, want);
		if (ret) {
			char what[96];

			snprintf(what, sizeof(what), "cannot set to '%.60s%s'",
				 is_secret(path) ? "********" : want,
				 !is_secret(path) && strlen(want) > 60 ? "..." : "");
			fail_what(path, what);
		}
		if (!ret && verbose)
			printf("set %s %s\n", rel_path(path), is_secret(path) ? "********" : want);
		if (!ret && changed)
			*changed = true;
	}
	free(cur);
	return ret;
}

/* mkdir @path unless it is a directory already. */
static int ensure_dir(const char *path)
{
	struct stat st;

	if (mkdir(path, 0755) == 0) {
		if (verbose)
			printf("mkdir %s\n", rel_path(path));
		return 0;
	}
	if (errno != EEXIST)
		return fail_what(path, "cannot create");
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	/* Not a directory, or kitt knows the name in another spelling. */
	errno = EEXIST;
	return fail_what(path, "cannot create");
}

/* The last component of @path (which may end with '/'), copied into @buf. */
static const char *base_name(const char *path, char *buf, size_t size)
{
	size_t len = strlen(path);
	const char *p;

	while (len > 1 && path[len - 1] == '/')
		len--;
	p = path + len;
	while (p > path && p[-1] != '/')
		p--;
	len -= p - path;
	if (len >= size)
		len = size - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

/*
 * The device a LUN link at @path points to (the last component of the
 * link's text, which configfs writes as a relative path), into @dev.
 */
static int link_device(const char *path, char *dev, size_t size)
{
	char target[PATH_MAX];
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	base_name(target, dev, size);
	return 0;
}

/* Make @path a symlink to the device directory @devdir. */
static int ensure_link(const char *path, const char *devdir)
{
	char have[NAME_MAX + 1], want[NAME_MAX + 1];
	struct stat st;

	if (lstat(path, &st) == 0) {
		if (!S_ISLNK(st.st_mode)) {
			errno = EEXIST;
			return fail(path);
		}
		if (link_device(path, have, sizeof(have)))
			return fail(path);
		base_name(devdir, want, sizeof(want));
		if (!strcmp(have, want))
			return 0;
		return failf_status(KC_BUSY, "%s: %s; maps device %s, not %s (kittctl lun del first)",
				    rel_path(path), strerror(EBUSY), have, want);
	}
	if (errno != ENOENT)
		return fail(path);
	if (symlink(devdir, path)) {
		char what[NAME_MAX + 32];

		snprintf(what, sizeof(what), "cannot map device %s",
			 base_name(devdir, want, sizeof(want)));
		return fail_what(path, what);
	}
	if (verbose)
		printf("link %s %s\n", rel_path(path), rel_path(devdir));
	return 0;
}

/* rmdir @path; one that is gone already is fine. */
static int remove_dir(const char *path)
{
	if (rmdir(path)) {
		if (errno == ENOENT)
			return 0;
		return fail_what(path, "cannot remove");
	}
	if (verbose)
		printf("rmdir %s\n", rel_path(path));
	return 0;
}

/* unlink @path; one that is gone already is fine. */
static int remove_link(const char *path)
{
	if (unlink(path)) {
		if (errno == ENOENT)
			return 0;
		return fail_what(path, "cannot remove");
	}
	if (verbose)
		printf("unlink %s\n", rel_path(path));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Directory listings                                                  */
/* ------------------------------------------------------------------ */

enum entry_type { ENT_DIR, ENT_LINK, ENT_FILE };

struct names {
	char **v;
	size_t n;
};

/*
 * Compare names with digit runs taken as numbers, so that tpgt_2 sorts
 * before tpgt_10 and LUN 9 before LUN 10.
 */
static int natural_cmp(const char *a, const char *b)
{
	const char *sa = a, *sb = b;

	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *ea, *eb;
			size_t la, lb;
			int c;

			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (ea = a; isdigit((unsigned char)*ea); ea++)
				;
			for (eb = b; isdigit((unsigned char)*eb); eb++)
				;
			la = ea - a;
			lb = eb - b;
			if (la != lb)
				return la < lb ? -1 : 1;
			c = strncmp(a, b, la);
			if (c)
				return c;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		a++;
		b++;
	}
	if (*a || *b)
		return (unsigned char)*a - (unsigned char)*b;
	return strcmp(sa, sb);
}

static int names_cmp(const void *a, const void *b)
{
	return natural_cmp(*(char * const *)a, *(char * const *)b);
}

static void names_free(struct names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/*
 * The entries of @dir of one type, sorted. A missing directory is an
 * error unless @missing_ok (then the list is empty).
 */
static int list_dir(const char *dir, enum entry_type type, struct names *out, bool missing_ok)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;
	bool match;
	char **v;

	out->v = NULL;
	out->n = 0;
	d = opendir(dir);
	if (!d) {
		if (missing_ok && errno == ENOENT)
			return 0;
		return fail(dir);
	}
	while ((errno = 0, de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (lstat(pathf(path, "%s/%s", dir, de->d_name), &st))
			continue;	/* gone meanwhile */
		switch (type) {
		case ENT_DIR:
			match = S_ISDIR(st.st_mode);
			break;
		case ENT_LINK:
			match = S_ISLNK(st.st_mode);
			break;
		default:
			match = S_ISREG(st.st_mode);
			break;
		}
		if (!match)
			continue;
		v = realloc(out->v, (out->n + 1) * sizeof(*v));
		if (!v)
			goto err;
		out->v = v;
		out->v[out->n] = strdup(de->d_name);
		if (!out->v[out->n])
			goto err;
		out->n++;
	}
	if (errno)
		goto err;
	closedir(d);
	qsort(out->v, out->n, sizeof(*out->v), names_cmp);
	return 0;
err:
	fail(dir);
	closedir(d);
	names_free(out);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Option parsing                                                      */
/* ------------------------------------------------------------------ */

enum {
	OPT_TPGT	= 1 << 0,
	OPT_RO		= 1 << 1,
	OPT_PORTAL	= 1 << 2,
	OPT_CHAP	= 1 << 3,
	OPT_MUTUAL	= 1 << 4,
	OPT_ENFORCE	= 1 << 5,
	OPT_JSON	= 1 << 6,
	OPT_PROM	= 1 << 7,
	OPT_MISSING_OK	= 1 << 8,
};

struct opts {
	unsigned int tpgt;
	bool ro;
	const char *portals[MAX_PORTALS];
	int nportals;
	const char *chap;
	const char *mutual;
	int enforce;		/* -1: leave alone */
	bool json;
	bool prometheus;
	bool missing_ok;
	const char *pos[4];
	int npos;
};

static unsigned int parse_tpgt(const char *s)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || !isdigit((unsigned char)*s) || v < 1 || v > 65535)
		usage_error("invalid portal group tag '%s' (1 to 65535)", s);
	return v;
}

/*
 * Split argv into options (allowed by @allowed) and between @min and
 * @max positional arguments. "--opt VALUE" and "--opt=VALUE" both work;
 * "--" ends the options.
 */
static void parse_opts(int argc, char **argv, unsigned int allowed, int min, int max,
		       const char *cmd, struct opts *o)
{
	bool dashdash = false;
	int i;

	memset(o, 0, sizeof(*o));
	o->tpgt = DEFAULT_TPGT;
	o->enforce = -1;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		char name[32];
		size_t nlen;
		unsigned int bit;

		if (dashdash || strncmp(a, "--", 2) || !a[2]) {
			if (!dashdash && !strcmp(a, "--")) {
				dashdash = true;
				continue;
			}
			if (o->npos >= max)
				usage_error("%s: too many arguments", cmd);
			o->pos[o->npos++] = a;
			continue;
		}
		eq = strchr(a, '=');
		nlen = eq ? (size_t)(eq - a) : strlen(a);
		if (nlen >= sizeof(name))
			usage_error("%s: unknown option %s", cmd, a);
		memcpy(name, a, nlen);
		name[nlen] = '\0';

		if (!strcmp(name, "--tpgt"))
			bit = OPT_TPGT;
		else if (!strcmp(name, "--ro"))
			bit = OPT_RO;
		else if (!strcmp(name, "--portal"))
			bit = OPT_PORTAL;
		else if (!strcmp(name, "--chap"))
			bit = OPT_CHAP;
		else if (!strcmp(name, "--mutual"))
			bit = OPT_MUTUAL;
		else if (!strcmp(name, "--enforce"))
			bit = OPT_ENFORCE;
		else if (!strcmp(name, "--json"))
			bit = OPT_JSON;
		else if (!strcmp(name, "--prometheus"))
			bit = OPT_PROM;
		else if (!strcmp(name, "--missing-ok"))
			bit = OPT_MISSING_OK;
		else
			bit = 0;
		if (!(bit & allowed))
			usage_error("%s: unknown option %s", cmd, name);

		if (bit == OPT_RO || bit == OPT_JSON || bit == OPT_PROM || bit == OPT_MISSING_OK) {
			if (eq)
				usage_error("%s: %s takes no value", cmd, name);
			o->ro |= bit == OPT_RO;
			o->json |= bit == OPT_JSON;
			o->prometheus |= bit == OPT_PROM;
			o->missing_ok |= bit == OPT_MISSING_OK;
			continue;
		}
		if (eq) {
			val = eq + 1;
		} else {
			if (i + 1 >= argc)
				usage_error("%s: %s needs a value", cmd, name);
			val = argv[++i];
		}
		switch (bit) {
		case OPT_TPGT:
			o->tpgt = parse_tpgt(val);
			break;
		case OPT_PORTAL:
			if (o->nportals >= MAX_PORTALS)
				usage_error("%s: too many portals", cmd);
			check_name("portal", val);
			o->portals[o->nportals++] = val;
			break;
		case OPT_CHAP:
			o->chap = val;
			break;
		case OPT_MUTUAL:
			o->mutual = val;
			break;
		case OPT_ENFORCE:
			if (strcmp(val, "0") && strcmp(val, "1"))
				usage_error("%s: --enforce takes 0 or 1", cmd);
			o->enforce = val[0] == '1';
			break;
		}
	}
	if (o->npos < min)
		usage_error("%s: missing arguments", cmd);
}

/*
 * Split USER:SECRET at the last ':' (user names are often IQNs, which
 * hold colons; secrets may not).
 */
static void split_cred(const char *opt, const char *s, char *user, size_t usize,
		       const char **secret)
{
	const char *colon = strrchr(s, ':');
	size_t len;

	if (!colon || colon == s || !colon[1])
		usage_error("%s wants USER:SECRET", opt);
	len = colon - s;
	if (len >= usize)
		usage_error("%s: user name too long", opt);
	memcpy(user, s, len);
	user[len] = '\0';
	*secret = colon + 1;
}

/* ------------------------------------------------------------------ */
/* Building blocks of the commands                                     */
/* ------------------------------------------------------------------ */

static char *tpg_path(char *buf, const char *iqn, unsigned int tpgt)
{
	return pathf(buf, "%s/targets/%s/tpgt_%u", cfs_root, iqn, tpgt);
}

/* The portal group must exist for lun/acl/attrib/param/open. */
static int need_tpg(const char *iqn, unsigned int tpgt, char *tpg)
{
	struct stat st;

	tpg_path(tpg, iqn, tpgt);
	if (stat(tpg, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return failf_status(status_for(errno), "%s: %s (kittctl target add %s%s)",
			    rel_path(tpg), strerror(errno), iqn,
			    tpgt == DEFAULT_TPGT ? "" : " --tpgt N");
}

/* Like need_tpg(), for del: 1 (nothing to do) when the group is missing. */
static int find_tpg(const char *iqn, unsigned int tpgt, char *tpg)
{
	struct stat st;

	tpg_path(tpg, iqn, tpgt);
	if (stat(tpg, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (errno == ENOENT)
		return 1;
	return fail(tpg);
}

/* Remove an ACL: the entries of its LUN map first. */
static int remove_acl(const char *acl)
{
	char path[PATH_MAX];
	struct names l;
	size_t i;
	int ret = 0;

	if (list_dir(pathf(path, "%s/luns", acl), ENT_DIR, &l, true))
		return -1;
	for (i = 0; i < l.n; i++)
		ret |= remove_dir(pathf(path, "%s/luns/%s", acl, l.v[i]));
	names_free(&l);
	return ret | remove_dir(acl);
}

/* Remove a portal group: disable it, then LUNs, ACLs, portals, itself. */
static int tpg_remove(const char *tpg)
{
	char path[PATH_MAX];
	struct names l;
	struct stat st;
	size_t i;
	int ret = 0;

	if (stat(pathf(path, "%s/enable", tpg), &st) == 0 && ensure_value(path, "0", NULL))
		ret = -1;

	if (list_dir(pathf(path, "%s/luns", tpg), ENT_LINK, &l, true))
		return -1;
	for (i = 0; i < l.n; i++)
		ret |= remove_link(pathf(path, "%s/luns/%s", tpg, l.v[i]));
	names_free(&l);

	if (list_dir(pathf(path, "%s/acls", tpg), ENT_DIR, &l, true))
		return -1;
	for (i = 0; i < l.n; i++)
		ret |= remove_acl(pathf(path, "%s/acls/%s", tpg, l.v[i]));
	names_free(&l);

	if (list_dir(pathf(path, "%s/portals", tpg), ENT_DIR, &l, true))
		return -1;
	for (i = 0; i < l.n; i++)
		ret |= remove_dir(pathf(path, "%s/portals/%s", tpg, l.v[i]));
	names_free(&l);

	if (ret)
		return -1;
	return remove_dir(tpg);
}

static int target_remove(const char *iqn)
{
	char tdir[PATH_MAX], tpg[PATH_MAX];
	struct names l;
	size_t i;
	int ret = 0;

	pathf(tdir, "%s/targets/%s", cfs_root, iqn);
	if (access(tdir, F_OK) && errno == ENOENT)
		return 0;
	if (list_dir(tdir, ENT_DIR, &l, false))
		return -1;
	for (i = 0; i < l.n; i++)
		ret |= tpg_remove(pathf(tpg, "%s/%s", tdir, l.v[i]));
	names_free(&l);
	if (ret)
		return -1;
	return remove_dir(tdir);
}

/* Every LUN link to device @name, as "targets/IQN/tpgt_N/luns/L" lines. */
static int device_users(const char *name, char *buf, size_t size)
{
	char path[PATH_MAX], dev[NAME_MAX + 1];
	struct names targets, tpgs, luns;
	size_t t, g, l, len = 0;

	buf[0] = '\0';
	if (list_dir(pathf(path, "%s/targets", cfs_root), ENT_DIR, &targets, true))
		return -1;
	for (t = 0; t < targets.n; t++) {
		if (list_dir(pathf(path, "%s/targets/%s", cfs_root, targets.v[t]), ENT_DIR,
			     &tpgs, true))
			continue;
		for (g = 0; g < tpgs.n; g++) {
			if (list_dir(pathf(path, "%s/targets/%s/%s/luns", cfs_root, targets.v[t],
					   tpgs.v[g]), ENT_LINK, &luns, true))
				continue;
			for (l = 0; l < luns.n; l++) {
				pathf(path, "%s/targets/%s/%s/luns/%s", cfs_root, targets.v[t],
				      tpgs.v[g], luns.v[l]);
				if (link_device(path, dev, sizeof(dev)) || strcmp(dev, name))
					continue;
				if (len < size)
					len += snprintf(buf + len, size - len, "%s%s",
							len ? ", " : "", rel_path(path));
			}
			names_free(&luns);
		}
		names_free(&tpgs);
	}
	names_free(&targets);
	return 0;
}

/* ------------------------------------------------------------------ */
/* device                                                              */
/* ------------------------------------------------------------------ */

static int cmd_device(int argc, char **argv)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct stat st;
	struct opts o;
	const char *sub = argc ? argv[0] : "";

	if (!strcmp(sub, "add")) {
		parse_opts(argc - 1, argv + 1, OPT_RO, 2, 2, "device add", &o);
		check_name("device name", o.pos[0]);
		if (o.pos[1][0] != '/')
			usage_error("device add: PATH must be absolute: '%s'", o.pos[1]);
		if (need_root())
			return failed();
		if (stat(o.pos[1], &st)) {
			fail_what(o.pos[1], "device PATH");
			return failed();
		}
		if (!S_ISBLK(st.st_mode)) {
			failf("%s: device PATH is not a block device", o.pos[1]);
			return failed();
		}
		pathf(dir, "%s/devices/%s", cfs_root, o.pos[0]);
		if (ensure_dir(dir) ||
		    ensure_value(pathf(path, "%s/path", dir), o.pos[1], NULL) ||
		    ensure_value(pathf(path, "%s/read_only", dir), o.ro ? "1" : "0", NULL) ||
		    ensure_value(pathf(path, "%s/enable", dir), "1", NULL))
			return failed();
		return 0;
	}
	if (!strcmp(sub, "del")) {
		char users[1024];

		parse_opts(argc - 1, argv + 1, 0, 1, 1, "device del", &o);
		check_name("device name", o.pos[0]);
		if (need_root())
			return failed();
		pathf(dir, "%s/devices/%s", cfs_root, o.pos[0]);
		if (stat(dir, &st))
			return errno == ENOENT ? 0 : fail_exit(dir);
		if (!device_users(o.pos[0], users, sizeof(users)) && users[0]) {
			failf_status(KC_BUSY, "%s: %s; mapped by %s (kittctl lun del first)",
				     rel_path(dir), strerror(EBUSY), users);
			return failed();
		}
		if (ensure_value(pathf(path, "%s/enable", dir), "0", NULL) || remove_dir(dir))
			return failed();
		return 0;
	}
	if (!strcmp(sub, "rescan")) {
		char size[64];

		parse_opts(argc - 1, argv + 1, 0, 1, 1, "device rescan", &o);
		check_name("device name", o.pos[0]);
		if (need_root())
			return failed();
		pathf(dir, "%s/devices/%s", cfs_root, o.pos[0]);
		if (stat(dir, &st)) {
			fail_what(dir, "device");
			return failed();
		}
		/* Not a setting: written every time, it takes the size anew. */
		if (write_value(pathf(path, "%s/rescan", dir), "1")) {
			fail_what(path, "rescan (is the device enabled?)");
			return failed();
		}
		if (read_value(pathf(path, "%s/size", dir), size, sizeof(size)))
			return failed();
		printf("%s: %s bytes\n", o.pos[0], size);
		return 0;
	}
	usage_error("device: want add, del or rescan");
}

/* ------------------------------------------------------------------ */
/* target                                                              */
/* ------------------------------------------------------------------ */

static int cmd_target(int argc, char **argv)
{
	char tpg[PATH_MAX], path[PATH_MAX];
	const char *sub = argc ? argv[0] : "";
	struct names l;
	struct opts o;
	int i;

	if (!strcmp(sub, "add")) {
		parse_opts(argc - 1, argv + 1, OPT_TPGT | OPT_PORTAL, 1, 1, "target add", &o);
		check_name("target name", o.pos[0]);
		if (need_root())
			return failed();
		tpg_path(tpg, o.pos[0], o.tpgt);
		if (ensure_dir(pathf(path, "%s/targets/%s", cfs_root, o.pos[0])) ||
		    ensure_dir(tpg))
			return failed();
		if (!o.nportals) {
			/* The default portal only for a portal group that has none. */
			if (list_dir(pathf(path, "%s/portals", tpg), ENT_DIR, &l, false))
				return failed();
			if (!l.n)
				o.portals[o.nportals++] = DEFAULT_PORTAL;
			names_free(&l);
		}
		for (i = 0; i < o.nportals; i++)
			if (ensure_dir(pathf(path, "%s/portals/%s", tpg, o.portals[i])))
				return failed();
		if (ensure_value(pathf(path, "%s/enable", tpg), "1", NULL))
			return failed();
		return 0;
	}
	if (!strcmp(sub, "del")) {
		parse_opts(argc - 1, argv + 1, 0, 1, 1, "target del", &o);
		check_name("target name", o.pos[0]);
		if (need_root())
			return failed();
		return target_remove(o.pos[0]) ? failed() : 0;
	}
	usage_error("target: want add or del");
}

/* ------------------------------------------------------------------ */
/* lun                                                                 */
/* ------------------------------------------------------------------ */

static void check_lun(const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			break;
	if (!*s || *p || (s[0] == '0' && s[1]) || strlen(s) > 5)
		usage_error("invalid LUN '%s' (a number, no leading zeros)", s);
}

static int cmd_lun(int argc, char **argv)
{
	char tpg[PATH_MAX], path[PATH_MAX], dev[PATH_MAX];
	const char *sub = argc ? argv[0] : "";
	struct stat st;
	struct opts o;
	int ret;

	if (!strcmp(sub, "add")) {
		parse_opts(argc - 1, argv + 1, OPT_TPGT, 3, 3, "lun add", &o);
		check_name("target name", o.pos[0]);
		check_lun(o.pos[1]);
		check_name("device name", o.pos[2]);
		if (need_root() || need_tpg(o.pos[0], o.tpgt, tpg))
			return failed();
		pathf(dev, "%s/devices/%s", cfs_root, o.pos[2]);
		if (stat(dev, &st)) {
			failf_status(status_for(errno), "%s: %s (kittctl device add %s PATH)",
				     rel_path(dev), strerror(errno), o.pos[2]);
			return failed();
		}
		return ensure_link(pathf(path, "%s/luns/%s", tpg, o.pos[1]), dev) ? failed() : 0;
	}
	if (!strcmp(sub, "del")) {
		parse_opts(argc - 1, argv + 1, OPT_TPGT, 2, 2, "lun del", &o);
		check_name("target name", o.pos[0]);
		check_lun(o.pos[1]);
		if (need_root())
			return failed();
		ret = find_tpg(o.pos[0], o.tpgt, tpg);
		if (ret)
			return ret < 0 ? failed() : 0;
		return remove_link(pathf(path, "%s/luns/%s", tpg, o.pos[1])) ? failed() : 0;
	}
	usage_error("lun: want add or del");
}

/* ------------------------------------------------------------------ */
/* portal                                                              */
/* ------------------------------------------------------------------ */

static int cmd_portal(int argc, char **argv)
{
	char tpg[PATH_MAX], path[PATH_MAX];
	const char *sub = argc ? argv[0] : "";
	struct opts o;
	int ret;

	if (!strcmp(sub, "add")) {
		parse_opts(argc - 1, argv + 1, OPT_TPGT, 2, 2, "portal add", &o);
		check_name("target name", o.pos[0]);
		check_name("portal", o.pos[1]);
		if (need_root() || need_tpg(o.pos[0], o.tpgt, tpg))
			return failed();
		return ensure_dir(pathf(path, "%s/portals/%s", tpg, o.pos[1])) ? failed() : 0;
	}
	if (!strcmp(sub, "del")) {
		parse_opts(argc - 1, argv + 1, OPT_TPGT, 2, 2, "portal del", &o);
		check_name("target name", o.pos[0]);
		check_name("portal", o.pos[1]);
		if (need_root())
			return failed();
		ret = find_tpg(o.pos[0], o.tpgt, tpg);
		if (ret)
			return ret < 0 ? failed() : 0;
		return remove_dir(pathf(path, "%s/portals/%s", tpg, o.pos[1])) ? failed() : 0;
	}
	usage_error("portal: want add or del");
}

/* ------------------------------------------------------------------ */
/* acl                                                                 */
/* ------------------------------------------------------------------ */

/* Set userid/password (or the _mutual pair) in an auth/ directory. */
static int set_cred(const char *auth, const char *opt, const char *cred, bool mutual)
{
	char user[1024], path[PATH_MAX];
	const char *secret;

	split_cred(opt, cred, user, sizeof(user), &secret);
	if (ensure_value(pathf(path, "%s/%s", auth, mutual ? "userid_mutual" : "userid"),
			 user, NULL) ||
	    ensure_value(pathf(path, "%s/%s", auth, mutual ? "password_mutual" : "password"),
			 secret, NULL))
		return -1;
	return 0;
}

static int cmd_acl(int argc, char **argv)
{
	char tpg[PATH_MAX], dir[PATH_MAX], path[PATH_MAX];
	const char *sub = argc ? argv[0] : "";
	struct opts o;
	bool changed = false;
	int ret;

	if (!strcmp(sub, "add")) {
		parse_opts(argc - 1, argv + 1, OPT_TPGT | OPT_CHAP | OPT_MUTUAL, 2, 2, "acl add",
			   &o);
		check_name("target name", o.pos[0]);
		check_name("initiator name", o.pos[1]);
		if (o.mutual && !o.chap)
			usage_error("acl add: --mutual needs --chap");
		if (need_root() || need_tpg(o.pos[0], o.tpgt, tpg))
			return failed();
		pathf(dir, "%s/acls/%s", tpg, o.pos[1]);
		if (ensure_dir(dir))
			return failed();
		if (o.chap && set_cred(pathf(path, "%s/auth", dir), "--chap", o.chap, false))
			return failed();
		if (o.mutual && set_cred(pathf(path, "%s/auth", dir), "--mutual", o.mutual, true))
			return failed();
		if (o.chap) {
			/* Credentials alone do not make CHAP mandatory; this does. */
			if (ensure_value(pathf(path, "%s/attrib/authentication", tpg), "1",
					 &changed))
				return failed();
			if (changed)
				fprintf(stderr, "kittctl: %s: authentication=1: every initiator of this portal group must now use CHAP\n",
					rel_path(tpg));
		}
		return 0;
	}
	if (!strcmp(sub, "del")) {
		parse_opts(argc - 1, argv + 1, OPT_TPGT, 2, 2, "acl del", &o);
		check_name("target name", o.pos[0]);
		check_name("initiator name", o.pos[1]);
		if (need_root())
			return failed();
		ret = find_tpg(o.pos[0], o.tpgt, tpg);
		if (ret)
			return ret < 0 ? failed() : 0;
		return remove_acl(pathf(dir, "%s/acls/%s", tpg, o.pos[1])) ? failed() : 0;
	}
	if (!strcmp(sub, "map")) {
		parse_opts(argc - 1, argv + 1, OPT_TPGT | OPT_RO, 3, 4, "acl map", &o);
		check_name("target name", o.pos[0]);
		check_name("initiator name", o.pos[1]);
		check_lun(o.pos[2]);
		if (o.npos == 4)
			check_lun(o.pos[3]);
		if (need_root() || need_tpg(o.pos[0], o.tpgt, tpg))
			return failed();
		pathf(dir, "%s/acls/%s", tpg, o.pos[1]);
		if (access(dir, F_OK)) {
			failf_status(status_for(errno), "%s: %s (kittctl acl add %s %s)",
				     rel_path(dir), strerror(errno), o.pos[0], o.pos[1]);
			return failed();
		}
		pathf(dir, "%s/acls/%s/luns/%s", tpg, o.pos[1], o.pos[2]);
		if (ensure_dir(dir) ||
		    ensure_value(pathf(path, "%s/tpg_lun", dir), o.npos == 4 ? o.pos[3] : o.pos[2],
				 NULL) ||
		    ensure_value(pathf(path, "%s/write_protect", dir), o.ro ? "1" : "0", NULL))
			return failed();
		return 0;
	}
	if (!strcmp(sub, "unmap")) {
		parse_opts(argc - 1, argv + 1, OPT_TPGT, 3, 3, "acl unmap", &o);
		check_name("target name", o.pos[0]);
		check_name("initiator name", o.pos[1]);
		check_lun(o.pos[2]);
		if (need_root())
			return failed();
		ret = find_tpg(o.pos[0], o.tpgt, tpg);
		if (ret)
			return ret < 0 ? failed() : 0;
		return remove_dir(pathf(dir, "%s/acls/%s/luns/%s", tpg, o.pos[1], o.pos[2])) ?
		       failed() : 0;
	}
	usage_error("acl: want add, del, map or unmap");
}

/* ------------------------------------------------------------------ */
/* attrib, param, open, discovery                                      */
/* ------------------------------------------------------------------ */

/* Print every readable attribute of @dir as "name value" lines. */
static int print_attrs(const char *dir)
{
	char path[PATH_MAX], *val;
	struct names l;
	size_t i;

	if (list_dir(dir, ENT_FILE, &l, false))
		return -1;
	val = malloc(VALUE_MAX);
	if (!val) {
		names_free(&l);
		return fail(dir);
	}
	for (i = 0; i < l.n; i++)
		if (!read_value_quiet(pathf(path, "%s/%s", dir, l.v[i]), val, VALUE_MAX))
			printf("%s %s\n", l.v[i], val);
	free(val);
	names_free(&l);
	return 0;
}

/* kittctl attrib|param IQN [KEY [VALUE]] [--tpgt N] */
static int cmd_tpg_group(int argc, char **argv, const char *cmd, const char *group)
{
	char tpg[PATH_MAX], path[PATH_MAX], *val;
	struct opts o;
	int ret;

	parse_opts(argc, argv, OPT_TPGT, 1, 3, cmd, &o);
	check_name("target name", o.pos[0]);
	if (o.npos > 1)
		check_name("key", o.pos[1]);
	if (need_root() || need_tpg(o.pos[0], o.tpgt, tpg))
		return failed();
	if (o.npos == 1)
		return print_attrs(pathf(path, "%s/%s", tpg, group)) ? failed() : 0;
	pathf(path, "%s/%s/%s", tpg, group, o.pos[1]);
	if (o.npos == 3)
		return ensure_value(path, o.pos[2], NULL) ? failed() : 0;
	val = malloc(VALUE_MAX);
	if (!val)
		return fail_exit(path);
	ret = read_value(path, val, VALUE_MAX);
	if (!ret)
		printf("%s\n", val);
	free(val);
	return ret ? failed() : 0;
}

static int cmd_open(int argc, char **argv)
{
	char tpg[PATH_MAX], path[PATH_MAX];
	struct opts o;

	parse_opts(argc, argv, OPT_TPGT, 1, 1, "open", &o);
	check_name("target name", o.pos[0]);
	if (need_root() || need_tpg(o.pos[0], o.tpgt, tpg))
		return failed();
	if (ensure_value(pathf(path, "%s/attrib/generate_node_acls", tpg), "1", NULL) ||
	    ensure_value(pathf(path, "%s/attrib/authentication", tpg), "0", NULL))
		return failed();
	return 0;
}

/* kittctl discovery [--chap U:S] [--mutual U:S] [--enforce 0|1] */
static int cmd_discovery(int argc, char **argv)
{
	char auth[PATH_MAX], path[PATH_MAX];
	struct opts o;

	parse_opts(argc, argv, OPT_CHAP | OPT_MUTUAL | OPT_ENFORCE, 0, 0, "discovery", &o);
	if (need_root())
		return failed();
	pathf(auth, "%s/discovery/auth", cfs_root);
	if (!o.chap && !o.mutual && o.enforce < 0)
		return print_attrs(auth) ? failed() : 0;
	if (o.chap && set_cred(auth, "--chap", o.chap, false))
		return failed();
	if (o.mutual && set_cred(auth, "--mutual", o.mutual, true))
		return failed();
	if (o.enforce >= 0 &&
	    ensure_value(pathf(path, "%s/enforce", auth), o.enforce ? "1" : "0", NULL))
		return failed();
	return 0;
}

/* ------------------------------------------------------------------ */
/* save                                                                */
/* ------------------------------------------------------------------ */

/*
 * The saved file is a list of lines, applied in order by restore:
 *
 *	mkdir REL		create directory REL (and its parents)
 *	set REL VALUE		attribute REL holds VALUE (rest of the line)
 *	link REL DEVREL		LUN link REL points to device directory DEVREL
 *
 * REL paths are relative to the configfs root. Blank lines and lines
 * starting with '#' are ignored. The order matters: discovery
 * credentials, then devices (enable last), then each portal group's
 * attributes, parameters, ACLs, portals and LUNs, and its enable last.
 */

/* A saved attribute: readable and writable by its owner. */
static bool saved_attr(const struct stat *st)
{
	return S_ISREG(st->st_mode) && (st->st_mode & S_IRUSR) && (st->st_mode & S_IWUSR);
}

/* Attributes that switch something on go after everything else in their directory. */
static bool switch_attr(const char *name)
{
	return !strcmp(name, "enable") || !strcmp(name, "enforce");
}

/*
 * Emit "set" lines for the saved attributes of @rel: the switches
 * (enable, enforce) when @switches, the others otherwise.
 */
static int save_attrs(FILE *f, const char *rel, bool switches)
{
	char dir[PATH_MAX], path[PATH_MAX], *val;
	struct names l;
	struct stat st;
	size_t i;
	int ret = 0;

	pathf(dir, "%s/%s", cfs_root, rel);
	if (list_dir(dir, ENT_FILE, &l, false))
		return -1;
	val = malloc(VALUE_MAX);
	if (!val) {
		names_free(&l);
		return fail(dir);
	}
	for (i = 0; i < l.n; i++) {
		if (switch_attr(l.v[i]) != switches)
			continue;
		pathf(path, "%s/%s", dir, l.v[i]);
		/* A device's size is its backing store's, not a setting. */
		if (!strcmp(l.v[i], "size") || stat(path, &st) || !saved_attr(&st))
			continue;
		if (read_value(path, val, VALUE_MAX)) {
			ret = -1;
			continue;
		}
		if (strchr(val, '\n')) {
			ret = failf("%s: value spans lines, not saved", path);
			continue;
		}
		if (val[0])
			fprintf(f, "set %s/%s %s\n", rel, l.v[i], val);
		else
			fprintf(f, "set %s/%s\n", rel, l.v[i]);
	}
	free(val);
	names_free(&l);
	return ret;
}

/* A directory's attributes, the switches last. */
static int save_dir(FILE *f, const char *rel)
{
	return save_attrs(f, rel, false) | save_attrs(f, rel, true);
}

/* An ACL's LUN map: its luns/<lun>/ entries (kitt.ko before them has none). */
static int save_acl_luns(FILE *f, const char *arel)
{
	char rel[PATH_MAX], path[PATH_MAX];
	struct names l;
	size_t i;
	int ret = 0;

	if (access(pathf(path, "%s/%s/luns", cfs_root, arel), F_OK))
		return 0;
	if (list_dir(path, ENT_DIR, &l, false))
		return -1;
	for (i = 0; i < l.n; i++) {
		fprintf(f, "mkdir %s/luns/%s\n", arel, l.v[i]);
		ret |= save_dir(f, pathf(rel, "%s/luns/%s", arel, l.v[i]));
	}
	names_free(&l);
	return ret;
}

static int save_tpg(FILE *f, const char *trel)
{
	char rel[PATH_MAX], path[PATH_MAX], dev[NAME_MAX + 1];
	struct names l;
	size_t i;
	int ret = 0;

	fprintf(f, "mkdir %s\n", trel);
	ret |= save_attrs(f, trel, false);
	ret |= save_dir(f, pathf(rel, "%s/attrib", trel));
	ret |= save_dir(f, pathf(rel, "%s/params", trel));
	/* ALUA access state and flags (kitt.ko before ALUA has no alua/) */
	if (!access(pathf(path, "%s/%s/alua", cfs_root, trel), F_OK))
		ret |= save_dir(f, pathf(rel, "%s/alua", trel));

	if (list_dir(pathf(path, "%s/%s/acls", cfs_root, trel), ENT_DIR, &l, false))
		return -1;
	for (i = 0; i < l.n; i++) {
		fprintf(f, "mkdir %s/acls/%s\n", trel, l.v[i]);
		ret |= save_dir(f, pathf(rel, "%s/acls/%s", trel, l.v[i]));
		ret |= save_dir(f, pathf(rel, "%s/acls/%s/auth", trel, l.v[i]));
		ret |= save_acl_luns(f, pathf(rel, "%s/acls/%s", trel, l.v[i]));
	}
	names_free(&l);

	if (list_dir(pathf(path, "%s/%s/portals", cfs_root, trel), ENT_DIR, &l, false))
		return -1;
	for (i = 0; i < l.n; i++) {
		fprintf(f, "mkdir %s/portals/%s\n", trel, l.v[i]);
		ret |= save_dir(f, pathf(rel, "%s/portals/%s", trel, l.v[i]));
	}
	names_free(&l);

	if (list_dir(pathf(path, "%s/%s/luns", cfs_root, trel), ENT_LINK, &l, false))
		return -1;
	for (i = 0; i < l.n; i++) {
		pathf(path, "%s/%s/luns/%s", cfs_root, trel, l.v[i]);
		if (link_device(path, dev, sizeof(dev))) {
			ret = fail(path);
			continue;
		}
		fprintf(f, "link %s/luns/%s devices/%s\n", trel, l.v[i], dev);
	}
	names_free(&l);

	ret |= save_attrs(f, trel, true);
	return ret;
}

static int save_config(FILE *f)
{
	char rel[PATH_MAX], path[PATH_MAX];
	struct names devs, targets, tpgs;
	size_t i, j;
	int ret = 0;

	fputs("# kitt configuration, written by kittctl save; read by kittctl restore.\n"
	      "# mkdir PATH | set PATH VALUE | link PATH DEVICE-PATH, relative to\n"
	      "# /sys/kernel/config/kitt, applied in order. It holds CHAP secrets.\n", f);

	pathf(path, "%s/discovery/auth", cfs_root);
	if (access(path, F_OK) == 0)
		ret |= save_dir(f, "discovery/auth");

	if (list_dir(pathf(path, "%s/devices", cfs_root), ENT_DIR, &devs, false))
		return -1;
	for (i = 0; i < devs.n; i++) {
		pathf(rel, "devices/%s", devs.v[i]);
		fprintf(f, "mkdir %s\n", rel);
		ret |= save_dir(f, rel);
	}
	names_free(&devs);

	if (list_dir(pathf(path, "%s/targets", cfs_root), ENT_DIR, &targets, false))
		return -1;
	for (i = 0; i < targets.n; i++) {
		fprintf(f, "mkdir targets/%s\n", targets.v[i]);
		if (list_dir(pathf(path, "%s/targets/%s", cfs_root, targets.v[i]), ENT_DIR,
			     &tpgs, false)) {
			ret = -1;
			continue;
		}
		for (j = 0; j < tpgs.n; j++)
			ret |= save_tpg(f, pathf(rel, "targets/%s/%s", targets.v[i], tpgs.v[j]));
		names_free(&tpgs);
	}
	names_free(&targets);
	return ret;
}

/* mkdir the directory of @file if it is missing (one level, 0755). */
static int make_parent(const char *file)
{
	char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", file);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) && errno != EEXIST)
		return fail(dir);
	return 0;
}

static int cmd_save(int argc, char **argv)
{
	char tmp[PATH_MAX];
	const char *file;
	struct opts o;
	FILE *f;
	int fd, ret;

	parse_opts(argc, argv, 0, 0, 1, "save", &o);
	file = o.npos ? o.pos[0] : DEFAULT_CONF;
	if (need_root())
		return failed();
	if (!strcmp(file, "-"))
		return save_config(stdout) || fflush(stdout) ? failed() : 0;

	/* Written beside the file, 0600 from the start, then renamed over it. */
	if (make_parent(file))
		return failed();
	pathf(tmp, "%s.XXXXXX", file);
	fd = mkstemp(tmp);
	if (fd < 0)
		return fail_exit(tmp);
	if (fchmod(fd, 0600)) {
		fail(tmp);
		goto err_fd;
	}
	f = fdopen(fd, "w");
	if (!f) {
		fail(tmp);
		goto err_fd;
	}
	ret = save_config(f);
	if (fflush(f) || fsync(fileno(f))) {
		fail(tmp);
		ret = -1;
	}
	if (fclose(f) && !ret)
		ret = fail(tmp);
	if (ret)
		goto err_unlink;
	if (rename(tmp, file)) {
		fail(file);
		goto err_unlink;
	}
	return 0;

err_fd:
	close(fd);
err_unlink:
	unlink(tmp);
	return failed();
}

/* ------------------------------------------------------------------ */
/* restore                                                             */
/* ------------------------------------------------------------------ */

/* A path in the file: relative, no empty, "." or ".." component. */
static bool valid_rel(const char *rel)
{
	const char *p = rel, *e;
	size_t len;

	if (!*rel || *rel == '/')
		return false;
	while (*p) {
		e = strchrnul(p, '/');
		len = e - p;
		if (!len || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p = *e ? e + 1 : e;
		if (*e && !*p)
			return false;	/* trailing '/' */
	}
	return true;
}

/* mkdir REL and every missing parent below the root. */
static int restore_mkdir(const char *rel)
{
	char path[PATH_MAX];
	size_t root_len = strlen(cfs_root), i;

	pathf(path, "%s/%s", cfs_root, rel);
	for (i = root_len + 1; path[i]; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		if (ensure_dir(path))
			return -1;
		path[i] = '/';
	}
	return ensure_dir(path);
}

static int restore_line(char *line)
{
	char path[PATH_MAX], target[PATH_MAX];
	char *verb = line, *rel, *arg;

	rel = strchr(line, ' ');
	if (!rel)
		return failf("'%s': want mkdir, set or link followed by a path", line);
	*rel++ = '\0';
	arg = strchr(rel, ' ');
	if (arg)
		*arg++ = '\0';
	if (!valid_rel(rel))
		return failf("invalid path '%s'", rel);

	if (!strcmp(verb, "mkdir")) {
		if (arg)
			return failf("mkdir takes one path");
		return restore_mkdir(rel);
	}
	if (!strcmp(verb, "set"))
		return ensure_value(pathf(path, "%s/%s", cfs_root, rel), arg ? arg : "", NULL);
	if (!strcmp(verb, "link")) {
		if (!arg || !valid_rel(arg) || strchr(arg, ' '))
			return failf("link wants PATH DEVICE-PATH");
		pathf(target, "%s/%s", cfs_root, arg);
		return ensure_link(pathf(path, "%s/%s", cfs_root, rel), target);
	}
	return failf("unknown command '%s'", verb);
}

/* Load kitt when its configfs tree is missing (restore at boot). */
static void load_kitt(void)
{
	struct stat st;
	pid_t pid;
	int status;

	if (stat(cfs_root, &st) == 0 || strcmp(cfs_root, DEFAULT_CONFIGFS))
		return;
	pid = fork();
	if (pid == 0) {
		execlp("modprobe", "modprobe", "kitt", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
}

static int cmd_restore(int argc, char **argv)
{
	const char *file, *name;
	size_t cap = 0, lines = 0, errors = 0;
	char *line = NULL;
	struct opts o;
	ssize_t n;
	FILE *f;

	parse_opts(argc, argv, OPT_MISSING_OK, 0, 1, "restore", &o);
	file = o.npos ? o.pos[0] : DEFAULT_CONF;
	load_kitt();
	if (need_root())
		return failed();
	if (!strcmp(file, "-")) {
		f = stdin;
		name = "<stdin>";
	} else {
		f = fopen(file, "re");
		if (!f && errno == ENOENT && o.missing_ok) {
			if (verbose)
				printf("# %s: no such file, nothing to restore\n", file);
			return 0;
		}
		if (!f)
			return fail_exit(file);
		name = file;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *p = line;

		lines++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		snprintf(err_ctx, sizeof(err_ctx), "%s:%zu: ", name, lines);
		if (restore_line(p))
			errors++;
		err_ctx[0] = '\0';
	}
	if (ferror(f)) {
		fail(file);
		errors++;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	if (errors) {
		fprintf(stderr, "kittctl: %s: %zu line(s) failed\n", name, errors);
		return KC_FAIL;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* clear                                                               */
/* ------------------------------------------------------------------ */

/*
 * Wait until kitt holds no reference on itself: each connection's thread
 * keeps one until its very last instruction, a moment after the rmdir that
 * closed it has returned, and `rmmod kitt` (systemd's ExecStop=) fails
 * while one is held. Quiet; gives up after @secs seconds.
 */
static void wait_module_idle(int secs)
{
	char v[32];
	int i;

	for (i = 0; i < secs * 20; i++) {
		if (read_value_quiet("/sys/module/kitt/refcnt", v, sizeof(v)) ||
		    strcmp(v, "0") == 0)
			return;
		usleep(50000);
	}
}

static int cmd_clear(int argc, char **argv)
{
	static const char * const creds[] = {
		"userid", "password", "userid_mutual", "password_mutual",
	};
	char path[PATH_MAX];
	struct names l;
	struct opts o;
	size_t i;
	int ret = 0;

	parse_opts(argc, argv, 0, 0, 0, "clear", &o);
	if (need_root())
		return failed();

	if (list_dir(pathf(path, "%s/targets", cfs_root), ENT_DIR, &l, false))
		return failed();
	for (i = l.n; i-- > 0;)
		ret |= target_remove(l.v[i]);
	names_free(&l);

	if (list_dir(pathf(path, "%s/devices", cfs_root), ENT_DIR, &l, false))
		return failed();
	for (i = l.n; i-- > 0;) {
		char dir[PATH_MAX];

		pathf(dir, "%s/devices/%s", cfs_root, l.v[i]);
		if (ensure_value(pathf(path, "%s/enable", dir), "0", NULL) || remove_dir(dir))
			ret = -1;
	}
	names_free(&l);

	/* Discovery CHAP is not a directory; reset it to its defaults. */
	if (access(pathf(path, "%s/discovery/auth", cfs_root), F_OK) == 0) {
		ret |= ensure_value(pathf(path, "%s/discovery/auth/enforce", cfs_root), "0", NULL);
		for (i = 0; i < sizeof(creds) / sizeof(creds[0]); i++)
			ret |= ensure_value(pathf(path, "%s/discovery/auth/%s", cfs_root, creds[i]),
					    "", NULL);
	}
	if (!ret)
		wait_module_idle(10);
	return ret ? failed() : 0;
}

/* ------------------------------------------------------------------ */
/* JSON output                                                         */
/* ------------------------------------------------------------------ */

/*
 * A small writer of compact JSON to stdout. Values that are decimal
 * integers without leading zeros are written as numbers, all others as
 * strings; object keys are the attribute names.
 */
static bool json_comma;

static void json_string(const char *v)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void json_sep(const char *key)
{
	if (json_comma)
		putchar(',');
	json_comma = true;
	if (key) {
		json_string(key);
		putchar(':');
	}
}

static void json_begin(const char *key, char bracket)
{
	json_sep(key);
	putchar(bracket);
	json_comma = false;
}

static void json_end(char bracket)
{
	putchar(bracket);
	json_comma = true;
}

static void json_str(const char *key, const char *v)
{
	json_sep(key);
	json_string(v);
}

static bool is_number(const char *v)
{
	size_t n = strspn(v, "0123456789");

	return n && !v[n] && n <= 18 && (v[0] != '0' || n == 1);
}

static void json_auto(const char *key, const char *v)
{
	json_sep(key);
	if (is_number(v))
		fputs(v, stdout);
	else
		json_string(v);
}

static void json_bool(const char *key, bool v)
{
	json_sep(key);
	fputs(v ? "true" : "false", stdout);
}

/*
 * Every readable attribute of @dir as members of an object @key;
 * @keys_only keeps the RFC 7143 keys (names that start with a capital).
 */
static void json_attrs(const char *key, const char *dir, bool keys_only)
{
	char path[PATH_MAX], val[512];
	struct names l;
	size_t i;

	json_begin(key, '{');
	if (!list_dir(dir, ENT_FILE, &l, true)) {
		for (i = 0; i < l.n; i++) {
			if (keys_only && !isupper((unsigned char)l.v[i][0]))
				continue;
			if (!read_value_quiet(pathf(path, "%s/%s", dir, l.v[i]), val, sizeof(val)))
				json_auto(l.v[i], val);
		}
		names_free(&l);
	}
	json_end('}');
}

/* A "key value" statistics file as members of an object @key. */
static void json_stat_lines(const char *key, const char *file)
{
	char *val = malloc(VALUE_MAX), *line, *save = NULL, *sp;

	json_begin(key, '{');
	if (val && !read_value_quiet(file, val, VALUE_MAX)) {
		for (line = strtok_r(val, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			sp = strchr(line, ' ');
			if (!sp)
				continue;
			*sp++ = '\0';
			json_auto(line, sp);
		}
	}
	free(val);
	json_end('}');
}

/* ------------------------------------------------------------------ */
/* show                                                                */
/* ------------------------------------------------------------------ */

/* Read @dir/@name quietly; "?" if it cannot be read. */
static const char *get(const char *dir, const char *name, char *buf, size_t size)
{
	char path[PATH_MAX];

	if (read_value_quiet(pathf(path, "%s/%s", dir, name), buf, size))
		snprintf(buf, size, "?");
	return buf;
}

/* An ACL's LUN map, when it has one: "luns: 0 = group LUN 2 (ro), ..." */
static void show_acl_luns(const char *acl)
{
	char path[PATH_MAX], a[32], b[32];
	struct names l;
	size_t i;

	if (strcmp(get(acl, "lun_map", a, sizeof(a)), "mapped"))
		return;
	printf("      sees only:");
	if (!list_dir(pathf(path, "%s/luns", acl), ENT_DIR, &l, true)) {
		for (i = 0; i < l.n; i++) {
			pathf(path, "%s/luns/%s", acl, l.v[i]);
			printf("%s LUN %s = group LUN %s%s", i ? "," : "", l.v[i],
			       get(path, "tpg_lun", a, sizeof(a)),
			       strcmp(get(path, "write_protect", b, sizeof(b)), "1") ? "" : " (ro)");
		}
		if (!l.n)
			printf(" no LUN");
		names_free(&l);
	}
	printf("\n");
}

static void json_acl_luns(const char *acl)
{
	char path[PATH_MAX], a[32];
	struct names l;
	size_t i;

	json_str("lun_map", get(acl, "lun_map", a, sizeof(a)));
	json_begin("luns", '[');
	if (!list_dir(pathf(path, "%s/luns", acl), ENT_DIR, &l, true)) {
		for (i = 0; i < l.n; i++) {
			json_begin(NULL, '{');
			json_auto("lun", l.v[i]);
			pathf(path, "%s/luns/%s", acl, l.v[i]);
			json_auto("tpg_lun", get(path, "tpg_lun", a, sizeof(a)));
			json_bool("write_protect", !strcmp(get(path, "write_protect", a, sizeof(a)), "1"));
			json_end('}');
		}
		names_free(&l);
	}
	json_end(']');
}

static const char *human_size(const char *bytes, char *buf, size_t size)
{
	static const char * const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = strtod(bytes, NULL);
	unsigned int u = 0;

	while (v >= 1024 && u < sizeof(units) / sizeof(units[0]) - 1) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", v, units[u]);
	return buf;
}

/*
 * Print "  label: k=v k=v ..." for every readable attribute of @dir,
 * wrapped under 80 columns; @keys_only keeps the names that start with
 * a capital letter (RFC 7143 keys).
 */
static void show_kv(const char *indent, const char *label, const char *dir, bool keys_only)
{
	char path[PATH_MAX], val[512], item[1024];
	size_t i, col, pad;
	struct names l;

	if (list_dir(dir, ENT_FILE, &l, true) || !l.n) {
		names_free(&l);
		return;
	}
	col = printf("%s%s:", indent, label);
	pad = col;
	for (i = 0; i < l.n; i++) {
		if (keys_only && !isupper((unsigned char)l.v[i][0]))
			continue;
		if (read_value_quiet(pathf(path, "%s/%s", dir, l.v[i]), val, sizeof(val)))
			continue;
		snprintf(item, sizeof(item), "%s=%s", l.v[i], val);
		if (col + 1 + strlen(item) > 79 && col > pad) {
			printf("\n%*s", (int)pad, "");
			col = pad;
		}
		col += printf(" %s", item);
	}
	printf("\n");
	names_free(&l);
}

static void show_tpg(const char *tdir, const char *tpgname)
{
	char tpg[PATH_MAX], path[PATH_MAX], a[512], b[512], c[512];
	char dev[NAME_MAX + 1];
	struct names l;
	size_t i;

	pathf(tpg, "%s/%s", tdir, tpgname);
	get(tpg, "enable", a, sizeof(a));
	pathf(path, "%s/attrib", tpg);
	get(path, "generate_node_acls", b, sizeof(b));
	get(path, "authentication", c, sizeof(c));
	printf("  %s: %s, %s, %s\n", tpgname,
	       !strcmp(a, "1") ? "enabled" : "disabled",
	       !strcmp(b, "1") ? "open to any initiator" : "ACLs only",
	       !strcmp(c, "1") ? "CHAP required" : "CHAP optional");

	if (!list_dir(pathf(path, "%s/portals", tpg), ENT_DIR, &l, true)) {
		for (i = 0; i < l.n; i++)
			printf("    portal %s\n", l.v[i]);
		names_free(&l);
	}
	if (!list_dir(pathf(path, "%s/luns", tpg), ENT_LINK, &l, true)) {
		for (i = 0; i < l.n; i++) {
			pathf(path, "%s/luns/%s", tpg, l.v[i]);
			if (link_device(path, dev, sizeof(dev)))
				snprintf(dev, sizeof(dev), "?");
			pathf(path, "%s/devices/%s", cfs_root, dev);
			printf("    lun %s: %s (%s)\n", l.v[i], dev, get(path, "path", a, sizeof(a)));
		}
		names_free(&l);
	}
	if (!list_dir(pathf(path, "%s/acls", tpg), ENT_DIR, &l, true)) {
		for (i = 0; i < l.n; i++) {
			pathf(path, "%s/acls/%s/auth", tpg, l.v[i]);
			get(path, "userid", a, sizeof(a));
			get(path, "userid_mutual", b, sizeof(b));
			printf("    acl %s", l.v[i]);
			if (a[0] && strcmp(a, "?"))
				printf(": CHAP user %s", a);
			if (b[0] && strcmp(b, "?"))
				printf(", mutual user %s", b);
			printf("\n");
			show_acl_luns(pathf(path, "%s/acls/%s", tpg, l.v[i]));
		}
		names_free(&l);
	}
	show_kv("    ", "attrib", pathf(path, "%s/attrib", tpg), false);
	show_kv("    ", "params", pathf(path, "%s/params", tpg), false);
	show_kv("    ", "alua", pathf(path, "%s/alua", tpg), false);
}

/* The configuration as JSON: devices, targets, discovery, sessions. */
static void json_sessions(const char *key);

static void json_tpg(const char *tdir, const char *tpgname)
{
	char tpg[PATH_MAX], path[PATH_MAX], a[512], dev[NAME_MAX + 1];
	struct names l;
	size_t i;

	pathf(tpg, "%s/%s", tdir, tpgname);
	json_begin(NULL, '{');
	json_auto("tpgt", strncmp(tpgname, "tpgt_", 5) ? tpgname : tpgname + 5);
	json_bool("enabled", !strcmp(get(tpg, "enable", a, sizeof(a)), "1"));
	json_begin("portals", '[');
	if (!list_dir(pathf(path, "%s/portals", tpg), ENT_DIR, &l, true)) {
		for (i = 0; i < l.n; i++)
			json_str(NULL, l.v[i]);
		names_free(&l);
	}
	json_end(']');
	json_begin("luns", '[');
	if (!list_dir(pathf(path, "%s/luns", tpg), ENT_LINK, &l, true)) {
		for (i = 0; i < l.n; i++) {
			pathf(path, "%s/luns/%s", tpg, l.v[i]);
			if (link_device(path, dev, sizeof(dev)))
				continue;
			json_begin(NULL, '{');
			json_auto("lun", l.v[i]);
			json_str("device", dev);
			json_end('}');
		}
		names_free(&l);
	}
	json_end(']');
	json_begin("acls", '[');
	if (!list_dir(pathf(path, "%s/acls", tpg), ENT_DIR, &l, true)) {
		for (i = 0; i < l.n; i++) {
			json_begin(NULL, '{');
			json_str("initiator", l.v[i]);
			pathf(path, "%s/acls/%s/auth", tpg, l.v[i]);
			json_str("chap_user", get(path, "userid", a, sizeof(a)));
			json_str("mutual_user", get(path, "userid_mutual", a, sizeof(a)));
			json_acl_luns(pathf(path, "%s/acls/%s", tpg, l.v[i]));
			json_end('}');
		}
		names_free(&l);
	}
	json_end(']');
	json_attrs("attrib", pathf(path, "%s/attrib", tpg), false);
	json_attrs("params", pathf(path, "%s/params", tpg), false);
	json_attrs("alua", pathf(path, "%s/alua", tpg), false);
	json_end('}');
}

static int show_json(void)
{
	char dir[PATH_MAX], path[PATH_MAX], a[512];
	struct names l, tpgs;
	size_t i, j;

	json_begin(NULL, '{');
	json_begin("devices", '[');
	if (list_dir(pathf(path, "%s/devices", cfs_root), ENT_DIR, &l, false))
		return failed();
	for (i = 0; i < l.n; i++) {
		pathf(dir, "%s/devices/%s", cfs_root, l.v[i]);
		json_begin(NULL, '{');
		json_str("name", l.v[i]);
		json_str("path", get(dir, "path", a, sizeof(a)));
		json_bool("enabled", !strcmp(get(dir, "enable", a, sizeof(a)), "1"));
		json_bool("read_only", !strcmp(get(dir, "read_only", a, sizeof(a)), "1"));
		json_auto("size", get(dir, "size", a, sizeof(a)));
		json_auto("export_count", get(dir, "export_count", a, sizeof(a)));
		json_end('}');
	}
	names_free(&l);
	json_end(']');

	json_begin("targets", '[');
	if (list_dir(pathf(path, "%s/targets", cfs_root), ENT_DIR, &l, false))
		return failed();
	for (i = 0; i < l.n; i++) {
		json_begin(NULL, '{');
		json_str("name", l.v[i]);
		json_begin("tpgs", '[');
		pathf(dir, "%s/targets/%s", cfs_root, l.v[i]);
		if (!list_dir(dir, ENT_DIR, &tpgs, true)) {
			for (j = 0; j < tpgs.n; j++)
				json_tpg(dir, tpgs.v[j]);
			names_free(&tpgs);
		}
		json_end(']');
		json_end('}');
	}
	names_free(&l);
	json_end(']');

	pathf(dir, "%s/discovery/auth", cfs_root);
	if (access(dir, F_OK) == 0) {
		json_begin("discovery", '{');
		json_bool("chap_required", !strcmp(get(dir, "enforce", a, sizeof(a)), "1"));
		json_str("chap_user", get(dir, "userid", a, sizeof(a)));
		json_str("mutual_user", get(dir, "userid_mutual", a, sizeof(a)));
		json_end('}');
	}
	json_sessions("sessions");
	json_end('}');
	putchar('\n');
	return fflush(stdout) ? fail_exit("stdout") : 0;
}

static int print_sessions(bool brief);

static int cmd_show(int argc, char **argv)
{
	char dir[PATH_MAX], path[PATH_MAX], a[512], b[512], c[512], d[64];
	struct names l, tpgs;
	struct opts o;
	size_t i, j;

	parse_opts(argc, argv, OPT_JSON, 0, 0, "show", &o);
	if (need_root())
		return failed();
	if (o.json)
		return show_json();

	if (list_dir(pathf(path, "%s/devices", cfs_root), ENT_DIR, &l, false))
		return failed();
	for (i = 0; i < l.n; i++) {
		pathf(dir, "%s/devices/%s", cfs_root, l.v[i]);
		get(dir, "enable", a, sizeof(a));
		get(dir, "read_only", b, sizeof(b));
		printf("device %s: %s, %s", l.v[i], get(dir, "path", c, sizeof(c)),
		       !strcmp(a, "1") ? "enabled" : "disabled");
		if (!strcmp(a, "1"))
			printf(", %s", human_size(get(dir, "size", c, sizeof(c)), d, sizeof(d)));
		printf(", %s, exported %s\n", !strcmp(b, "1") ? "read-only" : "read-write",
		       get(dir, "export_count", c, sizeof(c)));
	}
	names_free(&l);

	if (list_dir(pathf(path, "%s/targets", cfs_root), ENT_DIR, &l, false))
		return failed();
	for (i = 0; i < l.n; i++) {
		printf("target %s\n", l.v[i]);
		pathf(dir, "%s/targets/%s", cfs_root, l.v[i]);
		if (list_dir(dir, ENT_DIR, &tpgs, true))
			continue;
		for (j = 0; j < tpgs.n; j++)
			show_tpg(dir, tpgs.v[j]);
		names_free(&tpgs);
	}
	names_free(&l);

	pathf(dir, "%s/discovery/auth", cfs_root);
	if (access(dir, F_OK) == 0) {
		get(dir, "enforce", a, sizeof(a));
		get(dir, "userid", b, sizeof(b));
		get(dir, "userid_mutual", c, sizeof(c));
		printf("discovery: CHAP %s", !strcmp(a, "1") ? "required" : "optional");
		if (b[0] && strcmp(b, "?"))
			printf(", user %s", b);
		if (c[0] && strcmp(c, "?"))
			printf(", mutual user %s", c);
		printf("\n");
	}

	if (access(sess_root, F_OK) == 0 && !list_dir(sess_root, ENT_DIR, &l, false)) {
		printf("sessions: %zu\n", l.n);
		names_free(&l);
		print_sessions(true);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* sessions                                                            */
/* ------------------------------------------------------------------ */

/*
 * "key value" lines of @file joined into one line after @prefix; error
 * kinds that are 0 are left out.
 */
static void print_stat_lines(const char *prefix, const char *file, char *val)
{
	char *line, *save = NULL;
	const char *sp;

	if (read_value_quiet(file, val, VALUE_MAX))
		return;
	printf("%s", prefix);
	for (line = strtok_r(val, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		sp = strchr(line, ' ');
		if (!strncmp(line, "errors_", 7) && sp && !strcmp(sp, " 0"))
			continue;
		printf(" %s", line);
	}
	printf("\n");
}

/* One line per connection: sessions/<id>/connections/<cid>/ */
static void print_connections(const char *sdir, char *val, bool brief)
{
	char cdir[PATH_MAX], path[PATH_MAX], file[PATH_MAX], a[256], b[256];
	struct names l = { 0 };
	size_t i;

	pathf(cdir, "%s/connections", sdir);
	if (list_dir(cdir, ENT_DIR, &l, true))
		return;
	for (i = 0; i < l.n; i++) {
		pathf(path, "%s/%s", cdir, l.v[i]);
		printf("  %sconnection cid %s local %s peer %s\n", brief ? "  " : "", l.v[i],
		       get(path, "local", a, sizeof(a)), get(path, "peer", b, sizeof(b)));
		if (!brief)
			print_stat_lines("    statistics:", pathf(file, "%s/statistics", path),
					 val);
	}
	names_free(&l);
}

/* Every session; @brief: one line each and its connections (for show). */
static int print_sessions(bool brief)
{
	char dir[PATH_MAX], file[PATH_MAX], a[512], b[512], c[512], d[512], *val;
	struct names l;
	size_t i;

	if (list_dir(sess_root, ENT_DIR, &l, false))
		return failed();
	val = malloc(VALUE_MAX);
	if (!val) {
		names_free(&l);
		return fail_exit(sess_root);
	}
	for (i = 0; i < l.n; i++) {
		pathf(dir, "%s/%s", sess_root, l.v[i]);
		printf("%ssession %s: %s -> %s tpgt %s\n", brief ? "  " : "", l.v[i],
		       get(dir, "initiator", a, sizeof(a)), get(dir, "target", b, sizeof(b)),
		       get(dir, "tpgt", c, sizeof(c)));
		if (!brief)
			printf("  type %s, isid %s, tsih %s, cmdsn_depth %s\n",
			       get(dir, "type", a, sizeof(a)), get(dir, "isid", b, sizeof(b)),
			       get(dir, "tsih", c, sizeof(c)),
			       get(dir, "cmdsn_depth", d, sizeof(d)));
		print_connections(dir, val, brief);
		if (brief)
			continue;
		print_stat_lines("  statistics:", pathf(file, "%s/statistics", dir), val);
		/* The negotiated keys: the files named like RFC 7143 keys. */
		show_kv("  ", "negotiated", dir, true);
	}
	free(val);
	names_free(&l);
	return 0;
}

/* The sessions as a JSON array @key (a member of the enclosing object). */
static void json_sessions(const char *key)
{
	char dir[PATH_MAX], cdir[PATH_MAX], path[PATH_MAX], file[PATH_MAX], a[512];
	static const char * const fields[] = {
		"initiator", "target", "tpgt", "type", "isid", "tsih", "cmdsn_depth",
	};
	struct names l, conns;
	size_t i, j, f;

	json_begin(key, '[');
	if (access(sess_root, F_OK) || list_dir(sess_root, ENT_DIR, &l, false)) {
		json_end(']');
		return;
	}
	for (i = 0; i < l.n; i++) {
		pathf(dir, "%s/%s", sess_root, l.v[i]);
		json_begin(NULL, '{');
		json_auto("id", l.v[i]);
		for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
			json_auto(fields[f], get(dir, fields[f], a, sizeof(a)));
		json_stat_lines("statistics", pathf(path, "%s/statistics", dir));
		json_attrs("negotiated", dir, true);
		json_begin("connections", '[');
		pathf(cdir, "%s/connections", dir);
		if (!list_dir(cdir, ENT_DIR, &conns, true)) {
			for (j = 0; j < conns.n; j++) {
				pathf(path, "%s/%s", cdir, conns.v[j]);
				json_begin(NULL, '{');
				json_auto("cid", conns.v[j]);
				json_str("local", get(path, "local", a, sizeof(a)));
				json_str("peer", get(path, "peer", a, sizeof(a)));
				json_attrs("negotiated", path, true);
				json_stat_lines("statistics", pathf(file, "%s/statistics", path));
				json_end('}');
			}
			names_free(&conns);
		}
		json_end(']');
		json_end('}');
	}
	names_free(&l);
	json_end(']');
}

/* sysfs must be there for sessions and stats. */
static int need_sysfs(void)
{
	if (access(sess_root, F_OK) == 0)
		return 0;
	fprintf(stderr, "kittctl: %s: %s (is kitt loaded? modprobe kitt)\n", sess_root,
		strerror(errno));
	cmd_status = KC_NOT_LOADED;
	return -1;
}

static int cmd_sessions(int argc, char **argv)
{
	struct opts o;

	parse_opts(argc, argv, OPT_JSON, 0, 0, "sessions", &o);
	if (need_sysfs())
		return failed();
	if (!o.json)
		return print_sessions(false);
	json_comma = false;
	json_sessions(NULL);
	putchar('\n');
	return fflush(stdout) ? fail_exit("stdout") : 0;
}

/* ------------------------------------------------------------------ */
/* stats                                                               */
/* ------------------------------------------------------------------ */

/*
 * kittctl stats reads kitt's counters into rows: one per device, session,
 * connection, and per target, portal group, portal and LUN of
 * /sys/kernel/kitt/targets, plus one for all logins. Each row has labels
 * that name its object and samples. A sample has a key (its column in
 * tables and JSON), the Prometheus metric family it belongs to, the
 * sample's own name (the family's, or _bucket, _sum, _count of a
 * histogram), an optional extra label (outcome="accepted", le="0.001")
 * and a value.
 */
#define ROW_LABELS	8

struct sample {
	char *key;
	char *family;
	char *name;
	char *xlabel;		/* extra label name, or NULL */
	char *xvalue;
	char *value;
};

struct row {
	const char *kind;
	size_t nlabels, nsamples;
	char *label[ROW_LABELS], *label_val[ROW_LABELS];
	struct sample *s;
};

struct rows {
	struct row *v;
	size_t n;
};

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p) {
		perror("kittctl");
		exit(KC_FAIL);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d) {
		perror("kittctl");
		exit(KC_FAIL);
	}
	return d;
}

static struct row *row_add(struct rows *rs, const char *kind)
{
	rs->v = xrealloc(rs->v, (rs->n + 1) * sizeof(*rs->v));
	memset(&rs->v[rs->n], 0, sizeof(rs->v[rs->n]));
	rs->v[rs->n].kind = kind;
	return &rs->v[rs->n++];
}

static void row_label(struct row *r, const char *name, const char *val)
{
	if (r->nlabels == ROW_LABELS)
		return;
	r->label[r->nlabels] = xstrdup(name);
	r->label_val[r->nlabels++] = xstrdup(val);
}

static const char *row_label_val(const struct row *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nlabels; i++)
		if (!strcmp(r->label[i], name))
			return r->label_val[i];
	return NULL;
}

/* A sample of family @family (named @name, or @family when NULL). */
static void row_sample(struct row *r, const char *key, const char *family, const char *name,
		       const char *xlabel, const char *xvalue, const char *value)
{
	struct sample *s;

	r->s = xrealloc(r->s, (r->nsamples + 1) * sizeof(*r->s));
	s = &r->s[r->nsamples++];
	s->key = xstrdup(key);
	s->family = xstrdup(family);
	s->name = xstrdup(name ? name : family);
	s->xlabel = xlabel ? xstrdup(xlabel) : NULL;
	s->xvalue = xvalue ? xstrdup(xvalue) : NULL;
	s->value = xstrdup(value);
}

/* kitt_KIND_KEY_total, with "cmds" spelled out. */
static void metric_name(char *buf, size_t size, const char *kind, const char *key)
{
	size_t n = strlen(key);

	if (n > 4 && !strcmp(key + n - 4, "cmds"))
		snprintf(buf, size, "kitt_%s_%.*scommands_total", kind, (int)(n - 4), key);
	else
		snprintf(buf, size, "kitt_%s_%s_total", kind, key);
}

/* A counter KEY of the row's kind: kitt_KIND_KEY_total. */
static void row_counter(struct row *r, const char *key, const char *val)
{
	char family[256];

	if (!is_number(val))
		return;
	metric_name(family, sizeof(family), r->kind, key);
	row_sample(r, key, family, NULL, NULL, NULL, val);
}

/*
 * The "key value" lines of @file: with @family NULL each a counter of
 * its own (row_counter()); otherwise samples of @family with the key as
 * the value of label @xlabel (kitt_tpg_logins_total{outcome="..."}).
 */
static void row_stat_lines(struct row *r, const char *file, const char *family,
			   const char *xlabel)
{
	char *val = malloc(VALUE_MAX), *line, *save = NULL, *sp;

	if (val && !read_value_quiet(file, val, VALUE_MAX)) {
		for (line = strtok_r(val, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			sp = strchr(line, ' ');
			if (!sp)
				continue;
			*sp++ = '\0';
			if (!family)
				row_counter(r, line, sp);
			else if (is_number(sp))
				row_sample(r, line, family, NULL, xlabel, line, sp);
		}
	}
	free(val);
}

/*
 * A statistics file (a LUN's, target's, portal group's, portal's,
 * session's or connection's): counters kitt_KIND_KEY_total, errors_K as
 * one family kitt_KIND_errors_total with the label kind="K", and the gauge
 * kitt_KIND_in_flight.
 */
static void row_io_stats(struct row *r, const char *file)
{
	char *val = malloc(VALUE_MAX), *line, *save = NULL, *sp, family[256];

	if (val && !read_value_quiet(file, val, VALUE_MAX)) {
		for (line = strtok_r(val, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			sp = strchr(line, ' ');
			if (!sp || !is_number(sp + 1))
				continue;
			*sp++ = '\0';
			if (!strncmp(line, "errors_", 7)) {
				snprintf(family, sizeof(family), "kitt_%s_errors_total", r->kind);
				row_sample(r, line, family, NULL, "kind", line + 7, sp);
			} else if (!strcmp(line, "in_flight")) {
				snprintf(family, sizeof(family), "kitt_%s_in_flight", r->kind);
				row_sample(r, line, family, NULL, NULL, NULL, sp);
			} else {
				row_counter(r, line, sp);
			}
		}
	}
	free(val);
}

/*
 * The counters of @dir that every statistics directory has: statistics,
 * and task_management as kitt_KIND_task_management_total{function=...}.
 */
static void row_io_dir(struct row *r, const char *dir)
{
	char path[PATH_MAX], family[256];

	row_io_stats(r, pathf(path, "%s/statistics", dir));
	snprintf(family, sizeof(family), "kitt_%s_task_management_total", r->kind);
	row_stat_lines(r, pathf(path, "%s/task_management", dir), family, "function");
}

/*
 * A LUN's latency_us file ("BOUND COUNT" per bucket, "+Inf COUNT",
 * "sum_us S", "count N") as the histogram kitt_lun_latency_seconds:
 * cumulative buckets with le in seconds, _sum in seconds, _count.
 */
static void row_lun_latency(struct row *r, const char *file)
{
	static const char family[] = "kitt_lun_latency_seconds";
	char *val = malloc(VALUE_MAX), *line, *save = NULL, *sp, le[32], num[32];
	unsigned long long cum = 0;

	if (!val || read_value_quiet(file, val, VALUE_MAX)) {
		free(val);
		return;
	}
	for (line = strtok_r(val, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		sp = strchr(line, ' ');
		if (!sp || !is_number(sp + 1))
			continue;
		*sp++ = '\0';
		if (!strcmp(line, "sum_us")) {
			snprintf(num, sizeof(num), "%.6f", strtoull(sp, NULL, 10) / 1e6);
			row_sample(r, "latency_sum_seconds", family, "kitt_lun_latency_seconds_sum",
				   NULL, NULL, num);
			continue;
		}
		if (!strcmp(line, "count")) {
			row_sample(r, "latency_count", family, "kitt_lun_latency_seconds_count",
				   NULL, NULL, sp);
			continue;
		}
		cum += strtoull(sp, NULL, 10);
		if (!strcmp(line, "+Inf"))
			snprintf(le, sizeof(le), "+Inf");
		else if (is_number(line))
			snprintf(le, sizeof(le), "%g", strtoull(line, NULL, 10) / 1e6);
		else
			continue;
		snprintf(num, sizeof(num), "%llu", cum);
		row_sample(r, "latency_le", family, "kitt_lun_latency_seconds_bucket", "le", le, num);
	}
	free(val);
}

static void rows_free(struct rows *rs)
{
	size_t i, j;

	for (i = 0; i < rs->n; i++) {
		struct row *r = &rs->v[i];

		for (j = 0; j < r->nlabels; j++) {
			free(r->label[j]);
			free(r->label_val[j]);
		}
		for (j = 0; j < r->nsamples; j++) {
			free(r->s[j].key);
			free(r->s[j].family);
			free(r->s[j].name);
			free(r->s[j].xlabel);
			free(r->s[j].xvalue);
			free(r->s[j].value);
		}
		free(r->s);
	}
	free(rs->v);
}

/* /sys/kernel/kitt: the directory that holds sessions/. */
static void kitt_sysfs_root(char *buf)
{
	char *slash;

	pathf(buf, "%s", sess_root);
	slash = strrchr(buf, '/');
	if (slash && slash != buf)
		*slash = '\0';
}

/* The device a LUN of TARGET/TPG maps, from configfs ("" if unknown). */
static void lun_device(const char *target, const char *tpg, const char *lun, char *dev,
		       size_t size)
{
	char path[PATH_MAX];

	pathf(path, "%s/targets/%s/%s/luns/%s", cfs_root, target, tpg, lun);
	if (link_device(path, dev, size))
		dev[0] = '\0';
}

/* targets/<t>/tpgt_<n>/{logins,task_management,portals/,luns/} */
static void collect_tpg(struct rows *rs, const char *tdir, const char *target, const char *tpg)
{
	char dir[PATH_MAX], path[PATH_MAX], dev[NAME_MAX + 1];
	const char *tpgt = strncmp(tpg, "tpgt_", 5) ? tpg : tpg + 5;
	struct names l;
	struct row *r;
	size_t i;

	pathf(dir, "%s/%s", tdir, tpg);
	r = row_add(rs, "tpg");
	row_label(r, "target", target);
	row_label(r, "tpgt", tpgt);
	row_stat_lines(r, pathf(path, "%s/logins", dir), "kitt_tpg_logins_total", "outcome");
	row_io_dir(r, dir);

	if (!list_dir(pathf(path, "%s/portals", dir), ENT_DIR, &l, true)) {
		for (i = 0; i < l.n; i++) {
			r = row_add(rs, "portal");
			row_label(r, "target", target);
			row_label(r, "tpgt", tpgt);
			row_label(r, "portal", l.v[i]);
			row_stat_lines(r, pathf(path, "%s/portals/%s/logins", dir, l.v[i]),
				       "kitt_portal_logins_total", "outcome");
			row_io_dir(r, pathf(path, "%s/portals/%s", dir, l.v[i]));
		}
		names_free(&l);
	}
	if (!list_dir(pathf(path, "%s/luns", dir), ENT_DIR, &l, true)) {
		for (i = 0; i < l.n; i++) {
			lun_device(target, tpg, l.v[i], dev, sizeof(dev));
			r = row_add(rs, "lun");
			row_label(r, "target", target);
			row_label(r, "tpgt", tpgt);
			row_label(r, "lun", l.v[i]);
			row_label(r, "device", dev);
			row_io_dir(r, pathf(path, "%s/luns/%s", dir, l.v[i]));
			row_lun_latency(r, pathf(path, "%s/luns/%s/latency_us", dir, l.v[i]));
		}
		names_free(&l);
	}
}

static int collect_stats(struct rows *rs)
{
	static const char * const dev_counters[] = {
		"read_cmds", "write_cmds", "read_bytes", "write_bytes",
	};
	char dir[PATH_MAX], cdir[PATH_MAX], path[PATH_MAX], root[PATH_MAX], a[512];
	char initiator[512], target[512], tpgt[32], isid[32];
	struct names l, conns, tpgs;
	struct row *r;
	size_t i, j;

	kitt_sysfs_root(root);
	r = row_add(rs, "all");
	row_stat_lines(r, pathf(path, "%s/logins", root), "kitt_logins_total", "outcome");

	if (!list_dir(pathf(path, "%s/targets", root), ENT_DIR, &l, true)) {
		for (i = 0; i < l.n; i++) {
			pathf(dir, "%s/targets/%s", root, l.v[i]);
			r = row_add(rs, "target");
			row_label(r, "target", l.v[i]);
			row_stat_lines(r, pathf(path, "%s/logins", dir), "kitt_target_logins_total",
				       "outcome");
			row_io_dir(r, dir);
			if (list_dir(dir, ENT_DIR, &tpgs, true))
				continue;
			for (j = 0; j < tpgs.n; j++)
				collect_tpg(rs, dir, l.v[i], tpgs.v[j]);
			names_free(&tpgs);
		}
		names_free(&l);
	}

	if (list_dir(pathf(path, "%s/devices", cfs_root), ENT_DIR, &l, false))
		return -1;
	for (i = 0; i < l.n; i++) {
		pathf(dir, "%s/devices/%s", cfs_root, l.v[i]);
		r = row_add(rs, "device");
		row_label(r, "device", l.v[i]);
		for (j = 0; j < sizeof(dev_counters) / sizeof(dev_counters[0]); j++)
			if (!read_value_quiet(pathf(path, "%s/%s", dir, dev_counters[j]), a,
					      sizeof(a)))
				row_counter(r, dev_counters[j], a);
	}
	names_free(&l);

	if (list_dir(sess_root, ENT_DIR, &l, false))
		return -1;
	for (i = 0; i < l.n; i++) {
		pathf(dir, "%s/%s", sess_root, l.v[i]);
		get(dir, "type", a, sizeof(a));
		get(dir, "initiator", initiator, sizeof(initiator));
		get(dir, "target", target, sizeof(target));
		get(dir, "tpgt", tpgt, sizeof(tpgt));
		get(dir, "isid", isid, sizeof(isid));
		/* A discovery session has no target. */
		if (!strcmp(a, "Discovery"))
			target[0] = '\0';
		r = row_add(rs, "session");
		row_label(r, "session", l.v[i]);
		row_label(r, "target", target);
		row_label(r, "tpgt", tpgt);
		row_label(r, "initiator", initiator);
		row_label(r, "isid", isid);
		row_io_dir(r, dir);

		pathf(cdir, "%s/connections", dir);
		if (list_dir(cdir, ENT_DIR, &conns, true))
			continue;
		for (j = 0; j < conns.n; j++) {
			pathf(path, "%s/%s", cdir, conns.v[j]);
			r = row_add(rs, "connection");
			row_label(r, "session", l.v[i]);
			row_label(r, "cid", conns.v[j]);
			row_label(r, "target", target);
			row_label(r, "tpgt", tpgt);
			row_label(r, "initiator", initiator);
			row_label(r, "portal", get(path, "local", a, sizeof(a)));
			row_label(r, "peer", get(path, "peer", a, sizeof(a)));
			row_io_dir(r, path);
		}
		names_free(&conns);
	}
	names_free(&l);
	return 0;
}

/* Families whose HELP is not made up from their object and suffix. */
static const struct {
	const char *family, *type, *help;
} families[] = {
	{ "kitt_logins_total", "counter", "Logins to kitt, by outcome (accepted or the refusal's reason)." },
	{ "kitt_lun_latency_seconds", "histogram", "Time from a command's arrival to its response." },
	{ "kitt_device_read_commands_total", "counter", "SCSI commands that read from the device." },
	{ "kitt_device_write_commands_total", "counter", "SCSI commands that wrote to the device." },
	{ "kitt_device_read_bytes_total", "counter", "Bytes read from the device for initiators." },
	{ "kitt_device_write_bytes_total", "counter", "Bytes written to the device by initiators." },
	{ "kitt_connection_rx_pdus_total", "counter", "iSCSI PDUs received on the connection." },
	{ "kitt_connection_tx_pdus_total", "counter", "iSCSI PDUs sent on the connection." },
	{ "kitt_connection_rx_bytes_total", "counter", "Bytes received on the connection." },
	{ "kitt_connection_tx_bytes_total", "counter", "Bytes sent on the connection." },
	{ "kitt_connection_digest_errors_total", "counter", "PDUs received with a bad header or data digest." },
};

/* The families every statistics directory has: kitt_KIND_SUFFIX. */
static const struct {
	const char *suffix, *type, *help;
} io_families[] = {
	{ "logins_total", "counter", "Logins, by outcome (accepted or the refusal's reason)" },
	{ "read_commands_total", "counter", "READ commands completed" },
	{ "write_commands_total", "counter", "WRITE commands completed" },
	{ "other_commands_total", "counter", "Other SCSI commands completed" },
	{ "read_bytes_total", "counter", "Bytes read by READ commands" },
	{ "write_bytes_total", "counter", "Bytes written by WRITE commands" },
	{ "errors_total", "counter", "Commands that did not end GOOD, by kind (sense key or status)" },
	{ "in_flight", "gauge", "Commands in the target now" },
	{ "task_management_total", "counter", "Task management functions received, by function" },
};

/* The objects of kitt_KIND_... families, for their HELP. */
static const struct {
	const char *kind, *what;
} io_kinds[] = {
	{ "target", "per target" },
	{ "tpg", "per portal group" },
	{ "portal", "per portal" },
	{ "lun", "per LUN" },
	{ "session", "per session" },
	{ "connection", "per connection" },
};

/* A family's TYPE, and its HELP in @help. */
static const char *family_help(const char *family, char *help, size_t size)
{
	size_t f, k, n;

	for (f = 0; f < sizeof(families) / sizeof(families[0]); f++)
		if (!strcmp(families[f].family, family)) {
			snprintf(help, size, "%s", families[f].help);
			return families[f].type;
		}
	for (k = 0; k < sizeof(io_kinds) / sizeof(io_kinds[0]); k++) {
		n = strlen(io_kinds[k].kind);
		if (strncmp(family, "kitt_", 5) || strncmp(family + 5, io_kinds[k].kind, n) ||
		    family[5 + n] != '_')
			continue;
		for (f = 0; f < sizeof(io_families) / sizeof(io_families[0]); f++)
			if (!strcmp(family + 5 + n + 1, io_families[f].suffix)) {
				snprintf(help, size, "%s, %s.", io_families[f].help,
					 io_kinds[k].what);
				return io_families[f].type;
			}
	}
	snprintf(help, size, "A counter of kitt.");
	return "counter";
}

/* A label value in the exposition format: \, " and newline escaped. */
static void prom_label_value(const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			printf("\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", stdout);
		else
			putchar(*v);
	}
}

static void prom_sample(const struct row *r, const struct sample *s)
{
	const char *sep = "";
	size_t lb;

	printf("%s{", s->name);
	for (lb = 0; lb < r->nlabels; lb++) {
		/* kitt's session number changes at every login. */
		if (!strcmp(r->label[lb], "session"))
			continue;
		printf("%s%s=\"", sep, r->label[lb]);
		prom_label_value(r->label_val[lb]);
		putchar('"');
		sep = ",";
	}
	if (s->xlabel) {
		printf("%s%s=\"", sep, s->xlabel);
		prom_label_value(s->xvalue);
		putchar('"');
	}
	printf("} %s\n", s->value);
}

static void print_prometheus(const struct rows *rs)
{
	size_t i, j, k, c;

	/* Each family once, with all its samples after its HELP and TYPE. */
	for (i = 0; i < rs->n; i++) {
		for (c = 0; c < rs->v[i].nsamples; c++) {
			const char *family = rs->v[i].s[c].family, *type;
			char help[256];
			bool seen = false;

			for (j = 0; j <= i && !seen; j++)
				for (k = 0; k < (j < i ? rs->v[j].nsamples : c) && !seen; k++)
					seen = !strcmp(family, rs->v[j].s[k].family);
			if (seen)
				continue;
			type = family_help(family, help, sizeof(help));
			printf("# HELP %s %s\n", family, help);
			printf("# TYPE %s %s\n", family, type);
			for (j = i; j < rs->n; j++)
				for (k = 0; k < rs->v[j].nsamples; k++)
					if (!strcmp(family, rs->v[j].s[k].family))
						prom_sample(&rs->v[j], &rs->v[j].s[k]);
		}
	}
}

/* Samples of @r as JSON members: "key": value, or key: {xvalue: value}. */
static void json_samples(const struct row *r)
{
	const char *open = NULL;
	size_t j;

	for (j = 0; j < r->nsamples; j++) {
		const struct sample *s = &r->s[j];

		if (s->xlabel && !strcmp(s->xlabel, "le")) {
			/* A histogram's buckets: "latency_us": {"0.00005": N, ...} */
			if (!open || strcmp(open, "latency_le")) {
				if (open)
					json_end('}');
				json_begin("latency_buckets_le_seconds", '{');
				open = "latency_le";
			}
			json_auto(s->xvalue, s->value);
			continue;
		}
		if (s->xlabel) {
			if (!open || strcmp(open, s->family)) {
				if (open)
					json_end('}');
				/* kitt_tpg_logins_total: "logins" */
				json_begin(strstr(s->family, "logins") ? "logins" :
					   strstr(s->family, "task_management") ? "task_management" :
					   strstr(s->family, "errors") ? "errors" : s->family, '{');
				open = s->family;
			}
			json_auto(s->xvalue, s->value);
			continue;
		}
		if (open) {
			json_end('}');
			open = NULL;
		}
		json_auto(s->key, s->value);
	}
	if (open)
		json_end('}');
}

static const char * const stat_kinds[] = {
	"all", "target", "tpg", "portal", "lun", "device", "session", "connection",
};

static void print_stats_json(const struct rows *rs)
{
	char key[32];
	size_t i, j, k;

	json_comma = false;
	json_begin(NULL, '{');
	for (k = 0; k < sizeof(stat_kinds) / sizeof(stat_kinds[0]); k++) {
		if (!strcmp(stat_kinds[k], "all")) {
			for (i = 0; i < rs->n; i++)
				if (!strcmp(rs->v[i].kind, "all"))
					json_samples(&rs->v[i]);
			continue;
		}
		snprintf(key, sizeof(key), "%ss", stat_kinds[k]);
		json_begin(key, '[');
		for (i = 0; i < rs->n; i++) {
			if (strcmp(rs->v[i].kind, stat_kinds[k]))
				continue;
			json_begin(NULL, '{');
			for (j = 0; j < rs->v[i].nlabels; j++)
				json_auto(rs->v[i].label[j], rs->v[i].label_val[j]);
			json_begin("counters", '{');
			json_samples(&rs->v[i]);
			json_end('}');
			json_end('}');
		}
		json_end(']');
	}
	json_end('}');
	putchar('\n');
}

/* The value of the sample @key (with extra label value @xvalue), or 0. */
static unsigned long long sample_val(const struct row *r, const char *key, const char *xvalue)
{
	size_t j;

	for (j = 0; j < r->nsamples; j++)
		if (!strcmp(r->s[j].key, key) &&
		    (!xvalue || (r->s[j].xvalue && !strcmp(r->s[j].xvalue, xvalue))))
			return strtoull(r->s[j].value, NULL, 10);
	return 0;
}

/* A sample in seconds (a histogram's _sum), in microseconds. */
static unsigned long long sample_seconds_us(const struct row *r, const char *key)
{
	size_t j;

	for (j = 0; j < r->nsamples; j++)
		if (!strcmp(r->s[j].key, key))
			return (unsigned long long)(strtod(r->s[j].value, NULL) * 1e6 + 0.5);
	return 0;
}

/* Sum of a family's labelled samples, leaving out @except. */
static unsigned long long family_sum(const struct row *r, const char *family, const char *except)
{
	unsigned long long sum = 0;
	size_t j;

	for (j = 0; j < r->nsamples; j++)
		if (!strcmp(r->s[j].family, family) && r->s[j].xvalue &&
		    (!except || strcmp(r->s[j].xvalue, except)))
			sum += strtoull(r->s[j].value, NULL, 10);
	return sum;
}

/* " reason=N" for each non-zero sample of @family but @except. */
static void print_nonzero(const struct row *r, const char *family, const char *except)
{
	size_t j;

	for (j = 0; j < r->nsamples; j++)
		if (!strcmp(r->s[j].family, family) && r->s[j].xvalue &&
		    strcmp(r->s[j].xvalue, except ? except : "") && strcmp(r->s[j].value, "0"))
			printf(" %s=%s", r->s[j].xvalue, r->s[j].value);
}

/* One table per kind for devices, sessions, connections: labels, counters. */
static void print_counter_table(const struct rows *rs, const char *kind)
{
	size_t i, j, w[ROW_LABELS + 32], ncol = 0, first = 0;
	bool any = false;

	for (i = 0; i < rs->n; i++) {
		const struct row *r = &rs->v[i];

		if (strcmp(r->kind, kind) || r->nsamples > 32)
			continue;
		if (!any) {
			first = i;
			ncol = r->nlabels + r->nsamples;
			for (j = 0; j < r->nlabels; j++)
				w[j] = strlen(r->label[j]);
			for (j = 0; j < r->nsamples; j++)
				w[r->nlabels + j] = strlen(r->s[j].key);
			any = true;
		}
		if (r->nlabels + r->nsamples != ncol)
			continue;
		for (j = 0; j < r->nlabels; j++)
			if (strlen(r->label_val[j]) > w[j])
				w[j] = strlen(r->label_val[j]);
		for (j = 0; j < r->nsamples; j++)
			if (strlen(r->s[j].value) > w[r->nlabels + j])
				w[r->nlabels + j] = strlen(r->s[j].value);
	}
	if (!any)
		return;
	for (i = first; i < rs->n; i++) {
		const struct row *r = &rs->v[i];

		if (strcmp(r->kind, kind) || r->nlabels + r->nsamples != ncol)
			continue;
		if (i == first) {
			for (j = 0; j < r->nlabels; j++)
				printf("%-*s  ", (int)w[j], r->label[j]);
			for (j = 0; j < r->nsamples; j++)
				printf("%*s%s", (int)w[r->nlabels + j], r->s[j].key,
				       j + 1 < r->nsamples ? "  " : "\n");
		}
		for (j = 0; j < r->nlabels; j++)
			printf("%-*s  ", (int)w[j], r->label_val[j]);
		for (j = 0; j < r->nsamples; j++)
			printf("%*s%s", (int)w[r->nlabels + j], r->s[j].value,
			       j + 1 < r->nsamples ? "  " : "\n");
	}
	printf("\n");
}

/* The object a row counts for, indented under the one it belongs to. */
static void row_scope(const struct row *r, char *buf, size_t size)
{
	const char *dev = row_label_val(r, "device");

	if (!strcmp(r->kind, "all"))
		snprintf(buf, size, "all");
	else if (!strcmp(r->kind, "target"))
		snprintf(buf, size, "%s", row_label_val(r, "target"));
	else if (!strcmp(r->kind, "tpg"))
		snprintf(buf, size, "  tpgt %s", row_label_val(r, "tpgt"));
	else if (!strcmp(r->kind, "portal"))
		snprintf(buf, size, "    portal %s", row_label_val(r, "portal"));
	else if (!strcmp(r->kind, "lun"))
		snprintf(buf, size, "    lun %s%s%s%s", row_label_val(r, "lun"),
			 dev && *dev ? " (" : "", dev ? dev : "", dev && *dev ? ")" : "");
	else if (!strcmp(r->kind, "session"))
		snprintf(buf, size, "session %s %s", row_label_val(r, "session"),
			 row_label_val(r, "initiator"));
	else if (!strcmp(r->kind, "connection"))
		snprintf(buf, size, "  connection %s %s", row_label_val(r, "cid"),
			 row_label_val(r, "peer"));
	else
		snprintf(buf, size, "%s", r->kind);
}

/* A row of an object with a statistics file (kitt_KIND_in_flight and so on). */
static bool is_io_row(const struct row *r)
{
	static const char * const kinds[] = {
		"target", "tpg", "portal", "lun", "session", "connection",
	};
	size_t k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (!strcmp(r->kind, kinds[k]))
			return true;
	return false;
}

/* Each object with a non-zero sample of its kitt_KIND_@suffix family, those samples. */
static void print_labelled(const struct rows *rs, const char *title, const char *suffix)
{
	char family[256], scope[512];
	bool any = false;
	size_t i;

	for (i = 0; i < rs->n; i++) {
		const struct row *r = &rs->v[i];

		if (!is_io_row(r))
			continue;
		snprintf(family, sizeof(family), "kitt_%s_%s", r->kind, suffix);
		if (!family_sum(r, family, NULL))
			continue;
		if (!any)
			printf("%s\n", title);
		any = true;
		row_scope(r, scope, sizeof(scope));
		printf("%-52s", scope);
		print_nonzero(r, family, NULL);
		printf("\n");
	}
	if (any)
		printf("\n");
}

static void print_stats_table(const struct rows *rs)
{
	char scope[512], family[256], avg[32];
	size_t i;
	bool any = false;

	/* Logins: accepted, refused, and the reasons of the refusals. */
	printf("%-52s %9s %9s  %s\n", "logins", "accepted", "refused", "reasons");
	for (i = 0; i < rs->n; i++) {
		const struct row *r = &rs->v[i];

		if (strcmp(r->kind, "all") && strcmp(r->kind, "target") && strcmp(r->kind, "tpg") &&
		    strcmp(r->kind, "portal"))
			continue;
		if (!strcmp(r->kind, "all"))
			snprintf(family, sizeof(family), "kitt_logins_total");
		else
			snprintf(family, sizeof(family), "kitt_%s_logins_total", r->kind);
		row_scope(r, scope, sizeof(scope));
		printf("%-52s %9llu %9llu ", scope, sample_val(r, "accepted", "accepted"),
		       family_sum(r, family, "accepted"));
		print_nonzero(r, family, "accepted");
		printf("\n");
	}
	printf("\n");

	/*
	 * Commands of each object: the configured ones (a target's are its
	 * portal groups', a portal group's its portals'), then the sessions
	 * and their connections.
	 */
	for (i = 0; i < rs->n; i++) {
		const struct row *r = &rs->v[i];
		unsigned long long n, sum;

		if (!is_io_row(r))
			continue;
		if (!any)
			printf("%-52s %9s %9s %9s %12s %12s %7s %6s %4s %9s\n", "commands", "reads",
			       "writes", "other", "read_bytes", "write_bytes", "errors", "queue",
			       "tmf", "avg_us");
		any = true;
		snprintf(avg, sizeof(avg), "-");
		if (!strcmp(r->kind, "lun")) {
			n = sample_val(r, "latency_count", NULL);
			sum = sample_seconds_us(r, "latency_sum_seconds");
			snprintf(avg, sizeof(avg), "%llu", n ? sum / n : 0);
		}
		row_scope(r, scope, sizeof(scope));
		snprintf(family, sizeof(family), "kitt_%s_errors_total", r->kind);
		printf("%-52s %9llu %9llu %9llu %12llu %12llu %7llu %6llu", scope,
		       sample_val(r, "read_commands", NULL), sample_val(r, "write_commands", NULL),
		       sample_val(r, "other_commands", NULL), sample_val(r, "read_bytes", NULL),
		       sample_val(r, "write_bytes", NULL), family_sum(r, family, NULL),
		       sample_val(r, "in_flight", NULL));
		snprintf(family, sizeof(family), "kitt_%s_task_management_total", r->kind);
		printf(" %4llu %9s\n", family_sum(r, family, NULL), avg);
	}
	if (any)
		printf("\n");
	print_labelled(rs, "errors by kind", "errors_total");
	print_labelled(rs, "task management", "task_management_total");
	print_counter_table(rs, "device");

	/* What each connection carried on the wire. */
	any = false;
	for (i = 0; i < rs->n; i++) {
		const struct row *r = &rs->v[i];

		if (strcmp(r->kind, "connection"))
			continue;
		if (!any)
			printf("%-52s %10s %10s %14s %14s %13s\n", "connection (session cid peer)",
			       "rx_pdus", "tx_pdus", "rx_bytes", "tx_bytes", "digest_errors");
		any = true;
		snprintf(scope, sizeof(scope), "%s %s %s", row_label_val(r, "session"),
			 row_label_val(r, "cid"), row_label_val(r, "peer"));
		printf("%-52s %10llu %10llu %14llu %14llu %13llu\n", scope,
		       sample_val(r, "rx_pdus", NULL), sample_val(r, "tx_pdus", NULL),
		       sample_val(r, "rx_bytes", NULL), sample_val(r, "tx_bytes", NULL),
		       sample_val(r, "digest_errors", NULL));
	}
}

static int cmd_stats(int argc, char **argv)
{
	struct rows rs = { 0 };
	struct opts o;
	int ret = 0;

	parse_opts(argc, argv, OPT_JSON | OPT_PROM, 0, 0, "stats", &o);
	if (o.json && o.prometheus)
		usage_error("stats: --json or --prometheus, not both");
	if (need_root() || need_sysfs())
		return failed();
	if (collect_stats(&rs)) {
		rows_free(&rs);
		return failed();
	}
	if (o.prometheus)
		print_prometheus(&rs);
	else if (o.json)
		print_stats_json(&rs);
	else
		print_stats_table(&rs);
	if (fflush(stdout))
		ret = fail_exit("stdout");
	rows_free(&rs);
	return ret;
}

/* ------------------------------------------------------------------ */
/* main                                                                */
/* ------------------------------------------------------------------ */

static int cmd_attrib(int argc, char **argv)
{
	return cmd_tpg_group(argc, argv, "attrib", "attrib");
}

static int cmd_param(int argc, char **argv)
{
	return cmd_tpg_group(argc, argv, "param", "params");
}

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "device", cmd_device,
	  "  device add NAME PATH [--ro]     backstore over block device PATH, enabled\n"
	  "  device del NAME                 disable and remove it (not while mapped)\n"
	  "  device rescan NAME              take the size anew after growing PATH\n" },
	{ "target", cmd_target,
	  "  target add IQN [--tpgt N] [--portal ADDR:PORT]...\n"
	  "                                  target, portal group N (1) and portals\n"
	  "                                  (default 0.0.0.0:3260), enabled\n"
	  "  target del IQN                  with its LUNs, ACLs, portals and groups\n" },
	{ "portal", cmd_portal,
	  "  portal add IQN ADDR:PORT [--tpgt N]   listen on one more address\n"
	  "  portal del IQN ADDR:PORT [--tpgt N]   stop listening there\n" },
	{ "lun", cmd_lun,
	  "  lun add IQN LUN DEVICE [--tpgt N]     map DEVICE as LUN\n"
	  "  lun del IQN LUN [--tpgt N]            unmap it\n" },
	{ "acl", cmd_acl,
	  "  acl add IQN INITIATOR [--tpgt N] [--chap USER:SECRET] [--mutual USER:SECRET]\n"
	  "  acl del IQN INITIATOR [--tpgt N]\n"
	  "  acl map IQN INITIATOR LUN [TPG_LUN] [--ro] [--tpgt N]\n"
	  "                                  INITIATOR sees only its mapped LUNs: the\n"
	  "                                  group's TPG_LUN (default LUN) as LUN\n"
	  "  acl unmap IQN INITIATOR LUN [--tpgt N]\n" },
	{ "attrib", cmd_attrib,
	  "  attrib IQN [KEY [VALUE]] [--tpgt N]   portal group attributes\n" },
	{ "param", cmd_param,
	  "  param IQN [KEY [VALUE]] [--tpgt N]    offered iSCSI parameters\n" },
	{ "open", cmd_open,
	  "  open IQN [--tpgt N]             any initiator, no CHAP (labs)\n" },
	{ "discovery", cmd_discovery,
	  "  discovery [--chap USER:SECRET] [--mutual USER:SECRET] [--enforce 0|1]\n" },
	{ "show", cmd_show,
	  "  show [--json]                   the configuration and live sessions\n" },
	{ "save", cmd_save,
	  "  save [FILE|-]                   write it (default " DEFAULT_CONF ", mode 0600)\n" },
	{ "restore", cmd_restore,
	  "  restore [FILE|-] [--missing-ok] apply a saved file (idempotent); with\n"
	  "                                  --missing-ok, no file is nothing to do\n" },
	{ "clear", cmd_clear,
	  "  clear                           remove everything (then rmmod kitt works)\n" },
	{ "sessions", cmd_sessions,
	  "  sessions [--json]               live sessions and their connections\n" },
	{ "stats", cmd_stats,
	  "  stats [--json|--prometheus]     counters of logins, commands, errors, devices\n" },
	{ "help", cmd_help,
	  "  help [COMMAND]                  this text, or one command's\n" },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	size_t i;

	fputs("usage: kittctl [-v] COMMAND [ARGS]   (kittctl COMMAND --help)\n", f);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fputs(commands[i].usage, f);
	fputs("Options: -v prints every change made; KITT_CONFIGFS and KITT_SESSIONS\n"
	      "override " DEFAULT_CONFIGFS " and " DEFAULT_SESSIONS ".\n"
	      "Adding what exists and deleting what is missing succeed and change nothing.\n"
	      "Exit status: 0 done, 1 refused or failed, 2 usage, 3 kitt not loaded,\n"
	      "4 no such object, 5 object busy, 6 permission denied. See kittctl(8).\n", f);
}

static void command_usage(const struct command *c)
{
	printf("usage: kittctl [-v] %s ...\n%s", c->name, c->usage);
}

static int cmd_help(int argc, char **argv)
{
	const struct command *c;

	if (!argc) {
		usage(stdout);
		return 0;
	}
	c = find_command(argv[0]);
	if (!c)
		usage_error("help: unknown command '%s'", argv[0]);
	command_usage(c);
	return 0;
}

/* "--help" or "-h" among a command's arguments (before any "--"). */
static bool wants_help(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	static char root_buf[PATH_MAX], cmd_buf[64];
	const struct command *c;
	const char *env;
	int i = 1;

	env = getenv("KITT_CONFIGFS");
	if (env && *env) {
		/* Absolute, so that LUN links made under it resolve. */
		if (realpath(env, root_buf))
			cfs_root = root_buf;
		else
			cfs_root = env;
	}
	env = getenv("KITT_SESSIONS");
	if (env && *env)
		sess_root = env;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			verbose = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("kittctl %s\n", KITTCTL_VERSION);
			return 0;
		} else {
			usage_error("unknown option %s", argv[i]);
		}
	}
	if (i >= argc) {
		usage(stderr);
		return KC_USAGE;
	}
	c = find_command(argv[i]);
	if (!c)
		usage_error("unknown command '%s'", argv[i]);
	snprintf(cmd_buf, sizeof(cmd_buf), "%s ", c->name);
	cur_cmd = cmd_buf;
	argc -= i + 1;
	argv += i + 1;
	if (c->run != cmd_help && wants_help(argc, argv)) {
		command_usage(c);
		return 0;
	}
	return c->run(argc, argv);
}
