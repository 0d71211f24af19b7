// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: the configuration tree under /sys/kernel/config/kitt/.
 *
 *   devices/<name>/                  backstores (bdev.c opens them)
 *   targets/<name>/tpgt_<n>/         portal groups
 *       enable, portals/<addr>/, luns/<lun> -> devices/<name>,
 *       acls/<initiator>/{auth/,luns/<lun>/,lun_map}, attrib/, params/
 *   discovery/auth/                  CHAP for discovery sessions
 *
 * Documentation/configfs.rst describes every file. Values written with a
 * trailing newline (as echo does) are accepted; a value that is invalid
 * after that is refused with -EINVAL and the old value stays; a change
 * that is unsafe in the current state is refused with -EBUSY.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/ctype.h>
#include <linux/delay.h>
#include <linux/dcache.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/siphash.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/version.h>

#include "kitt.h"
#include "kitt_compat.h"

/* ------------------------------------------------------------------ */
/* Parsing helpers                                                     */
/* ------------------------------------------------------------------ */

/* Length of a written value without the newline echo adds. */
static size_t kitt_value_len(const char *buf, size_t len)
{
	if (len && buf[len - 1] == '\n')
		len--;
	return len;
}

/* "0" or "1", nothing else. */
static int kitt_parse_bool(const char *buf, size_t len, bool *val)
{
	len = kitt_value_len(buf, len);
	if (len != 1 || (buf[0] != '0' && buf[0] != '1'))
		return -EINVAL;
	*val = buf[0] == '1';
	return 0;
}

/* A decimal number in [min, max]; kstrtou32 allows one trailing newline. */
static int kitt_parse_u32(const char *buf, u32 min, u32 max, u32 *val)
{
	u32 v;

	if (kstrtou32(buf, 10, &v) || v < min || v > max)
		return -EINVAL;
	*val = v;
	return 0;
}

/*
 * A decimal number with no sign, no leading zero and nothing around it,
 * as directory and link names must be (tpgt_<n>, LUN numbers).
 */
static int kitt_parse_name_number(const char *s, size_t len, u32 max, u32 *val)
{
	u32 v = 0;
	size_t i;

	if (!len || len > 10 || (len > 1 && s[0] == '0'))
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (!isdigit(s[i]))
			return -EINVAL;
		if (v > (max - (s[i] - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*val = v;
	return 0;
}

/*
 * Copy a written string into @dst (@size bytes with the NUL): printable
 * ASCII only; empty clears it when @allow_empty.
 */
static int kitt_store_string(char *dst, size_t size, const char *buf, size_t len,
			     bool allow_empty, bool allow_space)
{
	size_t i;

	len = kitt_value_len(buf, len);
	if (len >= size || (!len && !allow_empty))
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (buf[i] < ' ' || buf[i] > '~' || (buf[i] == ' ' && !allow_space))
			return -EINVAL;
	}
	memcpy(dst, buf, len);
	memset(dst + len, 0, size - len);
	return 0;
}

static bool kitt_hex_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isxdigit(s[i]))
			return false;
	return true;
}

static bool kitt_iqn_char(char c)
{
	return (c >= 'a' && c <= 'z') || isdigit(c) || c == '-' || c == '.' || c == ':';
}

/*
 * iqn.yyyy-mm.<reversed domain name>[:<unique name>] (RFC 7143 4.2.7.4):
 * lowercase letters, digits, '-', '.' and ':' (kitt takes ASCII names
 * only); the naming authority is dot-separated labels.
 */
static bool kitt_valid_iqn(const char *name, size_t len)
{
	const char *p = name + 4, *end = name + len;
	const char *auth_end;
	unsigned int month;
	size_t i;

	/* "iqn." "yyyy-mm" "." and at least one character of authority */
	if (len < 4 + 7 + 1 + 1)
		return false;
	for (i = 0; i < 7; i++) {
		if (i == 4 ? p[i] != '-' : !isdigit(p[i]))
			return false;
	}
	month = (p[5] - '0') * 10 + (p[6] - '0');
	if (month < 1 || month > 12 || p[7] != '.')
		return false;
	p += 8;

	auth_end = memchr(p, ':', end - p);
	if (!auth_end)
		auth_end = end;
	/* Labels of the reversed domain name: no empty label. */
	if (p == auth_end || *p == '.' || auth_end[-1] == '.')
		return false;
	for (; p < auth_end; p++) {
		if (!kitt_iqn_char(*p) || *p == ':')
			return false;
		if (*p == '.' && p[1] == '.')
			return false;
	}
	if (auth_end == end)
		return true;
	/* ":" and a non-empty unique part */
	if (auth_end + 1 == end)
		return false;
	for (p = auth_end + 1; p < end; p++)
		if (!kitt_iqn_char(*p))
			return false;
	return true;
}

/**
 * kitt_valid_iscsi_name() - check an iSCSI name (RFC 7143 4.2.7)
 * @name: a target or initiator name
 *
 * Accepts iqn. names (see kitt_valid_iqn()), eui. followed by 16 hex
 * digits and naa. followed by 16 or 32 hex digits; at most 223 bytes.
 *
 * Return: true if @name has one of these forms.
 */
bool kitt_valid_iscsi_name(const char *name)
{
	size_t len = strnlen(name, KITT_NAME_MAX);

	if (len >= KITT_NAME_MAX)
		return false;
	if (!strncmp(name, "iqn.", 4))
		return kitt_valid_iqn(name, len);
	if (!strncmp(name, "eui.", 4))
		return len == 4 + 16 && kitt_hex_digits(name + 4, 16);
	if (!strncmp(name, "naa.", 4))
		return (len == 4 + 16 || len == 4 + 32) &&
		       kitt_hex_digits(name + 4, len - 4);
	return false;
}

/* Device names: letters, digits, '-', '_', '.', ':'; not "." or "..". */
static bool kitt_valid_device_name(const char *name)
{
	size_t len = strnlen(name, KITT_NAME_MAX), i;

	if (!len || len >= KITT_NAME_MAX || name[0] == '.')
		return false;
	for (i = 0; i < len; i++) {
		if (!isalnum(name[i]) && !strchr("-_.:", name[i]))
			return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* devices/<name>/                                                     */
/* ------------------------------------------------------------------ */

static const struct config_item_type kitt_device_type;

static struct kitt_device *to_kitt_device(struct config_item *item)
{
	return container_of(to_config_group(item), struct kitt_device, group);
}

static ssize_t kitt_device_path_show(struct config_item *item, char *page)
{
	struct kitt_device *dev = to_kitt_device(item);
	ssize_t ret;

	mutex_lock(&dev->lock);
	ret = sysfs_emit(page, "%s\n", dev->path);
	mutex_unlock(&dev->lock);
	return ret;
}

static ssize_t kitt_device_path_store(struct config_item *item, const char *page,
				      size_t count)
{
	char path[KITT_PATH_MAX];
	int ret;

	ret = kitt_store_string(path, sizeof(path), page, count, true, true);
	if (ret || (path[0] && path[0] != '/'))
		return -EINVAL;
	return kitt_device_set_path(to_kitt_device(item), path) ?: count;
}

static ssize_t kitt_device_enable_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_kitt_device(item)->enabled));
}

static ssize_t kitt_device_enable_store(struct config_item *item, const char *page,
					size_t count)
{
	bool enable;

	if (kitt_parse_bool(page, count, &enable))
		return -EINVAL;
	return kitt_device_enable(to_kitt_device(item), enable) ?: count;
}

/* read_only and direct_io: fixed while the device is open. */
static ssize_t kitt_device_flag_store(struct config_item *item, const char *page, size_t count,
				      size_t offset)
{
	struct kitt_device *dev = to_kitt_device(item);
	bool val;

	if (kitt_parse_bool(page, count, &val))
		return -EINVAL;
	return kitt_device_set_flag(dev, (bool *)((char *)dev + offset), val) ?: count;
}

static ssize_t kitt_device_read_only_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_kitt_device(item)->read_only));
}

static ssize_t kitt_device_read_only_store(struct config_item *item, const char *page,
					   size_t count)
{
	return kitt_device_flag_store(item, page, count, offsetof(struct kitt_device, read_only));
}

static ssize_t kitt_device_direct_io_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_kitt_device(item)->direct));
}

static ssize_t kitt_device_direct_io_store(struct config_item *item, const char *page,
					   size_t count)
{
	return kitt_device_flag_store(item, page, count, offsetof(struct kitt_device, direct));
}

static ssize_t kitt_device_wce_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_kitt_device(item)->wce));
}

static ssize_t kitt_device_wce_store(struct config_item *item, const char *page,
				     size_t count)
{
	bool val;

	if (kitt_parse_bool(page, count, &val))
		return -EINVAL;
	kitt_device_set_wce(to_kitt_device(item), val);
	return count;
}

static ssize_t kitt_device_serial_show(struct config_item *item, char *page)
{
	struct kitt_device *dev = to_kitt_device(item);
	ssize_t ret;

	mutex_lock(&dev->lock);
	ret = sysfs_emit(page, "%s\n", dev->serial);
	mutex_unlock(&dev->lock);
	return ret;
}

static ssize_t kitt_device_serial_store(struct config_item *item, const char *page,
					size_t count)
{
	struct kitt_device *dev = to_kitt_device(item);
	char serial[KITT_SERIAL_MAX];
	int ret;

	ret = kitt_store_string(serial, sizeof(serial), page, count, false, false);
	if (ret)
		return ret;
	mutex_lock(&dev->lock);
	if (atomic_read(&dev->export_count) && strcmp(serial, dev->serial))
		ret = -EBUSY;
	else
		memcpy(dev->serial, serial, sizeof(serial));
	mutex_unlock(&dev->lock);
	return ret ?: count;
}

/*
 * NAA identifiers that fit 8 bytes: 2 (IEEE extended), 3 (locally
 * assigned) and 5 (IEEE registered); the NAA field is the top nibble.
 */
static bool kitt_naa8_valid(u64 id)
{
	unsigned int naa = id >> 60;

	return naa == 2 || naa == 3 || naa == 5;
}

static ssize_t kitt_device_wwn_show(struct config_item *item, char *page)
{
	struct kitt_device *dev = to_kitt_device(item);
	ssize_t ret;

	mutex_lock(&dev->lock);
	ret = sysfs_emit(page, "%016llx\n", dev->naa_id);
	mutex_unlock(&dev->lock);
	return ret;
}

static ssize_t kitt_device_wwn_store(struct config_item *item, const char *page,
				     size_t count)
{
	struct kitt_device *dev = to_kitt_device(item);
	size_t len = kitt_value_len(page, count);
	char hex[17];
	u64 id;
	int ret = 0;

	if (len == 4 + 16 && !strncmp(page, "naa.", 4)) {
		page += 4;
		len -= 4;
	}
	if (len != 16 || !kitt_hex_digits(page, 16))
		return -EINVAL;
	memcpy(hex, page, 16);
	hex[16] = '\0';
	if (kstrtou64(hex, 16, &id) || !kitt_naa8_valid(id))
		return -EINVAL;

	mutex_lock(&dev->lock);
	if (atomic_read(&dev->export_count) && id != dev->naa_id)
		ret = -EBUSY;
	else
		dev->naa_id = id;
	mutex_unlock(&dev->lock);
	return ret ?: count;
}

static ssize_t kitt_device_size_show(struct config_item *item, char *page)
{
	struct kitt_device *dev = to_kitt_device(item);
	ssize_t ret;

	mutex_lock(&dev->lock);
	ret = sysfs_emit(page, "%llu\n", dev->enabled ? dev->nr_blocks << dev->block_shift : 0);
	mutex_unlock(&dev->lock);
	return ret;
}

/* A file-backed device grows or shrinks its file; see kitt_device_resize(). */
static ssize_t kitt_device_size_store(struct config_item *item, const char *page,
				      size_t count)
{
	u64 bytes;
	int ret;

	if (kstrtou64(page, 0, &bytes))
		return -EINVAL;
	ret = kitt_device_resize(to_kitt_device(item), bytes);
	return ret ?: count;
}

/* Writing 1 takes the backing store's size anew (after lvextend, losetup -c). */
static ssize_t kitt_device_rescan_store(struct config_item *item, const char *page,
					size_t count)
{
	bool val;
	int ret;

	if (kitt_parse_bool(page, count, &val) || !val)
		return -EINVAL;
	ret = kitt_device_rescan(to_kitt_device(item));
	return ret ?: count;
}

static ssize_t kitt_device_blocks_show(struct config_item *item, char *page)
{
	struct kitt_device *dev = to_kitt_device(item);
	ssize_t ret;

	mutex_lock(&dev->lock);
	ret = sysfs_emit(page, "%llu\n", dev->enabled ? dev->nr_blocks : 0);
	mutex_unlock(&dev->lock);
	return ret;
}

static ssize_t kitt_device_block_size_show(struct config_item *item, char *page)
{
	struct kitt_device *dev = to_kitt_device(item);
	ssize_t ret;

	mutex_lock(&dev->lock);
	ret = sysfs_emit(page, "%u\n", dev->enabled ? 1U << dev->block_shift : 0);
	mutex_unlock(&dev->lock);
	return ret;
}

static ssize_t kitt_device_export_count_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", atomic_read(&to_kitt_device(item)->export_count));
}

/* The u64 at @off in struct kitt_dev_stats: the sum of the CPUs' copies. */
static ssize_t kitt_device_stat_show(struct config_item *item, char *page, size_t off)
{
	struct kitt_device *dev = to_kitt_device(item);
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*(u64 *)((char *)per_cpu_ptr(dev->stats, cpu) + off));
	return sysfs_emit(page, "%llu\n", sum);
}

static ssize_t kitt_device_read_cmds_show(struct config_item *item, char *page)
{
	return kitt_device_stat_show(item, page, offsetof(struct kitt_dev_stats, read_cmds));
}

static ssize_t kitt_device_write_cmds_show(struct config_item *item, char *page)
{
	return kitt_device_stat_show(item, page, offsetof(struct kitt_dev_stats, write_cmds));
}

static ssize_t kitt_device_read_bytes_show(struct config_item *item, char *page)
{
	return kitt_device_stat_show(item, page, offsetof(struct kitt_dev_stats, read_bytes));
}

static ssize_t kitt_device_write_bytes_show(struct config_item *item, char *page)
{
	return kitt_device_stat_show(item, page, offsetof(struct kitt_dev_stats, write_bytes));
}

CONFIGFS_ATTR_RO(kitt_device_, read_cmds);
CONFIGFS_ATTR_RO(kitt_device_, write_cmds);
CONFIGFS_ATTR_RO(kitt_device_, read_bytes);
CONFIGFS_ATTR_RO(kitt_device_, write_bytes);

CONFIGFS_ATTR(kitt_device_, path);
CONFIGFS_ATTR(kitt_device_, enable);
CONFIGFS_ATTR(kitt_device_, read_only);
CONFIGFS_ATTR(kitt_device_, direct_io);
CONFIGFS_ATTR(kitt_device_, wce);
CONFIGFS_ATTR(kitt_device_, serial);
CONFIGFS_ATTR(kitt_device_, wwn);
CONFIGFS_ATTR(kitt_device_, size);
CONFIGFS_ATTR_WO(kitt_device_, rescan);
CONFIGFS_ATTR_RO(kitt_device_, blocks);
CONFIGFS_ATTR_RO(kitt_device_, block_size);
CONFIGFS_ATTR_RO(kitt_device_, export_count);

static struct configfs_attribute *kitt_device_attrs[] = {
	&kitt_device_attr_path,
	&kitt_device_attr_enable,
	&kitt_device_attr_read_only,
	&kitt_device_attr_direct_io,
	&kitt_device_attr_wce,
	&kitt_device_attr_rescan,
	&kitt_device_attr_serial,
	&kitt_device_attr_wwn,
	&kitt_device_attr_size,
	&kitt_device_attr_blocks,
	&kitt_device_attr_block_size,
	&kitt_device_attr_export_count,
	&kitt_device_attr_read_cmds,
	&kitt_device_attr_write_cmds,
	&kitt_device_attr_read_bytes,
	&kitt_device_attr_write_bytes,
	NULL,
};

static void kitt_device_release(struct config_item *item)
{
	/* No LUN links remain: configfs refuses rmdir of a link target. */
	kitt_device_free(to_kitt_device(item));
}

static struct configfs_item_operations kitt_device_item_ops = {
	.release	= kitt_device_release,
};

static const struct config_item_type kitt_device_type = {
	.ct_item_ops	= &kitt_device_item_ops,
	.ct_attrs	= kitt_device_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *kitt_devices_make_group(struct config_group *group,
						    const char *name)
{
	struct kitt_device *dev;

	if (!kitt_valid_device_name(name)) {
		pr_err("devices: invalid device name '%s'\n", name);
		return ERR_PTR(-EINVAL);
	}
	dev = kitt_device_alloc(name);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	config_group_init_type_name(&dev->group, name, &kitt_device_type);
	kitt_dbg(KITT_DBG_CONFIG, "device %s created\n", name);
	return &dev->group;
}

static void kitt_devices_drop_item(struct config_group *group, struct config_item *item)
{
	config_item_put(item);
}

static struct configfs_group_operations kitt_devices_group_ops = {
	.make_group	= kitt_devices_make_group,
	.drop_item	= kitt_devices_drop_item,
};

static const struct config_item_type kitt_devices_type = {
	.ct_group_ops	= &kitt_devices_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* ------------------------------------------------------------------ */
/* CHAP credentials: acls/<iqn>/auth/ and discovery/auth/              */
/* ------------------------------------------------------------------ */

/* Lock the credentials behind an auth/ group and return them. */
static struct kitt_chap_cred *kitt_auth_lock(struct config_item *item);
static void kitt_auth_unlock(struct config_item *item);

enum kitt_cred_field {
	KITT_CRED_USERID,
	KITT_CRED_PASSWORD,
	KITT_CRED_USERID_MUTUAL,
	KITT_CRED_PASSWORD_MUTUAL,
};

static char *kitt_cred_field(struct kitt_chap_cred *cred, enum kitt_cred_field f,
			     size_t *size)
{
	switch (f) {
	case KITT_CRED_USERID:
		*size = sizeof(cred->userid);
		return cred->userid;
	case KITT_CRED_PASSWORD:
		*size = sizeof(cred->password);
		return cred->password;
	case KITT_CRED_USERID_MUTUAL:
		*size = sizeof(cred->userid_mutual);
		return cred->userid_mutual;
	default:
		*size = sizeof(cred->password_mutual);
		return cred->password_mutual;
	}
}

static ssize_t kitt_cred_show(struct config_item *item, char *page, enum kitt_cred_field f)
{
	struct kitt_chap_cred *cred = kitt_auth_lock(item);
	size_t size;
	ssize_t ret;

	ret = sysfs_emit(page, "%s\n", kitt_cred_field(cred, f, &size));
	kitt_auth_unlock(item);
	return ret;
}

/* RFC 7143 9.2.1: CHAP secrets shorter than 96 bits need IPsec. */
#define KITT_SECRET_WEAK	12

/*
 * RFC 7143 12.1.3: a secret that authenticates initiators must not also
 * authenticate the target. Both set and equal: refused.
 */
static bool kitt_cred_secrets_shared(const struct kitt_chap_cred *cred)
{
	return cred->password[0] && !strcmp(cred->password, cred->password_mutual);
}

static ssize_t kitt_cred_store(struct config_item *item, const char *page, size_t count,
			       enum kitt_cred_field f)
{
	struct kitt_chap_cred *cred = kitt_auth_lock(item);
	size_t size, len = kitt_value_len(page, count);
	char *field = kitt_cred_field(cred, f, &size);
	char *old = kmemdup(field, size, GFP_KERNEL);
	bool shared = false;
	int ret = -ENOMEM;

	if (old)
		ret = kitt_store_string(field, size, page, count, true, true);
	if (!ret && kitt_cred_secrets_shared(cred)) {
		memcpy(field, old, size);
		shared = true;
		ret = -EINVAL;
	}
	kitt_auth_unlock(item);
	kfree_sensitive(old);
	if (shared)
		pr_warn_ratelimited("%s: password and password_mutual must differ (RFC 7143 12.1.3)\n",
				    config_item_name(item->ci_parent));
	if (ret)
		return ret;
	if ((f == KITT_CRED_PASSWORD || f == KITT_CRED_PASSWORD_MUTUAL) &&
	    len && len < KITT_SECRET_WEAK)
		pr_warn("%s: a CHAP secret shorter than %d bytes is weak\n",
			config_item_name(item->ci_parent), KITT_SECRET_WEAK);
	return count;
}

#define KITT_CRED_ATTR(_name, _field, _mode)					\
static const enum kitt_cred_field kitt_auth_##_name##_field = _field;		\
static ssize_t kitt_auth_##_name##_show(struct config_item *item, char *page)	\
{										\
	return kitt_cred_show(item, page, kitt_auth_##_name##_field);		\
}										\
static ssize_t kitt_auth_##_name##_store(struct config_item *item,		\
					 const char *page, size_t count)		\
{										\
	return kitt_cred_store(item, page, count, kitt_auth_##_name##_field);	\
}										\
static struct configfs_attribute kitt_auth_attr_##_name = {			\
	.ca_name	= #_name,						\
	.ca_mode	= _mode,						\
	.ca_owner	= THIS_MODULE,						\
	.show		= kitt_auth_##_name##_show,				\
	.store		= kitt_auth_##_name##_store,				\
}

/* Secrets are readable by root only (kittctl save needs them). */
KITT_CRED_ATTR(userid, KITT_CRED_USERID, 0644);
KITT_CRED_ATTR(password, KITT_CRED_PASSWORD, 0600);
KITT_CRED_ATTR(userid_mutual, KITT_CRED_USERID_MUTUAL, 0644);
KITT_CRED_ATTR(password_mutual, KITT_CRED_PASSWORD_MUTUAL, 0600);

/* ------------------------------------------------------------------ */
/* targets/<iqn>/tpgt_<n>/acls/<iqn>/                                  */
/* ------------------------------------------------------------------ */

static struct kitt_acl *to_kitt_acl(struct config_item *item)
{
	return container_of(to_config_group(item), struct kitt_acl, group);
}

static struct configfs_attribute *kitt_acl_auth_attrs[] = {
	&kitt_auth_attr_userid,
	&kitt_auth_attr_password,
	&kitt_auth_attr_userid_mutual,
	&kitt_auth_attr_password_mutual,
	NULL,
};

static const struct config_item_type kitt_acl_auth_type = {
	.ct_attrs	= kitt_acl_auth_attrs,
	.ct_owner	= THIS_MODULE,
};

/* acls/<iqn>/luns/<lun>/: tpg_lun, write_protect */
static struct kitt_acl_lun *to_kitt_acl_lun(struct config_item *item)
{
	return container_of(item, struct kitt_acl_lun, item);
}

static ssize_t kitt_acl_lun_tpg_lun_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", READ_ONCE(to_kitt_acl_lun(item)->tpg_lun));
}

static ssize_t kitt_acl_lun_tpg_lun_store(struct config_item *item, const char *page,
					  size_t count)
{
	u32 val;
	int ret;

	if (kitt_parse_u32(page, 0, KITT_MAX_LUNS - 1, &val))
		return -EINVAL;
	ret = kitt_acl_lun_set(to_kitt_acl_lun(item), val, -1);
	return ret ?: count;
}

static ssize_t kitt_acl_lun_write_protect_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_kitt_acl_lun(item)->write_protect));
}

static ssize_t kitt_acl_lun_write_protect_store(struct config_item *item, const char *page,
						size_t count)
{
	bool val;
	int ret;

	if (kitt_parse_bool(page, count, &val))
		return -EINVAL;
	ret = kitt_acl_lun_set(to_kitt_acl_lun(item), U32_MAX, val);
	return ret ?: count;
}

CONFIGFS_ATTR(kitt_acl_lun_, tpg_lun);
CONFIGFS_ATTR(kitt_acl_lun_, write_protect);

static struct configfs_attribute *kitt_acl_lun_attrs[] = {
	&kitt_acl_lun_attr_tpg_lun,
	&kitt_acl_lun_attr_write_protect,
	NULL,
};

static void kitt_acl_lun_release(struct config_item *item)
{
	kfree(to_kitt_acl_lun(item));
}

static struct configfs_item_operations kitt_acl_lun_item_ops = {
	.release	= kitt_acl_lun_release,
};

static const struct config_item_type kitt_acl_lun_type = {
	.ct_item_ops	= &kitt_acl_lun_item_ops,
	.ct_attrs	= kitt_acl_lun_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_item *kitt_acl_luns_make_item(struct config_group *group, const char *name)
{
	struct kitt_acl *acl = container_of(group, struct kitt_acl, luns_group);
	struct kitt_acl_lun *al;
	u32 nr;
	int ret;

	if (kitt_parse_name_number(name, strlen(name), KITT_MAX_LUNS - 1, &nr)) {
		pr_err("%s tpgt %u: ACL %s: '%s' is no LUN number (0-%d)\n",
		       acl->tpg->target->name, acl->tpg->tpgt, acl->initiator, name,
		       KITT_MAX_LUNS - 1);
		return ERR_PTR(-EINVAL);
	}
	al = kitt_acl_lun_alloc(acl, nr);
	if (!al)
		return ERR_PTR(-ENOMEM);
	config_item_init_type_name(&al->item, name, &kitt_acl_lun_type);
	ret = kitt_acl_lun_add(al);
	if (ret) {
		config_item_put(&al->item);
		return ERR_PTR(ret);
	}
	return &al->item;
}

static void kitt_acl_luns_drop_item(struct config_group *group, struct config_item *item)
{
	kitt_acl_lun_remove(to_kitt_acl_lun(item));
	config_item_put(item);
}

static struct configfs_group_operations kitt_acl_luns_group_ops = {
	.make_item	= kitt_acl_luns_make_item,
	.drop_item	= kitt_acl_luns_drop_item,
};

static const struct config_item_type kitt_acl_luns_type = {
	.ct_group_ops	= &kitt_acl_luns_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* acls/<iqn>/lun_map: "all" or "mapped" */
static ssize_t kitt_acl_lun_map_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n", READ_ONCE(to_kitt_acl(item)->masked) ? "mapped" : "all");
}

static ssize_t kitt_acl_lun_map_store(struct config_item *item, const char *page, size_t count)
{
	int ret;

	if (sysfs_streq(page, "all"))
		ret = kitt_acl_set_masked(to_kitt_acl(item), false);
	else if (sysfs_streq(page, "mapped"))
		ret = kitt_acl_set_masked(to_kitt_acl(item), true);
	else
		ret = -EINVAL;
	return ret ?: count;
}

CONFIGFS_ATTR(kitt_acl_, lun_map);

static struct configfs_attribute *kitt_acl_attrs[] = {
	&kitt_acl_attr_lun_map,
	NULL,
};

static void kitt_acl_release(struct config_item *item)
{
	kitt_acl_free(to_kitt_acl(item));
}

static struct configfs_item_operations kitt_acl_item_ops = {
	.release	= kitt_acl_release,
};

static const struct config_item_type kitt_acl_type = {
	.ct_item_ops	= &kitt_acl_item_ops,
	.ct_attrs	= kitt_acl_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *kitt_acls_make_group(struct config_group *group, const char *name)
{
	struct kitt_tpg *tpg = container_of(group, struct kitt_tpg, acls_group);
	struct kitt_acl *acl;
	int ret;

	if (!kitt_valid_iscsi_name(name)) {
		pr_err("%s tpgt %u: invalid initiator name '%s'\n", tpg->target->name,
		       tpg->tpgt, name);
		return ERR_PTR(-EINVAL);
	}
	acl = kitt_acl_alloc(tpg, name);
	if (!acl)
		return ERR_PTR(-ENOMEM);
	config_group_init_type_name(&acl->group, name, &kitt_acl_type);
	config_group_init_type_name(&acl->auth_group, "auth", &kitt_acl_auth_type);
	configfs_add_default_group(&acl->auth_group, &acl->group);
	config_group_init_type_name(&acl->luns_group, "luns", &kitt_acl_luns_type);
	configfs_add_default_group(&acl->luns_group, &acl->group);
	ret = kitt_acl_add(acl);
	if (ret) {
		/* The release frees the name configfs allocated, too. */
		config_item_put(&acl->group.cg_item);
		return ERR_PTR(ret);
	}
	return &acl->group;
}

static void kitt_acls_drop_item(struct config_group *group, struct config_item *item)
{
	kitt_acl_remove(to_kitt_acl(item));
	config_item_put(item);
}

static struct configfs_group_operations kitt_acls_group_ops = {
	.make_group	= kitt_acls_make_group,
	.drop_item	= kitt_acls_drop_item,
};

static const struct config_item_type kitt_acls_type = {
	.ct_group_ops	= &kitt_acls_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* ------------------------------------------------------------------ */
/* discovery/auth/                                                     */
/* ------------------------------------------------------------------ */

static struct config_group kitt_discovery_group;
static struct config_group kitt_discovery_auth_group;

static struct kitt_acl *auth_to_acl(struct config_item *item)
{
	return container_of(to_config_group(item), struct kitt_acl, auth_group);
}

/* Discovery credentials are under kitt_config_lock, an ACL's under tpg->lock. */
static struct kitt_chap_cred *kitt_auth_lock(struct config_item *item)
{
	struct kitt_acl *acl;

	if (item == &kitt_discovery_auth_group.cg_item) {
		mutex_lock(&kitt_config_lock);
		return &kitt_discovery_cred;
	}
	acl = auth_to_acl(item);
	mutex_lock(&acl->tpg->lock);
	return &acl->cred;
}

static void kitt_auth_unlock(struct config_item *item)
{
	if (item == &kitt_discovery_auth_group.cg_item)
		mutex_unlock(&kitt_config_lock);
	else
		mutex_unlock(&auth_to_acl(item)->tpg->lock);
}

static ssize_t kitt_discovery_enforce_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(kitt_discovery_enforce));
}

static ssize_t kitt_discovery_enforce_store(struct config_item *item, const char *page,
					    size_t count)
{
	bool val;

	if (kitt_parse_bool(page, count, &val))
		return -EINVAL;
	mutex_lock(&kitt_config_lock);
	kitt_discovery_enforce = val;
	mutex_unlock(&kitt_config_lock);
	return count;
}

CONFIGFS_ATTR(kitt_discovery_, enforce);

static struct configfs_attribute *kitt_discovery_auth_attrs[] = {
	&kitt_discovery_attr_enforce,
	&kitt_auth_attr_userid,
	&kitt_auth_attr_password,
	&kitt_auth_attr_userid_mutual,
	&kitt_auth_attr_password_mutual,
	NULL,
};

static const struct config_item_type kitt_discovery_auth_type = {
	.ct_attrs	= kitt_discovery_auth_attrs,
	.ct_owner	= THIS_MODULE,
};

static const struct config_item_type kitt_discovery_type = {
	.ct_owner	= THIS_MODULE,
};

/* ------------------------------------------------------------------ */
/* targets/<iqn>/tpgt_<n>/portals/<addr>/                              */
/* ------------------------------------------------------------------ */

static struct kitt_portal *to_kitt_portal(struct config_item *item)
{
	return container_of(to_config_group(item), struct kitt_portal, group);
}

static void kitt_portal_release(struct config_item *item)
{
	kitt_portal_free(to_kitt_portal(item));
}

static struct configfs_item_operations kitt_portal_item_ops = {
	.release	= kitt_portal_release,
};

static const struct config_item_type kitt_portal_type = {
	.ct_item_ops	= &kitt_portal_item_ops,
	.ct_owner	= THIS_MODULE,
};

static struct config_group *kitt_portals_make_group(struct config_group *group,
						    const char *name)
{
	struct kitt_tpg *tpg = container_of(group, struct kitt_tpg, portals_group);
	struct kitt_portal *portal;
	int ret;

	portal = kitt_portal_alloc(tpg, name);
	if (IS_ERR(portal))
		return ERR_CAST(portal);
	ret = kitt_portal_add(portal);
	if (ret) {
		kitt_portal_free(portal);
		return ERR_PTR(ret);
	}
	config_group_init_type_name(&portal->group, name, &kitt_portal_type);
	return &portal->group;
}

static void kitt_portals_drop_item(struct config_group *group, struct config_item *item)
{
	kitt_portal_remove(to_kitt_portal(item));
	config_item_put(item);
}

static struct configfs_group_operations kitt_portals_group_ops = {
	.make_group	= kitt_portals_make_group,
	.drop_item	= kitt_portals_drop_item,
};

static const struct config_item_type kitt_portals_type = {
	.ct_group_ops	= &kitt_portals_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* ------------------------------------------------------------------ */
/* targets/<iqn>/tpgt_<n>/luns/<lun> -> devices/<name>                 */
/* ------------------------------------------------------------------ */

#define KITT_LINK_NAME_TRIES	20

/*
 * configfs does not pass the name of the link being created to
 * allow_link(), but the LUN number is that name. Its dentry exists: a
 * hashed negative dentry in the luns directory, whose inode lock our
 * caller (configfs_symlink()) holds, so no lookup can add another one
 * meanwhile. configfs frees unused negative dentries at once
 * (always_delete_dentry), so the only other negative dentries there are
 * in use by another task right now: a path walk that just missed, or a
 * concurrent symlink() waiting for this directory. With more than one
 * candidate, wait a little for the walk to finish; then give up with
 * -EAGAIN rather than guess.
 */
static int kitt_new_link_name(struct config_item *parent, char *buf, size_t size)
{
	struct dentry *dir = parent->ci_dentry, *child;
	unsigned int tries, found;
	bool too_long = false;

	for (tries = 0; tries < KITT_LINK_NAME_TRIES; tries++) {
		found = 0;
		spin_lock(&dir->d_lock);
		kitt_for_each_child(child, dir) {
			spin_lock_nested(&child->d_lock, DENTRY_D_LOCK_NESTED);
			if (d_really_is_negative(child) && !d_unhashed(child) && !found++) {
				too_long = child->d_name.len >= size;
				if (!too_long)
					strscpy(buf, child->d_name.name, size);
			}
			spin_unlock(&child->d_lock);
		}
		spin_unlock(&dir->d_lock);
		if (found == 1)
			return too_long ? -EINVAL : 0;
		if (!found)
			return -ENOENT;
		usleep_range(5000, 10000);
	}
	return -EAGAIN;
}

static struct kitt_tpg *luns_to_tpg(struct config_item *item)
{
	return container_of(to_config_group(item), struct kitt_tpg, luns_group);
}

static int kitt_luns_allow_link(struct config_item *src, struct config_item *target)
{
	struct kitt_tpg *tpg = luns_to_tpg(src);
	struct kitt_device *dev;
	char name[8];
	u32 nr;
	int ret;

	if (target->ci_type != &kitt_device_type) {
		pr_err("%s tpgt %u: a LUN must link to devices/<name>\n", tpg->target->name,
		       tpg->tpgt);
		return -EINVAL;
	}
	dev = to_kitt_device(target);

	ret = kitt_new_link_name(src, name, sizeof(name));
	if (ret == -EAGAIN) {
		pr_warn("%s tpgt %u: concurrent changes in luns/, try again\n",
			tpg->target->name, tpg->tpgt);
		return ret;
	}
	if (ret || kitt_parse_name_number(name, strlen(name), KITT_MAX_LUNS - 1, &nr)) {
		pr_err("%s tpgt %u: invalid LUN link '%s': name it by the LUN number, 0 to %d\n",
		       tpg->target->name, tpg->tpgt, ret ? "?" : name, KITT_MAX_LUNS - 1);
		return -EINVAL;
	}

	return kitt_lun_map(tpg, nr, dev);
}

static void kitt_luns_drop_link(struct config_item *src, struct config_item *target)
{
	kitt_lun_unmap(luns_to_tpg(src), to_kitt_device(target));
}

static struct configfs_item_operations kitt_luns_item_ops = {
	.allow_link	= kitt_luns_allow_link,
	.drop_link	= kitt_luns_drop_link,
};

static const struct config_item_type kitt_luns_type = {
	.ct_item_ops	= &kitt_luns_item_ops,
	.ct_owner	= THIS_MODULE,
};

/* ------------------------------------------------------------------ */
/* targets/<iqn>/tpgt_<n>/attrib/                                      */
/* ------------------------------------------------------------------ */

static struct kitt_tpg *attrib_to_tpg(struct config_item *item)
{
	return container_of(to_config_group(item), struct kitt_tpg, attrib_group);
}

enum kitt_attrib_id {
	KITT_ATTRIB_GENERATE_NODE_ACLS,
	KITT_ATTRIB_AUTHENTICATION,
	KITT_ATTRIB_CMDSN_DEPTH,
	KITT_ATTRIB_NOPIN_INTERVAL,
	KITT_ATTRIB_NOPIN_TIMEOUT,
	KITT_ATTRIB_LOGIN_TIMEOUT,
	KITT_ATTRIB_SEND_TIMEOUT,
};

static u32 *kitt_attrib_u32(struct kitt_tpg_attrib *a, enum kitt_attrib_id id, u32 *min,
			    u32 *max)
{
	*min = 1;
	*max = KITT_TIMER_MAX;
	switch (id) {
	case KITT_ATTRIB_CMDSN_DEPTH:
		*max = KITT_CMDSN_DEPTH_MAX;
		return &a->cmdsn_depth;
	case KITT_ATTRIB_NOPIN_INTERVAL:
		*min = 0;
		return &a->nopin_interval;
	case KITT_ATTRIB_NOPIN_TIMEOUT:
		return &a->nopin_timeout;
	case KITT_ATTRIB_LOGIN_TIMEOUT:
		return &a->login_timeout;
	case KITT_ATTRIB_SEND_TIMEOUT:
		return &a->send_timeout;
	default:
		return NULL;
	}
}

static bool *kitt_attrib_bool(struct kitt_tpg_attrib *a, enum kitt_attrib_id id)
{
	return id == KITT_ATTRIB_GENERATE_NODE_ACLS ? &a->generate_node_acls :
						      &a->authentication;
}

static ssize_t kitt_attrib_show(struct config_item *item, char *page, enum kitt_attrib_id id)
{
	struct kitt_tpg *tpg = attrib_to_tpg(item);
	u32 min, max, *v = kitt_attrib_u32(&tpg->attrib, id, &min, &max);

	if (v)
		return sysfs_emit(page, "%u\n", READ_ONCE(*v));
	return sysfs_emit(page, "%d\n", READ_ONCE(*kitt_attrib_bool(&tpg->attrib, id)));
}

static ssize_t kitt_attrib_store(struct config_item *item, const char *page, size_t count,
				 enum kitt_attrib_id id)
{
	struct kitt_tpg *tpg = attrib_to_tpg(item);
	u32 min, max, val, *v = kitt_attrib_u32(&tpg->attrib, id, &min, &max);
	bool b;

	if (v ? kitt_parse_u32(page, min, max, &val) : kitt_parse_bool(page, count, &b))
		return -EINVAL;
	mutex_lock(&tpg->lock);
	if (v)
		WRITE_ONCE(*v, val);
	else
		WRITE_ONCE(*kitt_attrib_bool(&tpg->attrib, id), b);
	mutex_unlock(&tpg->lock);
	return count;
}

#define KITT_ATTRIB_ATTR(_name, _id)						\
static const enum kitt_attrib_id kitt_attrib_##_name##_id = _id;		\
static ssize_t kitt_attrib_##_name##_show(struct config_item *item, char *page)	\
{										\
	return kitt_attrib_show(item, page, kitt_attrib_##_name##_id);		\
}										\
static ssize_t kitt_attrib_##_name##_store(struct config_item *item,		\
					   const char *page, size_t count)	\
{										\
	return kitt_attrib_store(item, page, count, kitt_attrib_##_name##_id);	\
}										\
CONFIGFS_ATTR(kitt_attrib_, _name)

KITT_ATTRIB_ATTR(generate_node_acls, KITT_ATTRIB_GENERATE_NODE_ACLS);
KITT_ATTRIB_ATTR(authentication, KITT_ATTRIB_AUTHENTICATION);
KITT_ATTRIB_ATTR(cmdsn_depth, KITT_ATTRIB_CMDSN_DEPTH);
KITT_ATTRIB_ATTR(nopin_interval, KITT_ATTRIB_NOPIN_INTERVAL);
KITT_ATTRIB_ATTR(nopin_timeout, KITT_ATTRIB_NOPIN_TIMEOUT);
KITT_ATTRIB_ATTR(login_timeout, KITT_ATTRIB_LOGIN_TIMEOUT);
KITT_ATTRIB_ATTR(send_timeout, KITT_ATTRIB_SEND_TIMEOUT);

static struct configfs_attribute *kitt_attrib_attrs[] = {
	&kitt_attrib_attr_generate_node_acls,
	&kitt_attrib_attr_authentication,
	&kitt_attrib_attr_cmdsn_depth,
	&kitt_attrib_attr_nopin_interval,
	&kitt_attrib_attr_nopin_timeout,
	&kitt_attrib_attr_login_timeout,
	&kitt_attrib_attr_send_timeout,
	NULL,
};

static const struct config_item_type kitt_attrib_type = {
	.ct_attrs	= kitt_attrib_attrs,
	.ct_owner	= THIS_MODULE,
};

/* ------------------------------------------------------------------ */
/* targets/<iqn>/tpgt_<n>/params/: one file per configurable key      */
/* ------------------------------------------------------------------ */

/*
 * configfs passes show() and store() no attribute, so each file gets a
 * thin pair of wrappers naming its slot; kitt_params_attrs_init() gives
 * the slots, in order, to the keys params.c calls configurable.
 */
#define KITT_PARAM_SLOTS	24

static enum kitt_key kitt_param_slot_key[KITT_PARAM_SLOTS];
static struct kitt_tpg *params_to_tpg(struct config_item *item)
{
	return container_of(to_config_group(item), struct kitt_tpg, params_group);
}

static ssize_t kitt_param_show(struct config_item *item, char *page, unsigned int slot)
{
	struct kitt_tpg *tpg = params_to_tpg(item);
	ssize_t ret;

	mutex_lock(&tpg->lock);
	ret = kitt_params_offer_show(&tpg->params, kitt_param_slot_key[slot], page);
	mutex_unlock(&tpg->lock);
	return ret;
}

static ssize_t kitt_param_store(struct config_item *item, const char *page, size_t count,
				unsigned int slot)
{
	struct kitt_tpg *tpg = params_to_tpg(item);
	int ret;

	mutex_lock(&tpg->lock);
	ret = kitt_params_offer_store(&tpg->params, kitt_param_slot_key[slot], page, count);
	mutex_unlock(&tpg->lock);
	return ret ?: count;
}

#define KITT_PARAM_OPS(n)							\
static const unsigned int kitt_param_slot_##n = n;				\
static ssize_t kitt_param_show_##n(struct config_item *item, char *page)	\
{										\
	return kitt_param_show(item, page, kitt_param_slot_##n);		\
}										\
static ssize_t kitt_param_store_##n(struct config_item *item, const char *page,	\
				    size_t count)				\
{										\
	return kitt_param_store(item, page, count, kitt_param_slot_##n);	\
}

KITT_PARAM_OPS(0) KITT_PARAM_OPS(1) KITT_PARAM_OPS(2) KITT_PARAM_OPS(3)
KITT_PARAM_OPS(4) KITT_PARAM_OPS(5) KITT_PARAM_OPS(6) KITT_PARAM_OPS(7)
KITT_PARAM_OPS(8) KITT_PARAM_OPS(9) KITT_PARAM_OPS(10) KITT_PARAM_OPS(11)
KITT_PARAM_OPS(12) KITT_PARAM_OPS(13) KITT_PARAM_OPS(14) KITT_PARAM_OPS(15)
KITT_PARAM_OPS(16) KITT_PARAM_OPS(17) KITT_PARAM_OPS(18) KITT_PARAM_OPS(19)
KITT_PARAM_OPS(20) KITT_PARAM_OPS(21) KITT_PARAM_OPS(22) KITT_PARAM_OPS(23)

#define KITT_PARAM_OP(n)	{ kitt_param_show_##n, kitt_param_store_##n }

static const struct {
	ssize_t (*show)(struct config_item *item, char *page);
	ssize_t (*store)(struct config_item *item, const char *page, size_t count);
} kitt_param_ops[KITT_PARAM_SLOTS] = {
	KITT_PARAM_OP(0), KITT_PARAM_OP(1), KITT_PARAM_OP(2), KITT_PARAM_OP(3),
	KITT_PARAM_OP(4), KITT_PARAM_OP(5), KITT_PARAM_OP(6), KITT_PARAM_OP(7),
	KITT_PARAM_OP(8), KITT_PARAM_OP(9), KITT_PARAM_OP(10), KITT_PARAM_OP(11),
	KITT_PARAM_OP(12), KITT_PARAM_OP(13), KITT_PARAM_OP(14), KITT_PARAM_OP(15),
	KITT_PARAM_OP(16), KITT_PARAM_OP(17), KITT_PARAM_OP(18), KITT_PARAM_OP(19),
	KITT_PARAM_OP(20), KITT_PARAM_OP(21), KITT_PARAM_OP(22), KITT_PARAM_OP(23),
};

static struct configfs_attribute kitt_param_attrs[KITT_PARAM_SLOTS];
static struct configfs_attribute *kitt_param_attr_ptrs[KITT_PARAM_SLOTS + 1];

static struct config_item_type kitt_params_type = {
	.ct_attrs	= kitt_param_attr_ptrs,
	.ct_owner	= THIS_MODULE,
};

static void kitt_params_attrs_init(void)
{
	unsigned int n = 0;
	enum kitt_key key;

	for (key = 0; key < KITT_NR_KEYS; key++) {
		struct configfs_attribute *attr = &kitt_param_attrs[n];

		if (!kitt_params_key_configurable(key))
			continue;
		if (WARN_ONCE(n == KITT_PARAM_SLOTS, "kitt: params/ has no room for %s\n",
			      kitt_params_key_name(key)))
			break;
		kitt_param_slot_key[n] = key;
		attr->ca_name = kitt_params_key_name(key);
		attr->ca_owner = THIS_MODULE;
		attr->ca_mode = 0644;
		attr->show = kitt_param_ops[n].show;
		attr->store = kitt_param_ops[n].store;
		kitt_param_attr_ptrs[n++] = attr;
	}
	kitt_param_attr_ptrs[n] = NULL;
}

/* ------------------------------------------------------------------ */
/* targets/<iqn>/tpgt_<n>/alua/                                        */
/* ------------------------------------------------------------------ */

static struct kitt_tpg *alua_to_tpg(struct config_item *item)
{
	return container_of(to_config_group(item), struct kitt_tpg, alua_group);
}

static ssize_t kitt_alua_access_state_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%s\n",
			  kitt_alua_state_name(READ_ONCE(alua_to_tpg(item)->alua.state)));
}

static ssize_t kitt_alua_access_state_store(struct config_item *item, const char *page,
					    size_t count)
{
	u8 state;
	int ret;

	if (kitt_alua_parse_state(page, &state))
		return -EINVAL;
	ret = kitt_tpg_set_alua_state(alua_to_tpg(item), state);
	return ret ?: count;
}

/* preferred, explicit: flags of the group, read at each command */
static ssize_t kitt_alua_flag_store(struct config_item *item, const char *page,
				    size_t count, bool *flag)
{
	struct kitt_tpg *tpg = alua_to_tpg(item);
	bool val;

	if (kitt_parse_bool(page, count, &val))
		return -EINVAL;
	mutex_lock(&tpg->lock);
	WRITE_ONCE(*flag, val);
	mutex_unlock(&tpg->lock);
	return count;
}

static ssize_t kitt_alua_preferred_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(alua_to_tpg(item)->alua.pref));
}

static ssize_t kitt_alua_preferred_store(struct config_item *item, const char *page,
					 size_t count)
{
	return kitt_alua_flag_store(item, page, count, &alua_to_tpg(item)->alua.pref);
}

static ssize_t kitt_alua_explicit_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(alua_to_tpg(item)->alua.explicit));
}

static ssize_t kitt_alua_explicit_store(struct config_item *item, const char *page,
					size_t count)
{
	return kitt_alua_flag_store(item, page, count, &alua_to_tpg(item)->alua.explicit);
}

static ssize_t kitt_alua_group_id_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%u\n", alua_to_tpg(item)->tpgt);
}

CONFIGFS_ATTR(kitt_alua_, access_state);
CONFIGFS_ATTR(kitt_alua_, preferred);
CONFIGFS_ATTR(kitt_alua_, explicit);
CONFIGFS_ATTR_RO(kitt_alua_, group_id);

static struct configfs_attribute *kitt_alua_attrs[] = {
	&kitt_alua_attr_access_state,
	&kitt_alua_attr_preferred,
	&kitt_alua_attr_explicit,
	&kitt_alua_attr_group_id,
	NULL,
};

static const struct config_item_type kitt_alua_type = {
	.ct_attrs	= kitt_alua_attrs,
	.ct_owner	= THIS_MODULE,
};

/* ------------------------------------------------------------------ */
/* targets/<iqn>/tpgt_<n>/                                             */
/* ------------------------------------------------------------------ */

static struct kitt_tpg *to_kitt_tpg(struct config_item *item)
{
	return container_of(to_config_group(item), struct kitt_tpg, group);
}

static ssize_t kitt_tpg_enable_show(struct config_item *item, char *page)
{
	return sysfs_emit(page, "%d\n", READ_ONCE(to_kitt_tpg(item)->enabled));
}

static ssize_t kitt_tpg_enable_store(struct config_item *item, const char *page, size_t count)
{
	bool val;

	if (kitt_parse_bool(page, count, &val))
		return -EINVAL;
	kitt_tpg_enable(to_kitt_tpg(item), val);
	return count;
}

CONFIGFS_ATTR(kitt_tpg_, enable);

static struct configfs_attribute *kitt_tpg_attrs[] = {
	&kitt_tpg_attr_enable,
	NULL,
};

static void kitt_tpg_release(struct config_item *item)
{
	kitt_tpg_free(to_kitt_tpg(item));
}

static struct configfs_item_operations kitt_tpg_item_ops = {
	.release	= kitt_tpg_release,
};

static const struct config_item_type kitt_tpg_type = {
	.ct_item_ops	= &kitt_tpg_item_ops,
	.ct_attrs	= kitt_tpg_attrs,
	.ct_owner	= THIS_MODULE,
};

static struct kitt_target *to_kitt_target(struct config_item *item)
{
	return container_of(to_config_group(item), struct kitt_target, group);
}

static struct config_group *kitt_target_make_group(struct config_group *group,
						   const char *name)
{
	struct kitt_target *target = to_kitt_target(&group->cg_item);
	struct kitt_tpg *tpg;
	u32 tag;
	int ret;

	if (strncmp(name, "tpgt_", 5) ||
	    kitt_parse_name_number(name + 5, strlen(name + 5), U16_MAX, &tag) || !tag) {
		pr_err("%s: invalid portal group '%s' (want tpgt_<1..65535>)\n", target->name,
		       name);
		return ERR_PTR(-EINVAL);
	}

	tpg = kitt_tpg_alloc(target, tag);
	if (!tpg)
		return ERR_PTR(-ENOMEM);
	config_group_init_type_name(&tpg->group, name, &kitt_tpg_type);
	config_group_init_type_name(&tpg->portals_group, "portals", &kitt_portals_type);
	configfs_add_default_group(&tpg->portals_group, &tpg->group);
	config_group_init_type_name(&tpg->luns_group, "luns", &kitt_luns_type);
	configfs_add_default_group(&tpg->luns_group, &tpg->group);
	config_group_init_type_name(&tpg->acls_group, "acls", &kitt_acls_type);
	configfs_add_default_group(&tpg->acls_group, &tpg->group);
	config_group_init_type_name(&tpg->attrib_group, "attrib", &kitt_attrib_type);
	configfs_add_default_group(&tpg->attrib_group, &tpg->group);
	config_group_init_type_name(&tpg->params_group, "params", &kitt_params_type);
	configfs_add_default_group(&tpg->params_group, &tpg->group);
	config_group_init_type_name(&tpg->alua_group, "alua", &kitt_alua_type);
	configfs_add_default_group(&tpg->alua_group, &tpg->group);

	ret = kitt_tpg_add(tpg);
	if (ret) {
		config_item_put(&tpg->group.cg_item);
		return ERR_PTR(ret);
	}
	return &tpg->group;
}

static void kitt_target_drop_item(struct config_group *group, struct config_item *item)
{
	/* Portals, LUNs and ACLs are gone: configfs removes empty groups only. */
	kitt_tpg_remove(to_kitt_tpg(item));
	config_item_put(item);
}

static void kitt_target_release(struct config_item *item)
{
	kfree(to_kitt_target(item));
}

static struct configfs_item_operations kitt_target_item_ops = {
	.release	= kitt_target_release,
};

static struct configfs_group_operations kitt_target_group_ops = {
	.make_group	= kitt_target_make_group,
	.drop_item	= kitt_target_drop_item,
};

static const struct config_item_type kitt_target_type = {
	.ct_item_ops	= &kitt_target_item_ops,
	.ct_group_ops	= &kitt_target_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* ------------------------------------------------------------------ */
/* targets/                                                            */
/* ------------------------------------------------------------------ */

static struct config_group *kitt_targets_make_group(struct config_group *group,
						    const char *name)
{
	struct kitt_target *target;
	int ret;

	if (!kitt_valid_iscsi_name(name)) {
		pr_err("targets: invalid target name '%s' (want iqn.yyyy-mm.domain[:id], eui.<16 hex> or naa.<16 or 32 hex>)\n",
		       name);
		return ERR_PTR(-EINVAL);
	}
	target = kitt_target_alloc(name);
	if (!target)
		return ERR_PTR(-ENOMEM);
	config_group_init_type_name(&target->group, name, &kitt_target_type);
	ret = kitt_target_add(target);
	if (ret) {
		/*
		 * Not kfree(): a name of CONFIGFS_ITEM_NAME_LEN bytes or more
		 * (most IQNs) was allocated, and the release frees it.
		 */
		config_item_put(&target->group.cg_item);
		return ERR_PTR(ret);
	}
	return &target->group;
}

static void kitt_targets_drop_item(struct config_group *group, struct config_item *item)
{
	kitt_target_remove(to_kitt_target(item));
	config_item_put(item);
}

static struct configfs_group_operations kitt_targets_group_ops = {
	.make_group	= kitt_targets_make_group,
	.drop_item	= kitt_targets_drop_item,
};

static const struct config_item_type kitt_targets_type = {
	.ct_group_ops	= &kitt_targets_group_ops,
	.ct_owner	= THIS_MODULE,
};

/* ------------------------------------------------------------------ */
/* The subsystem                                                       */
/* ------------------------------------------------------------------ */

static struct config_group kitt_devices_group;
static struct config_group kitt_targets_group;

static const struct config_item_type kitt_root_type = {
	.ct_owner	= THIS_MODULE,
};

static struct configfs_subsystem kitt_subsys = {
	.su_group = {
		.cg_item = {
			.ci_namebuf	= "kitt",
			.ci_type	= &kitt_root_type,
		},
	},
};

/**
 * kitt_configfs_init() - register /sys/kernel/config/kitt
 *
 * Return: 0 or a negative errno.
 */
int kitt_configfs_init(void)
{
	int ret;

	kitt_params_attrs_init();
	config_group_init(&kitt_subsys.su_group);
	mutex_init(&kitt_subsys.su_mutex);

	config_group_init_type_name(&kitt_devices_group, "devices", &kitt_devices_type);
	configfs_add_default_group(&kitt_devices_group, &kitt_subsys.su_group);
	config_group_init_type_name(&kitt_targets_group, "targets", &kitt_targets_type);
	configfs_add_default_group(&kitt_targets_group, &kitt_subsys.su_group);
	config_group_init_type_name(&kitt_discovery_group, "discovery", &kitt_discovery_type);
	configfs_add_default_group(&kitt_discovery_group, &kitt_subsys.su_group);
	config_group_init_type_name(&kitt_discovery_auth_group, "auth",
				    &kitt_discovery_auth_type);
	configfs_add_default_group(&kitt_discovery_auth_group, &kitt_discovery_group);

	ret = configfs_register_subsystem(&kitt_subsys);
	if (ret)
		pr_err("cannot register the configfs subsystem: %d\n", ret);
	return ret;
}

/**
 * kitt_configfs_exit() - unregister /sys/kernel/config/kitt
 *
 * The tree is empty: every directory an administrator made holds a
 * reference on the module.
 */
void kitt_configfs_exit(void)
{
	configfs_unregister_subsystem(&kitt_subsys);
	memzero_explicit(&kitt_discovery_cred, sizeof(kitt_discovery_cred));
}
