// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: the SBC commands that are more than one read or write, carried
 * out on a device's backend: VERIFY, WRITE AND VERIFY, COMPARE AND WRITE,
 * ORWRITE, WRITE SAME and UNMAP. sbc.c decoded them (and says what each
 * expects); here they run, synchronously, in the receive thread, on the
 * command's data pages. Failures become sense data through
 * kitt_scsi_set_io_error().
 *
 * COMPARE AND WRITE and ORWRITE share one read-modify-write path, which
 * holds the device's range lock for their blocks from the read to the
 * end of the write: no other write to those blocks lands in between.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <scsi/scsi_proto.h>

#include "kitt.h"

/**
 * kitt_pages_free() - free a buffer from kitt_pages_alloc()
 * @pages: the array, or NULL
 * @nr: its pages
 */
void kitt_pages_free(struct page **pages, unsigned int nr)
{
	unsigned int i;

	if (!pages)
		return;
	for (i = 0; i < nr; i++)
		put_page(pages[i]);
	kvfree(pages);
}

/**
 * kitt_pages_alloc() - a buffer of new, cleared pages
 * @len: bytes
 * @nr: out: pages in the array
 *
 * Return: the page array (free with kitt_pages_free()) or NULL.
 */
struct page **kitt_pages_alloc(u32 len, unsigned int *nr)
{
	unsigned int i, n = DIV_ROUND_UP(len, PAGE_SIZE);
	struct page **pages;

	pages = kvcalloc(n, sizeof(*pages), GFP_NOIO);
	if (!pages)
		return NULL;
	for (i = 0; i < n; i++) {
		pages[i] = alloc_page(GFP_NOIO | __GFP_ZERO);
		if (!pages[i]) {
			kitt_pages_free(pages, i);
			return NULL;
		}
	}
	*nr = n;
	return pages;
}

/**
 * kitt_pages_copy_from() - copy bytes out of a page buffer
 * @pages: the buffer
 * @offset: where in it
 * @dst: destination
 * @len: how many (inside the buffer)
 */
void kitt_pages_copy_from(struct page **pages, u32 offset, void *dst, u32 len)
{
	while (len) {
		unsigned int pg = offset >> PAGE_SHIFT, off = offset & ~PAGE_MASK;
		unsigned int n = min_t(u32, len, PAGE_SIZE - off);

		memcpy_from_page(dst, pages[pg], off, n);
		dst += n;
		offset += n;
		len -= n;
	}
}

/* Read @len bytes at the command's LBA into a new buffer. */
static struct page **kitt_sbc_io_read(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
				      u32 len, unsigned int *nr)
{
	struct page **medium;
	int ret;

	medium = kitt_pages_alloc(len, nr);
	if (!medium) {
		kitt_scsi_set_io_error(cmd, -ENOMEM, false);
		return NULL;
	}
	ret = kitt_backend_rw_sync(dev, KITT_IO_READ, false, cmd->lba, medium, len);
	if (ret) {
		kitt_scsi_set_io_error(cmd, ret, false);
		kitt_pages_free(medium, *nr);
		return NULL;
	}
	return medium;
}

/*
 * Compare @len bytes of @medium, block by block, with @data from
 * @data_off (or with its first block over and over for @one_block);
 * kitt_sbc_compare() sets MISCOMPARE at the first difference.
 */
static void kitt_sbc_io_compare(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
				struct page **medium, struct page **data, u32 data_off,
				u32 len, bool one_block)
{
	unsigned int bs = 1U << dev->block_shift;
	u8 *m, *d;
	u32 off;

	m = kmalloc(bs, GFP_NOIO);
	d = kmalloc(bs, GFP_NOIO);
	if (!m || !d) {
		kitt_scsi_set_io_error(cmd, -ENOMEM, false);
		goto out;
	}
	for (off = 0; off < len; off += bs) {
		kitt_pages_copy_from(medium, off, m, bs);
		kitt_pages_copy_from(data, one_block ? data_off : data_off + off, d, bs);
		if (kitt_sbc_compare(cmd, m, d, bs, off))
			break;
	}
out:
	kfree(m);
	kfree(d);
}

/**
 * kitt_sbc_io_verify() - VERIFY: read the blocks, compare if BYTCHK asks
 * @dev: the device
 * @cmd: the decoded command
 * @data: its data (BYTCHK 1: the blocks; 3: one block for all)
 */
void kitt_sbc_io_verify(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
			struct page **data)
{
	u32 len = cmd->nr_blocks << dev->block_shift;
	struct page **medium;
	unsigned int nr;

	if (!len)
		return;
	medium = kitt_sbc_io_read(dev, cmd, len, &nr);
	if (!medium)
		return;
	if (cmd->bytchk == 1 || cmd->bytchk == 3)
		kitt_sbc_io_compare(dev, cmd, medium, data, 0, len, cmd->bytchk == 3);
	kitt_pages_free(medium, nr);
}

/**
 * kitt_sbc_io_write_verify() - WRITE AND VERIFY: write through, read back
 * @dev: the device
 * @cmd: the decoded command
 * @data: the blocks to write
 */
void kitt_sbc_io_write_verify(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
			      struct page **data)
{
	u32 len = cmd->nr_blocks << dev->block_shift;
	struct kitt_range range;
	struct page **medium;
	unsigned int nr;
	int ret;

	if (!len)
		return;
	kitt_range_lock(dev, &range, cmd->lba, cmd->nr_blocks, false);
	ret = kitt_backend_rw_sync(dev, KITT_IO_WRITE, true, cmd->lba, data, len);
	kitt_range_unlock(dev, &range);
	if (ret) {
		kitt_scsi_set_io_error(cmd, ret, true);
		return;
	}
	if (cmd->bytchk != 1)
		return;
	medium = kitt_sbc_io_read(dev, cmd, len, &nr);
	if (!medium)
		return;
	kitt_sbc_io_compare(dev, cmd, medium, data, 0, len, false);
	kitt_pages_free(medium, nr);
}

/*
 * The read-modify-write of COMPARE AND WRITE and ORWRITE: with the
 * blocks locked against every other write, read them, let @modify decide
 * what to write (NULL: nothing, the command failed), and write it.
 */
static void kitt_sbc_io_rmw(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
			    struct page **data,
			    struct page **(*modify)(struct kitt_device *dev,
						    struct kitt_scsi_cmd *cmd,
						    struct page **data, struct page **medium,
						    u32 len))
{
	u32 len = cmd->nr_blocks << dev->block_shift;
	struct kitt_range range;
	struct page **medium, **out;
	unsigned int nr;
	int ret;

	if (!len)
		return;
	kitt_range_lock(dev, &range, cmd->lba, cmd->nr_blocks, true);
	medium = kitt_sbc_io_read(dev, cmd, len, &nr);
	if (!medium)
		goto out_unlock;
	out = modify(dev, cmd, data, medium, len);
	if (out) {
		ret = kitt_backend_rw_sync(dev, KITT_IO_WRITE, cmd->fua, cmd->lba, out, len);
		if (ret)
			kitt_scsi_set_io_error(cmd, ret, true);
	}
	kitt_pages_free(medium, nr);
out_unlock:
	kitt_range_unlock(dev, &range);
}

/* COMPARE AND WRITE: the first half must match the medium; write the second. */
static struct page **kitt_sbc_io_caw_modify(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
					    struct page **data, struct page **medium, u32 len)
{
	u8 *tmp;
	u32 off;

	kitt_sbc_io_compare(dev, cmd, medium, data, 0, len, false);
	if (cmd->status != SAM_STAT_GOOD)
		return NULL;
	/* The second half starts on a page boundary when blocks fill pages. */
	if (!(len & ~PAGE_MASK))
		return data + (len >> PAGE_SHIFT);
	/* Sub-page blocks: move the second half into the medium's buffer. */
	tmp = kmalloc(len, GFP_NOIO);
	if (!tmp) {
		kitt_scsi_set_io_error(cmd, -ENOMEM, true);
		return NULL;
	}
	kitt_pages_copy_from(data, len, tmp, len);
	for (off = 0; off < len; off += PAGE_SIZE)
		memcpy_to_page(medium[off >> PAGE_SHIFT], 0, tmp + off,
			       min_t(u32, len - off, PAGE_SIZE));
	kfree(tmp);
	return medium;
}

/**
 * kitt_sbc_io_compare_and_write() - COMPARE AND WRITE, atomically
 * @dev: the device
 * @cmd: the decoded command
 * @data: the verify blocks, then the write blocks
 */
void kitt_sbc_io_compare_and_write(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
				   struct page **data)
{
	kitt_sbc_io_rmw(dev, cmd, data, kitt_sbc_io_caw_modify);
}

/* ORWRITE: write the medium ORed with the data. */
static struct page **kitt_sbc_io_or_modify(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
					   struct page **data, struct page **medium, u32 len)
{
	u32 off, i;

	/* Both buffers start page aligned at the first block. */
	for (off = 0; off < len; off += PAGE_SIZE) {
		u8 *d = kmap_local_page(data[off >> PAGE_SHIFT]);
		u8 *m = kmap_local_page(medium[off >> PAGE_SHIFT]);
		u32 n = min_t(u32, len - off, PAGE_SIZE);

		for (i = 0; i < n; i++)
			d[i] |= m[i];
		kunmap_local(m);
		kunmap_local(d);
	}
	return data;
}

/**
 * kitt_sbc_io_orwrite() - ORWRITE, atomically
 * @dev: the device
 * @cmd: the decoded command
 * @data: the blocks to OR in
 */
void kitt_sbc_io_orwrite(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
			 struct page **data)
{
	kitt_sbc_io_rmw(dev, cmd, data, kitt_sbc_io_or_modify);
}

/**
 * kitt_sbc_io_write_same() - WRITE SAME: one block over a range
 * @dev: the device
 * @cmd: the decoded command (UNMAP bit: a block of zeros may deallocate)
 * @data: the block (unused with cmd->ndob)
 */
void kitt_sbc_io_write_same(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
			    struct page **data)
{
	unsigned int bs = 1U << dev->block_shift, nr = 0, i;
	u64 lba = cmd->lba, left = cmd->nr_blocks;
	struct page **pages = NULL;
	struct kitt_range range;
	u32 chunk_blocks, k;
	u8 *block = NULL;
	int ret = 0;

	if (!left)
		return;
	kitt_range_lock(dev, &range, cmd->lba, cmd->nr_blocks, false);
	block = kzalloc(bs, GFP_NOIO);
	if (!block) {
		ret = -ENOMEM;
		goto out;
	}
	if (!cmd->ndob)
		kitt_pages_copy_from(data, 0, block, bs);
	/*
	 * UNMAP=1 lets the range be deallocated only where reading it back
	 * gives the block sent (SBC-4, WRITE SAME): zeros, which zeroout
	 * guarantees whether or not it unmaps. Any other block is written.
	 */
	if (cmd->unmap && !memchr_inv(block, 0, bs)) {
		ret = kitt_backend_zeroout(dev, lba, left);
		goto out;
	}
	chunk_blocks = min_t(u64, left, KITT_MAX_XFER_BYTES >> dev->block_shift);
	pages = kitt_pages_alloc(chunk_blocks << dev->block_shift, &nr);
	if (!pages) {
		ret = -ENOMEM;
		goto out;
	}
	for (k = 0; k < chunk_blocks; k++) {
		u32 off = k << dev->block_shift;

		for (i = 0; i < bs; i += PAGE_SIZE)
			memcpy_to_page(pages[(off + i) >> PAGE_SHIFT], (off + i) & ~PAGE_MASK,
				       block + i, min_t(u32, bs, PAGE_SIZE));
	}
	while (left && !ret) {
		u32 n = min_t(u64, left, chunk_blocks);

		ret = kitt_backend_rw_sync(dev, KITT_IO_WRITE, false, lba, pages,
					   n << dev->block_shift);
		lba += n;
		left -= n;
	}
out:
	kitt_range_unlock(dev, &range);
	if (ret)
		kitt_scsi_set_io_error(cmd, ret, true);
	kitt_pages_free(pages, nr);
	kfree(block);
}

/**
 * kitt_sbc_io_unmap() - UNMAP: discard each descriptor's blocks
 * @dev: the device
 * @cmd: the decoded command
 * @param: its parameter list, checked by kitt_scsi_data_out()
 */
void kitt_sbc_io_unmap(struct kitt_device *dev, struct kitt_scsi_cmd *cmd, const u8 *param)
{
	struct kitt_range range;
	u32 i, nr;
	u64 lba;
	int ret;

	for (i = 0; i < cmd->nr_desc; i++) {
		kitt_sbc_unmap_desc(param, i, &lba, &nr);
		if (!nr)
			continue;
		kitt_range_lock(dev, &range, lba, nr, false);
		ret = kitt_backend_discard(dev, lba, nr);
		kitt_range_unlock(dev, &range);
		if (ret) {
			kitt_scsi_set_io_error(cmd, ret, true);
			return;
		}
	}
}
