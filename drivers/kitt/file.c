// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: file backend (struct kitt_backend_ops for regular files).
 *
 * A device whose path names a regular file serves it as a disk of
 * 512-byte blocks (the file system's block device's logical block size
 * with direct_io, which O_DIRECT needs), as many as fit in the file's size
 * when it is enabled. I/O goes through the VFS: through the page cache,
 * or with O_DIRECT when the device's direct_io is set. A write with FUA
 * is written with RWF_DSYNC, a cache flush is an fsync, and discard
 * punches holes. Asynchronous requests run on a workqueue, so a receive
 * thread never waits for the file system.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/bvec.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "kitt.h"

/* Pages one VFS call takes. */
#define KITT_FILE_VECS	64

struct workqueue_struct *kitt_file_wq;

static struct file *kitt_file(struct kitt_device *dev)
{
	return dev->priv;
}

/* The logical block size: what O_DIRECT on this file system needs, at least 512. */
static unsigned int kitt_file_block_size(struct kitt_device *dev, struct file *filp)
{
	struct super_block *sb = file_inode(filp)->i_sb;

	if (!dev->direct || !sb->s_bdev)
		return KITT_MIN_BLOCK_SIZE;
	return max_t(unsigned int, bdev_logical_block_size(sb->s_bdev), KITT_MIN_BLOCK_SIZE);
}

static int kitt_file_open(struct kitt_device *dev)
{
	int flags = O_LARGEFILE | (dev->read_only ? O_RDONLY : O_RDWR) |
		    (dev->direct ? O_DIRECT : 0);
	unsigned int bs;
	struct file *filp;
	u64 nr_blocks;
	int ret;

	lockdep_assert_held(&dev->lock);
	filp = filp_open(dev->path, flags, 0);
	if (IS_ERR(filp)) {
		ret = PTR_ERR(filp);
		pr_err("device %s: cannot open %s: %d%s\n", dev->name, dev->path, ret,
		       ret == -EINVAL && dev->direct ? " (no O_DIRECT there: set direct_io to 0)" :
		       "");
		return ret;
	}
	bs = kitt_file_block_size(dev, filp);
	if (bs > KITT_MAX_BLOCK_SIZE || !is_power_of_2(bs)) {
		pr_err("device %s: %s needs an unsupported block size %u\n", dev->name,
		       dev->path, bs);
		ret = -EINVAL;
		goto out_close;
	}
	nr_blocks = i_size_read(file_inode(filp)) >> ilog2(bs);
	if (!nr_blocks) {
		pr_err("device %s: %s is smaller than one block\n", dev->name, dev->path);
		ret = -EINVAL;
		goto out_close;
	}
	dev->priv = filp;
	dev->discard = filp->f_op->fallocate && !dev->read_only;
	dev->block_shift = ilog2(bs);
	dev->phys_block_shift = ilog2(bs);
	dev->nr_blocks = nr_blocks;
	pr_info("device %s: file %s opened %s%s, %llu blocks of %u bytes\n", dev->name,
		dev->path, dev->read_only ? "read-only" : "read-write",
		dev->direct ? ", direct I/O" : "", nr_blocks, bs);
	return 0;

out_close:
	filp_close(filp, NULL);
	return ret;
}

static void kitt_file_close(struct kitt_device *dev)
{
	filp_close(kitt_file(dev), NULL);
}

static int kitt_file_rw_sync(struct kitt_device *dev, enum kitt_io_op op, bool fua, u64 lba,
			     struct page **pages, u32 len)
{
	struct file *filp = kitt_file(dev);
	loff_t pos = lba << dev->block_shift;
	struct bio_vec bv[KITT_FILE_VECS];
	unsigned int pg = 0, nr;
	struct iov_iter iter;
	ssize_t ret = 0;

	if (op == KITT_IO_FLUSH)
		return vfs_fsync(filp, 0);
	while (len) {
		u32 n = 0;

		for (nr = 0; nr < ARRAY_SIZE(bv) && n < len; nr++) {
			u32 chunk = min_t(u32, len - n, PAGE_SIZE);

			bvec_set_page(&bv[nr], pages[pg++], chunk, 0);
			n += chunk;
		}
		if (op == KITT_IO_WRITE) {
			iov_iter_bvec(&iter, ITER_SOURCE, bv, nr, n);
			file_start_write(filp);
			ret = vfs_iter_write(filp, &iter, &pos, fua ? RWF_DSYNC : 0);
			file_end_write(filp);
		} else {
			iov_iter_bvec(&iter, ITER_DEST, bv, nr, n);
			ret = vfs_iter_read(filp, &iter, &pos, 0);
		}
		if (ret < 0)
			return ret;
		/* The file shrank under us, or the file system is full. */
		if (ret != n)
			return op == KITT_IO_WRITE ? -ENOSPC : -EIO;
		len -= n;
	}
	return 0;
}

static void kitt_file_work(struct work_struct *work)
{
	struct kitt_dev_io *io = container_of(work, struct kitt_dev_io, work);
	unsigned int noio = memalloc_noio_save();
	int ret;

	ret = kitt_file_rw_sync(io->dev, io->op, io->fua, io->lba, io->pages, io->len);
	memalloc_noio_restore(noio);
	io->end_io(io, ret);
}

static void kitt_file_submit(struct kitt_dev_io *io)
{
	INIT_WORK(&io->work, kitt_file_work);
	queue_work(kitt_file_wq, &io->work);
}

static int kitt_file_discard(struct kitt_device *dev, u64 lba, u64 nr)
{
	int ret;

	ret = vfs_fallocate(kitt_file(dev), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			    lba << dev->block_shift, nr << dev->block_shift);
	return ret == -EOPNOTSUPP ? 0 : ret;
}

static int kitt_file_zeroout(struct kitt_device *dev, u64 lba, u64 nr)
{
	loff_t pos = lba << dev->block_shift, len = nr << dev->block_shift;
	struct page *zero[KITT_FILE_VECS];
	unsigned int i;
	int ret;

	ret = vfs_fallocate(kitt_file(dev), FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, pos, len);
	if (ret != -EOPNOTSUPP)
		return ret;
	ret = vfs_fallocate(kitt_file(dev), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, pos, len);
	if (ret != -EOPNOTSUPP)
		return ret;
	/* Neither: write zeroes. */
	for (i = 0; i < ARRAY_SIZE(zero); i++)
		zero[i] = ZERO_PAGE(0);
	while (nr && !ret) {
		u64 n = min_t(u64, nr, (KITT_FILE_VECS * PAGE_SIZE) >> dev->block_shift);

		ret = kitt_file_rw_sync(dev, KITT_IO_WRITE, false, lba, zero,
					n << dev->block_shift);
		lba += n;
		nr -= n;
	}
	return ret;
}

/*
 * SEEK_DATA and SEEK_HOLE tell holes from data. A block is deallocated
 * only when all of it lies in a hole; a block that holds any data is
 * mapped.
 */
static int kitt_file_map_status(struct kitt_device *dev, u64 lba, u64 *nr, bool *mapped)
{
	struct file *filp = kitt_file(dev);
	unsigned int shift = dev->block_shift;
	loff_t pos = lba << shift, data, hole;

	data = vfs_llseek(filp, pos, SEEK_DATA);
	if (data == -ENXIO) {			/* a hole up to the end */
		*mapped = false;
		return 0;
	}
	if (data < 0)
		return data;
	if ((data - pos) >> shift) {		/* whole blocks of hole first */
		*nr = (data - pos) >> shift;
		*mapped = false;
		return 0;
	}
	hole = vfs_llseek(filp, pos, SEEK_HOLE);
	if (hole < 0)
		return hole;
	*nr = DIV_ROUND_UP(hole - pos, 1 << shift);
	*mapped = true;
	return 0;
}

static u64 kitt_file_capacity(struct kitt_device *dev)
{
	return i_size_read(file_inode(kitt_file(dev))) >> dev->block_shift;
}

/* Grow (sparse) or shrink the file; the next command sees the size. */
static int kitt_file_set_capacity(struct kitt_device *dev, u64 bytes)
{
	struct file *filp = kitt_file(dev);
	int ret;

	if (bytes > (u64)LLONG_MAX)
		return -EINVAL;
	ret = vfs_truncate(&filp->f_path, bytes);
	if (ret)
		pr_err("device %s: cannot make %s %llu bytes long: %d\n", dev->name, dev->path,
		       bytes, ret);
	return ret;
}

const struct kitt_backend_ops kitt_file_ops = {
	.name		= "file",
	.open		= kitt_file_open,
	.close		= kitt_file_close,
	.submit		= kitt_file_submit,
	.rw_sync	= kitt_file_rw_sync,
	.discard	= kitt_file_discard,
	.zeroout	= kitt_file_zeroout,
	.map_status	= kitt_file_map_status,
	.capacity	= kitt_file_capacity,
	.set_capacity	= kitt_file_set_capacity,
};
