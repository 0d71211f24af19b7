// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: block backend (struct kitt_backend_ops for block devices).
 *
 * A device (devices/<name>/) whose path names a block device opens it
 * exclusively, with the kitt_device as holder: a second kitt device, a
 * mounted file system or another exclusive user of the same block device
 * makes the open fail with -EBUSY. I/O goes straight to the block layer as
 * bios built on the caller's pages.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "kitt.h"
#include "kitt_compat.h"

static struct block_device *kitt_bdev(struct kitt_device *dev)
{
	return ((struct kitt_bdev_handle *)dev->priv)->bdev;
}

/* ------------------------------------------------------------------ */
/* Open, close, geometry                                               */
/* ------------------------------------------------------------------ */

/*
 * Atomic writes (REQ_ATOMIC, from 6.11): the device's unit limits, in
 * bytes, when it offers them. A bio of a multiple of the smallest unit,
 * at most the largest, goes to the device whole or fails.
 */
static void kitt_bdev_atomic_limits(struct kitt_device *dev, struct block_device *bdev)
{
	dev->atomic_min = 0;
	dev->atomic_max = 0;
#ifdef REQ_ATOMIC
	if (bdev_can_atomic_write(bdev)) {
		dev->atomic_min = queue_atomic_write_unit_min_bytes(bdev_get_queue(bdev));
		dev->atomic_max = queue_atomic_write_unit_max_bytes(bdev_get_queue(bdev));
	}
#endif
}

/*
 * Open @dev->path exclusively (read-only if @dev->read_only) and fill
 * dev->priv, the geometry and dev->discard. Returns 0, the open's errno
 * (-ENOENT, -EBUSY, -EACCES for a read-only block device opened for
 * writing, ...), or -EINVAL for an empty device or an unsupported block
 * size.
 */
static int kitt_bdev_open(struct kitt_device *dev)
{
	struct kitt_bdev_handle *h;
	struct block_device *bdev;
	unsigned int lbs, pbs;
	u64 nr_blocks;
	int ret;

	lockdep_assert_held(&dev->lock);
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	ret = kitt_compat_bdev_open(h, dev->path, dev->read_only, dev);
	if (ret) {
		if (ret == -EBUSY)
			pr_err("device %s: %s is in use (mounted, or another device opened it)\n",
			       dev->name, dev->path);
		else if (ret == -EACCES && !dev->read_only)
			pr_err("device %s: %s is read-only; set read_only to 1\n", dev->name,
			       dev->path);
		else
			pr_err("device %s: cannot open %s: %d\n", dev->name, dev->path, ret);
		goto out_free;
	}
	bdev = h->bdev;

	lbs = bdev_logical_block_size(bdev);
	pbs = max(bdev_physical_block_size(bdev), lbs);
	if (lbs < KITT_MIN_BLOCK_SIZE || lbs > KITT_MAX_BLOCK_SIZE || !is_power_of_2(lbs) ||
	    !is_power_of_2(pbs)) {
		pr_err("device %s: %s has an unsupported block size %u\n", dev->name, dev->path,
		       lbs);
		ret = -EINVAL;
		goto out_close;
	}
	nr_blocks = bdev_nr_sectors(bdev) >> (ilog2(lbs) - SECTOR_SHIFT);
	if (!nr_blocks) {
		pr_err("device %s: %s is empty\n", dev->name, dev->path);
		ret = -EINVAL;
		goto out_close;
	}

	dev->priv = h;
	dev->discard = bdev_max_discard_sectors(bdev) > 0;
	dev->block_shift = ilog2(lbs);
	dev->phys_block_shift = ilog2(pbs);
	dev->nr_blocks = nr_blocks;
	kitt_bdev_atomic_limits(dev, bdev);
	pr_info("device %s: %s opened %s, %llu blocks of %u bytes\n", dev->name, dev->path,
		dev->read_only ? "read-only" : "read-write", nr_blocks, lbs);
	return 0;

out_close:
	kitt_compat_bdev_close(h);
out_free:
	kfree(h);
	return ret;
}

static void kitt_bdev_close(struct kitt_device *dev)
{
	struct kitt_bdev_handle *h = dev->priv;

	kitt_compat_bdev_close(h);
	kfree(h);
}

/* ------------------------------------------------------------------ */
/* I/O: bios on the caller's pages                                     */
/* ------------------------------------------------------------------ */

static void kitt_bdev_end_io(struct bio *bio)
{
	struct kitt_dev_io *io = bio->bi_private;

	if (bio->bi_status)
		cmpxchg(&io->error, 0, blk_status_to_errno(bio->bi_status));
	bio_put(bio);
	if (atomic_dec_and_test(&io->pending))
		io->end_io(io, io->error);
}

static blk_opf_t kitt_bdev_opf(enum kitt_io_op op, bool fua)
{
	if (op == KITT_IO_READ)
		return REQ_OP_READ;
	if (op == KITT_IO_FLUSH)
		return REQ_OP_WRITE | REQ_PREFLUSH;
	return REQ_OP_WRITE | (fua ? REQ_FUA : 0);
}

/* An atomic write is one bio: it may not be split (at most atomic_max). */
static blk_opf_t kitt_bdev_atomic_opf(const struct kitt_dev_io *io)
{
#ifdef REQ_ATOMIC
	if (io->atomic)
		return REQ_ATOMIC;
#endif
	return 0;
}

/*
 * As many bios as @len bytes of @pages need (BIO_MAX_VECS pages each).
 * Nothing touches @io after the last bio is submitted: brd and null_blk
 * complete inside submit_bio().
 */
static void kitt_bdev_submit(struct kitt_dev_io *io)
{
	struct block_device *bdev = kitt_bdev(io->dev);
	sector_t sector = io->lba << (io->dev->block_shift - SECTOR_SHIFT);
	unsigned int pg = 0, nr_pages = DIV_ROUND_UP(io->len, PAGE_SIZE);
	blk_opf_t opf = kitt_bdev_opf(io->op, io->fua) | kitt_bdev_atomic_opf(io);
	struct blk_plug plug;
	struct bio *bio;

	atomic_set(&io->pending, 1);
	blk_start_plug(&plug);
	do {
		unsigned int nvec = min_t(unsigned int, nr_pages - pg, BIO_MAX_VECS);

		bio = bio_alloc(bdev, nvec, opf, GFP_NOIO);
		bio->bi_iter.bi_sector = sector;
		bio->bi_private = io;
		bio->bi_end_io = kitt_bdev_end_io;
		while (pg < nr_pages && nvec--) {
			u32 n = min_t(u32, io->len - pg * PAGE_SIZE, PAGE_SIZE);

			__bio_add_page(bio, io->pages[pg++], n, 0);
			sector += n >> SECTOR_SHIFT;
		}
		atomic_inc(&io->pending);
		submit_bio(bio);
	} while (pg < nr_pages);
	blk_finish_plug(&plug);
	if (atomic_dec_and_test(&io->pending))
		io->end_io(io, io->error);
}

static int kitt_bdev_rw_sync(struct kitt_device *dev, enum kitt_io_op op, bool fua, u64 lba,
			     struct page **pages, u32 len)
{
	unsigned int pg = 0, nr_pages = DIV_ROUND_UP(len, PAGE_SIZE);
	sector_t sector = lba << (dev->block_shift - SECTOR_SHIFT);
	blk_opf_t opf = kitt_bdev_opf(op, fua);
	struct bio *bio;
	int ret = 0;

	while (pg < nr_pages && !ret) {
		unsigned int nvec = min_t(unsigned int, nr_pages - pg, BIO_MAX_VECS);

		bio = bio_alloc(kitt_bdev(dev), nvec, opf, GFP_NOIO);
		bio->bi_iter.bi_sector = sector;
		while (pg < nr_pages && nvec--) {
			u32 n = min_t(u32, len - pg * PAGE_SIZE, PAGE_SIZE);

			__bio_add_page(bio, pages[pg++], n, 0);
			sector += n >> SECTOR_SHIFT;
		}
		ret = submit_bio_wait(bio);
		bio_put(bio);
	}
	return ret;
}

static int kitt_bdev_discard(struct kitt_device *dev, u64 lba, u64 nr)
{
	unsigned int shift = dev->block_shift - SECTOR_SHIFT;
	int ret;

	ret = blkdev_issue_discard(kitt_bdev(dev), lba << shift, nr << shift, GFP_NOIO);
	return ret == -EOPNOTSUPP ? 0 : ret;
}

static int kitt_bdev_zeroout(struct kitt_device *dev, u64 lba, u64 nr)
{
	unsigned int shift = dev->block_shift - SECTOR_SHIFT;

	return blkdev_issue_zeroout(kitt_bdev(dev), lba << shift, nr << shift, GFP_NOIO, 0);
}

static u64 kitt_bdev_capacity(struct kitt_device *dev)
{
	return bdev_nr_sectors(kitt_bdev(dev)) >> (dev->block_shift - SECTOR_SHIFT);
}

const struct kitt_backend_ops kitt_bdev_ops = {
	.name		= "block",
	.open		= kitt_bdev_open,
	.close		= kitt_bdev_close,
	.submit		= kitt_bdev_submit,
	.rw_sync	= kitt_bdev_rw_sync,
	.discard	= kitt_bdev_discard,
	.zeroout	= kitt_bdev_zeroout,
	.capacity	= kitt_bdev_capacity,
};
