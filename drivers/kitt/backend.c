// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: the backing store of a device, behind struct kitt_backend_ops.
 *
 * A device's path names a block device (bdev.c: bios) or a regular file
 * (file.c: the VFS); this file picks the backend when the device is
 * enabled and passes I/O on to it. It also keeps the device's range lock:
 * every write registers the blocks it has in flight, and a read-modify-
 * write (COMPARE AND WRITE, ORWRITE) excludes the writes that overlap it,
 * in both directions, so that nothing lands between its read and its
 * write. Writes that do not overlap a read-modify-write never wait.
 *
 * Nothing here calls above the backend: completions go through the
 * end_io of each struct kitt_dev_io.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/slab.h>

#include "kitt.h"

/**
 * kitt_backend_dev_init() - set up a new device's backend state
 * @dev: the device
 */
void kitt_backend_dev_init(struct kitt_device *dev)
{
	spin_lock_init(&dev->range_lock);
	INIT_LIST_HEAD(&dev->ranges);
	init_waitqueue_head(&dev->range_wait);
}

/**
 * kitt_backend_open() - open a device's path with the backend it needs
 * @dev: the device, with @dev->path set
 *
 * Context: @dev->lock held.
 * Return: 0, -ENOTBLK when the path is neither a block device nor a
 * regular file, or the backend's error.
 */
int kitt_backend_open(struct kitt_device *dev)
{
	const struct kitt_backend_ops *ops;
	struct path path;
	umode_t mode;
	int ret;

	lockdep_assert_held(&dev->lock);
	ret = kern_path(dev->path, LOOKUP_FOLLOW, &path);
	if (ret) {
		pr_err("device %s: cannot find %s: %d\n", dev->name, dev->path, ret);
		return ret;
	}
	mode = d_inode(path.dentry)->i_mode;
	path_put(&path);
	if (S_ISBLK(mode)) {
		ops = &kitt_bdev_ops;
	} else if (S_ISREG(mode)) {
		ops = &kitt_file_ops;
	} else {
		pr_err("device %s: %s is neither a block device nor a regular file\n",
		       dev->name, dev->path);
		return -ENOTBLK;
	}
	ret = ops->open(dev);
	if (ret)
		return ret;
	dev->ops = ops;
	return 0;
}

/**
 * kitt_backend_close() - close a device's backing store
 * @dev: an open device, no longer exported
 *
 * Context: @dev->lock held.
 */
void kitt_backend_close(struct kitt_device *dev)
{
	lockdep_assert_held(&dev->lock);
	if (WARN_ON_ONCE(!dev->ops))
		return;
	WARN_ON_ONCE(!list_empty(&dev->ranges));
	dev->ops->close(dev);
	dev->ops = NULL;
	dev->priv = NULL;
	dev->nr_blocks = 0;
	kitt_dbg(KITT_DBG_BDEV, "device %s: %s closed\n", dev->name, dev->path);
}

/* Does @r collide with a range in dev->ranges? A write only with an RMW. */
static bool kitt_range_conflict(struct kitt_device *dev, const struct kitt_range *r)
{
	struct kitt_range *o;

	lockdep_assert_held(&dev->range_lock);
	if (!r->rmw && !dev->rmw_ranges)
		return false;
	list_for_each_entry(o, &dev->ranges, node) {
		if (!r->rmw && !o->rmw)
			continue;
		if (o->lba < r->lba + r->nr && r->lba < o->lba + o->nr)
			return true;
	}
	return false;
}

static bool kitt_range_try(struct kitt_device *dev, struct kitt_range *r)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&dev->range_lock, flags);
	ok = !kitt_range_conflict(dev, r);
	if (ok) {
		list_add_tail(&r->node, &dev->ranges);
		if (r->rmw)
			dev->rmw_ranges++;
	}
	spin_unlock_irqrestore(&dev->range_lock, flags);
	return ok;
}

/**
 * kitt_range_lock() - register blocks about to be written
 * @dev: the device
 * @r: the range, owned by the caller until kitt_range_unlock()
 * @lba: first block
 * @nr: blocks
 * @rmw: a read-modify-write, which excludes every overlapping write; a
 *	plain write only waits for an overlapping read-modify-write
 *
 * Context: may sleep (only while an overlapping range is in flight).
 */
void kitt_range_lock(struct kitt_device *dev, struct kitt_range *r, u64 lba, u64 nr, bool rmw)
{
	r->lba = lba;
	r->nr = nr;
	r->rmw = rmw;
	INIT_LIST_HEAD(&r->node);
	wait_event(dev->range_wait, kitt_range_try(dev, r));
}

/**
 * kitt_range_unlock() - the blocks of @r are written
 * @dev: the device
 * @r: a range from kitt_range_lock()
 *
 * Context: any (bio completion included).
 */
void kitt_range_unlock(struct kitt_device *dev, struct kitt_range *r)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->range_lock, flags);
	list_del_init(&r->node);
	if (r->rmw)
		dev->rmw_ranges--;
	spin_unlock_irqrestore(&dev->range_lock, flags);
	if (wq_has_sleeper(&dev->range_wait))
		wake_up_all(&dev->range_wait);
}

/* A write is done: let go of its range, then tell the submitter. */
static void kitt_backend_write_done(struct kitt_dev_io *io, int error)
{
	kitt_range_unlock(io->dev, &io->range);
	io->end_io = io->done;
	io->done(io, error);
}

/**
 * kitt_backend_submit() - start an asynchronous read, write or flush
 * @io: filled in by the caller; @io->end_io is called when it is done
 *
 * A write first registers its blocks (kitt_range_lock()), so it may
 * wait here for a read-modify-write that overlaps it.
 */
void kitt_backend_submit(struct kitt_dev_io *io)
{
	struct kitt_device *dev = io->dev;

	atomic_set(&io->pending, 0);
	io->error = 0;
	if (io->op == KITT_IO_WRITE) {
		kitt_range_lock(dev, &io->range, io->lba, io->len >> dev->block_shift, false);
		io->done = io->end_io;
		io->end_io = kitt_backend_write_done;
	}
	dev->ops->submit(io);
}

/**
 * kitt_backend_rw_sync() - read or write a page array and wait
 * @dev: the device
 * @op: KITT_IO_READ or KITT_IO_WRITE
 * @fua: the write reaches stable storage before this returns
 * @lba: first block
 * @pages: the buffer
 * @len: bytes (whole blocks)
 *
 * Writes take no range here: callers that write register the range
 * themselves, for the whole command.
 *
 * Return: 0 or a negative errno.
 */
int kitt_backend_rw_sync(struct kitt_device *dev, enum kitt_io_op op, bool fua, u64 lba,
			 struct page **pages, u32 len)
{
	return dev->ops->rw_sync(dev, op, fua, lba, pages, len);
}

/**
 * kitt_backend_discard() - unmap blocks (thin provisioning)
 * @dev: the device, dev->discard set
 * @lba: first block
 * @nr: blocks
 *
 * Return: 0 or a negative errno.
 */
int kitt_backend_discard(struct kitt_device *dev, u64 lba, u64 nr)
{
	return dev->ops->discard(dev, lba, nr);
}

/**
 * kitt_backend_zeroout() - make blocks read as zeroes
 * @dev: the device
 * @lba: first block
 * @nr: blocks
 *
 * Return: 0 or a negative errno.
 */
int kitt_backend_zeroout(struct kitt_device *dev, u64 lba, u64 nr)
{
	return dev->ops->zeroout(dev, lba, nr);
}

/**
 * kitt_backend_map_status() - is the extent at @lba allocated?
 * @dev: the device
 * @lba: first block (below dev->nr_blocks)
 * @nr: out: the extent's length in blocks, at least 1, within the device
 * @mapped: out: it holds data (or the backend cannot tell)
 *
 * Return: 0, or a negative errno from the backend.
 */
int kitt_backend_map_status(struct kitt_device *dev, u64 lba, u64 *nr, bool *mapped)
{
	int ret;

	*nr = dev->nr_blocks - lba;
	*mapped = true;
	if (!dev->ops->map_status)
		return 0;
	ret = dev->ops->map_status(dev, lba, nr, mapped);
	*nr = clamp_t(u64, *nr, 1, dev->nr_blocks - lba);
	return ret;
}

/**
 * kitt_backend_init() - set up what the backends share
 *
 * Return: 0 or -ENOMEM.
 */
int kitt_backend_init(void)
{
	/* File I/O runs here: it sleeps, and must not block a receive thread. */
	kitt_file_wq = alloc_workqueue("kitt_file", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	return kitt_file_wq ? 0 : -ENOMEM;
}

/**
 * kitt_backend_exit() - undo kitt_backend_init()
 */
void kitt_backend_exit(void)
{
	destroy_workqueue(kitt_file_wq);
}

/**
 * kitt_backend_capacity_changed() - take the backing store's size anew
 * @dev: an enabled device
 *
 * Cheap enough for every command: a block device's or a file's size is a
 * field to read. A change is logged (a shrink as a warning: blocks past
 * the new end are gone for the initiators, and commands there now get
 * LBA OUT OF RANGE) and reported once, to the caller that saw it first.
 *
 * Return: true when dev->nr_blocks changed.
 */
bool kitt_backend_capacity_changed(struct kitt_device *dev)
{
	u64 old = READ_ONCE(dev->nr_blocks), now = dev->ops->capacity(dev);

	if (likely(now == old) || !now)
		return false;
	if (cmpxchg64(&dev->nr_blocks, old, now) != old)
		return false;
	if (now < old)
		pr_warn("device %s: %s shrank from %llu to %llu blocks\n", dev->name, dev->path,
			old, now);
	else
		pr_info("device %s: %s grew from %llu to %llu blocks\n", dev->name, dev->path,
			old, now);
	return true;
}

/**
 * kitt_backend_can_resize() - may @dev be resized to @bytes?
 * @dev: an enabled device
 * @bytes: the new size
 *
 * Return: 0, or -EINVAL (logged) for a size that is not a positive number
 * of whole blocks, or a backend that cannot resize (a block device is
 * resized by its owner, then rescanned).
 */
int kitt_backend_can_resize(struct kitt_device *dev, u64 bytes)
{
	if (!bytes || bytes & ((1ULL << dev->block_shift) - 1)) {
		pr_err("device %s: size %llu is not a positive number of %u-byte blocks\n",
		       dev->name, bytes, 1U << dev->block_shift);
		return -EINVAL;
	}
	if (!dev->ops->set_capacity) {
		pr_err("device %s: kitt cannot resize a %s device: resize %s, then write 1 to rescan\n",
		       dev->name, dev->ops->name, dev->path);
		return -EINVAL;
	}
	return 0;
}

/**
 * kitt_backend_set_capacity() - resize the backing store
 * @dev: an enabled device
 * @bytes: the new size, which kitt_backend_can_resize() accepted
 *
 * Return: 0 or the backend's error.
 */
int kitt_backend_set_capacity(struct kitt_device *dev, u64 bytes)
{
	return dev->ops->set_capacity(dev, bytes);
}
