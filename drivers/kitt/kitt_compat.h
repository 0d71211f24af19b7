/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt: differences between the kernels kitt supports (6.1 and 6.12),
 * each behind one small wrapper chosen by LINUX_VERSION_CODE.
 *
 * checkpatch exception: this header exists to compare kernel versions, so
 * its LINUX_VERSION_CODE and CONSTANT_COMPARISON warnings are expected
 * (scripts/check.sh ignores those two types for this file only).
 */
#ifndef KITT_COMPAT_H
#define KITT_COMPAT_H

#include <linux/version.h>
#include <linux/blkdev.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <linux/bvec.h>
#include <linux/file.h>

/* get_unaligned_be16() and friends moved to <linux/unaligned.h> in 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * A tracepoint's string field: __assign_str() takes only the field from
 * 6.10 on (the source is the one __string() named).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define kitt_assign_str(field, src)	__assign_str(field)
#else
#define kitt_assign_str(field, src)	__assign_str(field, src)
#endif

/**
 * struct kitt_bdev_handle - an exclusively opened block device.
 * @bdev: the block device
 * @file: the open file on 6.9 and later
 * @mode: the open mode on older kernels
 */
struct kitt_bdev_handle {
	struct block_device *bdev;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	struct file *file;
#else
	fmode_t mode;
#endif
};

/*
 * Open @path exclusively with @holder; read-only when @read_only.
 * Returns 0 and fills @h, or a negative errno.
 */
static inline int kitt_compat_bdev_open(struct kitt_bdev_handle *h,
					const char *path, bool read_only,
					void *holder)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	blk_mode_t mode = BLK_OPEN_READ | (read_only ? 0 : BLK_OPEN_WRITE);
	struct file *file;

	file = bdev_file_open_by_path(path, mode, holder, NULL);
	if (IS_ERR(file))
		return PTR_ERR(file);
	h->file = file;
	h->bdev = file_bdev(file);
#else
	fmode_t mode = FMODE_READ | FMODE_EXCL | (read_only ? 0 : FMODE_WRITE);
	struct block_device *bdev;

	bdev = blkdev_get_by_path(path, mode, holder);
	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	h->bdev = bdev;
	h->mode = mode;
#endif
	return 0;
}

static inline void kitt_compat_bdev_close(struct kitt_bdev_handle *h)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
	fput(h->file);
#else
	blkdev_put(h->bdev, h->mode);
#endif
	h->bdev = NULL;
}

/*
 * Send the @nr pages of @bv, @len bytes in all, without copying: TCP takes
 * a reference on each page and may retransmit from it later, so they must
 * be real pages (never slab memory) and must not be rewritten while TCP
 * holds them. Kernels with MSG_SPLICE_PAGES take them in one sendmsg;
 * older ones take a sendpage per page.
 *
 * Returns 0 or a negative errno.
 */
static inline int kitt_compat_send_pages(struct socket *sock, const struct bio_vec *bv,
					 unsigned int nr, size_t len, int flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	struct msghdr msg = { .msg_flags = flags | MSG_SPLICE_PAGES };
	int ret;

	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bv, nr, len);
	while (msg_data_left(&msg)) {
		ret = sock_sendmsg(sock, &msg);
		if (ret <= 0)
			return ret ? ret : -EIO;
	}
	return 0;
#else
	unsigned int i;
	int ret;

	for (i = 0; i < nr; i++) {
		size_t off = bv[i].bv_offset, left = bv[i].bv_len;

		while (left) {
			ret = kernel_sendpage(sock, bv[i].bv_page, off, left,
					      i + 1 < nr ? flags | MSG_MORE : flags);
			if (ret <= 0)
				return ret ? ret : -EIO;
			off += ret;
			left -= ret;
		}
	}
	return 0;
#endif
}

/* The children of a directory dentry; the list changed in 6.8. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define kitt_for_each_child(child, dir) \
	hlist_for_each_entry(child, &(dir)->d_children, d_sib)
#else
#define kitt_for_each_child(child, dir) \
	list_for_each_entry(child, &(dir)->d_subdirs, d_child)
#endif

#endif /* KITT_COMPAT_H */
