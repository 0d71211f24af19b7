// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: block backend.
 *
 * A device (devices/<name>/) is a block device opened exclusively by
 * path, with the kitt_device as holder: a second kitt device, a mounted
 * file system or another exclusive user of the same block device makes
 * the open fail with -EBUSY.
 *
 * Sections: open and close with the geometry (here), then the I/O path
 * (building, submitting and completing bios).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "kitt.h"
#include "kitt_compat.h"

/* ------------------------------------------------------------------ */
/* Open, close, geometry                                               */
/* ------------------------------------------------------------------ */

/* Logical block sizes kitt serves: one block never spans pages. */
#define KITT_MIN_BLOCK_SIZE	512
#define KITT_MAX_BLOCK_SIZE	PAGE_SIZE

/**
 * kitt_bdev_open() - open a device's block device and read its geometry
 * @dev: the device, with @dev->path set
 *
 * Opens @dev->path exclusively (read-only if @dev->read_only) and fills
 * @dev->bdev, @dev->block_shift, @dev->phys_block_shift and
 * @dev->nr_blocks.
 *
 * Context: @dev->lock held.
 * Return: 0, or the open's errno (-ENOENT, -EBUSY, -EACCES for a
 * read-only block device opened for writing, ...), or -EINVAL for an
 * empty device or an unsupported block size.
 */
int kitt_bdev_open(struct kitt_device *dev)
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

	dev->bdev_handle = h;
	dev->bdev = bdev;
	dev->block_shift = ilog2(lbs);
	dev->phys_block_shift = ilog2(pbs);
	dev->nr_blocks = nr_blocks;
	pr_info("device %s: %s opened %s, %llu blocks of %u bytes\n", dev->name, dev->path,
		dev->read_only ? "read-only" : "read-write", nr_blocks, lbs);
	return 0;

out_close:
	kitt_compat_bdev_close(h);
out_free:
	kfree(h);
	return ret;
}

/**
 * kitt_bdev_close() - close a device's block device
 * @dev: an open device, no longer exported
 *
 * Context: @dev->lock held.
 */
void kitt_bdev_close(struct kitt_device *dev)
{
	lockdep_assert_held(&dev->lock);
	if (WARN_ON_ONCE(!dev->bdev_handle))
		return;
	kitt_compat_bdev_close(dev->bdev_handle);
	kfree(dev->bdev_handle);
	dev->bdev_handle = NULL;
	dev->bdev = NULL;
	dev->nr_blocks = 0;
	kitt_dbg(KITT_DBG_BDEV, "device %s: %s closed\n", dev->name, dev->path);
}

/* ------------------------------------------------------------------ */
/* I/O path: bios (to come)                                            */
/* ------------------------------------------------------------------ */
